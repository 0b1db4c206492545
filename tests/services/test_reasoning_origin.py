"""Reasoning items stay with the server that answered with them: Send everything on another
profile leaves them out (an info finding says how many and why) and the run succeeds, where
sending them would be 404 (by id) or 400 (encrypted content sealed elsewhere); back on the
first profile they go again. A failed or stopped turn keeps no reasoning item."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from playground.core import file_inputs
from playground.core.errors import Failure, FailureKind
from playground.core.parameters import Parameters
from playground.core.profiles import ProviderProfile
from playground.core.reasoning_items import ELSEWHERE, is_reasoning
from playground.core.reducer import AssistantTurn, append_turn, kept_items
from playground.core.request import BuiltRequest
from playground.core.workspace import Message, Workspace
from playground.services.backend import OpenAIBackend
from playground.services.runs import Run, execute, fixed_key
from playground.services.simulator import Simulator
from tests.conftest import run

KEY = fixed_key("sk-test-key")
REASONING = {"type": "reasoning", "id": "rs_1", "summary": []}


@pytest.fixture
def other() -> Iterator[ProviderProfile]:
    """A second profile, on a Simulator of its own (another server, another memory)."""
    with Simulator(speed=None) as sim:
        yield ProviderProfile(name="other", kind="custom", base_url=sim.base_url, max_retries=0)


def _turn(ws: Workspace, profile: ProviderProfile) -> tuple[Run, Workspace, BuiltRequest]:
    """Run `ws` on `profile`: the run, the workspace with its answer, and the request."""
    backend = OpenAIBackend(strict=True)
    r = Run(ws, profile, owner="tab")
    built: list[BuiltRequest] = []
    r.started.connect(built.append)

    async def go() -> None:
        await execute(r, backend, KEY)
        await backend.aclose()

    run(go())
    assert r.turn is not None
    return r, append_turn(ws, r.turn, file_inputs.origin_of(profile)), built[0]


def _ask(ws: Workspace, text: str) -> Workspace:
    return ws.model_copy(update={"messages": [*ws.messages, Message(content=text)]})


def _reasoning(items: Any) -> list[dict[str, Any]]:
    return [i for i in items if isinstance(i, dict) and is_reasoning(i)]


@pytest.mark.parametrize("store", [True, False], ids=["by-id", "encrypted"])
def test_another_server_gets_no_reasoning_item_and_the_run_goes_on(
    profile: ProviderProfile, other: ProviderProfile, store: bool
) -> None:
    ws = Workspace(
        api="responses",
        model="gpt-6-luna",
        params=Parameters(store=store),
        messages=[Message(content="Hi")],
    )
    _, ws, _ = _turn(ws, profile)
    kept = [m for m in ws.messages if is_reasoning(m.item)]
    assert len(kept) == 1 and kept[0].answered_by == "test"
    assert bool((kept[0].item or {}).get("encrypted_content")) is not store
    r, moved, built = _turn(_ask(ws, "And then?"), other)
    assert r.outcome == "done", r.turn and r.turn.failure
    assert _reasoning(built.kwargs["input"]) == []
    said = [f for f in built.findings if f.code == ELSEWHERE]
    assert len(said) == 1 and said[0].severity == "info"
    assert said[0].message.startswith("1 reasoning item came from another server than 'other'")
    # back on the first profile its own items go again, the other server's do not
    _, _, back = _turn(_ask(moved, "Once more?"), profile)
    sent = [i["id"] for i in _reasoning(back.kwargs["input"])]
    assert sent == [(kept[0].item or {})["id"]]
    assert [f.code for f in back.findings if f.code == ELSEWHERE] == [ELSEWHERE]


def test_without_the_origin_the_other_server_refuses_the_item(
    profile: ProviderProfile, other: ProviderProfile
) -> None:
    """What the fix prevents: the same item sent as it is to the other server is a 404."""
    ws = Workspace(api="responses", model="gpt-6-luna", messages=[Message(content="Hi")])
    _, ws, _ = _turn(ws, profile)
    unknown = [
        m.model_copy(update={"answered_by": None, "answer_server": None}) for m in ws.messages
    ]
    r, _, _ = _turn(_ask(ws.model_copy(update={"messages": unknown}), "And then?"), other)
    assert r.outcome == "failed" and r.turn is not None and r.turn.failure is not None
    assert r.turn.failure.status == 404


def test_a_failed_or_stopped_turn_keeps_no_reasoning_item() -> None:
    failed = AssistantTurn(
        text="partial", items=(REASONING,), failure=Failure(FailureKind.CANCELLED, "cancelled")
    )
    ws = Workspace(api="responses", messages=[Message(content="Hi")])
    assert [m.item for m in append_turn(ws, failed).messages if m.item] == []
    whole = AssistantTurn(text="done", items=(REASONING,), finish_reason="stop")
    assert kept_items(whole)[0] == [REASONING]
    assert kept_items(whole, stopped=True)[0] == []
    kept = append_turn(ws, whole, ("A", "http://a/v1")).messages[1]
    assert (kept.item, kept.answered_by, kept.answer_server) == (REASONING, "A", "http://a/v1")
