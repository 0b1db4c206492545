"""Evaluate mode's earlier evaluations in the window (issue 17, items 4 "Afterwards" and 8), on
the simulator over HTTP: compare the matrix with an earlier evaluation (regressions and
improvements marked per cell, counted above the matrix), export the results as CSV or JSON
lines, and after a restart the offer to run the rest of an evaluation that stopped, which runs
only its pending cells into the same evaluation."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from playground.core.evaluation_results import Cell, compare
from playground.services.evaluation_store import EvaluationRecord, EvaluationStore
from playground.services.simulator import Scenario
from playground.ui import theme
from playground.ui.views.evaluate_compare import Earlier, counts_text
from playground.ui.views.evaluate_model import CELL_ROLE, CHANGE_ROLE, MatrixModel
from playground.ui.views.evaluate_view import EvaluateView
from tests.ui.conftest import App, new_gate
from tests.ui.test_documents import reopen
from tests.ui.test_evaluate_mode import enter, outcomes, wait_status, workspace


def store_of(app: App) -> EvaluationStore:
    services = app.window.window_runs.evaluate.services
    assert services is not None
    return services.store


def two_runs(app: App) -> EvaluateView:
    """A run (plum fails in both variants), then one where apple fails in "mini" (a
    regression) and plum passes there (an improvement)."""
    ev = enter(app, workspace(concurrency=1))  # one at a time: a's rows, then b's
    ev.run_button.click()
    wait_status(app, ev, "done")
    app.sim.enqueue(Scenario(text=["Nothing."]), Scenario(), Scenario(text=["A banana."]))
    ev.run_button.click()
    wait_status(app, ev, "done")
    return ev


def choose(app: App, ev: EvaluateView, index: int) -> None:
    """Pick the `index`th line of "Compare with…", as a user does."""
    combo = ev.earlier.earlier
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    app.qtbot.waitUntil(lambda: ev.matrix_model.earlier is not None, timeout=5000)
    app.qtbot.wait(200)  # the count line follows the matrix


def test_compare_marks_regressions_and_improvements_per_cell(app: App, qtmodeltester: Any) -> None:
    ev = two_runs(app)
    combo = ev.earlier.earlier
    app.qtbot.waitUntil(lambda: combo.count() == 2, timeout=5000)
    assert combo.itemText(0) == "Compare with…"
    assert combo.itemText(1).endswith("· 6 of 6 cells · 67% passed")  # the first run
    assert not ev.earlier.clear_button.isEnabled()
    choose(app, ev, 1)
    model = ev.matrix_model
    changes = [[model.index(r, c).data(CHANGE_ROLE) for c in range(2)] for r in range(3)]
    assert changes == [["regression", "same"], ["same", "same"], ["improvement", "same"]]
    regression, improvement, same = model.index(0, 0), model.index(2, 0), model.index(0, 1)
    assert regression.data().startswith("▼ regression  ✗ says it")
    assert improvement.data().startswith("▲ improvement  ✓ says it")
    assert same.data().startswith("✓ says it")  # unchanged: no marker
    tip = regression.data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("▼ regression: passed on ") and ", failed now" in tip.splitlines()[0]
    red = regression.data(Qt.ItemDataRole.BackgroundRole)
    green = improvement.data(Qt.ItemDataRole.BackgroundRole)
    assert red is not None and green is not None and red.name() != green.name()
    assert same.data(Qt.ItemDataRole.BackgroundRole) is None
    counts = ev.earlier.counts
    assert counts.isVisible()
    assert counts.text().endswith(": 1 regression, 1 improvement, 0 new, 4 the same")
    qtmodeltester.check(model)

    ev.earlier.clear_button.click()
    assert model.earlier is None and not counts.isVisible()
    assert model.index(0, 0).data(CHANGE_ROLE) is None
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert combo.currentIndex() == 0 and not ev.earlier.clear_button.isEnabled()


def test_a_new_run_keeps_its_comparison_and_cells_are_marked_as_they_finish(app: App) -> None:
    ev = two_runs(app)
    app.qtbot.waitUntil(lambda: ev.earlier.earlier.count() == 2, timeout=5000)
    choose(app, ev, 1)
    held = new_gate()
    pear = Scenario(text=["pear ", "pie"], gate_after=1, gate=held)
    app.sim.enqueue(Scenario(text=["Nothing."]), pear)
    ev.run_button.click()  # a third run, compared with the first as it goes
    app.qtbot.waitUntil(lambda: ev.progress.value() == 1, timeout=5000)
    app.qtbot.wait(300)
    model = ev.matrix_model
    assert model.index(0, 0).data(CHANGE_ROLE) == "regression"
    assert model.index(1, 0).data(CHANGE_ROLE) is None  # still running: no change yet
    assert ev.earlier.counts.text().endswith(": 1 regression, 0 improvements, 0 new, 0 the same")
    held.set()
    wait_status(app, ev, "done")
    app.qtbot.wait(300)
    assert ev.earlier.counts.text().endswith("1 regression, 0 improvements, 0 new, 5 the same")
    assert ev.earlier.earlier.count() == 3  # the second run is listed now too


@pytest.mark.parametrize("kind", ["csv", "jsonl"])
def test_export_results_writes_the_chosen_format(app: App, tmp_path: Path, kind: str) -> None:
    ev = enter(app, workspace())
    assert not ev.earlier.export_button.isEnabled()  # nothing has run yet
    ev.run_button.click()
    wait_status(app, ev, "done")
    app.qtbot.waitUntil(ev.earlier.export_button.isEnabled, timeout=5000)
    ev.earlier.export_button.click()
    dialog = ev.earlier.export_dialog
    app.qtbot.waitUntil(dialog.isVisible, timeout=3000)
    name = {"csv": "CSV (*.csv)", "jsonl": "JSON lines (*.jsonl)"}[kind]
    dialog.selectNameFilter(name)
    dialog.fileSelected.emit(str(tmp_path / "results"))  # the filter chooses the suffix
    dialog.close()
    target = tmp_path / f"results.{kind}"
    app.qtbot.waitUntil(target.exists, timeout=5000)
    app.qtbot.waitUntil(lambda: app.window.status.text().startswith("Exported"), timeout=5000)
    assert app.window.status.text() == f"Exported 6 cells to results.{kind}"
    text = target.read_text(encoding="utf-8")
    if kind == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
    else:
        rows = [json.loads(line) for line in text.splitlines()]
    assert len(rows) == 6
    found = {(r["variant"], r["row"]): r["outcome"] for r in rows}
    assert found[("a", "r2")] == "failed" and found[("b", "r0")] == "passed"
    assert sorted(found.values()).count("passed") == 4
    assert not list(tmp_path.glob(".results*.tmp"))  # written atomically: no leftovers


def test_an_export_that_cannot_be_written_says_why_in_words(app: App, tmp_path: Path) -> None:
    ev = enter(app, workspace())
    ev.run_button.click()
    wait_status(app, ev, "done")
    taken = tmp_path / "results.csv"
    taken.mkdir()  # a folder has the name chosen
    view = app.window.current_view
    assert view is not None
    mode = app.window.window_runs.evaluate
    task = mode.history.export(view, str(taken), "csv")
    assert task is not None
    app.qtbot.waitUntil(task.done, timeout=5000)
    assert ev.error.isVisible()  # in words: no errno, no exception's repr
    assert ev.error.text() == f"Could not save the results to {taken}: a folder has that name."
    assert taken.is_dir() and not list(tmp_path.glob(".results*"))


def stopped_after_two(app: App, path: Path) -> EvaluationRecord:
    """A saved workspace in Evaluate mode whose evaluation stopped after 2 of its 6 cells, as
    a killed app leaves it (status still "running")."""
    ev = enter(app, workspace(concurrency=1))
    docs = app.pg.documents
    assert docs is not None and docs.save_to(path)
    held = new_gate()
    app.sim.enqueue(Scenario(), Scenario(), Scenario(text=["x ", "y"], gate_after=1, gate=held))
    ev.run_button.click()
    app.qtbot.waitUntil(lambda: ev.progress.value() == 2, timeout=5000)
    ev.stop_button.click()
    wait_status(app, ev, "stopped")
    store = store_of(app)
    (record,) = store.evaluations()
    store.set_status(record.id, "running")  # as a SIGKILL leaves it
    assert record.source == str(path.resolve()) and record.cells_left == 4
    return record


def offered(app: App) -> EvaluateView:
    view = app.window.current_view
    assert view is not None
    ev = view.evaluate
    app.qtbot.waitUntil(lambda: ev.earlier.offer.isVisibleTo(ev), timeout=5000)
    return ev


def test_after_a_restart_run_the_rest_runs_only_the_pending_cells(app: App, tmp_path: Path) -> None:
    record = stopped_after_two(app, tmp_path / "ws.json")
    sent = len(app.sim.requests)
    assert sent == 3  # two finished, the third was stopped
    reopen(app)
    ev = offered(app)
    assert ev.earlier.offer_text.text() == (
        "An evaluation of this workspace stopped at 2 of 6 cells. Run the rest?"
    )
    assert outcomes(ev) == ["passed", "pending", "passed", "pending", "pending", "pending"]
    assert ev.progress.text() == "2 / 6 cells" and ev.earlier.export_button.isEnabled()
    assert ev.progress_label.text().startswith("Stopped") and ev.run_button.isEnabled()
    ev.earlier.resume_button.click()
    assert not ev.earlier.offer.isVisibleTo(ev)
    wait_status(app, ev, "done")
    assert len(app.sim.requests) == sent + 4  # only the pending cells, none twice
    rest = [b["messages"][-1]["content"] for b in app.sim.bodies()[sent:]]
    assert sorted(rest) == ["Say apple", "Say pear", "Say plum", "Say plum"]
    store = store_of(app)
    (again,) = store.evaluations()  # the same evaluation, not a new one
    cells = store.cells(record.id)
    assert again.id == record.id and again.status == "done" and len(cells) == 6
    assert all(c.attempts == 1 for c in cells)
    assert outcomes(ev).count("pending") == 0 and outcomes(ev).count("failed") == 2


def test_discard_forgets_the_stopped_evaluation(app: App, tmp_path: Path) -> None:
    stopped_after_two(app, tmp_path / "ws.json")
    sent = len(app.sim.requests)
    reopen(app)
    ev = offered(app)
    ev.earlier.discard_button.click()
    assert not ev.earlier.offer.isVisibleTo(ev)
    assert outcomes(ev) == ["pending"] * 6  # the plan again
    app.qtbot.waitUntil(lambda: not store_of(app).evaluations(), timeout=5000)
    reopen(app)  # not offered again
    app.qtbot.wait(300)
    view = app.window.current_view
    assert view is not None and not view.evaluate.earlier.offer.isVisibleTo(view.evaluate)
    assert len(app.sim.requests) == sent


def test_a_workspace_opened_outside_evaluate_mode_gets_a_notice(app: App, tmp_path: Path) -> None:
    path = tmp_path / "ws.json"
    stopped_after_two(app, path)
    docs = app.pg.documents
    assert docs is not None
    app.window.window_runs.evaluate.action.trigger()  # leave Evaluate
    assert docs.save_to(path) and app.window.ws.mode == "single"
    docs.close_tab(docs.current)  # saved: closes without asking
    assert docs.open_path(path)
    banner = app.window.banner
    app.qtbot.waitUntil(lambda: bool(banner.texts()), timeout=5000)
    assert "stopped at 2 of 6 cells" in banner.texts()[0]
    assert banner.action.text() == "Show it"
    banner.action.click()
    view = app.window.current_view
    assert view is not None and app.window.ws.mode == "evaluate"
    assert view.evaluate.earlier.offer.isVisibleTo(view.evaluate)


@given(
    st.dictionaries(
        st.tuples(st.sampled_from("ab"), st.sampled_from("xyz")),
        st.sampled_from(["pending", "passed", "failed", "error"]),
    ),
    st.dictionaries(
        st.tuples(st.sampled_from("ab"), st.sampled_from("xyz")),
        st.sampled_from(["pending", "passed", "failed", "error"]),
    ),
)
def test_the_matrix_marks_agree_with_the_stores_comparison(
    before: dict[tuple[str, str], Any], after: dict[tuple[str, str], Any]
) -> None:
    """Each cell's mark is what core.evaluation_results.compare says of it; pending cells have
    none, and the count line adds up to the finished cells."""
    old = [Cell(v, r, o) for (v, r), o in before.items()]
    new = [Cell(v, r, o) for (v, r), o in after.items()]
    expected = {(c.variant, c.row): c.change for c in compare(old, new)}
    earlier = Earlier("e-1", "1 Dec 05:10", {c.key: c.outcome for c in old})
    for cell in new:  # a pending cell is "gone" to the store, and not marked yet here
        assert earlier.change(cell) == (expected.get(cell.key) if cell.finished else None)
    line = counts_text(earlier, new)
    numbers = [int(part.split()[0]) for part in line.split(": ", 1)[1].split(", ")]
    assert sum(numbers) == sum(c.finished for c in new)


def test_the_matrix_with_a_comparison_is_a_well_behaved_model(qtmodeltester: Any) -> None:
    from playground.core.evaluation_spec import TestRow

    model = MatrixModel()
    model.reset([("a", "A")], [TestRow(id="r0"), TestRow(id="r1")], [Cell("a", "r0", "failed")])
    model.compare_with(Earlier("e-1", "then", {("a", "r0"): "passed"}))
    qtmodeltester.check(model)
    assert model.index(0, 0).data(CHANGE_ROLE) == "regression"
    assert model.index(1, 0).data(CELL_ROLE).outcome == "pending"
    model.reset([("a", "A")], [TestRow(id="r0")], [])  # a new run keeps the comparison
    assert model.earlier is not None
    qtmodeltester.check(model)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_comparison_screenshots(app: App, qapp: QApplication, dark: bool) -> None:
    """Evaluate mode at 1366x768 compared with an earlier run, for a person to look at."""
    theme.apply(qapp, dark=dark)
    app.window.resize(1366, 768)
    ev = two_runs(app)
    app.qtbot.waitUntil(lambda: ev.earlier.earlier.count() == 2, timeout=5000)
    choose(app, ev, 1)
    app.shot(app.window, f"evaluate-compare-{'dark' if dark else 'light'}")
    assert ev.earlier.counts.isVisible()


def test_resume_offer_screenshot(app: App, tmp_path: Path) -> None:
    app.window.resize(1366, 768)
    stopped_after_two(app, tmp_path / "ws.json")
    reopen(app)
    app.window.resize(1366, 768)
    app.window.show()
    offered(app)
    app.qtbot.wait(100)
    app.shot(app.window, "evaluate-resume-offer")


def test_an_evaluation_killed_with_sigkill_is_offered_and_finished_in_the_window(
    qtbot: Any, qloop: Any, simulator: Any, tmp_path: Path
) -> None:
    """`playground eval` killed mid-matrix (a real SIGKILL); the window opened on the same data
    offers the rest, and Run the rest sends exactly the cells left, into that evaluation."""
    import asyncio
    import os
    import signal
    import subprocess
    import sys
    import time

    from playground.core.workspace import Workspace
    from playground.services.keystore import KeyStore
    from playground.ui.app import Playground
    from tests.e2e.test_eval_sigkill import _cells
    from tests.services.test_keystore import MemoryKeyring

    rows = [{"id": f"r{i}", "values": {"word": f"w{i}"}} for i in range(10)]
    ws_path = tmp_path / "ws.json"
    ws_path.write_text(
        json.dumps(
            {
                "schema_version": 3,
                "profile": "Offline simulator",
                "api": "chat",
                "model": "gpt-4.1-mini",
                "mode": "evaluate",
                "messages": [{"role": "user", "content": "Say {{word}}"}],
                "test_set": {"columns": ["word"], "rows": rows},
                "graders": [{"kind": "contains", "value": "{{word}}"}],
            }
        )
    )
    env = {**os.environ, "OPENAI_API_KEY": "sk-kill", "XDG_DATA_HOME": str(tmp_path / "xdg")}
    data = tmp_path / "xdg" / "playground"
    simulator.speed = 150  # slow answers: the kill lands mid-matrix
    try:
        cli = [sys.executable, "-m", "playground", "eval", str(ws_path)]
        proc = subprocess.Popen(
            [*cli, "--base-url", simulator.base_url, "--concurrency", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(6000):  # until 3 cells were committed (at most a minute)
                if _cells(data / "evaluations.sqlite3") >= 3 or proc.poll() is not None:
                    break
                time.sleep(0.01)
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            proc.wait(10)
    finally:
        simulator.speed = None
    assert proc.returncode == -signal.SIGKILL
    store = EvaluationStore(data / "evaluations.sqlite3")
    (left,) = store.unfinished()
    kept = {c.key for c in store.cells(left.id)}
    store.close()
    assert left.source == str(ws_path.resolve()) and 0 < left.cells_left < 10

    pg = Playground(
        tmp_path / "settings.json",
        keys=KeyStore(MemoryKeyring()),
        env={},
        simulator_speed=None,
        strict=True,
        simulator=simulator,
        data_dir=data,
    )
    window = pg.open_window(Workspace(profile="Offline simulator"), path=ws_path)
    qtbot.addWidget(window)
    window.show()
    try:
        view = window.current_view
        assert view is not None and view.doc.path == ws_path.resolve()
        ev = view.evaluate
        qtbot.waitUntil(lambda: ev.earlier.offer.isVisibleTo(ev), timeout=5000)
        done = 10 - left.cells_left
        assert f"stopped at {done} of 10 cells" in ev.earlier.offer_text.text()
        assert outcomes(ev).count("passed") == done
        sent = len(simulator.requests)
        ev.earlier.resume_button.click()
        qtbot.waitUntil(lambda: ev.status == "done", timeout=10_000)
        assert len(simulator.requests) - sent == left.cells_left  # only the rest
        assert outcomes(ev) == ["passed"] * 10
        store = EvaluationStore(data / "evaluations.sqlite3")
        cells = store.cells(left.id)
        record = store.get(left.id)
        store.close()
        assert record is not None and record.status == "done" and store.unfinished() == []
        assert len(cells) == 10 and len({c.key for c in cells}) == 10
        ran_now = {c.key for c in cells} - kept
        assert len(ran_now) == left.cells_left
    finally:
        window.close()
        closing = asyncio.ensure_future(pg.aclose())
        qtbot.waitUntil(closing.done, timeout=5000)
        closing.result()
