"""A model-graded grader's cost in the window (issue 17: "Its cost is shown and counted"):
each matrix cell shows what its grading run cost beside its own cost, and the progress's
"so far" and the summary's cost count it."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt

from playground.core.evaluation_results import Cell
from playground.core.evaluation_spec import GraderSpec
from playground.ui.views.evaluate_model import cell_text
from tests.ui.conftest import App
from tests.ui.test_evaluate_mode import enter, wait_status, workspace


def test_a_cell_shows_its_grading_cost_beside_its_own() -> None:
    cell = Cell("a", "r1", "passed", "Paris", (), 1.0, 1200.0, 5, 42, 0.00012, 0.00003)
    assert cell_text(cell).splitlines()[1] == "1.2 s · 42 tok · $0.00012 · grading $0.00003"
    plain = Cell("a", "r1", "passed", "Paris", (), 1.0, 1200.0, 5, 42, 0.00012)
    assert "grading" not in cell_text(plain)


def test_the_window_shows_and_counts_what_the_grading_runs_cost(app: App) -> None:
    rubric = GraderSpec(kind="model_graded", name="judge", rubric="Mentions “{{expected}}”.")
    ev = enter(app, workspace().model_copy(update={"graders": [rubric]}))
    ev.run_button.click()
    wait_status(app, ev, "done")
    cells = ev.matrix_model.cells()
    assert len(cells) == 6
    for cell in cells:
        assert cell.grading_cost_usd is not None and cell.grading_cost_usd > 0
    index = ev.matrix_model.index(0, 0)
    shown = ev.matrix_model.data(index, Qt.ItemDataRole.DisplayRole)
    assert f"grading ${cells[0].grading_cost_usd:.5f}" in shown
    total = sum(c.total_cost_usd or 0 for c in cells)
    so_far = re.search(r"\$([0-9.]+) so far", ev.progress_label.text())
    assert so_far is not None and float(so_far.group(1)) == round(total, 5)
    own = sum(c.cost_usd or 0 for c in cells)
    assert round(total, 5) > round(own, 5)  # more than the answers alone
    shown_costs = [float(row[-1].lstrip("$")) for row in ev.summary_model.texts()]
    mine = [sum(c.total_cost_usd or 0 for c in cells if c.variant == k) for k in ("a", "b")]
    assert shown_costs == [round(m, 5) for m in mine]
