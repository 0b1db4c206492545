"""The History tab: search past runs as you type, filter, sort; open one, compare two, delete,
export.

The list is a QTableView over HistoryTableModel: its rows come a page at a time from the
history (sorted there, in SQL). Typing searches after a pause of SEARCH_DELAY_MS; Enter at once.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from playground.services.history import OUTCOMES
from playground.services.history_query import SORT_KEYS, Query, SortKey
from playground.ui.folders import dialog_folder
from playground.ui.theme import accent
from playground.ui.widgets.flow_layout import FlowLayout
from playground.ui.widgets.history_model import HistoryTableModel

PERIODS = [
    ("Any time", None),
    ("Last 24 hours", 86400),
    ("Last 7 days", 7 * 86400),
    ("Last 30 days", 30 * 86400),
]
SEARCH_DELAY_MS = 150
"""Typing pauses this long before the search runs (each key restarts the wait)."""
NO_MATCH = "No runs match"
HEADER_KEY = "history/header"
WIDTHS: dict[SortKey, int] = {
    "time": 84,
    "prompt": 200,
    "api": 78,
    "model": 96,
    "outcome": 80,
    "tokens": 64,
    "cost": 88,  # "$0.000068" whole
    "latency": 64,
}


class HistoryPanel(QWidget):
    search_requested = Signal(object)
    """A Query: the text, filters and order the list should show."""
    open_requested = Signal(int)
    """Open this run in a new tab."""
    compare_requested = Signal(int, int)
    """Compare two runs (the older first)."""
    delete_requested = Signal(list)
    """Delete these run ids."""
    export_requested = Signal(object, str)
    """(ids or None for all, path) to export as JSONL."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.listing = HistoryTableModel(self)
        self.sort: SortKey = "time"
        self.descending = True
        self._setup_ui()
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self._emit_search)
        self._save_header = QTimer(self, singleShot=True, interval=300)
        self._save_header.timeout.connect(self._on_save_header_timeout)
        self.text.textChanged.connect(lambda _t: self._debounce.start())
        self.text.returnPressed.connect(self._emit_search)
        self.listing.sort_requested.connect(self._on_listing_sort_requested)
        self.listing.modelReset.connect(self._show_count)
        header = self.table.horizontalHeader()
        header.sectionResized.connect(lambda *_a: self._save_header.start())

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.text = QLineEdit()
        self.text.setClearButtonEnabled(True)
        self.text.setPlaceholderText("Search prompts, answers, models… (as you type)")
        self.text.setToolTip(
            "Find runs by the words of their prompt, instructions, answer, tool calls, error "
            'or model. Words match as prefixes ("web" finds "WebSockets"); "quoted words" '
            "match as a phrase; every word must match."
        )
        self.text.setAccessibleName("Search the history")
        layout.addWidget(self.text)
        row = FlowLayout()  # the filters get rows of their own: the side pane is narrow
        self.model = QComboBox()
        self.model.setToolTip("Only runs of this model")
        self.model.addItem("All models", None)
        self.outcome = QComboBox()
        self.outcome.setToolTip("Only runs that ended this way")
        self.outcome.addItem("All outcomes", None)
        for o in OUTCOMES:
            self.outcome.addItem(o.replace("_", " "), o)
        self.period = QComboBox()
        self.period.setToolTip("Only runs from this period")
        for label, seconds in PERIODS:
            self.period.addItem(label, seconds)
        for combo in (self.model, self.outcome, self.period):
            combo.currentIndexChanged.connect(self._emit_search)
            combo.setMinimumContentsLength(12)  # "All outcomes", most model ids
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            row.addWidget(combo)
        layout.addLayout(row)
        self.table = QTableView()
        self.table.setModel(self.listing)
        self.table.setAccessibleName("Past runs")
        self.table.setToolTip("Past runs; double-click one to open it in a new tab")
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        for i, key in enumerate(SORT_KEYS):
            header.resizeSection(i, WIDTHS[key])
        header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        state = QSettings().value(HEADER_KEY)
        if state is not None and header.restoreState(state):
            self.sort = SORT_KEYS[header.sortIndicatorSection() % len(SORT_KEYS)]
            self.descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        self.table.setSortingEnabled(True)
        self.table.doubleClicked.connect(lambda _index: self._on_open())
        self.empty = QLabel(NO_MATCH)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet(f"color: {accent('muted').name()};")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.stack, 1)
        buttons = FlowLayout()  # wraps: the side pane is narrow at 1000 to 1366 px
        for label, tip, slot in (
            ("Open", "Open the selected run (request and answer) in a new tab", self._on_open),
            (
                "Compare",
                "Compare two selected runs: parameters, answers, figures",
                self._compare,
            ),
            ("Delete", "Delete the selected runs from the history", self._on_delete),
            ("Export…", "Export the selected runs (or all) as JSON lines", self._on_export),
        ):
            b = QPushButton(label)
            b.setToolTip(tip)
            b.setStatusTip(tip)
            b.clicked.connect(slot)
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

    def show_models(self, models: list[str]) -> None:
        current = self.model.currentData()
        self.model.blockSignals(True)
        self.model.clear()
        self.model.addItem("All models", None)
        for m in models:
            self.model.addItem(m, m)
        index = self.model.findData(current)
        self.model.setCurrentIndex(max(index, 0))
        self.model.blockSignals(False)

    def show_problem(self, text: str) -> None:
        self.status.setText(f"⚠ {text}")
        self.status.setStyleSheet(f"color: {accent('error').name()};")

    def selected_ids(self) -> list[int]:
        """The selected runs' ids, in the order the list shows them."""
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [self.listing.run_id(r) for r in rows]

    def query(self) -> Query:
        """What the list should show now."""
        seconds = self.period.currentData()
        return Query(
            text=self.text.text(),
            model=self.model.currentData(),
            outcome=self.outcome.currentData(),
            since=time.time() - seconds if seconds else None,
            sort=self.sort,
            descending=self.descending,
        )

    # -- private slots -------------------------------------------------------------------------

    def _emit_search(self) -> None:
        self._debounce.stop()
        self.search_requested.emit(self.query())

    def _show_count(self) -> None:
        total = self.listing.total
        self.stack.setCurrentWidget(self.empty if total == 0 else self.table)
        if total == 0:
            self.status.setText(NO_MATCH)
        else:
            more = "+" if self.listing.at_least else ""
            self.status.setText(f"{total:,}{more} run{'s' * (total != 1)}")
        self.status.setStyleSheet("")

    def _on_listing_sort_requested(self, key: str, descending: bool) -> None:
        self.sort, self.descending = key, descending  # type: ignore[assignment]
        self._save_header.start()
        self._emit_search()

    def _on_save_header_timeout(self) -> None:
        QSettings().setValue(HEADER_KEY, self.table.horizontalHeader().saveState())

    def _on_open(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.open_requested.emit(ids[0])

    def _compare(self) -> None:
        ids = self.selected_ids()
        if len(ids) == 2:
            self.compare_requested.emit(min(ids), max(ids))  # the older on the left
        else:
            self.status.setText("Select exactly two runs to compare.")

    def _on_delete(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.delete_requested.emit(ids)

    def _on_export(self) -> None:
        ids = self.selected_ids() or None
        start = str(Path(dialog_folder(self, "export-runs")) / "runs.jsonl")
        dialog = QFileDialog(self, "Export runs", start, "JSON lines (*.jsonl)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.fileSelected.connect(lambda path: self.export_requested.emit(ids, path))
        dialog.open()
