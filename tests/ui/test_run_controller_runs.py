"""The run controller holds many Runs at once (issue 15): each with its own events, figures,
cancel and outcome; starting one never cancels another; runs beyond a provider's limit wait."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import qasync

from playground.core.events import TextDelta
from playground.core.profiles import ProviderProfile
from playground.core.workspace import Message, Workspace
from playground.services.backend import OpenAIBackend
from playground.services.connection import Connections
from playground.services.history import HistoryStore
from playground.services.keystore import KeyStore
from playground.services.runs import Run
from playground.services.simulator import Scenario, Simulator
from playground.ui.controllers.run_controller import RunController
from tests.services.test_keystore import MemoryKeyring
from tests.ui.conftest import new_gate

SIM = ProviderProfile(name="Offline simulator", kind="simulator")


def workspace(question: str) -> Workspace:
    return Workspace(
        profile=SIM.name,
        api="chat",  # frames counted by gate_after: the first piece is the second frame
        model="gpt-4o-mini",
        messages=[Message(role="user", content=question)],
    )


class Recorder:
    """What the controller and each run announced, in order."""

    def __init__(self, runs: RunController) -> None:
        self.log: list[tuple[str, Any]] = []
        self.batches: dict[str, list[list[Any]]] = {}
        runs.run_added.connect(self._added)
        runs.run_ended.connect(lambda r: self.log.append(("ended", r.id)))
        runs.busy_changed.connect(lambda b: self.log.append(("busy", b)))

    def _added(self, run: Run) -> None:
        self.log.append(("added", run.id))
        mine = self.batches.setdefault(run.id, [])
        run.events_received.connect(mine.append)

    def text(self, run: Run) -> str:
        """The text this run's own signal delivered (not the run's record of it)."""
        return "".join(
            e.text for batch in self.batches[run.id] for e, _ in batch if isinstance(e, TextDelta)
        )


@pytest.fixture
def controller(
    qloop: qasync.QEventLoop, qtbot: Any, simulator: Simulator, tmp_path: Path
) -> Iterator[RunController]:
    backend = OpenAIBackend(strict=True)
    connections = Connections(KeyStore(MemoryKeyring()), {}, None, simulator)
    history = HistoryStore(tmp_path / "history.sqlite3")
    runs = RunController(backend, connections, history=history, per_provider=2)
    yield runs
    runs.stop()
    waiting = asyncio.ensure_future(runs.wait())
    qtbot.waitUntil(waiting.done, timeout=5000)
    closing = asyncio.ensure_future(backend.aclose())
    qtbot.waitUntil(closing.done, timeout=5000)
    history.close()


def hold(simulator: Simulator, qtbot: Any, runs: RunController, owner: str, pieces: list[str]):
    """Start a run whose stream is held after its first piece; (run, gate)."""
    gate = new_gate()
    simulator.enqueue(Scenario(text=pieces, gate_after=2, gate=gate))
    run = runs.start(workspace(f"from {owner}"), SIM, owner=owner)
    qtbot.waitUntil(lambda: any(isinstance(e, TextDelta) for e, _ in run.events), timeout=5000)
    return run, gate


def test_two_gated_runs_one_stopped_one_finished(
    controller: RunController, simulator: Simulator, qtbot: Any
) -> None:
    seen = Recorder(controller)
    a, gate_a = hold(simulator, qtbot, controller, "tab-a", ["apple ", "banana ", "cherry"])
    b, gate_b = hold(simulator, qtbot, controller, "tab-b", ["one ", "two ", "three"])
    # the intermediate state: both live, each showing its own first piece
    assert controller.runs() == [a, b] and controller.busy
    assert controller.busy_for("tab-a") and controller.busy_for("tab-b")
    qtbot.waitUntil(lambda: seen.text(a) == "apple " and seen.text(b) == "one ", timeout=2000)

    controller.stop("tab-a")
    qtbot.waitUntil(lambda: not controller.busy_for("tab-a"), timeout=5000)
    assert a.outcome == "stopped" and b.outcome == "running"
    assert controller.busy and controller.runs() == [b]
    gate_b.set()
    qtbot.waitUntil(lambda: not controller.busy, timeout=5000)
    gate_a.set()

    assert (a.outcome, b.outcome) == ("stopped", "done")
    assert seen.text(a) == "apple " and a.turn is not None and a.turn.text == "apple "
    assert seen.text(b) == "one two three" and b.turn is not None and b.turn.text == seen.text(b)
    assert seen.log == [
        ("added", a.id),
        ("busy", True),
        ("added", b.id),
        ("ended", a.id),
        ("ended", b.id),
        ("busy", False),
    ]
    fa, fb = a.figures(), b.figures()
    assert fa.output_tokens == 1 and fb.output_tokens is not None and fb.output_tokens > 1
    assert fa.input_tokens is None and fa.cost_usd is None  # stopped before its usage came
    assert fb.input_tokens is not None and fb.cost_usd is not None and fb.tokens_per_s
    assert fa.ttft_ms is not None and fb.ttft_ms is not None and fa.ttft_ms != fb.ttft_ms


def test_starting_a_run_never_cancels_another(
    controller: RunController, simulator: Simulator, qtbot: Any
) -> None:
    first, gate1 = hold(simulator, qtbot, controller, "tab", ["first ", "answer"])
    second, gate2 = hold(simulator, qtbot, controller, "tab", ["second ", "answer"])
    assert first.outcome == second.outcome == "running"
    assert controller.runs("tab") == [first, second] and controller.runs("other") == []
    gate2.set()
    qtbot.waitUntil(lambda: second.outcome == "done", timeout=5000)
    assert first.outcome == "running"
    gate1.set()
    qtbot.waitUntil(lambda: not controller.busy, timeout=5000)
    assert first.turn is not None and first.turn.text == "first answer"
    assert second.turn is not None and second.turn.text == "second answer"


def test_runs_beyond_the_provider_limit_wait_then_run(
    controller: RunController, simulator: Simulator, qtbot: Any
) -> None:
    a, gate_a = hold(simulator, qtbot, controller, "t", ["a1 ", "a2"])
    b, gate_b = hold(simulator, qtbot, controller, "t", ["b1 ", "b2"])
    simulator.enqueue(Scenario(text=["c1 ", "c2"]))
    c = controller.start(workspace("third"), SIM, owner="t")  # the limit here is 2
    qtbot.wait(150)
    assert c.waiting and c.outcome == "running" and not c.events and c.body is None
    assert len(simulator.requests) == 2 and controller.runs() == [a, b, c]
    gate_a.set()
    qtbot.waitUntil(lambda: c.outcome == "done", timeout=5000)
    assert c.turn is not None and c.turn.text == "c1 c2" and b.outcome == "running"
    gate_b.set()
    qtbot.waitUntil(lambda: not controller.busy, timeout=5000)
    assert [r.outcome for r in (a, b, c)] == ["done", "done", "done"]


def test_the_variant_runs_of_a_compare_share_a_group_id_in_history(
    controller: RunController, simulator: Simulator, qtbot: Any
) -> None:
    ids: list[int] = []
    controller.recorded.connect(ids.append)
    simulator.enqueue(Scenario(text=["left"]), Scenario(text=["right"]))
    left = controller.start(workspace("q"), SIM, owner="tab", group="g-1", variant="A")
    right = controller.start(workspace("q"), SIM, owner="tab", group="g-1", variant="B")
    alone = controller.start(workspace("q"), SIM, owner="tab")
    qtbot.waitUntil(lambda: len(ids) == 3, timeout=5000)
    assert (left.variant, right.variant, left.group) == ("A", "B", "g-1")
    assert controller._history is not None
    groups = sorted(str(r.group_id) for r in controller._history.search())
    assert groups == ["None", "g-1", "g-1"] and alone.group is None
