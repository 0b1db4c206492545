"""The response cache's rules (core/cache_rules.py): the key ignores the order of the
request's fields and follows every value, nested order included; the stored events come back
as they were."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from playground.core.cache_rules import (
    cache_key,
    decode_events,
    encode_events,
    keepable,
    state_reason,
)
from playground.core.errors import Failure, FailureKind
from playground.core.events import (
    Failed,
    Finished,
    ReasoningDelta,
    RefusalDelta,
    RunStarted,
    TextDelta,
    Timing,
    TokenLogprob,
    ToolCallDelta,
    ToolCallDone,
    ToolCallStarted,
    Usage,
)
from playground.core.reducer import AssistantTurn, reduce

URL = "https://api.openai.com/v1"
leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-1000, 1000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
)
bodies = st.dictionaries(
    st.text(min_size=1, max_size=6),
    st.recursive(
        leaf,
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.text(min_size=1, max_size=4), inner, max_size=3)
        ),
        max_leaves=10,
    ),
    min_size=1,
    max_size=6,
)


def leaf_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in leaf_paths(v, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in leaf_paths(v, (*path, i))]
    return [path]


def replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {k: replaced(v, rest, new) if k == head else v for k, v in value.items()}
    return [replaced(v, rest, new) if i == head else v for i, v in enumerate(value)]


@given(bodies, st.integers(0, 2**32))
def test_the_key_does_not_depend_on_the_order_of_the_requests_fields(
    body: dict[str, Any], seed: int
) -> None:
    items = list(body.items())
    random.Random(seed).shuffle(items)
    assert cache_key(URL, "/responses", dict(items)) == cache_key(URL, "/responses", body)


def test_a_schema_whose_properties_come_in_another_order_is_another_request() -> None:
    # property order changes what structured output generates: never the same answer
    def body(order: list[str]) -> dict[str, Any]:
        props = {name: {"type": "string"} for name in order}
        schema = {"type": "object", "properties": props, "required": order}
        return {"model": "m", "text": {"format": {"type": "json_schema", "schema": schema}}}

    assert cache_key(URL, "/responses", body(["a", "b"])) != cache_key(
        URL, "/responses", body(["b", "a"])
    )


@settings(max_examples=200)
@given(bodies, st.data())
def test_the_key_changes_with_every_value(body: dict[str, Any], data: st.DataObject) -> None:
    paths = leaf_paths(body)
    assume(paths)  # empty lists and objects have no value to change
    path = data.draw(st.sampled_from(paths))
    old = body
    for step in path:
        old = old[step]
    new = data.draw(leaf.filter(lambda v: v != old or type(v) is not type(old)))
    assert cache_key(URL, "/responses", replaced(body, path, new)) != cache_key(
        URL, "/responses", body
    )


@given(bodies)
def test_the_key_changes_with_the_base_url_and_the_api(body: dict[str, Any]) -> None:
    keys = {
        cache_key(URL, "/responses", body),
        cache_key("http://localhost:8000/v1", "/responses", body),
        cache_key(URL, "/chat/completions", body),
    }
    assert len(keys) == 3
    assert cache_key(URL + "/", "/responses", body) == cache_key(URL, "/responses", body)


def test_what_asks_the_server_to_keep_state() -> None:
    assert state_reason({"model": "m", "input": "hi"}) is None
    assert state_reason({"store": False}) is None
    assert state_reason({"store": True}) == "store"
    assert state_reason({"previous_response_id": "resp_1"}) == "previous_response_id"
    assert state_reason({"conversation": {"id": "conv_1"}}) == "conversation"
    assert state_reason({"background": True, "store": False}) == "background"
    assert state_reason({"background": False, "previous_response_id": None}) is None


def test_only_answers_that_ended_by_themselves_are_kept() -> None:
    failure = Failure(FailureKind.SERVER, "boom")
    assert keepable(AssistantTurn(text="a", finish_reason="stop"), stopped=False)
    assert keepable(AssistantTurn(text="a", finish_reason="length"), stopped=False)
    assert keepable(AssistantTurn(finish_reason="tool_calls"), stopped=False)
    assert not keepable(AssistantTurn(text="a", finish_reason="stop"), stopped=True)
    assert not keepable(AssistantTurn(text="a"), stopped=False)  # never finished
    assert not keepable(AssistantTurn(text="a", failure=failure), stopped=False)


texts = st.text(max_size=12)
events = st.lists(
    st.one_of(
        st.builds(RunStarted, texts, st.none() | texts, st.none() | texts),
        st.builds(
            TextDelta,
            texts,
            st.integers(0, 2),
            st.lists(
                st.builds(
                    TokenLogprob,
                    texts,
                    st.floats(-20, 0),
                    st.lists(st.tuples(texts, st.floats(-20, 0)), max_size=2).map(tuple),
                ),
                max_size=2,
            ).map(tuple),
        ),
        st.builds(ReasoningDelta, texts, st.integers(0, 2)),
        st.builds(RefusalDelta, texts),
        st.builds(ToolCallStarted, st.integers(0, 2), texts, texts, st.none() | texts),
        st.builds(ToolCallDelta, st.integers(0, 2), texts),
        st.builds(ToolCallDone, st.integers(0, 2), texts),
        st.builds(Usage, st.integers(0, 9999), st.integers(0, 99), st.integers(0, 9999)),
        st.builds(
            Finished,
            st.sampled_from(["stop", "length", "tool_calls"]),
            st.none() | texts,
            st.dictionaries(st.integers(0, 3), st.sampled_from(["stop", "length"])),
        ),
    ),
    max_size=12,
)


@given(events)
def test_stored_events_come_back_as_they_were(stream: list[Any]) -> None:
    back = decode_events(encode_events(stream))
    expected = [
        RunStarted(e.model, e.response_id, None) if isinstance(e, RunStarted) else e for e in stream
    ]
    assert back == expected
    assert reduce(back).text == reduce(stream).text


def test_timing_is_left_out_and_a_failure_is_never_stored() -> None:
    assert encode_events([Timing(1.0, 2.0, None), TextDelta("x")]) == [
        {"t": "TextDelta", "text": "x"}
    ]
    try:
        encode_events([Failed(Failure(FailureKind.SERVER, "boom"))])
    except ValueError:
        pass
    else:
        raise AssertionError("a Failed event was encoded")
