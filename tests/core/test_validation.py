"""validate(): findings a person can act on."""

from __future__ import annotations

import pytest

from playground.core.validation import validate
from playground.core.workspace import (
    FunctionTool,
    Message,
    OutputFormat,
    Parameters,
    ToolCall,
    Workspace,
)


def messages(ws: Workspace) -> list[str]:
    return [f.message for f in validate(ws)]


def user(text: str = "Hi") -> list[Message]:
    return [Message(role="user", content=text)]


def test_clean_workspace_has_no_findings() -> None:
    assert validate(Workspace(messages=user())) == []


def test_reasoning_model_temperature_is_reported() -> None:
    ws = Workspace(model="o3-mini", messages=user(), params=Parameters(temperature=0.7))
    found = validate(ws)
    assert found[0].path == "params.temperature"
    assert found[0].severity == "warning"
    assert (
        found[0].message == "o3-mini takes temperature only at its default (1); it will not be sent"
    )


def test_strict_tool_needs_additional_properties_false_everywhere() -> None:
    tool = FunctionTool(
        name="get_weather",
        strict=True,
        parameters={
            "type": "object",
            "additionalProperties": False,
            "required": ["location"],
            "properties": {
                "location": {
                    "type": "object",
                    "properties": {"city": {"type": "string"}},
                    "required": ["city"],
                }
            },
        },
    )
    found = validate(Workspace(messages=user(), tools=[tool]))
    assert found[0].severity == "error"
    assert found[0].message == (
        "tool get_weather: strict mode needs additionalProperties: false "
        "on every object (parameters.properties.location)"
    )
    assert found[0].path == "tools[0].parameters.properties.location"


def test_strict_tool_needs_every_property_required() -> None:
    tool = FunctionTool(
        name="f",
        strict=True,
        parameters={
            "type": "object",
            "additionalProperties": False,
            "required": [],
            "properties": {"x": {"type": "string"}},
        },
    )
    assert "missing 'x'" in messages(Workspace(messages=user(), tools=[tool]))[0]


def test_non_strict_tool_is_not_held_to_strict_rules() -> None:
    tool = FunctionTool(name="f", parameters={"type": "object", "properties": {"x": {}}})
    assert validate(Workspace(messages=user(), tools=[tool])) == []


def test_invalid_json_schema_is_reported() -> None:
    tool = FunctionTool(name="f", parameters={"type": "object", "properties": {"x": {"type": 7}}})
    found = validate(Workspace(messages=user(), tools=[tool]))
    assert found[0].severity == "error"
    assert "tool f: not a valid JSON Schema" in found[0].message


def test_tool_and_schema_names_are_checked() -> None:
    tool = FunctionTool(name="get weather!")
    fmt = OutputFormat(type="json_schema", name="x" * 65)
    found = messages(Workspace(messages=user(), tools=[tool], output_format=fmt))
    assert any("tool name 'get weather!' must be 1 to 64 letters" in m for m in found)
    assert any("schema name" in m and "must be 1 to 64" in m for m in found)


def test_tool_result_must_answer_a_call() -> None:
    ws = Workspace(messages=[*user(), Message(role="tool", tool_call_id="call_9", content="x")])
    assert "tool result call_9 answers no earlier tool call" in messages(ws)


def test_unanswered_tool_call_is_reported() -> None:
    ws = Workspace(
        messages=[
            *user(),
            Message(role="assistant", tool_calls=[ToolCall(id="call_1", name="f")]),
            Message(role="user", content="and?"),
        ]
    )
    assert "tool call call_1 has no tool result yet" in messages(ws)


def test_answered_tool_calls_are_fine() -> None:
    ws = Workspace(
        messages=[
            *user(),
            Message(
                role="assistant",
                tool_calls=[ToolCall(id="c1", name="f"), ToolCall(id="c2", name="g")],
            ),
            Message(role="tool", tool_call_id="c1", content="1"),
            Message(role="tool", tool_call_id="c2", content="2"),
        ]
    )
    assert validate(ws) == []


def test_ranges() -> None:
    ws = Workspace(messages=user(), params=Parameters(temperature=3, top_p=-1))
    found = messages(ws)
    assert "temperature must be from 0 to 2; it is 3" in found
    assert "top_p must be from 0 to 1; it is -1" in found


@pytest.mark.parametrize("limit", [1, 5, 15, 16, 4096])
def test_the_token_limit_minimum_is_the_apis_own(limit: int) -> None:
    """Responses refuses max_output_tokens below 16 (spec: CreateResponse); Chat takes any
    max_tokens / max_completion_tokens from 1 (a one-token classifier is a common request)."""
    chat = Workspace(api="chat", messages=user(), params=Parameters(max_output_tokens=limit))
    assert [f for f in validate(chat) if f.severity == "error"] == []
    resp = chat.model_copy(update={"api": "responses"})
    wanted = [f"max_output_tokens must be at least 16; it is {limit}"] if limit < 16 else []
    assert [m for m in messages(resp) if "max_output_tokens" in m] == wanted
    zero = chat.model_copy(update={"params": Parameters(max_output_tokens=0)})
    assert "max_completion_tokens must be at least 1; it is 0" in messages(zero)


def test_json_mode_needs_the_word_json() -> None:
    ws = Workspace(messages=user(), output_format=OutputFormat(type="json_object"))
    assert any("the word 'json'" in m for m in messages(ws))
    ws2 = Workspace(messages=user("answer in JSON"), output_format=OutputFormat(type="json_object"))
    assert validate(ws2) == []


def test_model_only_in_responses() -> None:
    found = validate(Workspace(api="chat", model="o1-pro", messages=user()))
    assert found[0].message == "o1-pro is available only in the Responses API"


def test_empty_conversation() -> None:
    assert "add at least one message" in messages(Workspace())


def test_an_unanswered_tool_call_carries_its_code() -> None:
    from playground.core.validation import UNANSWERED_TOOL_CALL, validate
    from playground.core.workspace import Message, ToolCall

    ws = Workspace(
        messages=[
            Message(role="user", content="weather?"),
            Message(role="assistant", tool_calls=[ToolCall(id="c1", name="w", arguments="{}")]),
        ]
    )
    found = [f for f in validate(ws) if f.code == UNANSWERED_TOOL_CALL]
    assert [(f.path, f.severity) for f in found] == [("messages[1].tool_calls", "error")]
