"""Copy buttons: a message's text, and each code block of rendered Markdown, to the clipboard;
the button then says "Copied" for a moment."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication, QTextBlock, QTextFormat
from PySide6.QtWidgets import QToolButton, QToolTip

from playground.core.code_blocks import fenced_code
from playground.ui.widgets.common import tool_button

if TYPE_CHECKING:
    from playground.ui.widgets.markdown_view import MarkdownView

COPIED_MS = 1500
"""How long a button says "Copied"."""


def copy_button(
    text: Callable[[], str], tip: str, name: str, labelled: bool = False
) -> QToolButton:
    """A Copy button that puts `text()` on the clipboard when clicked: its icon, or with
    `labelled` its icon and "Copy" beside it."""
    button = tool_button("Copy", tip, icon="copy")
    button.setAccessibleName(name)
    idle = (
        Qt.ToolButtonStyle.ToolButtonTextBesideIcon
        if labelled
        else Qt.ToolButtonStyle.ToolButtonIconOnly
    )
    button.setToolButtonStyle(idle)
    if labelled:  # as wide as "Copied": the button does not move when it says so
        button.setAutoRaise(False)  # a button's own colours: readable on any code background
        button.setMinimumWidth(button.fontMetrics().horizontalAdvance("Copied") + 36)
    button.clicked.connect(lambda: copy_text(button, text(), idle))
    return button


def copy_text(
    button: QToolButton,
    text: str,
    idle: Qt.ToolButtonStyle = Qt.ToolButtonStyle.ToolButtonIconOnly,
) -> None:
    """Put `text` on the clipboard and let `button` say so for COPIED_MS."""
    QGuiApplication.clipboard().setText(text)
    button.setText("Copied")
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    QToolTip.showText(button.mapToGlobal(QPoint(0, button.height())), "Copied", button)
    QTimer.singleShot(COPIED_MS, button, lambda: _idle(button, idle))


def _idle(button: QToolButton, style: Qt.ToolButtonStyle) -> None:
    button.setText("Copy")
    button.setToolButtonStyle(style)


def copy_row_height(font: QFont) -> int:
    """The room above a code block's first line where its Copy button sits (px)."""
    return QFontMetrics(font).height() + 8


def is_code(block: QTextBlock) -> bool:
    """The block is a line of a code block (the renderer's, or Qt's own Markdown import's)."""
    fmt = block.blockFormat()
    return fmt.nonBreakableLines() or fmt.hasProperty(QTextFormat.Property.BlockCodeFence)


class CodeCopyButtons(QObject):
    """A Copy button at the top right of each fenced code block of a MarkdownView, in the
    row the renderer leaves free above the block's first line (copy_row_height).

    During a stream the buttons are placed once the text stops changing for a moment, so
    the stream pays nothing per frame. What a button copies is the block's code from the
    Markdown text (core.code_blocks), without its fences."""

    SETTLE_MS = 150

    def __init__(self, view: MarkdownView) -> None:
        super().__init__(view)
        self._view = view
        self.buttons: list[QToolButton] = []
        self._blocks: list[QTextBlock] = []
        self.codes: list[str] = []
        self._timer = QTimer(self, singleShot=True, interval=self.SETTLE_MS)
        self._timer.timeout.connect(self.refresh)
        view.document().contentsChanged.connect(self._soon)
        view.installEventFilter(self)

    def refresh(self) -> None:
        """Find the code blocks and put a button on each."""
        if self._view.rendering:
            self._timer.start()
            return
        found = self._locate(fenced_code(self._view.text))
        self.codes = [code for code, _block in found]
        self._blocks = [block for _code, block in found]
        while len(self.buttons) < len(found):
            index = len(self.buttons)
            button = copy_button(
                partial(self._code, index),
                "Copy this code (without the fences)",
                f"Copy code block {index + 1}",
                labelled=True,
            )
            button.setParent(self._view.viewport())
            # as tall as a line of text: it fits the row above the code
            button.setIconSize(QSize(12, 12))
            row = copy_row_height(self._view.document().defaultFont())
            button.setFixedHeight(max(min(button.fontMetrics().height() + 2, row - 2), 12))
            button.setCursor(Qt.CursorShape.ArrowCursor)
            self.buttons.append(button)
        for button in self.buttons[len(found) :]:
            button.hide()
        self._place()

    def _soon(self) -> None:
        """Place the buttons once the text has settled: at once for a finished text, after a
        pause in a stream."""
        self._timer.start(self.SETTLE_MS if self._view._live else 0)

    def _code(self, index: int) -> str:
        return self.codes[index]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.codes:
            self._timer.start(0)  # the text rewraps: the blocks move
        return False

    def _locate(self, codes: list[str]) -> list[tuple[str, QTextBlock]]:
        """Each code with the document block of its first line (code lines in order)."""
        found = []
        block = self._view.document().begin()
        for code in codes:
            first = code.split("\n", 1)[0].rstrip()
            probe = block
            while probe.isValid() and not (is_code(probe) and probe.text().rstrip() == first):
                probe = probe.next()
            if not probe.isValid():
                continue  # not drawn as code (yet): no button
            found.append((code, probe))
            block = probe
            for _ in range(code.count("\n") + 1):
                block = block.next()
        return found

    def _place(self) -> None:
        layout = self._view.document().documentLayout()
        right = self._view.viewport().width() - 4
        offset = self._view.verticalScrollBar().value()
        row = copy_row_height(self._view.document().defaultFont())
        for button, block in zip(self.buttons, self._blocks, strict=False):
            # in the row above the first line (the block's top margin)
            top = int(layout.blockBoundingRect(block).top()) - offset - row
            button.adjustSize()
            button.move(right - button.width(), top + (row - button.height()) // 2)
            button.show()
            button.raise_()
