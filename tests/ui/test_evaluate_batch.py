"""Evaluate mode on the Batch API (issue 18, part 1 in the window), on the simulator over HTTP
with its clock moved by the test (no wall-time waits): Run as batch shows the estimate, the
progress bar shows the batch's status and request counts, collected cells land on the matrix
graded and marked "batch", a variant with an unknown model lands as errors in user words,
Stop cancels, a model without the Batch API is refused at the spot, and a restart resumes."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from playground.core.evaluation_spec import GraderSpec, TestRow, TestSet
from playground.core.workspace import Message, Variant, Workspace
from playground.services.evaluation_store import EvaluationStore
from playground.ui import theme
from playground.ui.views.evaluate_view import EvaluateView
from tests.ui.conftest import App

ROWS = [("apple", "apple"), ("pear", "pear"), ("plum", "banana")]  # the last one fails


class Clock:
    """The simulator's clock; each look's wait is held until the test moves it (`step`)."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0
        self.tick = asyncio.Event()
        self.waiting = 0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, _seconds: float) -> None:
        self.waiting += 1
        try:
            await self.tick.wait()
        finally:
            self.waiting -= 1
        self.tick.clear()

    def step(self, app: App, seconds: float) -> None:
        """Move the clock on and let the poller look once more."""
        app.qtbot.waitUntil(lambda: self.waiting > 0, timeout=5000)
        self.now += seconds
        self.tick.set()


def workspace(second_model: str = "gpt-4o-mini") -> Workspace:
    return Workspace.model_validate(
        {
            "profile": "Offline simulator",
            "api": "chat",
            "model": "gpt-4o-mini",
            "messages": [Message(role="user", content="Say {{word}}").model_dump()],
            "variants": [
                Variant(key="a", name="mini", overrides={"model": "gpt-4o-mini"}).model_dump(),
                Variant(key="b", name="other", overrides={"model": second_model}).model_dump(),
            ],
            "test_set": TestSet(
                columns=["word"],
                expected=["expected"],
                rows=[
                    TestRow(id=f"r{i}", values={"word": w}, expected={"expected": e})
                    for i, (w, e) in enumerate(ROWS)
                ],
            ).model_dump(),
            "graders": [GraderSpec(kind="contains", name="says it", value="{{expected}}")],
        }
    )


def enter(app: App, ws: Workspace) -> EvaluateView:
    app.window.load(ws)
    app.window.window_runs.evaluate.action.trigger()
    view = app.window.current_view
    assert view is not None
    return view.evaluate


def on_clock(app: App, seconds: float = 100) -> Clock:
    clock = Clock()
    app.sim.clock = clock
    app.sim.batch_seconds = seconds
    controller = app.window.window_runs.evaluate.batch.controller
    assert controller is not None
    controller.sleep = clock.sleep
    return clock


def submit(app: App, ev: EvaluateView, shot: str = "") -> str:
    """Run as batch, read the confirmation, Submit; its text."""
    batch = app.window.window_runs.evaluate.batch
    ev.batch_button.click()  # the arrow beside Run opens its menu
    assert ev.batch_menu.isVisible()
    (action,) = ev.batch_menu.actions()
    assert action is ev.batch_action and action.text() == "Run as batch (half price, within 24 h)…"
    action.trigger()
    ev.batch_menu.hide()
    box = batch.confirm
    assert box is not None and box.isVisible()
    text = box.text()
    if shot:
        app.qtbot.wait(30)
        app.shot(box, shot)
    box.button(QMessageBox.StandardButton.Ok).click()
    app.qtbot.waitUntil(lambda: "validating" in ev.progress.text(), timeout=5000)
    return text


def texts(ev: EvaluateView) -> list[str]:
    m = ev.matrix_model
    return [m.data(m.index(r, c)) for r in range(m.rowCount()) for c in range(m.columnCount())]


def store_of(app: App) -> EvaluationStore:
    services = app.window.window_runs.evaluate.services
    assert services is not None
    return EvaluationStore(services.store.path)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_a_batch_is_submitted_tracked_collected_and_graded(
    app: App, qapp: QApplication, dark: bool, tmp_path: Path
) -> None:
    theme.apply(qapp, dark=dark)  # the screenshots in both themes
    look = "dark" if dark else "light"
    app.window.resize(1366, 768)
    ev = enter(app, workspace(second_model="gpt-nope-1"))  # b: a model no server knows
    clock = on_clock(app)
    said = submit(app, ev, f"evaluate-batch-confirm-{look}")
    assert said.startswith("6 requests in 2 batches")
    assert "at the batch price" in said and "interactive:" in said and "gpt-nope-1" in said
    assert ev.status == "batch" and not ev.run_button.isEnabled()
    assert not ev.batch_action.isEnabled()  # one batch evaluation at a time per tab
    assert not ev.pause_button.isEnabled() and "cannot be paused" in ev.pause_button.toolTip()
    assert ev.stop_button.isEnabled()
    assert ev.progress.text() == "Batches: 2 of 2 validating · 0/6 requests"
    assert not any(b and "messages" in b for b in app.sim.bodies())  # nothing interactive

    clock.step(app, 50)  # half way: part 1 in progress
    app.qtbot.waitUntil(lambda: "in_progress" in ev.progress.text(), timeout=5000)
    # each batch is looked at in turn; then every count is both batches'
    both = "Batches: 2 of 2 in_progress · "
    app.qtbot.waitUntil(lambda: ev.progress.text().startswith(both), timeout=5000)
    assert "part" not in ev.progress.text() and 0 < ev.progress.value() < 6
    assert texts(ev) == ["pending (in the batch)"] * 6
    assert app.window.status.text().startswith("Submitted 2 batches to the Batch API")
    app.qtbot.wait(50)
    app.shot(app.window, f"evaluate-batch-progress-{look}")

    clock.step(app, 200)  # both parts done: collected
    app.qtbot.waitUntil(lambda: ev.status in ("done", "stopped"), timeout=10_000)
    cells = ev.matrix_model.cells()  # row by row: (a r0) (b r0) (a r1) ...
    assert [c.outcome for c in cells] == ["passed", "error", "passed", "error", "failed", "error"]
    shown = texts(ev)
    assert shown[0].startswith("✓ says it\nbatch · – · ") and "$" in shown[0]
    assert "apple" in shown[0]
    assert shown[1].startswith("⚠ error: The server does not know the model")
    m = ev.matrix_model
    assert "batch price" in m.data(m.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    summary = {row[0]: row for row in ev.summary_model.texts()}
    assert summary["mini"][1] == "67%" and summary["mini"][2] == "2 ✓  1 ✗  0 ⚠  of 3"
    assert summary["mini"][3] == "–" and summary["mini"][7].startswith("$")  # no latency
    assert summary["other"][2] == "0 ✓  0 ✗  3 ⚠  of 3"
    assert ev.run_button.isEnabled() and ev.batch_action.isEnabled()
    assert ev.progress.text() == "Batches: 2 of 2 completed · 6/6 requests"
    assert ev.progress_label.text().endswith("(batch price)")
    assert app.window.status.text().startswith("Batch evaluation collected")
    app.qtbot.wait(50)
    app.shot(app.window, f"evaluate-batch-done-{look}")
    store = store_of(app)
    (record,) = store.evaluations()
    assert len(store.cells(record.id)) == 6 and record.status == "done"
    store.close()
    ev.cell_opened.emit("a", "r0")  # a double-click: no run in History to open
    assert app.window.status.text().startswith("A batch cell has no run in History")
    assert ev.earlier.export_button.isEnabled()  # Export results… writes the batch's cells
    out = tmp_path / "cells.jsonl"
    ev.earlier.export_requested.emit(str(out), "jsonl")
    app.qtbot.waitUntil(out.exists, timeout=5000)
    assert len(out.read_text().splitlines()) == 6 and "gpt-nope-1" in out.read_text()


def test_stop_cancels_the_batches_and_collects_what_they_did(app: App) -> None:
    ev = enter(app, workspace())
    clock = on_clock(app)
    submit(app, ev)
    clock.step(app, 50)
    app.qtbot.waitUntil(lambda: "in_progress" in ev.progress.text(), timeout=5000)
    assert app.window.stop_button.isEnabled()  # the window's Stop (Esc) cancels them too
    ev.stop_button.click()
    app.qtbot.waitUntil(lambda: "cancel" in ev.progress.text(), timeout=5000)
    clock.step(app, 10)  # cancelling takes a twentieth of the batch's time
    app.qtbot.waitUntil(lambda: ev.status == "stopped", timeout=10_000)
    outcomes = [c.outcome for c in ev.matrix_model.cells()]
    assert 0 < outcomes.count("pending") < 6  # what ran is collected, the rest stays pending
    assert "cancelled" in ev.progress.text()
    assert not app.window.stop_button.isEnabled() and ev.batch_action.isEnabled()


def test_a_model_without_the_batch_api_is_refused_at_the_spot(app: App) -> None:
    ev = enter(app, workspace(second_model="gpt-5-chat-latest"))
    on_clock(app)
    ev.batch_action.trigger()
    assert app.window.window_runs.evaluate.batch.confirm is None
    assert ev.error.isVisible()
    assert ev.error.text() == (
        "Cannot run as batch: the model gpt-5-chat-latest does not offer the Batch API "
        "(model catalog). Nothing was sent."
    )
    assert ev.status == "idle" and app.sim.requests == []


def quit_mid_poll(app: App, tmp_path: Path) -> Path:
    """A saved workspace whose batch is in progress when the app quits (polling stops, the
    batch goes on); the workspace's path."""
    ev = enter(app, workspace())
    path = tmp_path / "ws.json"
    docs = app.pg.documents
    assert docs is not None and docs.save_to(path)
    clock = on_clock(app)
    submit(app, ev)
    clock.step(app, 50)
    app.qtbot.waitUntil(lambda: "in_progress" in ev.progress.text(), timeout=5000)
    evaluate = app.window.window_runs.evaluate
    evaluate.batch.close()  # what quitting does
    done = asyncio.ensure_future(evaluate.batch.wait())
    app.qtbot.waitUntil(done.done, timeout=5000)
    return path


@contextmanager
def restarted(app: App, path: Path | None, sim: Any = None) -> Iterator[EvaluateView]:
    """A new app on the same data folder and simulator (or `sim`), opening `path`: its
    Evaluate view."""
    from playground.services.keystore import KeyStore
    from playground.ui.app import Playground
    from tests.services.test_keystore import MemoryKeyring

    pg = Playground(
        app.pg.data_dir.parent / "settings2.json", keys=KeyStore(MemoryKeyring()), env={},
        simulator_speed=None, strict=True, simulator=sim or app.sim, data_dir=app.pg.data_dir,
    )  # fmt: skip
    window = pg.open_window(Workspace(profile="Offline simulator"), path=path)
    app.qtbot.addWidget(window)
    window.show()
    try:
        view = window.current_view
        assert view is not None
        yield view.evaluate
    finally:
        window.close()
        closing = asyncio.ensure_future(pg.aclose())
        app.qtbot.waitUntil(closing.done, timeout=5000)
        closing.result()


def test_a_restart_resumes_the_open_batches_and_collects_them(app: App, tmp_path: Path) -> None:
    path = quit_mid_poll(app, tmp_path)
    app.sim.clock.now += 200  # type: ignore[attr-defined]  # it finished while the app was closed
    with restarted(app, path) as again:
        app.qtbot.waitUntil(lambda: again.status == "done", timeout=10_000)
        assert not again.earlier.offer.isVisibleTo(again)
        outcomes = [c.outcome for c in again.matrix_model.cells()]
        assert outcomes == ["passed", "passed", "passed", "passed", "failed", "failed"]
        assert again.progress.text() == "Batch: completed · 6/6 requests"


def test_a_restart_collects_open_batches_even_when_no_tab_shows_them(
    app: App, tmp_path: Path
) -> None:
    path = quit_mid_poll(app, tmp_path)
    (app.pg.data_dir / "session.json").unlink(missing_ok=True)  # its tab was closed
    app.sim.clock.now += 200  # type: ignore[attr-defined]
    store = store_of(app)
    (record,) = store.evaluations()
    with restarted(app, None) as other:
        assert other.matrix_model.rowCount() == 0  # no tab of that workspace
        app.qtbot.waitUntil(lambda: len(store.cells(record.id)) == 6, timeout=10_000)
        app.qtbot.waitUntil(lambda: store.get(record.id).status == "done", timeout=5000)
    assert [c.outcome for c in store.cells(record.id)].count("passed") == 4
    store.close()
    assert path.exists()


def test_batches_of_a_simulator_that_stopped_are_said_to_be_gone(app: App, tmp_path: Path) -> None:
    path = quit_mid_poll(app, tmp_path)
    from playground.services.simulator import Simulator

    fresh = Simulator(speed=None).start()  # the app's own simulator starts empty after a restart
    with restarted(app, path, fresh) as again:
        app.qtbot.waitUntil(lambda: again.status == "stopped", timeout=10_000)
        assert not again.earlier.offer.isVisibleTo(again)  # no "Run the rest" for it
        assert again.error.text().startswith(
            "The Offline simulator that ran this batch has stopped"
        )
        assert again.batch_action.isEnabled() and again.run_button.isEnabled()
    fresh.stop()
