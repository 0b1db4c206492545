"""Reasoning items carried over a stateless tool loop (store false): the simulator hands out
encrypted content, checks it when it comes back, and says whether the reasoning arrived."""

from __future__ import annotations

from typing import Any

import openai
import pytest

from playground.services.simulator import Simulator
from playground.services.simulator.reasoning_seal import Seal
from tests.conftest import run
from tests.services.sim_client import WEATHER_TOOL, strict_client

TOOL = WEATHER_TOOL
ASK = {"type": "message", "role": "user", "content": "What is the weather in Paris?"}


async def _first_turn(c: openai.AsyncOpenAI) -> list[dict[str, Any]]:
    """The output items of a reasoning model's tool call, as a client keeps them."""
    first = await c.responses.create(
        model="o4-mini",
        input=[ASK],
        tools=[TOOL],  # type: ignore[list-item]
        store=False,
        include=["reasoning.encrypted_content"],
    )
    return [item.model_dump(exclude_none=True) for item in first.output]


def _answer(items: list[dict[str, Any]]) -> dict[str, Any]:
    call = next(i for i in items if i["type"] == "function_call")
    return {"type": "function_call_output", "call_id": call["call_id"], "output": '{"c": 18}'}


def test_reasoning_items_come_back_in_a_stateless_tool_loop(simulator: Simulator) -> None:
    async def go() -> None:
        async with strict_client(simulator) as c:
            items = await _first_turn(c)
            reasoning = next(i for i in items if i["type"] == "reasoning")
            token = reasoning["encrypted_content"]
            assert token and "weather" not in token.lower()
            answer = await c.responses.create(
                model="o4-mini",
                input=[ASK, *items, _answer(items)],  # type: ignore[list-item]
                tools=[TOOL],  # type: ignore[list-item]
                store=False,
                include=["reasoning.encrypted_content"],
            )
            assert answer.output_text.startswith("(reasoning carried over)")
            assert simulator.requests[-1].reasoning_carried is True

            without = [i for i in items if i["type"] != "reasoning"]
            lost = await c.responses.create(
                model="o4-mini",
                input=[ASK, *without, _answer(items)],  # type: ignore[list-item]
                tools=[TOOL],  # type: ignore[list-item]
                store=False,
            )
            assert lost.output_text.startswith("(reasoning lost")
            assert simulator.requests[-1].reasoning_carried is False

    run(go())


def test_forged_or_missing_encrypted_content_is_refused(simulator: Simulator) -> None:
    async def go() -> None:
        async with strict_client(simulator) as c:
            items = await _first_turn(c)
            reasoning = next(i for i in items if i["type"] == "reasoning")
            forged = [
                {**i, "encrypted_content": Seal().seal(reasoning["id"])}
                if i["type"] == "reasoning"
                else i
                for i in items
            ]
            with pytest.raises(openai.BadRequestError) as info:
                await c.responses.create(
                    model="o4-mini",
                    input=[ASK, *forged, _answer(items)],  # type: ignore[list-item]
                    tools=[TOOL],  # type: ignore[list-item]
                    store=False,
                )
            assert info.value.code == "invalid_encrypted_content"
            assert "could not be verified" in info.value.message

            bare = [{k: v for k, v in i.items() if k != "encrypted_content"} for i in items]
            with pytest.raises(openai.NotFoundError) as missing:
                await c.responses.create(
                    model="o4-mini",
                    input=[ASK, *bare, _answer(items)],  # type: ignore[list-item]
                    tools=[TOOL],  # type: ignore[list-item]
                    store=False,
                )
            assert f"Item with id '{reasoning['id']}' not found" in missing.value.message

    run(go())


def test_encrypted_content_only_when_included(simulator: Simulator) -> None:
    async def go() -> None:
        async with strict_client(simulator) as c:
            plain = await c.responses.create(model="o4-mini", input="Hi", store=False)
            kinds = {i.type: i for i in plain.output}
            assert kinds["reasoning"].encrypted_content is None  # type: ignore[union-attr]
            with pytest.raises(openai.BadRequestError) as info:
                await c.responses.create(
                    model="o4-mini",
                    input="Hi",
                    include=["reasoning.encrypted"],  # type: ignore[list-item]
                )
            assert info.value.param == "include[0]"
            assert "'reasoning.encrypted'" in info.value.message

    run(go())


def test_a_sealed_token_opens_only_under_its_key() -> None:
    seal = Seal()
    token = seal.seal("rs_1")
    assert seal.opened(token) == "rs_1"
    assert Seal().opened(token) is None
    flipped = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]
    assert seal.opened(flipped) is None
    assert seal.opened("not base64!") is None


def test_a_stored_response_shows_encrypted_content_only_when_asked(simulator: Simulator) -> None:
    async def go() -> None:
        async with strict_client(simulator) as c:
            made = await c.responses.create(
                model="o4-mini", input="Hi", include=["reasoning.encrypted_content"]
            )
            plain = await c.responses.retrieve(made.id)
            asked = await c.responses.retrieve(made.id, include=["reasoning.encrypted_content"])
            kinds = [(i.type, getattr(i, "encrypted_content", None)) for i in plain.output]
            assert ("reasoning", None) in kinds
            token = next(i for i in asked.output if i.type == "reasoning").encrypted_content
            assert token and simulator.seal.opened(token) == made.output[0].id

    run(go())
