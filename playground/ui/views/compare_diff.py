"""The word-level diff of two Compare columns: pick the two, see the words that differ.

core.compare.word_diff computes it; a long pair of answers is diffed off the GUI thread
(asyncio.to_thread), so the window keeps painting."""

from __future__ import annotations

import asyncio
import html
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground.core.compare import Span, word_diff
from playground.ui.controllers import tasks
from playground.ui.theme import accent, is_dark

AT_ONCE = 4_000
"""Answers up to this many characters together are diffed at once; longer ones in a thread."""


def spans_html(spans: list[Span]) -> str:
    """The diff as HTML: the first column's words struck out in red, the second's in green."""
    dark = is_dark()
    removed = "#5c1f1f" if dark else "#fde2e1"
    added = "#1f4d2a" if dark else "#dcf5e1"
    out = []
    for span in spans:
        a, b = html.escape(span.a), html.escape(span.b)
        if span.op == "equal":
            out.append(a)
            continue
        if span.op in ("delete", "replace") and a:
            strike = "text-decoration:line-through"
            out.append(f"<span style='background:{removed}; {strike}'>{a}</span>")
        if span.op in ("insert", "replace") and b:
            out.append(f"<span style='background:{added}'>{b}</span>")
    body = "".join(out).replace("\n", "<br>")
    return f"<div style='white-space: pre-wrap'>{body}</div>"


class DiffPane(QWidget):
    """See the module docstring. `texts` gives (name, answer) per column, in order."""

    shown_diff = Signal()
    """A diff is on screen (its spans are in `spans`)."""
    close_requested = Signal()

    def __init__(
        self, texts: Callable[[], list[tuple[str, str]]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._texts = texts
        self.spans: list[Span] = []
        self._task: asyncio.Task[list[Span]] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel("Word diff of"))
        self.left, self.right = QComboBox(), QComboBox()
        self.left.setToolTip("The first column: its words that differ are struck out in red")
        self.right.setToolTip("The second column: its words that differ are green")
        row.addWidget(self.left)
        row.addWidget(QLabel("and"))
        row.addWidget(self.right)
        self.summary = QLabel()
        self.summary.setStyleSheet(f"color: {accent('muted').name()};")
        row.addWidget(self.summary, 1)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Close the diff")
        close.clicked.connect(self.close_requested)
        row.addWidget(close)
        layout.addLayout(row)
        self.view = QTextBrowser()
        self.view.setToolTip("Red: only in the first column; green: only in the second")
        layout.addWidget(self.view, 1)
        self.left.currentIndexChanged.connect(lambda _i: self.refresh())
        self.right.currentIndexChanged.connect(lambda _i: self.refresh())

    def fill(self, names: list[str], left: int = 0, right: int = 1) -> None:
        """The columns to choose from (their names, in order)."""
        for box, index in ((self.left, left), (self.right, right)):
            box.blockSignals(True)
            current = box.currentIndex()
            box.clear()
            box.addItems(names)
            keep = current if 0 <= current < len(names) else index
            box.setCurrentIndex(min(keep, len(names) - 1))
            box.blockSignals(False)
        self.refresh()

    def choose(self, left: int, right: int) -> None:
        self.left.setCurrentIndex(left)
        self.right.setCurrentIndex(right)
        self.refresh()

    def refresh(self) -> None:
        """Diff the chosen columns' answers as they stand now."""
        texts = self._texts()
        i, j = self.left.currentIndex(), self.right.currentIndex()
        if not (0 <= i < len(texts) and 0 <= j < len(texts)):
            return
        a, b = texts[i][1], texts[j][1]
        if self._task is not None:
            self._task.cancel()
            self._task = None
        if len(a) + len(b) <= AT_ONCE:
            self._show(word_diff(a, b))
            return
        self.summary.setText("Comparing…")
        self._task = tasks.start(self._diff_in_thread(a, b), "comparing two answers")

    async def _diff_in_thread(self, a: str, b: str) -> list[Span]:
        spans = await asyncio.to_thread(word_diff, a, b)
        self._task = None
        self._show(spans)
        return spans

    def _show(self, spans: list[Span]) -> None:
        self.spans = spans
        changed = sum(1 for s in spans if s.op != "equal")
        self.summary.setText(
            "  the same text" if not changed else f"  {changed} change{'s' * (changed != 1)}"
        )
        self.view.setHtml(spans_html(spans))
        self.shown_diff.emit()
