"""Evaluate mode after and during an evaluation: a test set imported after it finished shows
its own rows pending (not the last evaluation's 5 rows and "5 / 5 cells"), the last evaluation
stays listed by "Compare with…"; the status line says what the running evaluation is doing
(not "Evaluation done · passed: …" of the last one)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from playground.core.evaluation_spec import TestRow
from playground.services.simulator import Scenario
from playground.ui.views.evaluate_status import same_plan
from tests.ui.conftest import App, new_gate
from tests.ui.test_evaluate_mode import enter, outcomes, wait_status, workspace


def five_rows(app: App):  # type: ignore[no-untyped-def]
    ws = workspace()
    rows = [TestRow(id=f"r{i}", values={"word": w}, expected={"expected": w}) for i, w in
            enumerate(["fig", "kiwi", "lime", "date", "yuzu"])]  # fmt: skip
    ws = ws.model_copy(
        update={
            "variants": [],
            "test_set": ws.test_set.model_copy(update={"rows": rows}),
        }
    )
    return enter(app, ws)


def test_an_import_after_an_evaluation_shows_the_new_rows_pending(app: App, tmp_path: Path) -> None:
    ev = five_rows(app)
    ev.run_button.click()
    wait_status(app, ev, "done")
    assert ev.progress.text() == "5 / 5 cells"
    view = app.window.current_view
    assert view is not None
    cases = tmp_path / "cases.csv"
    cases.write_text("word,expected.expected\npear,pear\nplum,plum\n", encoding="utf-8")
    app.qtbot.waitUntil(view.test_set.import_file(cases).done, timeout=5000)
    app.qtbot.wait(50)
    assert ev.matrix_model.rowCount() == 2
    assert outcomes(ev) == ["pending", "pending"]
    assert ev.progress.text() == "0 / 2 cells"
    assert ev.run_button.isEnabled() and not ev.rerun_button.isEnabled()
    assert not ev.report_button.isEnabled() and "Done" not in ev.progress_label.text()
    # the last evaluation is one to compare with now
    app.qtbot.waitUntil(lambda: ev.earlier.earlier.count() == 2, timeout=5000)
    assert ev.earlier.earlier.isEnabled()
    app.window.resize(1366, 768)
    app.shot(app.window, "evaluate-after-import")
    # a change that keeps the plan (the concurrency) keeps a finished evaluation's results
    ev.run_button.click()
    wait_status(app, ev, "done")
    view.doc.set("evaluate.concurrency", 2)
    assert outcomes(ev) == ["passed", "passed"] and ev.progress.text() == "2 / 2 cells"


def test_the_status_line_follows_the_running_evaluation(app: App) -> None:
    ev = five_rows(app)
    status = app.window.status
    ev.run_button.click()
    wait_status(app, ev, "done")
    assert status.text().startswith("Evaluation done")
    held = new_gate()
    view = app.window.current_view
    assert view is not None
    view.doc.set("evaluate.concurrency", 1)
    app.sim.enqueue(Scenario(text=["Plain ", "fig"], gate_after=1, gate=held))
    ev.run_button.click()
    app.qtbot.waitUntil(lambda: ev.status == "running", timeout=5000)
    assert status.text() == "Evaluation running  ·  0 of 5 cells"
    sent = len(app.sim.requests)
    app.qtbot.waitUntil(lambda: len(app.sim.requests) > sent, timeout=5000)  # a cell is out
    ev.pause_button.click()
    app.qtbot.waitUntil(lambda: "paused" in status.text(), timeout=5000)
    assert status.text().startswith("Evaluation paused  ·  ")
    held.set()
    app.qtbot.waitUntil(lambda: ev.progress.value() >= 1, timeout=5000)
    ev.stop_button.click()
    wait_status(app, ev, "stopped")
    assert status.text().startswith("Evaluation stopped, ") and "left" in status.text()


words = st.lists(st.sampled_from(["a", "b", "c"]), max_size=4)


@given(words, words)
def test_the_results_stay_exactly_when_the_rows_are_the_same(
    ran: list[str], now: list[str]
) -> None:
    from types import SimpleNamespace

    rows = {f"r{i}": TestRow(id=f"r{i}", values={"w": w}) for i, w in enumerate(ran)}
    evaluation = SimpleNamespace(columns=[], rows=rows)

    plan = [TestRow(id=f"r{i}", values={"w": w}) for i, w in enumerate(now)]
    assert same_plan(evaluation, [], plan) == (ran == now)  # type: ignore[arg-type]
