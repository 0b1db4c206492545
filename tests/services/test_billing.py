"""The cost of a run as the history, the window and the CLI show it: the tier the response
reported and the cache writes it counted, read off the real SDK's objects over real HTTP."""

from __future__ import annotations

import json
from datetime import date

import pytest

from playground.core import catalog
from playground.core.cost import cost
from playground.core.events import Usage
from playground.core.profiles import ProviderProfile
from playground.core.reducer import AssistantTurn, TurnAccumulator
from playground.core.workspace import Message, Parameters, Workspace
from playground.services.backend import OpenAIBackend
from playground.services.history import record_of
from playground.services.simulator import Scenario, Simulator
from tests.conftest import run

MODEL = "gpt-6-luna"  # the stand-in catalog's entry with tiers (batch/flex 0.5, priority 2)


def turn_of(ws: Workspace, profile: ProviderProfile) -> AssistantTurn:
    async def go() -> AssistantTurn:
        backend = OpenAIBackend(strict=True)
        acc = TurnAccumulator()
        try:
            async for event in backend.run(ws, profile, "sk-test"):
                acc.apply(event)
        finally:
            await backend.aclose()
        return acc.turn()

    return run(go())


def ws(api: str, stream: bool, tier: str | None) -> Workspace:
    return Workspace(
        api=api,  # type: ignore[arg-type]
        model=MODEL,
        stream=stream,
        messages=[Message(role="user", content="What does a service tier change?")],
        params=Parameters(service_tier=tier),
    )


@pytest.mark.parametrize("api", ["responses", "chat"])
@pytest.mark.parametrize("stream", [True, False])
@pytest.mark.parametrize(
    ("asked", "reported", "factor"),
    [(None, "default", 1.0), ("flex", "flex", 0.5), ("fast", "priority", 2.0)],
)
def test_the_history_prices_the_tier_the_response_reported(
    profile: ProviderProfile,
    api: str,
    stream: bool,
    asked: str | None,
    reported: str,
    factor: float,
) -> None:
    workspace = ws(api, stream, asked)
    turn = turn_of(workspace, profile)
    u = turn.usage
    assert u is not None and u.service_tier == reported
    record = record_of(workspace, {}, turn, False, "test")
    info = catalog.lookup(MODEL)
    standard = cost(info, Usage(u.input_tokens, u.cached_tokens, u.output_tokens))
    assert standard is not None and record.cost is not None
    assert record.cost == pytest.approx(standard.total * factor)
    assert date.fromtimestamp(record.started_at) == date.today()


def _completed(usage: dict[str, object], tier: str) -> bytes:
    response = {
        "id": "resp_1",
        "object": "response",
        "created_at": 1764460800,
        "status": "completed",
        "model": MODEL,
        "output": [
            {
                "id": "msg_1",
                "type": "message",
                "status": "completed",
                "role": "assistant",
                "content": [{"type": "output_text", "text": "Hi", "annotations": []}],
            }
        ],
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
        "service_tier": tier,
        "usage": usage,
    }
    events = [
        {"type": "response.created", "sequence_number": 0, "response": {**response, "output": []}},
        {
            "type": "response.output_text.delta",
            "sequence_number": 1,
            "delta": "Hi",
            "item_id": "msg_1",
            "output_index": 0,
            "content_index": 0,
            "logprobs": [],
        },
        {"type": "response.completed", "sequence_number": 2, "response": response},
    ]
    return "".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n" for e in events).encode()


def test_cache_writes_and_tier_are_read_from_the_response(
    simulator: Simulator, profile: ProviderProfile
) -> None:
    usage = {
        "input_tokens": 1000,
        "input_tokens_details": {"cached_tokens": 200, "cache_write_tokens": 700},
        "output_tokens": 10,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": 1010,
    }
    simulator.enqueue(Scenario(raw_sse=_completed(usage, "priority")))
    turn = turn_of(ws("responses", True, "priority"), profile)
    assert turn.usage == Usage(1000, 200, 10, 0, 700, "priority")
    info = catalog.lookup(MODEL)
    price = info.price
    assert price is not None and price.cache_write is not None
    billed = record_of(ws("responses", True, "priority"), {}, turn, False, "t").cost
    expected = (
        (
            100 * price.input
            + 200 * price.cached_input
            + 700 * price.cache_write  # type: ignore[operator]
            + 10 * price.output
        )
        * 2
        / 1e6
    )
    assert billed == pytest.approx(expected)
