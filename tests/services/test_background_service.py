"""The app's background-run and conversation helpers against the simulator: a streamed
background run survives a cut connection, a restarted app picks a run up again from its
saved sequence number, cancel and polling report statuses, conversations list their items."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from playground.core.errors import FailureKind
from playground.core.events import Failed, Finished, StreamEvent, TextDelta
from playground.services import background, conversations
from playground.services.pending_runs import PendingRun, PendingRuns
from playground.services.simulator import Scenario, Simulator
from tests.conftest import run
from tests.services.sim_client import strict_client

ASK = {"model": "gpt-4o-mini", "input": "Explain resumable streams"}


def _text(events: list[StreamEvent]) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))


def test_a_followed_background_run_survives_a_dropped_connection(simulator: Simulator) -> None:
    simulator.enqueue(Scenario(truncate_after=7, delay=0.002))

    async def go() -> None:
        async with strict_client(simulator) as c:
            follower = background.Follower(c, pause_s=0.01)
            events = [e async for e in follower.start(ASK)]
            assert simulator.disconnects == 1
            assert isinstance(events[-1], Finished)
            assert follower.response_id is not None
            done = await background.poll(c, follower.response_id)
            assert done.status == "completed" and not done.active
            assert _text(events) == _text(list(done.events))
            resumed = [r for r in simulator.requests if r.method == "GET"]
            assert resumed and resumed[0].query["starting_after"] == "6"

    run(go())


def test_a_run_saved_before_a_restart_is_picked_up_again(
    simulator: Simulator, tmp_path: Path
) -> None:
    gate = threading.Event()
    simulator.enqueue(Scenario(gate_after=10, gate=gate))
    store = PendingRuns(tmp_path / "pending.json")

    async def go() -> None:
        async with strict_client(simulator) as c:
            started = await background.start(c, ASK)
            assert started.status == "queued"
            store.add(PendingRun(started.response_id, "simulator", "tab-1"))
            store.seen(started.response_id, 4)
        # the app restarts: a new client, the runs read back from the file
        (pending,) = PendingRuns(tmp_path / "pending.json").load()
        assert pending == PendingRun(started.response_id, "simulator", "tab-1", 4)
        gate.set()
        async with strict_client(simulator) as c:
            follower = background.Follower(c)
            events = [e async for e in follower.resume(pending.response_id, pending.last_sequence)]
            assert isinstance(events[-1], Finished)
            final = await background.poll(c, pending.response_id)
            assert _text(events) in _text(list(final.events))
            assert follower.last_sequence > 4
        store.remove(pending.response_id)
        assert store.load() == []

    run(go())


def test_cancel_and_wait_report_the_status(simulator: Simulator) -> None:
    gate = threading.Event()
    simulator.enqueue(Scenario(gate_after=5, gate=gate))

    async def go() -> None:
        async with strict_client(simulator) as c:
            started = await background.start(c, ASK)
            assert started.active
            cancelled = await background.cancel(c, started.response_id)
            assert cancelled.status == "cancelled" and cancelled.events == ()
            gate.set()
            other = await background.start(c, ASK)
            done = await background.wait(c, other.response_id, every_s=0.01)
            assert done.status == "completed"
            with pytest.raises(background.BackgroundError) as info:
                await background.poll(c, "resp_gone")
            assert info.value.failure.kind is FailureKind.NOT_FOUND
            with pytest.raises(background.BackgroundError) as bad:
                await background.start(c, {**ASK, "store": False})
            assert bad.value.failure.param == "store"

    run(go())


def test_a_follower_reports_an_error_as_a_failed_event(simulator: Simulator) -> None:
    async def go() -> None:
        async with strict_client(simulator) as c:
            events = [e async for e in background.Follower(c).resume("resp_gone")]
            assert len(events) == 1 and isinstance(events[0], Failed)
            assert events[0].failure.kind is FailureKind.NOT_FOUND

    run(go())


def test_conversation_helpers(simulator: Simulator) -> None:
    async def go() -> None:
        async with strict_client(simulator) as c:
            conv = await conversations.create(c, {"tab": "1"})
            assert conv.metadata == {"tab": "1"}
            await c.responses.create(
                model="gpt-4o-mini", input="Name a river", conversation=conv.id
            )
            items = await conversations.list_items(c, conv.id)
            assert [(i["type"], i["role"]) for i in items] == [
                ("message", "user"),
                ("message", "assistant"),
            ]
            assert items[0]["content"][0]["text"] == "Name a river"
            assert (await conversations.retrieve(c, conv.id)).id == conv.id
            await conversations.delete(c, conv.id)
            with pytest.raises(conversations.ConversationError) as info:
                await conversations.retrieve(c, conv.id)
            assert info.value.failure.kind is FailureKind.NOT_FOUND
            assert "Conversation with id" not in info.value.failure.message  # the app's words

    run(go())


def test_pending_runs_never_overwrite_a_newer_file(tmp_path: Path) -> None:
    path = tmp_path / "pending.json"
    path.write_text('{"schema_version": 9, "runs": []}', encoding="utf-8")
    store = PendingRuns(path)
    assert store.load() == []
    with pytest.raises(OSError, match="another version"):
        store.add(PendingRun("resp_1", "p"))
    assert "9" in path.read_text(encoding="utf-8")
