"""How the matrix shows a comparison with an earlier evaluation: per cell a marker (text, so
it does not rest on colour alone), a background tint from the theme's accents and a tooltip
line saying what the cell was before; above the matrix, a line counting the changes.

The change of a cell is core.evaluation_results.change_of (regression: passed before, not now;
improvement: not passed before, passed now; new: the earlier evaluation has no finished cell
there). Pending cells have no change yet.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtGui import QColor

from playground.core.evaluation_results import Cell, CellOutcome, Change, change_of
from playground.services.evaluation_store import EvaluationRecord
from playground.ui.theme import accent

MARKS: dict[str, str] = {
    "regression": "▼ regression",
    "improvement": "▲ improvement",
    "new": "◆ new",
}
"""The marker a changed cell's first line starts with."""
TINTS = {"regression": "error", "improvement": "ok"}
"""The accent a cell's background is tinted with (the others are not tinted)."""
TINT_ALPHA = 56
"""Of 255: light enough that the cell's text keeps its contrast in both themes."""
SHOWN = {"passed": "passed", "failed": "failed", "error": "an error", "pending": "not run"}


@dataclass(frozen=True)
class Earlier:
    """The evaluation the matrix is compared with: its id, a label ("1 Dec 05:10"), and the
    outcome of each of its finished cells by (variant, row)."""

    id: str
    label: str
    outcomes: dict[tuple[str, str], CellOutcome]

    @classmethod
    def of(cls, record: EvaluationRecord, cells: Iterable[Cell]) -> Earlier:
        return cls(record.id, when(record.started_at), {c.key: c.outcome for c in cells})

    def change(self, cell: Cell) -> Change | None:
        """The cell's change since then; None while the cell is pending."""
        if not cell.finished:
            return None
        return change_of(self.outcomes.get(cell.key), cell.outcome)


def when(started_at: float) -> str:
    """ "1 Dec 05:10:07": an evaluation's start, local time (two runs a minute apart differ)."""
    t = time.localtime(started_at)
    return f"{t.tm_mday} {time.strftime('%b %H:%M:%S', t)}"


def record_text(record: EvaluationRecord) -> str:
    """ "1 Dec 05:10:07 · 6 of 6 cells · 67% passed": a line of the Compare with… list."""
    total = len(record.columns) * record.row_count
    rate = f"{record.cells_passed / record.cells_done:.0%} passed" if record.cells_done else ""
    parts = [when(record.started_at), f"{record.cells_done} of {total} cells", rate]
    return " · ".join(p for p in parts if p)


def mark(change: Change | None) -> str:
    return MARKS.get(change or "", "")


def tint(change: Change | None) -> QColor | None:
    name = TINTS.get(change or "")
    if name is None:
        return None
    color = QColor(accent(name))
    color.setAlpha(TINT_ALPHA)
    return color


def tip(earlier: Earlier, cell: Cell) -> str:
    """ "▼ regression: passed on 1 Dec 05:10:07, failed now" (empty for an unchanged cell)."""
    change = earlier.change(cell)
    if change is None or change == "same":
        return ""
    was = earlier.outcomes.get(cell.key)
    before = f"{SHOWN[was]} on {earlier.label}" if was else f"not in the run of {earlier.label}"
    return f"{mark(change)}: {before}, {SHOWN[cell.outcome]} now"


def counts_text(earlier: Earlier, cells: Iterable[Cell]) -> str:
    """ "Compared with 1 Dec 05:10:07: 3 regressions, 2 improvements, 1 new, 4 the same"."""
    counts = {"regression": 0, "improvement": 0, "new": 0, "same": 0}
    for cell in cells:
        change = earlier.change(cell)
        if change in counts:
            counts[change] += 1
    words = (
        ("regression", "regression", "regressions"),
        ("improvement", "improvement", "improvements"),
        ("new", "new", "new"),
        ("same", "the same", "the same"),
    )
    parts = [f"{counts[k]} {one if counts[k] == 1 else many}" for k, one, many in words]
    return f"Compared with {earlier.label}: " + ", ".join(parts)
