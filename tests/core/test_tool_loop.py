"""One tool-loop rule: the window's mock result and the exported program's call_tool agree."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from playground.core.export import export
from playground.core.tool_loop import DEFAULT_MOCK_OUTPUT, call_arguments, mock_result
from playground.core.workspace import FunctionTool, Message, Workspace

PARAMS = st.sampled_from(
    [
        {"type": "object", "properties": {}},
        {"type": "object"},
        {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
            "additionalProperties": False,
        },
        {
            "type": "object",
            "properties": {"city": {"type": "string"}, "units": {"type": "string"}},
            "required": ["city", "not_a_property"],
        },
        {"type": "object", "properties": {"units": {"type": "string"}}},
        {"type": "object", "properties": {"a b": {"type": "string"}}, "required": ["a b"]},
        {"type": "object", "properties": {"class": {"type": "integer"}}},
    ]
)
KEYS = st.sampled_from(["city", "units", "x", "class", "a b", "not_a_property"])
OBJECTS = st.dictionaries(KEYS, st.integers() | st.text(max_size=5), max_size=3).map(json.dumps)
PADDING = st.sampled_from(["", " ", "\n", "\t ", "\u00a0"])
ARGUMENTS = (
    st.sampled_from(["", "{}", "  ", "\n", "null", "[]", "[1]", '"x"', "1", "{bad", "{}{}"])
    | st.tuples(PADDING, OBJECTS, PADDING).map("".join)
    | st.text(max_size=12)
)
MOCKS = st.none() | st.sampled_from(["", "  ", "\n", "pong", '{"temp_c": 21}']) | st.text()


def exported_call_tool(tools: list[FunctionTool]) -> Any:
    """The exported program's stubs, TOOLS table and call_tool, run without its client."""
    ws = Workspace(api="chat", messages=[Message(content="hi")], tools=tools)
    program = export(ws, "python-sync", None, tool_loop=True)
    lines = program.split("\n")  # not splitlines: a mock may hold U+0085 or U+2028
    head = [ln for ln in lines if ln.startswith(("import ", "from ")) and "openai" not in ln]
    start = next(i for i, ln in enumerate(lines) if ln.startswith("def "))
    end = next(i for i, ln in enumerate(lines) if ln.startswith("messages = "))
    namespace: dict[str, Any] = {}
    exec("\n".join(head + lines[start:end]), namespace)
    return namespace["call_tool"]


@settings(max_examples=300, deadline=None)
@given(
    params=st.lists(PARAMS, min_size=1, max_size=2),
    mocks=st.lists(MOCKS, min_size=2, max_size=2),
    arguments=ARGUMENTS,
    which=st.sampled_from([0, 1, "unknown_tool"]),
)
def test_the_window_and_the_exported_program_give_one_answer(
    params: list[dict[str, Any]], mocks: list[str | None], arguments: str, which: Any
) -> None:
    tools = [
        FunctionTool(name=f"tool_{i}", parameters=p, mock_output=mocks[i])
        for i, p in enumerate(params)
    ]
    name = which if isinstance(which, str) else f"tool_{min(which, len(tools) - 1)}"
    window = mock_result(tools, name, arguments)
    program = exported_call_tool(tools)(name, arguments)
    assert window == program
    tool = next((t for t in tools if t.name == name), None)
    mock = tool.mock_output if tool and tool.mock_output and tool.mock_output.strip() else None
    if window != (mock or DEFAULT_MOCK_OUTPUT):  # otherwise the model is told why, in JSON
        assert set(json.loads(window)) == {"error"}


def test_blank_and_empty_object_arguments_are_no_arguments() -> None:
    ping = FunctionTool(name="ping", mock_output="pong")
    for arguments in ("", "{}", "  ", "\n\t"):
        assert call_arguments(arguments) == {}
        assert mock_result([ping], "ping", arguments) == "pong"
    assert call_arguments("[1]") is None and call_arguments("{bad") is None


def test_an_empty_mock_output_is_the_one_default() -> None:
    for mock in (None, "", "   "):
        tool = FunctionTool(name="ping", mock_output=mock)
        assert mock_result([tool], "ping", "") == DEFAULT_MOCK_OUTPUT
        assert exported_call_tool([tool])("ping", "") == DEFAULT_MOCK_OUTPUT
    assert json.loads(DEFAULT_MOCK_OUTPUT)["ok"] is True
