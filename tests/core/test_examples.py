"""The examples are sound requests on today's models: valid, not shut down or about to be on
OpenAI's endpoint, exactly the guide's request otherwise; the previous_response_id follow-up
sends only the new question."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from playground.core import catalog, examples, request, validation
from playground.core.lifecycle import lifecycle_finding

TODAY = date(2026, 11, 30)


@pytest.mark.parametrize("name", examples.names())
def test_an_example_has_no_finding_on_openai_today(name: str) -> None:
    ws = examples.get(name).workspace("OpenAI")
    target = request.Target(openai=True, today=TODAY)
    assert validation.validate(ws, target=target) == []
    assert lifecycle_finding(catalog.lookup(ws.model), TODAY, True) is None


def test_the_examples_cover_the_issue_list_with_unique_names() -> None:
    titles = [e.title for e in examples.EXAMPLES]
    assert titles == [
        "A first chat completion",
        "Streaming",
        "The stock-price tool loop",
        "JobPosting structured output",
        "Responses with previous_response_id",
        "A reasoning model with a summary",
        "Model routing",
    ]
    assert len(set(examples.names())) == len(titles)


def test_the_stock_tool_is_the_guides() -> None:
    ws = examples.get("stock-tool-loop").workspace()
    body = request.build(ws).kwargs
    tool = body["tools"][0]["function"]
    assert tool["name"] == "get_stock_price"
    assert list(tool["parameters"]["properties"]) == ["ticker", "currency"]  # the guide's order
    assert tool["parameters"]["properties"]["currency"]["enum"] == ["USD", "EUR", "GBP"]


def test_an_unknown_example_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="first-chat"):
        examples.get("no-such-example")


@given(
    st.sampled_from(examples.EXAMPLES),
    st.text(min_size=1, max_size=40).filter(str.strip),
)
def test_an_example_opens_on_any_profile_without_changing_its_request(
    example: examples.Example, profile: str
) -> None:
    ws = example.workspace(profile)
    assert ws.profile == profile
    other = example.workspace()
    assert request.build(ws).kwargs == request.build(other).kwargs
    assert ws is not other and ws.messages is not other.messages  # a fresh copy each time


@given(
    st.from_regex(r"resp_[A-Za-z0-9]{1,24}", fullmatch=True),
    st.text(min_size=1, max_size=200).filter(str.strip),
)
def test_the_follow_up_sends_only_the_question_with_the_stored_id(
    response_id: str, question: str
) -> None:
    first = examples.get("previous-response").workspace()
    body = request.build(examples.continue_from(first, response_id, question)).kwargs
    assert body["previous_response_id"] == response_id
    assert body["input"] == [{"role": "user", "content": question}]
    assert body["model"] == first.model and body["store"] is True
