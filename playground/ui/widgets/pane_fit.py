"""How the window's panes fit any window size: each side pane can be narrower than what it
holds (it scrolls then), so no pane raises the window's minimum width, and a narrow window
never grows by itself past the screen.

The budget: the window's minimum width stays under MAX_MIN_WIDTH whatever tab a pane shows;
tests/ui/test_layout_sizes.py checks it at 1000x700, 1366x768 and 1920x1080. Rows of
buttons wrap (flow_layout.py) and forms put a label above its field when the pane is narrow.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QWidget,
)

MAX_MIN_WIDTH = 900
"""The most the window's minimum width may be (px)."""
SETUP_MIN = 250
"""The setup pane (Parameters, Tools, Output format) at its narrowest (px)."""
CENTER_MIN = 340
"""The conversation at its narrowest (px)."""
SIDE_MIN = 250
"""The side pane (Raw, Findings, Code, History) at its narrowest (px)."""


SCHEMA_LINES = 12
"""A schema editor shows at least this many lines; the pane scrolls when it is shorter."""


def lines_high(editor: QPlainTextEdit, lines: int) -> int:
    """The height (px) at which `editor` shows `lines` lines of its font."""
    frame = editor.frameWidth() * 2 + int(editor.document().documentMargin() * 2)
    return editor.fontMetrics().lineSpacing() * lines + frame + 2


def narrow_form(form: QFormLayout) -> QFormLayout:
    """`form` puts a field under its label when the two do not fit side by side, so a form in
    a pane never asks for more than its widest label or field (every style's default keeps
    them side by side, and a form in a narrow pane is cut at its right edge)."""
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    return form


def scrolling(widget: QWidget, min_width: int) -> QScrollArea:
    """`widget` in a frameless scroll area at least `min_width` wide: the widget fills the area
    while the area is at least the widget's own minimum size, and scrolls below it."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    area.setMinimumWidth(min_width)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    return area


class SideTabs(QTabWidget):
    """A tab widget whose pages scroll when the pane is narrower than they are, so no page
    sets the pane's minimum width. Pages are handed in and out unwrapped: `currentWidget()`,
    `widget(i)`, `indexOf(page)` and `setCurrentWidget(page)` speak of the page itself."""

    def addTab(self, page: QWidget, title: str) -> int:  # type: ignore[override]
        return super().addTab(scrolling(page, 0), title)

    def widget(self, index: int) -> QWidget | None:
        area = super().widget(index)
        return area.widget() if isinstance(area, QScrollArea) else area

    def currentWidget(self) -> QWidget | None:  # type: ignore[override]
        return self.widget(self.currentIndex())

    def indexOf(self, page: QWidget) -> int:
        return next((i for i in range(self.count()) if self.widget(i) is page), -1)

    def setCurrentWidget(self, page: QWidget) -> None:
        index = self.indexOf(page)
        if index >= 0:
            self.setCurrentIndex(index)


class PaneSizes:
    """Sizes the three panes by the window's width, setup and side panes a share each within
    bounds, the conversation the rest, until the user drags a handle or a saved layout is
    restored (then the user's sizes stand)."""

    SHARE = 0.25
    """Each side pane's share of the width."""
    WIDE_SHARE = 0.17
    """Their share while the conversation pane shows Compare's columns."""
    MOST = 440
    """The widest a side pane is made (px)."""

    def __init__(self, splitter: QSplitter) -> None:
        self.splitter = splitter
        self.auto = True
        self.wide = False
        """The center pane wants the room (Compare's columns)."""
        splitter.splitterMoved.connect(self._on_moved)

    def fit(self) -> None:
        """Size the panes for the splitter's width now (when still automatic)."""
        if not self.auto:
            return
        width = self.splitter.width() - self.splitter.handleWidth() * 2
        share = int(width * (self.WIDE_SHARE if self.wide else self.SHARE))
        side = max(SIDE_MIN, min(share, self.MOST))
        setup = max(SETUP_MIN, min(share, self.MOST))
        sizes = [setup, max(width - setup - side, CENTER_MIN), side]
        QSplitter.setSizes(self.splitter, sizes)  # not the area's own: that one ends `auto`

    def _on_moved(self, _pos: int, _index: int) -> None:
        self.auto = False
