"""Evaluate mode's center pane: Run, Pause/Resume, Stop and the concurrency; a progress bar
with done/total, the ETA and the cost so far; the matrix (a row per test-set row, a column per
variant) and the summary per variant. A dumb widget: it raises intents as signals and shows
what it is handed; EvaluateMode (evaluate_mode.py) runs the evaluation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground.core.evaluation_results import Cell, VariantSummary
from playground.core.evaluation_spec import MAX_CONCURRENCY, TestRow
from playground.services.evaluation import Progress
from playground.ui.theme import accent
from playground.ui.views.evaluate_bar import EvaluationBar
from playground.ui.views.evaluate_model import MatrixModel, SummaryModel
from playground.ui.widgets.eval_charts import ResultsTabs

RUN_KEYS = "Ctrl+Enter"
BATCH_TEXT = "Run as batch (half price, within 24 h)…"
BATCH_TIP = "Send every cell to the Batch API: half the price, answered within 24 hours"
NO_PAUSE = "A batch cannot be paused: the Batch API runs it on its own schedule (Stop cancels it)"


def eta_text(seconds: float | None) -> str:
    """ "ETA 1 min 5 s", "ETA 12 s", or "" before any cell finished."""
    if seconds is None:
        return ""
    whole = round(seconds)
    minutes, rest = divmod(whole, 60)
    return f"ETA {minutes} min {rest} s" if minutes else f"ETA {rest} s"


def progress_text(progress: Progress, status: str) -> str:
    """ "ETA 12 s · $0.00042 so far" (and the run's state when it is not running)."""
    parts = [] if status == "running" else [status.capitalize()]
    if status == "running" and progress.done < progress.total:
        parts.append(eta_text(progress.eta_s))
    parts.append(f"${progress.cost_usd:.5f} so far")
    return " · ".join(p for p in parts if p)


def _named(widget: QWidget, name: str, tip: str) -> None:
    widget.setAccessibleName(name)
    widget.setAccessibleDescription(tip)
    widget.setToolTip(tip)


class EvaluateView(QWidget):
    """See the module docstring."""

    run_requested = Signal()
    rerun_requested = Signal()
    """Run the failed and errored cells of the last evaluation again."""
    pause_requested = Signal(bool)
    """True: pause; False: resume."""
    stop_requested = Signal()
    concurrency_changed = Signal(int)
    report_requested = Signal()
    """Export the last evaluation as an HTML report (evaluate_report.py)."""
    cell_opened = Signal(str, str)
    """(variant key, row id): open that cell's run in a new tab."""
    batch_requested = Signal()
    """Run the matrix on the Batch API (after the estimate is confirmed)."""
    look_again_requested = Signal()
    """Look at the tab's batches again (tracking stopped on an error)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = "idle"
        self.run_button = QPushButton("Run")
        tip = f"Run every variant on every row ({RUN_KEYS})"
        _named(self.run_button, "Run the evaluation", tip)
        # Run's other way, in a menu beside it (the row has no room for another button)
        self.batch_action = QAction(BATCH_TEXT, self)
        self.batch_action.setToolTip(BATCH_TIP)
        self.batch_action.setStatusTip(BATCH_TIP)
        self.batch_button = QToolButton()
        self.batch_button.setArrowType(Qt.ArrowType.DownArrow)
        self.batch_menu = QMenu(self.batch_button)
        self.batch_menu.addAction(self.batch_action)
        self.batch_button.clicked.connect(self._on_batch_button_clicked)  # no 2nd arrow
        _named(self.batch_button, "Other ways to run", f"Other ways to run: {BATCH_TEXT}")
        self.rerun_button = QPushButton("Rerun failed")
        _named(
            self.rerun_button,
            "Rerun failed cells",
            "Run the failed cells and the cells in error of this evaluation again",
        )
        self.report_button = QPushButton("Export report…")
        _named(
            self.report_button,
            "Export report",
            "Save this evaluation as one HTML page to share: summary, charts, matrix, requests",
        )
        self.pause_button = QPushButton("Pause")
        _named(self.pause_button, "Pause", "Start no new cell; the running ones finish")
        self.stop_button = QPushButton("Stop")
        _named(self.stop_button, "Stop the evaluation", "Stop; unfinished cells stay pending")
        self.concurrency = QSpinBox()
        self.concurrency.setRange(1, MAX_CONCURRENCY)
        _named(
            self.concurrency,
            "Concurrency",
            "Requests in flight at once, per provider (saved with the workspace; undoable)",
        )
        self.concurrency.setPrefix("× ")
        concurrency_label = QLabel("Concurrency")
        concurrency_label.setBuddy(self.concurrency)
        self.progress = QProgressBar()
        self.progress.setFormat("%v / %m cells")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        _named(self.progress, "Progress", "Cells finished out of all cells")
        self.progress_label = QLabel("")
        self.progress_label.setAccessibleName("Time left and cost so far")
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.error.setStyleSheet(f"color: {accent('error').name()}")
        self.look_again = QPushButton("Look again")
        self.look_again.setVisible(False)
        _named(self.look_again, "Look again", "Look at this evaluation's batches again")
        self.held = ""
        """Why Run, Run as batch and Rerun failed wait ("" when they do not): batches out."""
        self._tips: dict[Any, str] = {}
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        buttons = (self.run_button, self.batch_button, self.rerun_button)
        for w in (*buttons, self.pause_button, self.stop_button):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.report_button)
        meter = QHBoxLayout()  # a line of its own: the center pane may be narrow
        meter.setContentsMargins(0, 0, 0, 0)
        meter.addWidget(concurrency_label)
        meter.addWidget(self.concurrency)
        meter.addWidget(self.progress, 1)
        meter.addWidget(self.progress_label)
        self.matrix_model = MatrixModel()
        self.matrix = QTableView()
        self.matrix.setModel(self.matrix_model)
        _named(
            self.matrix,
            "Evaluation matrix",
            "A row per test case, a column per variant; double-click a cell to open its run",
        )
        self.matrix.setWordWrap(True)
        self.matrix.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.matrix.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.matrix.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        rows = self.matrix.verticalHeader()  # four lines a cell, fixed: fast at 10,000 rows
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().lineSpacing() * 4 + 10)
        for corner in self.matrix.findChildren(QAbstractButton):  # the select-all corner
            _named(corner, "Select every cell", "Select every cell of the matrix")
        # a double-click, or Enter (the style's activation): one signal, so one tab per cell
        self.matrix.activated.connect(self._on_activated)
        self.summary_model = SummaryModel()
        self.summary = QTableView()
        self.summary.setModel(self.summary_model)
        _named(
            self.summary,
            "Summary per variant",
            "Pass rate, mean, median and p95 latency, tokens and cost of each variant",
        )
        self.summary.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.summary.verticalHeader().setVisible(False)
        header = self.summary.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.results = ResultsTabs(self.summary)  # Summary | Charts
        self.charts = self.results.charts
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.matrix)
        split.addWidget(self.results)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addLayout(meter)
        self.earlier = EvaluationBar()  # compare, export, run the rest (evaluate_history.py)
        self.earlier.watch(self.matrix_model)
        layout.addWidget(self.earlier)
        problem = QHBoxLayout()
        problem.addWidget(self.error, 1)
        problem.addWidget(self.look_again)
        layout.addLayout(problem)
        layout.addWidget(split, 1)
        self.run_button.clicked.connect(self.run_requested)
        self.batch_action.triggered.connect(self.batch_requested)
        self.look_again.clicked.connect(self.look_again_requested)
        self.rerun_button.clicked.connect(self.rerun_requested)
        self.report_button.clicked.connect(self.report_requested)
        self.pause_button.clicked.connect(
            lambda: self.pause_requested.emit(self.status != "paused")
        )
        self.stop_button.clicked.connect(self.stop_requested)
        self.concurrency.valueChanged.connect(self.concurrency_changed)
        self.set_status("idle")

    # -- setters -----------------------------------------------------------------------------

    def show_plan(
        self,
        columns: Sequence[tuple[str, str]],
        rows: Sequence[TestRow],
        cells: Sequence[Cell] = (),
        batch: bool = False,
        ended: str = "",
    ) -> None:
        """The matrix's shape: (key, title) per column, the rows, the cells known so far;
        `batch`: the cells are answered by the Batch API (`ended`: how its batches ended)."""
        self.matrix_model.reset(columns, rows, cells, batch, ended)
        total = len(columns) * len(rows)
        done = sum(c.finished for c in cells)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"%v / {total} cells")

    def set_cell(self, cell: Cell) -> None:
        self.matrix_model.set_cell(cell)

    def set_progress(self, progress: Progress) -> None:
        self.progress.setRange(0, max(progress.total, 1))
        self.progress.setValue(progress.done)
        self.progress.setFormat(f"%v / {progress.total} cells")
        self.progress_label.setText(progress_text(progress, self.status))

    def set_batch(self, text: str, done: int, total: int) -> None:
        """A batch evaluation's progress: "Batch: in_progress · 412/1,000 requests"."""
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(text)
        self.progress.setAccessibleDescription(text)

    def set_summary(self, summaries: Sequence[VariantSummary], titles: dict[str, str]) -> None:
        self.summary_model.show(summaries, titles)
        self.charts.show_summaries(summaries, titles)

    def set_status(self, status: str) -> None:
        """idle, running, paused, batch (batches out), done or stopped: which buttons work."""
        self.status = status
        live = status in ("running", "paused", "batch")
        if not self._tips:  # their own tooltips, given back when they stop waiting
            self._tips = {w: w.toolTip() for w in (self.run_button, self.batch_action,
                                                     self.batch_button)}  # fmt: skip
        for w, tip in self._tips.items():
            w.setEnabled(not live and not self.held)
            w.setToolTip(self.held or tip)
        # a batch evaluation's cells are not rerun or reported from here yet
        cells = self.matrix_model.cells() if not live and not self.matrix_model.batch else []
        rerun = any(c.outcome in ("failed", "error") for c in cells)
        self.rerun_button.setEnabled(rerun and not self.held)
        self.report_button.setEnabled(any(c.finished for c in cells))
        self.pause_button.setEnabled(live and status != "batch")
        self.stop_button.setEnabled(live)
        self.concurrency.setEnabled(not live)
        paused = status == "paused"
        self.pause_button.setText("Resume" if paused else "Pause")
        self.pause_button.setAccessibleName("Resume" if paused else "Pause")
        self.pause_button.setToolTip(
            "Start cells again"
            if paused
            else NO_PAUSE
            if status == "batch"
            else "Start no new cell; the running ones finish"
        )
        self.stop_button.setToolTip(
            "Cancel the batches; the requests done so far are collected"
            if status == "batch"
            else "Stop; unfinished cells stay pending"
        )

    def hold(self, why: str) -> None:
        """Run, Run as batch and Rerun failed wait, saying `why` ("": they do not)."""
        self.held = why
        self.set_status(self.status)

    def set_concurrency(self, value: int) -> None:
        if self.concurrency.value() != value:
            self.concurrency.blockSignals(True)
            self.concurrency.setValue(value)
            self.concurrency.blockSignals(False)

    def show_error(self, text: str | None) -> None:
        self.error.setText(text or "")
        self.error.setVisible(bool(text))

    def _on_batch_button_clicked(self) -> None:
        self.batch_menu.popup(self.batch_button.mapToGlobal(self.batch_button.rect().bottomLeft()))

    def _on_activated(self, index: QModelIndex) -> None:
        cell = self.matrix_model.cell(index)
        if cell is not None:
            self.cell_opened.emit(cell.variant, cell.row)
