"""Variables at the request builder's seam: the request sent, validation, the tool loop's
mocks and import all read the one fill."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from playground.core import request, validation, variables
from playground.core.importer import from_body
from playground.core.workspace import FunctionTool, Message, OutputFormat, Workspace

WS = Workspace(
    instructions="Answer for {{city}}.",
    messages=[Message(content="Weather in {{ city }}? Say \\{{city}} literally.")],
    tools=[FunctionTool(name="weather", description="Weather in {{city}}")],
    variables={"city": "Rome {{day}}"},
)


def test_the_request_is_built_from_the_filled_texts_once() -> None:
    for api in ("responses", "chat"):
        body = request.build(WS.model_copy(update={"api": api})).body
        text = json.dumps(body)
        assert "Answer for Rome {{day}}." in text  # the value is not filled again
        assert "Weather in Rome {{day}}? Say {{city}} literally." in text
        assert "Weather in Rome {{day}}" in json.dumps(body["tools"])
        assert not [f for f in validation.validate(WS) if f.code == variables.MISSING]


def test_a_variable_without_a_value_blocks_run_with_a_finding_at_its_spot() -> None:
    ws = WS.model_copy(update={"variables": {}})
    errors = [f for f in validation.validate(ws) if f.severity == "error"]
    assert {(f.path, f.code) for f in errors} == {
        ("instructions", variables.MISSING),
        ("messages[0].content", variables.MISSING),
        ("tools[0].description", variables.MISSING),
    }
    body = request.build(ws).body
    assert body["instructions"] == "Answer for {{city}}."  # left as written, never guessed


def test_json_mode_reads_the_word_json_in_the_filled_text() -> None:
    ws = Workspace(
        messages=[Message(content="Answer in {{format}}")],
        output_format=OutputFormat(type="json_object"),
        variables={"format": "JSON"},
    )
    assert not [f for f in validation.validate(ws) if f.path == "output_format"]


@settings(max_examples=40, deadline=None)
@given(
    st.text(st.sampled_from(list("{}\\ ab")), max_size=24), st.sampled_from(["chat", "responses"])
)
def test_an_imported_request_with_braces_is_sent_as_it_came(text: str, api: str) -> None:
    key = "messages" if api == "chat" else "input"
    body = {"model": "gpt-4o-mini", key: [{"role": "user", "content": text}]}
    result = from_body(body, api)
    assert request.build(result.workspace).body == body
    assert not variables.names(result.workspace)
    assert result.workspace.messages[0].item is None  # an editable message, not a raw item
    if "{{" in text:
        assert any("\\{{" in note for note in result.notes)
