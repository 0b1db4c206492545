"""Evaluate mode in the window (issue 17, item 4), driven as a user would, on the simulator over
HTTP: the matrix of 2 variants x 3 rows runs with a contains grader, shows its cells as they
finish and its pass rates at the end; pause, resume and stop; a cell opens its run in a tab;
the mode switch is undoable; every cell is in the evaluations store and the history."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from playground.core.evaluation_results import Cell, VariantSummary
from playground.core.evaluation_spec import GraderSpec, TestRow, TestSet
from playground.core.workspace import Message, Variant, Workspace
from playground.services.evaluation_store import EvaluationStore
from playground.services.simulator import Scenario
from playground.ui import theme
from playground.ui.views.evaluate_model import (
    CELL_ROLE,
    MatrixModel,
    SummaryModel,
    cell_text,
    cell_tip,
)
from playground.ui.views.evaluate_view import EvaluateView
from tests.ui.conftest import App, new_gate

ROWS = [("apple", "apple"), ("pear", "pear"), ("plum", "banana")]  # the last one fails


def workspace(concurrency: int = 4) -> Workspace:
    return Workspace.model_validate(
        {
            "profile": "Offline simulator",
            "api": "chat",
            "model": "gpt-4o-mini",
            "messages": [Message(role="user", content="Say {{word}}").model_dump()],
            "variants": [
                Variant(key="a", name="mini", overrides={"model": "gpt-4o-mini"}).model_dump(),
                Variant(key="b", name="warm", overrides={"params.temperature": 0.2}).model_dump(),
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
            "evaluate": {"concurrency": concurrency},
        }
    )


def enter(app: App, ws: Workspace) -> EvaluateView:
    app.window.load(ws)
    app.window.window_runs.evaluate.action.trigger()
    view = app.window.current_view
    assert view is not None and view.center.currentWidget() is view.evaluate
    return view.evaluate


def outcomes(ev: EvaluateView) -> list[str]:
    return [c.outcome for c in ev.matrix_model.cells()]


def run(app: App) -> None:
    app.qtbot.keyClick(app.window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    app.qtbot.keyRelease(app.window, Qt.Key.Key_Control)


def wait_status(app: App, ev: EvaluateView, *status: str) -> None:
    app.qtbot.waitUntil(lambda: ev.status in status, timeout=10_000)
    app.qtbot.wait(30)


def test_the_matrix_runs_shows_cells_as_they_finish_and_the_pass_rates(app: App) -> None:
    ev = enter(app, workspace(concurrency=1))  # one at a time: the order is the queue's
    assert app.window.window_runs.evaluate.action.isChecked()
    assert app.window.ws.mode == "evaluate"
    assert outcomes(ev) == ["pending"] * 6 and ev.matrix_model.columnCount() == 2
    assert ev.matrix_model.headerData(1, Qt.Orientation.Horizontal) == "warm"
    held = new_gate()
    # cells run a's rows first: the third cell (a, r2) is held after its first frame
    plain = Scenario(text=["Plain ", "answer."], gate_after=1, gate=held)
    app.sim.enqueue(Scenario(), Scenario(), plain)
    run(app)  # Ctrl+Enter runs the matrix in this mode
    app.qtbot.waitUntil(lambda: ev.progress.value() == 2, timeout=10_000)

    # the intermediate state: two cells done, one streaming, the rest pending
    assert ev.status == "running" and not ev.run_button.isEnabled() and ev.stop_button.isEnabled()
    assert ev.progress.maximum() == 6 and ev.progress.text() == "2 / 6 cells"
    cells = ev.matrix_model.cells()  # row by row: (a r0) (b r0) (a r1) (b r1) ...
    pending = ["pending"] * 3
    assert [c.outcome for c in cells] == ["passed", "pending", "passed", *pending]
    text = ev.matrix_model.data(ev.matrix_model.index(0, 0))
    assert text.startswith("✓ says it") and "apple" in text and "$" in text
    assert "so far" in ev.progress_label.text()
    assert ev.summary_model.texts()[0][1] == "100%"
    held.set()
    wait_status(app, ev, "done")

    # the final state: every cell, the pass rate per variant, the status line
    assert ev.progress.value() == 6 and outcomes(ev).count("pending") == 0
    failed = ev.matrix_model.cell(ev.matrix_model.index(2, 0))
    assert failed is not None and failed.outcome == "failed" and failed.preview == "Plain answer."
    tip = ev.matrix_model.data(ev.matrix_model.index(2, 0), Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("✗ says it:") and "banana" in tip
    summary = {row[0]: row for row in ev.summary_model.texts()}
    assert summary["mini"][1] == "67%" and summary["warm"][1] == "67%"
    assert summary["mini"][2] == "2 ✓  1 ✗  0 ⚠  of 3"
    assert all(
        row[3].endswith((" ms", " s")) and row[4].endswith((" ms", " s")) and row[7].startswith("$")
        for row in summary.values()
    )
    assert app.window.status.text().startswith("Evaluation done")
    sent = app.sim.bodies()
    assert len(sent) == 6 and {b["model"] for b in sent} == {"gpt-4o-mini"}
    assert sum(b.get("temperature") == 0.2 for b in sent) == 3
    assert {b["messages"][-1]["content"] for b in sent} == {"Say apple", "Say pear", "Say plum"}

    # saved as it ran: the store has the evaluation and its cells, each with its history run
    services = app.window.window_runs.evaluate.services
    assert services is not None
    store = EvaluationStore(services.store.path)
    (record,) = store.evaluations()
    assert record.status == "done" and len(store.cells(record.id)) == 6
    assert all(c.history_id is not None for c in store.cells(record.id))
    store.close()


def test_pause_holds_new_cells_resume_goes_on_and_esc_leaves_cells_pending(app: App) -> None:
    ev = enter(app, workspace(concurrency=1))
    held = new_gate()
    app.sim.enqueue(Scenario(text=["apple ", "pie"], gate_after=1, gate=held))
    ev.run_button.click()
    app.qtbot.waitUntil(lambda: len(app.sim.requests) == 1, timeout=5000)
    ev.pause_button.click()
    assert ev.status == "paused" and ev.pause_button.text() == "Resume"
    assert ev.progress_label.text().startswith("Paused")
    held.set()  # the running cell finishes; no new one starts
    app.qtbot.waitUntil(lambda: ev.progress.value() == 1, timeout=5000)
    app.qtbot.wait(200)
    assert len(app.sim.requests) == 1 and outcomes(ev).count("pending") == 5
    held2 = new_gate()
    app.sim.enqueue(Scenario(), Scenario(text=["x ", "y"], gate_after=1, gate=held2))
    ev.pause_button.click()  # Resume
    assert ev.status == "running" and ev.pause_button.text() == "Pause"
    app.qtbot.waitUntil(lambda: len(app.sim.requests) == 3, timeout=5000)
    menus = app.window.menus
    assert menus is not None
    assert menus.stop.isEnabled() and app.window.stop_button.isEnabled()
    assert not menus.run.isEnabled()
    menus.stop.trigger()  # Run > Stop (Esc) stops the evaluation too
    wait_status(app, ev, "stopped")
    assert ev.progress.value() == 2 and outcomes(ev).count("pending") == 4
    assert ev.run_button.isEnabled() and not ev.stop_button.isEnabled()
    assert not menus.stop.isEnabled() and not app.window.stop_button.isEnabled()
    assert app.window.status.text().startswith("Evaluation stopped, 4 left")
    services = app.window.window_runs.evaluate.services
    assert services is not None
    (record,) = services.store.evaluations()
    assert record.status == "stopped" and record.cells_left == 4


def test_a_model_graded_grader_runs_on_the_tabs_provider(app: App) -> None:
    ws = workspace()
    rubric = GraderSpec(kind="model_graded", name="judge", rubric="Mentions “{{expected}}”.")
    ev = enter(app, ws.model_copy(update={"graders": [rubric]}))
    ev.run_button.click()
    wait_status(app, ev, "done")
    bodies = app.sim.bodies()
    assert len(bodies) == 12  # 6 answers, then a grading request for each, on the simulator
    tip = ev.matrix_model.data(ev.matrix_model.index(0, 1), Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("✓ judge: The answer mentions “apple”")
    tip = ev.matrix_model.data(ev.matrix_model.index(2, 0), Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("✗ judge: The answer does not mention “banana”")
    assert [row[1] for row in ev.summary_model.texts()] == ["67%", "67%"]


def test_a_cell_opens_its_run_in_a_new_tab(app: App) -> None:
    ev = enter(app, workspace())
    ev.run_button.click()
    wait_status(app, ev, "done")
    index = ev.matrix_model.index(1, 1)  # (pear, warm)
    where = ev.matrix.visualRect(index).center()
    app.qtbot.mouseClick(ev.matrix.viewport(), Qt.MouseButton.LeftButton, pos=where)
    app.qtbot.mouseDClick(ev.matrix.viewport(), Qt.MouseButton.LeftButton, pos=where)
    docs = app.pg.documents
    assert docs is not None
    app.qtbot.waitUntil(lambda: docs.bar.count() == 2, timeout=5000)
    app.qtbot.wait(200)
    assert docs.bar.count() == 2  # one tab for one double-click
    opened = app.window.collect()
    assert opened.params.temperature == 0.2
    assert opened.variables["word"] == "pear" and opened.mode == "single"
    assert opened.messages[-1].role == "assistant" and "pear" in opened.messages[-1].text


def test_the_mode_switch_and_the_concurrency_are_undoable(app: App) -> None:
    ev = enter(app, workspace())
    action = app.window.window_runs.evaluate.action
    assert ev.concurrency.value() == 4
    ev.concurrency.setValue(7)
    assert app.window.ws.evaluate.concurrency == 7
    app.window.undo_action.trigger()
    assert app.window.ws.evaluate.concurrency == 4 and ev.concurrency.value() == 4
    app.window.undo_action.trigger()  # the mode switch
    view = app.window.current_view
    assert view is not None and app.window.ws.mode == "single"
    assert view.center.currentWidget() is view.conversation and not action.isChecked()
    app.window.redo_action.trigger()
    assert app.window.ws.mode == "evaluate" and view.center.currentWidget() is view.evaluate
    assert action.isChecked()
    ws = app.window.ws  # the idle matrix follows the test set
    more = ws.test_set.model_copy(update={"rows": [*ws.test_set.rows, TestRow(id="r9")]})
    view.doc.commit(ws.model_copy(update={"test_set": more}), "Add a row")
    assert ev.matrix_model.rowCount() == 4 and ev.progress.text() == "0 / 8 cells"
    app.window.undo_action.trigger()
    assert ev.matrix_model.rowCount() == 3
    action.trigger()  # leave
    assert app.window.ws.mode == "single"
    assert action.shortcut().toString() == "Ctrl+Shift+E" and action.statusTip()
    assert action in app.window.menus.view.menu.actions()


def test_a_tab_closed_while_its_evaluation_runs_stops_it(app: App) -> None:
    ev = enter(app, workspace(concurrency=1))
    held = new_gate()
    app.sim.enqueue(Scenario(text=["a ", "b"], gate_after=1, gate=held))
    ev.run_button.click()
    app.qtbot.waitUntil(lambda: len(app.sim.requests) == 1, timeout=5000)
    mode = app.window.window_runs.evaluate
    docs = app.pg.documents
    assert docs is not None
    docs.close_tab(docs.current)
    box = docs.close_box
    app.qtbot.waitUntil(box.isVisible, timeout=3000)
    box.button(QMessageBox.StandardButton.Discard).click()
    app.qtbot.waitUntil(lambda: not any(c.busy for c in mode._closed), timeout=5000)
    assert mode.services is not None
    (record,) = mode.services.store.evaluations()
    assert record.status == "stopped" and record.cells_left == 6
    assert len(app.sim.requests) == 1


def _cell(variant: str, row: str, outcome: Any = "passed") -> Cell:
    from playground.core.evaluation_results import CellGrade

    grades = (CellGrade(outcome == "passed", "why", "says it"),)
    return Cell(variant, row, outcome, "answer", grades, 10.0, 1200.0, 5, 7, 0.0001)


def test_the_matrix_and_summary_are_well_behaved_models(qtmodeltester: Any) -> None:
    rows = [TestRow(id=f"r{i}", values={"w": str(i)}) for i in range(3)]
    model = MatrixModel()
    qtmodeltester.check(model)
    model.reset([("a", "mini"), ("b", "warm")], rows, [_cell("a", "r0")])
    qtmodeltester.check(model)
    model.set_cell(_cell("b", "r2", "failed"))
    qtmodeltester.check(model)
    assert cell_text(model.cells()[-1]).startswith("✗ says it")
    assert "1.2 s · 7 tok · $0.00010" in cell_text(model.cells()[0])
    assert cell_tip(Cell("a", "r1")) == "Not run yet"
    summary = SummaryModel()
    s = VariantSummary(
        "a", 3, 2, 1, 1, 0, 0.5, 1200.0, 1500.0, 10, 14, 0.0002, {"says it": 0.5}, 1100.0
    )
    summary.show([s], {"a": "mini"})
    qtmodeltester.check(summary)
    assert summary.texts()[0] == [
        "mini",
        "50%",
        "1 ✓  1 ✗  0 ⚠  of 3",
        "1.2 s",
        "1.1 s",
        "1.5 s",
        "24",
        "$0.00020",
    ]


@pytest.mark.parametrize("size", [(1000, 700), (1366, 768), (1920, 1080)])
def test_evaluate_mode_fits(app: App, size: tuple[int, int]) -> None:
    ev = enter(app, workspace())
    app.window.resize(*size)
    app.qtbot.wait(50)
    controls = (ev.run_button, ev.rerun_button, ev.pause_button, ev.stop_button)
    for w in (*controls, ev.batch_button, ev.concurrency, ev.progress):
        assert w.isVisible() and w.width() >= w.minimumSizeHint().width()
        assert ev.rect().contains(w.geometry().translated(0, 0).center())
    assert ev.matrix.height() > 100 and ev.summary.height() > 40


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_evaluate_screenshots(app: App, qapp: QApplication, dark: bool) -> None:
    """Evaluate mode at 1366x768 after a run of 2 variants x 3 rows, for a person to look at."""
    theme.apply(qapp, dark=dark)
    app.window.resize(1366, 768)
    ev = enter(app, workspace())
    ev.run_button.click()
    wait_status(app, ev, "done")
    app.qtbot.wait(100)
    app.shot(app.window, f"evaluate-{'dark' if dark else 'light'}")
    assert outcomes(ev).count("failed") == 2


def test_the_progress_line_says_the_eta_and_the_cost() -> None:
    from playground.services.evaluation import Progress
    from playground.ui.views.evaluate_view import eta_text, progress_text

    assert eta_text(None) == "" and eta_text(12.4) == "ETA 12 s" and eta_text(65) == "ETA 1 min 5 s"
    running = Progress(2, 6, 30.0, 0.00042, False)
    assert progress_text(running, "running") == "ETA 30 s · $0.00042 so far"
    assert progress_text(running, "paused") == "Paused · $0.00042 so far"
    assert progress_text(Progress(6, 6, 0.0, 0.001, False), "done") == "Done · $0.00100 so far"


OUTCOMES = st.sampled_from(["pending", "passed", "failed", "error"])


@given(
    st.integers(1, 4),
    st.integers(1, 5),
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4), OUTCOMES), max_size=30),
)
def test_the_matrix_shows_the_last_cell_handed_to_each_spot(
    n_columns: int, n_rows: int, updates: list[tuple[int, int, str]]
) -> None:
    """Cells arrive in any order, some twice (a rerun): each spot shows the last one, never
    another spot's, and a cell of no spot changes nothing."""
    columns = [(f"v{i}", f"V{i}") for i in range(n_columns)]
    rows = [TestRow(id=f"r{i}") for i in range(n_rows)]
    model = MatrixModel()
    model.reset(columns, rows, [])
    last: dict[tuple[str, str], str] = {}
    for c, r, outcome in updates:
        model.set_cell(_cell(f"v{c}", f"r{r}", outcome))
        if c < n_columns and r < n_rows:
            last[(f"v{c}", f"r{r}")] = outcome
    for r in range(n_rows):
        for c in range(n_columns):
            cell = model.data(model.index(r, c), CELL_ROLE)
            assert cell.key == (f"v{c}", f"r{r}")
            assert cell.outcome == last.get(cell.key, "pending")
            assert model.data(model.index(r, c))  # every cell says something


def test_the_stop_button_stops_the_running_cell(app: App) -> None:
    ev = enter(app, workspace(concurrency=2))
    held = new_gate()
    app.sim.enqueue(*(Scenario(text=["x ", "y"], gate_after=1, gate=held) for _ in range(2)))
    ev.run_button.click()
    app.qtbot.waitUntil(lambda: len(app.sim.requests) == 2, timeout=5000)
    ev.stop_button.click()
    wait_status(app, ev, "stopped")
    assert outcomes(ev) == ["pending"] * 6 and ev.progress.text() == "0 / 6 cells"
    assert len(app.sim.requests) == 2


def test_quitting_stops_every_evaluation_and_records_it(app: App) -> None:
    """What the app's shutdown does (Playground.aclose): stop_all, then wait."""
    import asyncio

    ev = enter(app, workspace(concurrency=1))
    held = new_gate()
    app.sim.enqueue(Scenario(), Scenario(text=["x ", "y"], gate_after=1, gate=held))
    ev.run_button.click()
    app.qtbot.waitUntil(lambda: len(app.sim.requests) == 2, timeout=5000)
    mode = app.window.window_runs.evaluate
    mode.stop_all()
    waiting = asyncio.ensure_future(mode.wait())
    app.qtbot.waitUntil(waiting.done, timeout=5000)
    assert mode.services is not None
    (record,) = mode.services.store.evaluations()
    assert record.status == "stopped" and record.cells_left == 5


def test_a_row_without_a_value_is_that_cells_error_and_run_again_starts_anew(app: App) -> None:
    ws = workspace()
    rows = [*ws.test_set.rows[:2], TestRow(id="r2", values={}, expected={"expected": "x"})]
    ev = enter(
        app, ws.model_copy(update={"test_set": ws.test_set.model_copy(update={"rows": rows})})
    )
    assert app.window.run_button.isEnabled()  # the rows give {{word}} its value
    ev.run_button.click()
    wait_status(app, ev, "done")
    assert outcomes(ev)[4:] == ["error", "error"] and len(app.sim.bodies()) == 4
    text = ev.matrix_model.data(ev.matrix_model.index(2, 0))
    assert text == "⚠ error: the row has no value for {{word}}"
    assert ev.summary_model.texts()[0][2] == "2 ✓  0 ✗  1 ⚠  of 3"
    ev.run_button.click()  # again: a new evaluation, every cell pending until it runs
    assert outcomes(ev) == ["pending"] * 6 and ev.progress.text() == "0 / 6 cells"
    wait_status(app, ev, "done")
    assert len(app.sim.bodies()) == 8
    services = app.window.window_runs.evaluate.services
    assert services is not None and len(services.store.evaluations()) == 2


def test_rerun_failed_runs_only_the_failed_cells_again(app: App) -> None:
    ev = enter(app, workspace())
    assert not ev.rerun_button.isEnabled()
    ev.run_button.click()
    wait_status(app, ev, "done")
    assert outcomes(ev).count("failed") == 2 and ev.rerun_button.isEnabled()
    app.sim.enqueue(Scenario(text=["A banana."]), Scenario(text=["A banana."]))
    ev.rerun_button.click()
    assert outcomes(ev).count("pending") == 2 and outcomes(ev).count("passed") == 4
    wait_status(app, ev, "done")
    assert outcomes(ev) == ["passed"] * 6 and not ev.rerun_button.isEnabled()
    assert len(app.sim.bodies()) == 8  # 6, then the 2 failed ones
    assert [row[1] for row in ev.summary_model.texts()] == ["100%", "100%"]
    services = app.window.window_runs.evaluate.services
    assert services is not None
    (record,) = services.store.evaluations()
    cells = services.store.cells(record.id)
    assert record.status == "done" and {c.outcome for c in cells} == {"passed"} and len(cells) == 6
