"""Custom tools and tool_choice forms on the simulator, read by the real SDK in strict mode."""

from __future__ import annotations

import re
from typing import Any

import openai
import pytest
from lark import Lark

from playground.services.simulator import Simulator
from tests.conftest import run

DATE_RE = r"\d{4}-\d{2}-\d{2}"
MATH_LARK = """start: expr
?expr: term (("+" | "-") term)*
?term: NUMBER | "(" expr ")"
NUMBER: /[0-9]+/
"""
DATE_TOOL = {
    "type": "custom",
    "name": "set_date",
    "description": "Sets a date",
    "format": {"type": "grammar", "syntax": "regex", "definition": DATE_RE},
}
MATH_TOOL = {
    "type": "custom",
    "name": "calc",
    "format": {"type": "grammar", "syntax": "lark", "definition": MATH_LARK},
}
FREE_TOOL = {"type": "custom", "name": "note"}
FUNC_TOOL = {"type": "function", "name": "get_weather", "parameters": {"type": "object"}}


def client(sim: Simulator) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(
        base_url=sim.base_url,
        api_key="sk-test",
        max_retries=0,
        _strict_response_validation=True,
        timeout=5,
    )


def _responses(sim: Simulator, **kw: Any) -> Any:
    async def go() -> Any:
        async with client(sim) as c:
            return await c.responses.create(model="gpt-4.1-mini", **kw)

    return run(go())


def test_a_regex_tool_is_called_with_matching_input_in_a_stream(simulator: Simulator) -> None:
    async def go() -> list[Any]:
        async with client(simulator) as c:
            stream = await c.responses.create(
                model="gpt-4.1-mini",
                input="set_date please",
                tools=[DATE_TOOL],
                tool_choice={"type": "custom", "name": "set_date"},
                stream=True,
            )
            return [e async for e in stream]

    events = run(go())
    kinds = [e.type for e in events]
    start = kinds.index("response.output_item.added")
    assert kinds[start + 1] == "response.custom_tool_call_input.delta"
    done = kinds.index("response.custom_tool_call_input.done")
    assert kinds[done + 1] == "response.output_item.done"
    assert all(k == "response.custom_tool_call_input.delta" for k in kinds[start + 1 : done])
    whole = events[done].input
    assert whole == "".join(e.delta for e in events[start + 1 : done])
    assert re.fullmatch(DATE_RE, whole)
    item = events[done + 1].item
    assert item.type == "custom_tool_call" and item.input == whole and item.name == "set_date"
    final = events[-1].response
    assert final.output[0].type == "custom_tool_call"


def test_a_lark_tool_gets_input_its_grammar_parses(simulator: Simulator) -> None:
    resp = _responses(simulator, input="calc 1+2", tools=[MATH_TOOL], stream=False)
    call = resp.output[0]
    assert call.type == "custom_tool_call" and call.name == "calc"
    Lark(MATH_LARK).parse(call.input)


def test_the_output_of_a_custom_call_is_answered(simulator: Simulator) -> None:
    first = _responses(simulator, input="note this", tools=[FREE_TOOL])
    call = first.output[0]
    assert call.input == "note this"  # free-form: the question
    items = [
        {"role": "user", "content": "note this"},
        {"type": "custom_tool_call", "call_id": call.call_id, "name": "note", "input": call.input},
        {"type": "custom_tool_call_output", "call_id": call.call_id, "output": "noted #42"},
    ]
    second = _responses(simulator, input=items, tools=[FREE_TOOL])
    assert "noted #42" in second.output_text


def test_an_unanswered_custom_call_is_refused(simulator: Simulator) -> None:
    items = [
        {"role": "user", "content": "x"},
        {"type": "custom_tool_call", "call_id": "c1", "name": "note", "input": "x"},
    ]
    with pytest.raises(openai.BadRequestError, match="custom tool call c1"):
        _responses(simulator, input=items, tools=[FREE_TOOL])


def test_chat_custom_tools_and_forced_choice(simulator: Simulator) -> None:
    chat_tool = {
        "type": "custom",
        "custom": {
            "name": "set_date",
            "format": {"type": "grammar", "grammar": {"syntax": "regex", "definition": DATE_RE}},
        },
    }

    async def go() -> Any:
        async with client(simulator) as c:
            return await c.chat.completions.create(
                model="gpt-4.1-mini",
                messages=[{"role": "user", "content": "when?"}],
                tools=[chat_tool],
                tool_choice={"type": "custom", "custom": {"name": "set_date"}},
            )

    done = run(go())
    call = done.choices[0].message.tool_calls[0]
    assert call.type == "custom" and call.custom.name == "set_date"
    assert re.fullmatch(DATE_RE, call.custom.input)


def test_allowed_tools_required_calls_only_an_allowed_tool(simulator: Simulator) -> None:
    tools = [FUNC_TOOL, DATE_TOOL, FREE_TOOL]
    for allowed, expected in (
        ([{"type": "custom", "name": "note"}], "note"),
        ([{"type": "custom", "name": "set_date"}, {"type": "custom", "name": "note"}], "set_date"),
    ):
        choice = {"type": "allowed_tools", "mode": "required", "tools": allowed}
        # the question names get_weather, which is not allowed: it is never called
        resp = _responses(simulator, input="get_weather now", tools=tools, tool_choice=choice)
        assert [o.name for o in resp.output if o.type.endswith("call")] == [expected]


def test_chat_allowed_tools_and_a_hosted_choice(simulator: Simulator) -> None:
    async def go() -> Any:
        async with client(simulator) as c:
            return await c.chat.completions.create(
                model="gpt-4.1-mini",
                messages=[{"role": "user", "content": "weather?"}],
                tools=[
                    {"type": "function", "function": {"name": "a", "parameters": {}}},
                    {"type": "function", "function": {"name": "b", "parameters": {}}},
                ],
                tool_choice={
                    "type": "allowed_tools",
                    "allowed_tools": {
                        "mode": "required",
                        "tools": [{"type": "function", "function": {"name": "b"}}],
                    },
                },
            )

    msg = run(go()).choices[0].message
    assert [c.function.name for c in msg.tool_calls] == ["b"]
    resp = _responses(
        simulator,
        input="hi",
        tools=[FUNC_TOOL, {"type": "web_search_preview"}],
        tool_choice={"type": "web_search_preview"},
    )
    assert not [o for o in resp.output if o.type == "function_call"]


def test_a_custom_tool_on_chat_follows_the_function_tool_rule(simulator: Simulator) -> None:
    # GPT-6 Luna takes client-side tools on Chat only with reasoning_effort none (catalog):
    # a custom tool is refused for its effort, as a function tool, not as a hosted tool
    chat_tool = {"type": "custom", "custom": {"name": "note"}}

    async def go(**kw: Any) -> Any:
        async with client(simulator) as c:
            return await c.chat.completions.create(
                model="gpt-6-luna",
                messages=[{"role": "user", "content": "note this"}],
                tools=[chat_tool],  # type: ignore[list-item]
                **kw,
            )

    with pytest.raises(openai.BadRequestError) as refused:
        run(go())
    assert refused.value.param == "reasoning_effort"
    done = run(go(reasoning_effort="none"))
    assert done.choices[0].message.tool_calls[0].type == "custom"
