"""The History tab: search and filter past runs, open one in a tab, compare two, delete, export."""

from __future__ import annotations

import difflib
import json
import time
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from playground.services.history import OUTCOMES, RunRecord
from playground.ui.folders import dialog_folder
from playground.ui.theme import accent

PERIODS = [
    ("Any time", None),
    ("Last 24 hours", 86400),
    ("Last 7 days", 7 * 86400),
    ("Last 30 days", 30 * 86400),
]


class HistoryPanel(QWidget):
    search_requested = Signal(dict)
    """Filters: text, model, outcome, since."""
    open_requested = Signal(int)
    """Open this run in a new tab."""
    compare_requested = Signal(int, int)
    """Compare two runs."""
    delete_requested = Signal(list)
    """Delete these run ids."""
    export_requested = Signal(object, str)
    """(ids or None for all, path) to export as JSONL."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runs: list[RunRecord] = []
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.text = QLineEdit()
        self.text.setPlaceholderText("Search requests and answers")
        self.text.setToolTip("Find runs whose request or answer contains this text")
        self.text.returnPressed.connect(self._emit_search)
        row.addWidget(self.text, 1)
        layout.addLayout(row)
        row = QHBoxLayout()  # the filters get a row of their own: the side panel is narrow
        self.model = QComboBox()
        self.model.setToolTip("Only runs of this model")
        self.model.addItem("All models", None)
        self.outcome = QComboBox()
        self.outcome.setToolTip("Only runs that ended this way")
        self.outcome.addItem("All outcomes", None)
        for o in OUTCOMES:
            self.outcome.addItem(o, o)
        self.period = QComboBox()
        self.period.setToolTip("Only runs from this period")
        for label, seconds in PERIODS:
            self.period.addItem(label, seconds)
        for combo in (self.model, self.outcome, self.period):
            combo.currentIndexChanged.connect(self._emit_search)
            combo.setMinimumContentsLength(6)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            row.addWidget(combo, 1)
        layout.addLayout(row)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["when", "model", "outcome", "tokens", "answer"])
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setWordWrap(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setToolTip("Past runs, newest first; double-click to open one in a new tab")
        self.table.itemDoubleClicked.connect(lambda _item: self._on_open())
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        for label, tip, slot in (
            ("Open", "Open the selected run (request and answer) in a new tab", self._on_open),
            ("Compare", "Compare two selected runs side by side", self._on_compare),
            ("Delete", "Delete the selected runs from the history", self._on_delete),
            ("Export…", "Export the selected runs (or all) as JSON lines", self._on_export),
        ):
            b = QPushButton(label)
            b.setToolTip(tip)
            b.clicked.connect(slot)
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

    def show_runs(self, runs: list[RunRecord]) -> None:
        self.runs = runs
        self.table.setRowCount(len(runs))
        for i, run in enumerate(runs):
            when = datetime.fromtimestamp(run.started_at).strftime("%m-%d %H:%M")
            tokens = "" if run.output_tokens is None else f"{run.input_tokens}/{run.output_tokens}"
            answer = (
                run.output_text
                or run.refusal
                or run.error_message
                or ", ".join(c["name"] for c in run.tool_calls)
            )
            for col, text in enumerate(
                (when, run.model, run.outcome, tokens, " ".join(answer[:400].split())[:200])
            ):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, run.id)
                self.table.setItem(i, col, item)
        for col in range(4):
            self.table.resizeColumnToContents(col)
        self.status.setText(f"{len(runs)} runs" if runs else "No runs match.")
        self.status.setStyleSheet("")

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
        rows = sorted({i.row() for i in self.table.selectedItems()})
        return [self.runs[r].id for r in rows if self.runs[r].id is not None]  # type: ignore[misc]

    def filters(self) -> dict[str, object]:
        seconds = self.period.currentData()
        return {
            "text": self.text.text().strip(),
            "model": self.model.currentData(),
            "outcome": self.outcome.currentData(),
            "since": time.time() - seconds if seconds else None,
        }

    def _emit_search(self) -> None:
        self.search_requested.emit(self.filters())

    def _on_open(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.open_requested.emit(ids[0])

    def _on_compare(self) -> None:
        ids = self.selected_ids()
        if len(ids) == 2:
            self.compare_requested.emit(ids[1], ids[0])  # older on the left
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


def _lines(value: object) -> list[str]:
    return json.dumps(value, indent=2, ensure_ascii=False).splitlines()


class CompareDialog(QDialog):
    """Two runs side by side: the request diff and the answer diff."""

    def __init__(self, left: RunRecord, right: RunRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Run {left.id} vs run {right.id}")
        self.resize(1100, 700)
        layout = QVBoxLayout(self)
        tabs = QTabWidget()
        differ = difflib.HtmlDiff(wrapcolumn=70)
        self.request_diff = _diff_view()
        self.request_diff.setHtml(
            differ.make_table(
                _lines(left.request),
                _lines(right.request),
                f"run {left.id}",
                f"run {right.id}",
                context=False,
            )
        )
        self.output_diff = _diff_view()
        self.output_diff.setHtml(
            differ.make_table(
                _answer(left).splitlines(),
                _answer(right).splitlines(),
                f"run {left.id}",
                f"run {right.id}",
            )
        )
        tabs.addTab(self.request_diff, "Request")
        tabs.addTab(self.output_diff, "Answer")
        layout.addWidget(tabs)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)


def _diff_view() -> QTextBrowser:
    view = QTextBrowser()
    # the classes difflib's HtmlDiff puts on added, changed and removed text
    view.document().setDefaultStyleSheet(
        ".diff_add {background-color: #b7f0b7; color: #000} "
        ".diff_chg {background-color: #f5e58c; color: #000} "
        ".diff_sub {background-color: #f5b7b7; color: #000} "
        ".diff_next {color: transparent}"
    )
    return view


def _answer(run: RunRecord) -> str:
    calls = "\n".join(f"{c['name']}({c['arguments']})" for c in run.tool_calls)
    return "\n".join(p for p in (run.output_text, run.refusal, calls, run.error_message or "") if p)
