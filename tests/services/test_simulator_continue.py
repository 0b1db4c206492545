"""Continue on the simulator: an input that ends with an answer cut at the output-token limit
is answered with the rest of that answer, so Continue shows what it does on a real model."""

from __future__ import annotations

import pytest

from playground.services.simulator import Simulator
from tests.conftest import run
from tests.services.test_simulator_sdk import client

QUESTION = "Explain server-sent events."


async def _chat(sim: Simulator, messages: list[dict[str, str]], limit: int) -> tuple[str, str]:
    async with client(sim) as c:
        r = await c.chat.completions.create(
            model="gpt-4o-mini", messages=messages, max_completion_tokens=limit
        )
    return r.choices[0].message.content or "", r.choices[0].finish_reason


async def _responses(sim: Simulator, items: list[dict[str, str]], limit: int) -> tuple[str, str]:
    async with client(sim) as c:
        r = await c.responses.create(
            model="gpt-4o-mini",
            input=items,
            max_output_tokens=limit,  # type: ignore[arg-type]
        )
    return r.output_text, r.status or ""


@pytest.mark.parametrize("api", ["chat", "responses"])
def test_continue_goes_on_where_the_limit_cut(simulator: Simulator, api: str) -> None:
    ask = _chat if api == "chat" else _responses
    user = {"role": "user", "content": QUESTION}
    whole, _ = run(ask(simulator, [user], 4000))
    parts = []
    history = [user]
    for _ in range(50):  # Continue until the answer is whole
        text, end = run(ask(simulator, history, 20))
        parts.append(text)
        if end not in ("length", "incomplete"):
            break
        partial = "".join(parts)
        history = [user, {"role": "assistant", "content": partial}]
    assert len(parts) > 2  # it really was cut, and continued more than once
    # the answer lists the parameters that took effect, the token limit among them
    assert "".join(parts) == whole.replace("4000", "20")
    assert whole.count("You asked:") == 1


def test_an_answer_that_is_not_a_prefix_gets_a_fresh_answer(simulator: Simulator) -> None:
    user = {"role": "user", "content": QUESTION}
    whole, _ = run(_chat(simulator, [user], 4000))
    other, _ = run(_chat(simulator, [user, {"role": "assistant", "content": "Nope."}], 4000))
    assert other == whole
