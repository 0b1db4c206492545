"""Two runs of the history side by side: what differs in their requests (a parameter table),
their figures, and their answers with the words that differ marked, scrolling together.

The answers are plain text with character formats (no HTML is generated): words only in the
older run are struck out on a red ground, words only in the newer on a green one.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollBar,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from playground.core.compare import Span
from playground.core.run_diff import Difference, parameter_diff
from playground.services.history import RunRecord
from playground.ui.theme import is_dark
from playground.ui.widgets.history_model import API_NAMES
from playground.ui.widgets.request_meter import usd
from playground.ui.widgets.schema_editor import mono_font

NOT_SENT = "(not sent)"
UNKNOWN = "—"
ROW = 22


def answer_text(run: RunRecord) -> str:
    """Everything the run answered: text, refusal, tool calls, error."""
    calls = "\n".join(f"{c['name']}({c['arguments']})" for c in run.tool_calls)
    return "\n".join(p for p in (run.output_text, run.refusal, calls, run.error_message or "") if p)


def differences(left: RunRecord, right: RunRecord) -> list[Difference]:
    """The parameters that differ, the profile and API among them."""

    def params(run: RunRecord) -> dict[str, object]:
        return {"profile": run.profile, "api": API_NAMES.get(run.api, run.api), **run.request}

    return parameter_diff(params(left), params(right))


def figures(run: RunRecord) -> list[tuple[str, str]]:
    """A run's figures as (label, value) rows."""

    def ms(value: float | None) -> str:
        return UNKNOWN if value is None else f"{value:,.0f} ms"

    def n(value: int | None) -> str:
        return UNKNOWN if value is None else f"{value:,}"

    return [
        ("Time", datetime.fromtimestamp(run.started_at).strftime("%Y-%m-%d %H:%M:%S")),
        ("Model", run.model),
        ("Outcome", run.outcome.replace("_", " ")),
        ("First token", ms(run.ttft_ms)),
        ("Latency", ms(run.total_ms)),
        ("Input tokens", n(run.input_tokens)),
        ("Cached tokens", n(run.cached_tokens)),
        ("Output tokens", n(run.output_tokens)),
        ("Reasoning tokens", n(run.reasoning_tokens)),
        ("Cost", UNKNOWN if run.cost is None else usd(run.cost)),
    ]


class RunCompareDialog(QDialog):
    """See the module docstring; `spans` is core.compare.word_diff of the two answers."""

    def __init__(
        self, left: RunRecord, right: RunRecord, spans: list[Span], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Run {left.id} and run {right.id}")
        self.resize(1100, 720)
        self.differences = differences(left, right)
        self.spans = spans
        layout = QVBoxLayout(self)
        split = QSplitter(Qt.Orientation.Vertical)
        top = QSplitter(Qt.Orientation.Horizontal)
        heads = (f"Run {left.id}", f"Run {right.id}")
        self.parameters = _table(["Parameter", *heads])
        for d in self.differences:
            _add_row(self.parameters, [d.name, d.left or NOT_SENT, d.right or NOT_SENT])
        self.parameters.setToolTip("The request parameters that differ between the two runs")
        self.same = QLabel("The two requests' parameters are the same.")
        self.same.setVisible(not self.differences)
        box = QWidget()
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.addWidget(_title("What differs"))
        box_layout.addWidget(self.same)
        box_layout.addWidget(self.parameters, 1)
        self.parameters.setVisible(bool(self.differences))
        top.addWidget(box)
        self.figures = _table(["Figure", *heads])
        for (label, a), (_label, b) in zip(figures(left), figures(right), strict=True):
            _add_row(self.figures, [label, a, b])
        self.figures.setToolTip("Both runs' figures")
        box = QWidget()
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.addWidget(_title("Figures"))
        box_layout.addWidget(self.figures, 1)
        top.addWidget(box)
        split.addWidget(top)
        answers = QWidget()
        row = QHBoxLayout(answers)
        row.setContentsMargins(0, 0, 0, 0)
        self.left_answer, self.right_answer = _answer_view(), _answer_view()
        self.left_answer.setToolTip(f"Run {left.id}'s answer: red words are only in this one")
        self.right_answer.setToolTip(f"Run {right.id}'s answer: green words are only in this one")
        for title, view in ((heads[0], self.left_answer), (heads[1], self.right_answer)):
            column = QVBoxLayout()
            column.addWidget(_title(f"{title}: answer"))
            column.addWidget(view, 1)
            row.addLayout(column, 1)
        split.addWidget(answers)
        # the figures' rows whole, the answers the rest
        top.setMinimumHeight(self.figures.rowCount() * ROW + 64)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        layout.addWidget(split, 1)
        changed = sum(1 for s in spans if s.op != "equal")
        self.summary = QLabel(
            "The answers are the same."
            if not changed
            else f"{changed} change{'s' * (changed != 1)} between the answers."
        )
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        bottom.addWidget(close)
        layout.addLayout(bottom)
        _fill(self.left_answer, self.right_answer, spans)
        self._syncing = False
        views = (self.left_answer, self.right_answer)
        for one, two in (views, views[::-1]):
            bar, other = one.verticalScrollBar(), two.verticalScrollBar()
            bar.valueChanged.connect(lambda _v, s=bar, o=other: self._follow(s, o))

    def _follow(self, source: QScrollBar, other: QScrollBar) -> None:
        """Scroll the other answer to the same place, as a share of its length."""
        if self._syncing:
            return
        self._syncing = True
        try:
            share = source.value() / source.maximum() if source.maximum() else 0.0
            other.setValue(round(share * other.maximum()))
        finally:
            self._syncing = False


def _title(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(ROW)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    return table


def _add_row(table: QTableWidget, cells: list[str]) -> None:
    row = table.rowCount()
    table.insertRow(row)
    for column, text in enumerate(cells):
        item = QTableWidgetItem(text)
        item.setToolTip(text)
        table.setItem(row, column, item)
    table.resizeColumnToContents(0)
    table.setColumnWidth(1, max(table.columnWidth(1), 160))


def _answer_view() -> QTextEdit:
    view = QTextEdit()
    view.setReadOnly(True)
    view.setAcceptRichText(False)
    view.setFont(mono_font())  # the answers' Markdown as written: fences and tables line up
    return view


def _fill(left: QTextEdit, right: QTextEdit, spans: list[Span]) -> None:
    """Each side's text, its differing words marked with a character format."""
    dark = is_dark()
    removed, added = QTextCharFormat(), QTextCharFormat()
    removed.setBackground(QColor("#5c1f1f" if dark else "#fde2e1"))
    removed.setFontStrikeOut(True)
    added.setBackground(QColor("#1f4d2a" if dark else "#dcf5e1"))
    plain = QTextCharFormat()
    plain.setForeground(left.palette().text())
    for fmt in (removed, added):
        fmt.setForeground(left.palette().text())
        fmt.setFontWeight(QFont.Weight.Normal)
    for view, side, marked in ((left, "a", removed), (right, "b", added)):
        cursor = QTextCursor(view.document())
        for span in spans:
            text = getattr(span, side)
            if text:
                cursor.insertText(text, plain if span.op == "equal" else marked)
        view.moveCursor(QTextCursor.MoveOperation.Start)
    if not any(s.a for s in spans):
        left.setPlaceholderText("(no answer)")
    if not any(s.b for s in spans):
        right.setPlaceholderText("(no answer)")
