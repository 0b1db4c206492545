"""The simulator answers from the current turn only: the tool outputs after the last user turn."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from playground.core.catalog import lookup
from playground.services.simulator import Simulator, brain
from tests.conftest import run
from tests.services.test_simulator_sdk import client

TOOLS_CHAT = [{"type": "function", "function": {"name": "get_weather", "parameters": {}}}]
TOOLS_RESP = [{"type": "function", "name": "get_weather", "parameters": {}}]


def chat_messages(turns: list[list[list[str]]], answer_last: bool = False) -> list[dict[str, Any]]:
    """turns[t][r] are the outputs of round r of turn t (one call per output)."""
    out: list[dict[str, Any]] = []
    for t, rounds in enumerate(turns):
        out.append({"role": "user", "content": f"Question {t}?"})
        for r, outputs in enumerate(rounds):
            ids = [f"call_{t}_{r}_{k}" for k in range(len(outputs))]
            calls = [
                {
                    "id": i,
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": "{}"},
                }
                for i in ids
            ]
            out.append({"role": "assistant", "content": None, "tool_calls": calls})
            out += [
                {"role": "tool", "tool_call_id": i, "content": o}
                for i, o in zip(ids, outputs, strict=True)
            ]
        if t < len(turns) - 1 or answer_last:
            out.append({"role": "assistant", "content": f"Answer {t}."})
    return out


def responses_items(turns: list[list[list[str]]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for t, rounds in enumerate(turns):
        out.append({"role": "user", "content": f"Question {t}?"})
        for r, outputs in enumerate(rounds):
            ids = [f"call_{t}_{r}_{k}" for k in range(len(outputs))]
            out += [
                {"type": "function_call", "call_id": i, "name": "get_weather", "arguments": "{}"}
                for i in ids
            ]
            out += [
                {"type": "function_call_output", "call_id": i, "output": o}
                for i, o in zip(ids, outputs, strict=True)
            ]
        if t < len(turns) - 1:
            out.append({"role": "assistant", "content": f"Answer {t}."})
    return out


def reported(answer: str) -> list[str]:
    """The tool outputs an answer reports, in order."""
    return re.findall(r"^- \*\*get_weather\*\*: `(.*)`$", answer, re.MULTILINE)


TWO_TURNS = [[['{"temp_c": 11}']], [['{"temp_c": 22}']]]


def test_second_turn_answer_reports_its_own_tool_output_both_apis(simulator: Simulator) -> None:
    async def go() -> tuple[str, str]:
        async with client(simulator) as c:
            chat = await c.chat.completions.create(
                model="gpt-4o", messages=chat_messages(TWO_TURNS), tools=TOOLS_CHAT
            )
            resp = await c.responses.create(
                model="gpt-4o", input=responses_items(TWO_TURNS), tools=TOOLS_RESP
            )
        return chat.choices[0].message.content or "", resp.output_text

    chat, resp = run(go())
    assert reported(chat) == ['{"temp_c": 22}']
    assert reported(resp) == ['{"temp_c": 22}']


def test_answer_after_previous_response_reports_this_turns_output(simulator: Simulator) -> None:
    async def go() -> str:
        async with client(simulator) as c:
            first = await c.responses.create(
                model="gpt-4o", input=responses_items([[['{"temp_c": 11}']]]), tools=TOOLS_RESP
            )
            second = await c.responses.create(
                model="gpt-4o",
                previous_response_id=first.id,
                input=responses_items([[['{"temp_c": 22}']]]),
                tools=TOOLS_RESP,
            )
        return second.output_text

    assert reported(run(go())) == ['{"temp_c": 22}']


OUTPUTS = st.integers(0, 10**6).map(lambda n: f'{{"n": {n}}}')
ROUNDS = st.lists(st.lists(OUTPUTS, min_size=1, max_size=3), min_size=0, max_size=2)
CONVERSATIONS = st.tuples(
    st.lists(ROUNDS, min_size=0, max_size=3),
    st.lists(st.lists(OUTPUTS, min_size=1, max_size=3), min_size=1, max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(conversation=CONVERSATIONS, split=st.integers(0, 50))
def test_answers_report_the_last_turns_outputs_only(
    conversation: tuple[list[list[list[str]]], list[list[str]]], split: int
) -> None:
    earlier, last = conversation
    turns = [*earlier, last]
    expected = [o for rounds in last for o in rounds]
    info = lookup("gpt-4o")
    chat = brain.read_chat({"messages": chat_messages(turns), "tools": TOOLS_CHAT})
    assert reported(brain.plan(chat, info, "chat").text()) == expected
    items = responses_items(turns)
    cut = min(split, len(items) - 1)  # earlier items come from previous responses
    resp = brain.read_responses({"input": items[cut:], "tools": TOOLS_RESP}, items[:cut])
    assert reported(brain.plan(resp, info, "responses").text()) == expected
    # once the model has answered, a new answer reports no tool outputs at all
    done = brain.read_chat({"messages": chat_messages(turns, answer_last=True)})
    assert reported(brain.plan(done, info, "chat").text()) == []
