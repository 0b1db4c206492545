"""A tool_choice that names a tool the request does not send: the request builder's finding
before Run and the simulator's 400 come from one rule (core/choice_refs.py)."""

from __future__ import annotations

from typing import Any

import openai
import pytest
from hypothesis import given
from hypothesis import strategies as st

from playground.core import request
from playground.core.choice_refs import missing_tool
from playground.core.mcp_tools import McpTool
from playground.core.workspace import (
    FunctionTool,
    Message,
    ToolChoice,
    Workspace,
)
from playground.services.simulator import Simulator
from tests.conftest import run
from tests.services.test_custom_tools_sim import client


def _errors(ws: Workspace) -> list[str]:
    return [f.message for f in request.build(ws).findings if f.severity == "error"]


def _ws(choice: ToolChoice, api: str = "responses", **kw: Any) -> Workspace:
    tools = [FunctionTool(name="on"), FunctionTool(name="off", enabled=False)]
    return Workspace(
        api=api,  # type: ignore[arg-type]
        messages=[Message(content="hi")],
        tools=tools,
        tool_choice=choice,
        **kw,
    )


def test_the_window_flags_a_choice_of_a_tool_that_is_not_sent() -> None:
    assert _errors(_ws(ToolChoice(mode="function", name="on"))) == []
    assert "which is switched off" in _errors(_ws(ToolChoice(mode="function", name="off")))[0]
    allowed = ToolChoice(
        mode="allowed_tools",
        allowed=[{"type": "function", "name": "on"}, {"type": "function", "name": "off"}],
    )
    assert "tool_choice names off, which this request does not send" in _errors(_ws(allowed))[0]
    hosted = ToolChoice(mode="hosted", hosted="web_search_preview")
    assert "names web_search_preview" in _errors(_ws(hosted))[0]
    mcp = McpTool(server_label="docs", server_url="https://mcp.example.com/docs")
    by_label = ToolChoice(mode="mcp", server_label="docs")
    assert _errors(_ws(by_label, mcp_tools=[mcp])) == []
    off = mcp.model_copy(update={"enabled": False})
    assert _errors(_ws(by_label, mcp_tools=[off]))  # "tool_choice: MCP server docs is off"


def test_chat_leaves_out_a_choice_with_no_tools_and_required_needs_one() -> None:
    bare = Workspace(api="chat", messages=[Message(content="hi")], tool_choice=ToolChoice())
    built = request.build(bare)
    assert "tool_choice" not in built.kwargs
    assert any("no tools to choose from" in f.message for f in built.findings)
    required = bare.model_copy(update={"tool_choice": ToolChoice(mode="required")})
    assert "required needs a tool" in _errors(required)[0]


@pytest.mark.parametrize(
    ("api", "tools", "choice"),
    [
        ("responses", [{"type": "function", "name": "a"}], {"type": "function", "name": "b"}),
        ("chat", [], "auto"),
        ("responses", [{"type": "function", "name": "a"}], {"type": "web_search_preview"}),
        (
            "responses",
            [{"type": "function", "name": "a"}],
            {"type": "allowed_tools", "mode": "auto", "tools": [{"type": "custom", "name": "a"}]},
        ),
        ("responses", [{"type": "custom", "name": "a"}], {"type": "mcp", "server_label": "a"}),
    ],
)
def test_the_simulator_refuses_what_the_window_flags(
    simulator: Simulator, api: str, tools: list[Any], choice: Any
) -> None:
    async def go() -> Any:
        async with client(simulator) as c:
            if api == "chat":
                chat_tools = [{"type": "function", "function": t} for t in tools]
                return await c.chat.completions.create(
                    model="gpt-4.1-mini",
                    messages=[{"role": "user", "content": "hi"}],
                    tools=chat_tools or openai.omit,  # type: ignore[arg-type]
                    tool_choice=choice,
                )
            return await c.responses.create(
                model="gpt-4.1-mini", input="hi", tools=tools, tool_choice=choice
            )

    with pytest.raises(openai.BadRequestError) as refused:
        run(go())
    assert refused.value.param == "tool_choice"


names = st.sampled_from(["a", "b", "c"])
kinds = st.sampled_from(["function", "custom"])
tool_refs = st.builds(lambda k, n: {"type": k, "name": n}, kinds, names)


@given(tools=st.lists(tool_refs, max_size=4), refs=st.lists(tool_refs, min_size=1, max_size=3))
def test_a_choice_is_missing_a_tool_exactly_when_one_of_its_names_is_not_sent(
    tools: list[dict[str, str]], refs: list[dict[str, str]]
) -> None:
    sent = {(t["type"], t["name"]) for t in tools}
    absent = [r["name"] for r in refs if (r["type"], r["name"]) not in sent]
    choice = {"type": "allowed_tools", "mode": "auto", "tools": refs}
    assert missing_tool(choice, tools) == (absent[0] if absent else None)
    chat_choice = {"type": "allowed_tools", "allowed_tools": {"mode": "auto", "tools": refs}}
    assert missing_tool(chat_choice, tools) == missing_tool(choice, tools)
