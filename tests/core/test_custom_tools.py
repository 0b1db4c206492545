"""Custom tools and tool_choice forms in the workspace, request builder, importer and tool
loop: the bodies both APIs take, and import(body) -> build gives the body back."""

from __future__ import annotations

from typing import Any

import pytest

from playground.core import request
from playground.core.importer import from_body
from playground.core.migrations import migrate
from playground.core.reducer import append_tool_results
from playground.core.tool_loop import DEFAULT_MOCK_OUTPUT, mock_result
from playground.core.workspace import (
    SCHEMA_VERSION,
    CustomFormat,
    CustomTool,
    FunctionTool,
    Message,
    ToolCall,
    ToolChoice,
    Workspace,
)

DATE = CustomTool(
    name="set_date",
    description="Sets the date",
    format=CustomFormat(type="grammar", syntax="regex", definition=r"\d{4}-\d{2}-\d{2}"),
    mock_output="date set to {{day}}",
)
NOTE = CustomTool(name="note", format=CustomFormat(type="text"))
FUNC = FunctionTool(name="get_weather", parameters={"type": "object", "properties": {}})


def _ws(api: str, choice: ToolChoice | None = None, **kw: Any) -> Workspace:
    call = ToolCall(id="c1", name="set_date", arguments="2026-12-01", kind="custom")
    return Workspace(
        api=api,  # type: ignore[arg-type]
        model="gpt-4.1-mini",
        tools=[FUNC],
        custom_tools=[DATE, NOTE, CustomTool(name="off", enabled=False)],
        tool_choice=choice,
        variables={"day": "Tuesday"},
        messages=[
            Message(role="user", content="when?"),
            Message(role="assistant", tool_calls=[call]),
            Message(role="tool", tool_call_id="c1", content="done"),
        ],
        **kw,
    )


def test_responses_body_has_custom_tools_calls_and_outputs() -> None:
    body = request.build(_ws("responses")).body
    assert body["tools"][1:] == [
        {
            "type": "custom",
            "name": "set_date",
            "description": "Sets the date",
            "format": {"type": "grammar", "syntax": "regex", "definition": r"\d{4}-\d{2}-\d{2}"},
        },
        {"type": "custom", "name": "note", "format": {"type": "text"}},
    ]
    assert body["input"][1:] == [
        {"type": "custom_tool_call", "call_id": "c1", "name": "set_date", "input": "2026-12-01"},
        {"type": "custom_tool_call_output", "call_id": "c1", "output": "done"},
    ]


def test_chat_body_nests_custom_tools_and_grammar() -> None:
    body = request.build(_ws("chat")).body
    assert body["tools"][1] == {
        "type": "custom",
        "custom": {
            "name": "set_date",
            "description": "Sets the date",
            "format": {
                "type": "grammar",
                "grammar": {"definition": r"\d{4}-\d{2}-\d{2}", "syntax": "regex"},
            },
        },
    }
    assert body["messages"][1]["tool_calls"] == [
        {"id": "c1", "type": "custom", "custom": {"name": "set_date", "input": "2026-12-01"}}
    ]
    assert body["messages"][2] == {"role": "tool", "tool_call_id": "c1", "content": "done"}


CHOICES = [
    ToolChoice(mode="custom", name="note"),
    ToolChoice(mode="function", name="get_weather"),
    ToolChoice(
        mode="allowed_tools",
        allowed_mode="required",
        allowed=[{"type": "custom", "name": "note"}, {"type": "function", "name": "get_weather"}],
    ),
    ToolChoice(mode="allowed_tools", allowed=[{"type": "custom", "name": "set_date"}]),
]


@pytest.mark.parametrize("api", ["responses", "chat"])
@pytest.mark.parametrize("choice", [*CHOICES, None, ToolChoice(mode="required")])
def test_import_gives_the_body_back(api: str, choice: ToolChoice | None) -> None:
    body = request.build(_ws(api, choice)).body
    result = from_body(body)
    again = request.build(result.workspace).body
    assert again == body
    ws = result.workspace
    assert [t.name for t in ws.custom_tools] == ["set_date", "note"]  # editable, not extra
    assert ws.extra_tools == [] and ws.tool_choice == choice
    assert ws.messages[1].tool_calls[0].kind == "custom"
    assert ws.messages[2].item is None  # the output is editable


def test_the_tool_choice_shapes() -> None:
    allowed = request.build(_ws("chat", CHOICES[2])).body["tool_choice"]
    assert allowed == {
        "type": "allowed_tools",
        "allowed_tools": {
            "mode": "required",
            "tools": [
                {"type": "custom", "custom": {"name": "note"}},
                {"type": "function", "function": {"name": "get_weather"}},
            ],
        },
    }
    assert request.build(_ws("responses", CHOICES[2])).body["tool_choice"] == {
        "type": "allowed_tools",
        "mode": "required",
        "tools": [{"type": "custom", "name": "note"}, {"type": "function", "name": "get_weather"}],
    }
    hosted = _ws("responses", ToolChoice(mode="hosted", hosted="web_search_preview"))
    assert request.build(hosted).body["tool_choice"] == {"type": "web_search_preview"}
    assert from_body({**request.build(hosted).body}).workspace.tool_choice == hosted.tool_choice
    missing = request.build(_ws("responses", ToolChoice(mode="custom", name="nope")))
    assert any("not a defined custom tool" in f.message for f in missing.findings)
    empty = request.build(_ws("responses", ToolChoice(mode="allowed_tools")))
    assert any(f.severity == "error" for f in empty.findings)


def test_tools_out_of_the_builders_order_are_kept_as_given() -> None:
    body = {
        "model": "gpt-4.1-mini",
        "input": "hi",
        "tools": [{"type": "web_search_preview"}, {"type": "custom", "name": "a"}],
    }
    result = from_body(body)
    assert result.workspace.custom_tools == []  # after a hosted tool: not where the builder puts it
    assert request.build(result.workspace).body == body


def test_mock_results_of_custom_calls() -> None:
    tools = [FUNC, DATE, NOTE]
    assert mock_result(tools, "set_date", "anything", "custom") == "date set to {{day}}"
    assert mock_result(tools, "note", "x", "custom") == DEFAULT_MOCK_OUTPUT
    assert "no custom tool named get_weather" in mock_result(tools, "get_weather", "", "custom")
    assert "no tool named set_date" in mock_result(tools, "set_date", "{}")  # a function call
    ws = append_tool_results(_ws("responses"), {"c9": "x"})
    assert ws.messages[-1].tool_call_id == "c9"


def test_a_version_3_file_loads() -> None:
    data = migrate({"schema_version": 3, "tool_choice": {"mode": "function", "name": "f"}})
    ws = Workspace(**data)
    assert ws.schema_version == SCHEMA_VERSION and ws.custom_tools == []
    assert ws.tool_choice == ToolChoice(mode="function", name="f")


def test_a_regex_rusts_syntax_refuses_is_a_problem_where_it_starts() -> None:
    from playground.core.grammar import check

    cases = {
        r"\+1-\d{3}-\d{4": (13, "starts no repetition"),  # Python reads "{4" as text
        r"(?=\d)\w+": (1, "look-ahead"),
        r"\w+(?<!x)": (4, "look-behind"),
        r"(a)\1": (4, "backreferences"),
        r"(?>ab)": (1, "atomic groups"),
    }
    for pattern, (column, words) in cases.items():
        problem = check("regex", pattern)
        assert problem is not None and words in problem.message, pattern
        assert (problem.line, problem.column) == (1, column), pattern
    for fine in (r"\d{4}-\d{2}-\d{2}", r"x{2,}", r"[{}]", r"a\{b\}", r"[]x]", r"(?P<y>\d+)"):
        assert check("regex", fine) is None, fine


def test_an_unclosed_lark_string_is_named_in_words() -> None:
    from playground.core.grammar import check

    problem = check("lark", 'start: expr\nexpr: NUMBER ("+" NUMBER)* "*\nNUMBER: /[0-9]+/\n')
    assert problem is not None
    assert problem.describe() == (
        'line 2, column 28: a string that starts here is not closed ("…" on one line)'
    )
