"""The Qt item models of Evaluate mode: the matrix (a row per test-set row, a column per
variant, a cell per run) and the summary (a row per variant). Thin adapters over
core.evaluation_results' Cell and VariantSummary: they hold no state of their own beyond
what was last handed to them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from playground.core.evaluation_results import Cell, VariantSummary
from playground.core.evaluation_spec import TestRow
from playground.ui.theme import accent
from playground.ui.views import evaluate_compare
from playground.ui.views.evaluate_compare import Earlier

Index = QModelIndex | QPersistentModelIndex
CELL_ROLE = Qt.ItemDataRole.UserRole
"""data(index, CELL_ROLE): the Cell at that index."""
CHANGE_ROLE = Qt.ItemDataRole.UserRole + 1
"""data(index, CHANGE_ROLE): the cell's change since the earlier evaluation compared with
("regression", "improvement", "new", "same"), None without a comparison or while pending."""
BATCH_NOTE = (
    "Run on the Batch API: the cost is the batch price (half the Standard price); a batch "
    "cell has no latency (it is answered within the batch's window, not while you wait)"
)
PREVIEW_SHOWN = 90
"""Characters of the answer a cell shows (the whole preview is in its tooltip)."""


def marks(cell: Cell) -> str:
    """ "✓ contains  ✗ regex": each grader's verdict."""
    return "  ".join(f"{'✓' if g.passed else '✗'} {g.grader}" for g in cell.grades)


def latency(ms: float | None) -> str:
    """ "17 ms" under a second, "1.2 s" from one on, "–" when unknown."""
    if ms is None:
        return "–"
    return f"{ms:.0f} ms" if ms < 1000 else f"{ms / 1000:.1f} s"


def figures(cell: Cell, batch: bool = False) -> str:
    """ "1.2 s · 42 tok · $0.00012 · grading $0.00003": the cell's latency, output tokens,
    its run's cost and its model-graded graders' runs' cost; a `batch` cell (run on the
    Batch API, at its price) "batch · – · 42 tok · $0.00006": it has no latency. A cell
    answered from the response cache says "cached" first and what it saved in place of its
    cost (it spent nothing): "cached · 12 ms · 42 tok · saved $0.00012"."""
    parts = ["batch", "–"] if batch else []
    if cell.cached:
        parts.append("cached")
    if cell.total_ms is not None:
        parts.append(latency(cell.total_ms))
    if cell.output_tokens is not None:
        parts.append(f"{cell.output_tokens} tok")
    if cell.cached:
        if cell.saved_usd is not None:
            parts.append(f"saved ${cell.saved_usd:.5f}")
    elif cell.cost_usd is not None:
        parts.append(f"${cell.cost_usd:.5f}")
    if cell.grading_cost_usd is not None:
        parts.append(f"grading ${cell.grading_cost_usd:.5f}")
    return " · ".join(parts)


def pending_text(batch: bool, ended: str = "") -> str:
    """A pending cell: "pending"; in a batch still out "pending (in the batch)"; in a batch
    that ended before it ran (`ended`: its status, cancelled, expired or failed) that."""
    if batch and ended:
        return f"pending (the batch was {ended} before it ran: Run the rest runs it)"
    return "pending (in the batch)" if batch else "pending"


def cell_text(cell: Cell, batch: bool = False, ended: str = "") -> str:
    """What a cell shows: pending, its error, or its verdicts, figures and answer preview."""
    if cell.outcome == "pending":
        return pending_text(batch, ended)
    if cell.outcome == "error":
        return f"⚠ error: {cell.error_message or cell.error_kind or 'no answer'}"
    answer = " ".join(cell.preview.split())
    if len(answer) > PREVIEW_SHOWN:
        answer = answer[: PREVIEW_SHOWN - 1] + "…"
    # the answer last: where the column is narrow, it is what wrapping cuts off
    lines = [marks(cell) or cell.outcome, figures(cell, batch), answer or "(no text)"]
    return "\n".join(line for line in lines if line)


def cell_tip(cell: Cell, batch: bool = False, ended: str = "") -> str:
    """The tooltip: every grader's reason, the error, and the answer's preview."""
    if cell.outcome == "pending":
        if batch and ended:
            return f"Not run: the batch was {ended} before this request ran"
        return "In the batch, not collected yet" if batch else "Not run yet"
    lines = [f"{'✓' if g.passed else '✗'} {g.grader}: {g.reason}" for g in cell.grades]
    if cell.outcome == "error":
        lines.append(f"The run failed: {cell.error_message or cell.error_kind}")
    if cell.preview:
        lines += ["", cell.preview]
    if batch:
        lines += ["", BATCH_NOTE]
        return "\n".join(lines)
    lines.append("Double-click to open this run in a new tab")
    return "\n".join(lines)


def row_title(number: int, row: TestRow) -> str:
    """ "3 · paris": the row's number and its first value (or its note)."""
    first = next(iter(row.values.values()), "") or row.note
    first = " ".join(first.split())
    return f"{number} · {first[:24]}" if first else str(number)


class MatrixModel(QAbstractTableModel):
    """Rows: the test set's rows; columns: the variants (or "base"); data: the cells."""

    def __init__(self) -> None:
        super().__init__()
        self._columns: list[tuple[str, str]] = []
        self._rows: list[TestRow] = []
        self._cells: dict[tuple[str, str], Cell] = {}
        self._where: dict[tuple[str, str], tuple[int, int]] = {}
        self.earlier: Earlier | None = None
        """The evaluation compared with (evaluate_compare.py); kept when the matrix resets."""
        self.batch = False
        """The cells are (or will be) answered by the Batch API (see `reset`)."""
        self.ended = ""
        """A batch matrix whose batches ended before every cell ran: how (e.g. "cancelled")."""

    def compare_with(self, earlier: Earlier | None) -> None:
        """Mark each cell's change since `earlier` (None: no comparison)."""
        self.earlier = earlier
        if self._rows and self._columns:
            last = self.index(len(self._rows) - 1, len(self._columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def reset(
        self,
        columns: Sequence[tuple[str, str]],
        rows: Sequence[TestRow],
        cells: Sequence[Cell],
        batch: bool = False,
        ended: str = "",
    ) -> None:
        """A new matrix: (key, title) per column, the rows, the cells known (others pending);
        `batch`: its cells are answered by the Batch API; `ended`: see `end_batch`."""
        self.beginResetModel()
        self.batch, self.ended = batch, ended
        self._columns, self._rows = list(columns), list(rows)
        self._cells = {c.key: c for c in cells}
        self._where = {
            (key, row.id): (r, c)
            for r, row in enumerate(self._rows)
            for c, (key, _title) in enumerate(self._columns)
        }
        self.endResetModel()

    def of_batch(self, cell: Cell) -> bool:
        """The cell was (or will be) answered by the Batch API: a batch matrix's cell that has
        no run in History (one "Run the rest" ran interactively has)."""
        return self.batch and cell.history_id is None

    def at(self, key: str, row: str) -> Cell:
        """The cell (key, row): pending when none was handed in."""
        return self._cells.get((key, row), Cell(key, row))

    def end_batch(self, ended: str) -> None:
        """The batches ended (`ended`: how, e.g. "cancelled"; "" all of them completed):
        the pending cells say they will not be answered."""
        self.ended = ended
        if self._rows and self._columns:
            last = self.index(len(self._rows) - 1, len(self._columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def set_cell(self, cell: Cell) -> None:
        """A cell changed (it finished): redraw it."""
        where = self._where.get(cell.key)
        if where is None:
            return
        self._cells[cell.key] = cell
        index = self.index(*where)
        self.dataChanged.emit(index, index)

    def cell(self, index: Index) -> Cell | None:
        if not index.isValid():
            return None
        key = self._columns[index.column()][0]
        row = self._rows[index.row()].id
        return self._cells.get((key, row), Cell(key, row))

    def handed(self) -> list[Cell]:
        """The cells handed in so far (finished ones among them), without the pending rest:
        cheap at 10,000 rows."""
        return list(self._cells.values())

    def cells(self) -> list[Cell]:
        """Every cell, pending ones included, row by row."""
        out = []
        for r in range(len(self._rows)):
            for c in range(len(self._columns)):
                cell = self.cell(self.index(r, c))
                assert cell is not None
                out.append(cell)
        return out

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        cell = self.cell(index)
        if cell is None:
            return None
        change = self.earlier.change(cell) if self.earlier is not None else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            marked = evaluate_compare.mark(change)
            text = cell_text(cell, self.of_batch(cell), self.ended)
            return f"{marked}  {text}" if marked else text
        if role == Qt.ItemDataRole.ToolTipRole:
            was = evaluate_compare.tip(self.earlier, cell) if self.earlier is not None else ""
            tip = cell_tip(cell, self.of_batch(cell), self.ended)
            return f"{was}\n{tip}" if was else tip
        if role == Qt.ItemDataRole.BackgroundRole:
            return evaluate_compare.tint(change)
        if role == CHANGE_ROLE:
            return change
        if role == Qt.ItemDataRole.ForegroundRole:
            tint = {"passed": "ok", "failed": "error", "error": "warning", "pending": "muted"}
            return accent(tint[cell.outcome])
        if role == CELL_ROLE:
            return cell
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self._columns):
                key, title = self._columns[section]
                return title if role == Qt.ItemDataRole.DisplayRole else f"Variant {key}"
            return None
        if 0 <= section < len(self._rows):
            row = self._rows[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return row_title(section + 1, row)
            values = "\n".join(f"{k} = {v}" for k, v in row.values.items())
            return "\n".join(part for part in (values, row.note) if part) or f"Row {section + 1}"
        return None


SUMMARY_HEADERS = (
    ("Variant", "The variant (its name, or its key)"),
    ("Pass rate", "Passed cells out of the finished ones"),
    ("Cells", "Passed ✓, failed ✗ and errors ⚠, of all the variant's cells"),
    ("Mean", "Mean latency (total time) of the cells that answered"),
    ("Median", "Median latency (total time) of the cells that answered"),
    ("p95", "95th percentile latency (nearest rank)"),
    ("Tokens", "Input + output tokens of the finished cells"),
    ("Cost", "US dollars of the finished cells"),
)


def summary_row(s: VariantSummary, title: str) -> list[str]:
    """The summary table's texts for one variant (SUMMARY_HEADERS's order)."""
    rate = "–" if s.pass_rate is None else f"{s.pass_rate:.0%}"
    return [
        title,
        rate,
        f"{s.passed} ✓  {s.failed} ✗  {s.errors} ⚠  of {s.cells}",
        latency(s.mean_ms),
        latency(s.median_ms),
        latency(s.p95_ms),
        f"{s.input_tokens + s.output_tokens:,}",
        "–" if s.cost_usd is None else f"${s.cost_usd:.5f}",
    ]


class SummaryModel(QAbstractTableModel):
    """A row per variant: pass rate, latency, tokens, cost (core.evaluation_results)."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[list[str]] = []
        self._tips: list[str] = []

    def show(self, summaries: Sequence[VariantSummary], titles: dict[str, str]) -> None:
        self.beginResetModel()
        self._rows = [summary_row(s, titles.get(s.variant, s.variant)) for s in summaries]
        self._tips = [
            "\n".join(f"{grader}: {rate:.0%} passed" for grader, rate in s.per_grader.items())
            for s in summaries
        ]
        self.endResetModel()

    def texts(self) -> list[list[str]]:
        return [list(r) for r in self._rows]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(SUMMARY_HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tips[index.row()] or SUMMARY_HEADERS[index.column()][1]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(SUMMARY_HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return SUMMARY_HEADERS[section][0]
        if role == Qt.ItemDataRole.ToolTipRole:
            return SUMMARY_HEADERS[section][1]
        return None
