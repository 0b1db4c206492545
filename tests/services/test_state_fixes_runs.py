"""The tester's path through the state modes against the simulator: Send everything, then a
chain, then a Conversation created partway holds every turn the window shows (and more than
20 items go in batches); a model at reasoning effort none gives no reasoning item."""

from __future__ import annotations

from typing import Any

from playground.core import conversation_seed
from playground.core.parameters import Parameters
from playground.core.profiles import ProviderProfile
from playground.core.reducer import append_turn
from playground.core.workspace import Message, Workspace
from playground.services import conversations
from playground.services.backend import OpenAIBackend
from playground.services.runs import Run, execute, fixed_key
from playground.services.simulator import Simulator
from tests.conftest import run
from tests.services.sim_client import strict_client

KEY = fixed_key("sk-test-key")


def _turn(ws: Workspace, profile: ProviderProfile) -> tuple[Workspace, dict[str, Any]]:
    """Run `ws` once; the workspace with the answer appended, and the body sent."""
    backend = OpenAIBackend(strict=True)
    r = Run(ws, profile, owner="tab")
    bodies: list[Any] = []
    r.started.connect(lambda built: bodies.append(built.body))

    async def go() -> None:
        await execute(r, backend, KEY)
        await backend.aclose()

    run(go())
    assert r.outcome == "done" and r.turn is not None
    return append_turn(ws, r.turn), bodies[0]


def _ask(ws: Workspace, text: str, **update: Any) -> Workspace:
    return ws.model_copy(update={"messages": [*ws.messages, Message(content=text)], **update})


def _items(simulator: Simulator, conv: str) -> list[dict[str, Any]]:
    async def go() -> list[dict[str, Any]]:
        async with strict_client(simulator) as c:
            return await conversations.list_items(c, conv)

    return run(go())


def test_a_conversation_made_after_a_chain_holds_every_turn_shown(
    profile: ProviderProfile, simulator: Simulator
) -> None:
    ws = Workspace(api="responses", model="gpt-4.1", messages=[Message(content="First?")])
    ws, _ = _turn(ws, profile)  # Send everything
    ws, body = _turn(_ask(ws, "Second?", state="chain"), profile)
    assert body["previous_response_id"] == ws.messages[1].response_id  # chained from turn 1
    ws = _ask(ws, "Third?", state="conversation")
    seed = conversation_seed.seed(ws)

    async def make() -> str:
        async with strict_client(simulator) as c:
            return (await conversations.create(c, items=seed.items)).id

    ws = ws.model_copy(update={"conversation_id": run(make())})
    ws, body = _turn(ws, profile)
    assert body["input"] in ("Third?", [{"role": "user", "content": "Third?"}])
    said = [
        (i["role"], i["content"][0]["text"])
        for i in _items(simulator, ws.conversation_id or "")
        if i["type"] == "message" and i["role"] == "user"
    ]
    assert [t for _, t in said] == ["First?", "Second?", "Third?"]


def test_more_than_twenty_starting_items_go_in_batches(
    profile: ProviderProfile, simulator: Simulator
) -> None:
    items = [{"role": "user", "content": f"m{n}"} for n in range(45)]

    async def make() -> str:
        async with strict_client(simulator) as c:
            return (await conversations.create(c, items=items)).id

    conv = run(make())
    got = [i["content"][0]["text"] for i in _items(simulator, conv)]
    assert got == [f"m{n}" for n in range(45)]


def test_reasoning_effort_none_gives_no_reasoning_item(
    profile: ProviderProfile, simulator: Simulator
) -> None:
    ws = Workspace(api="responses", model="gpt-6-luna", messages=[Message(content="Hi")])
    none, _ = _turn(ws.model_copy(update={"params": Parameters(reasoning_effort="none")}), profile)
    assert [m.item for m in none.messages if m.item and m.item.get("type") == "reasoning"] == []
    assert len(none.messages) == 2
    medium, _ = _turn(ws, profile)
    assert len(medium.messages) == 3  # the reasoning item, then the answer
