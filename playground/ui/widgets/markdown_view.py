"""Rendered Markdown that grows as a stream arrives, rendered incrementally.

Finished blocks are rendered once and appended; only the open tail block is rendered again,
and repaints are coalesced to the frame rate. Re-rendering the whole message on every token
is quadratic; this is linear in the length of the answer.

A frame's update (render, layout, paint) costs a few milliseconds whatever its size, so when
text arrives faster than it can be shown, the view updates less often (see ui/pacing.py). An
update that has many finished blocks to render does it in slices of SLICE_MS, the event loop
getting a turn between them, so that the window never waits for a whole update at once.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEvent, QTimer, Signal
from PySide6.QtGui import (
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
    QTextFormat,
)
from PySide6.QtWidgets import QSizePolicy, QTextBrowser, QWidget

from playground.core.markdown_blocks import BlockSplitter, split_blocks
from playground.ui import pacing
from playground.ui.highlight import code_lines
from playground.ui.theme import is_dark
from playground.ui.widgets.copy_buttons import CodeCopyButtons, copy_row_height
from playground.ui.widgets.schema_editor import mono_font

SLICE_MS = 6
"""A streaming update's slice (render, then the document's layout and highlighting of what was
rendered) takes about this long; then the loop runs before the next slice."""


def render_block(
    cursor: QTextCursor, block: str, first: bool, palette: QPalette, reuse: bool = False
) -> None:
    """Append one Markdown block at the cursor (which is at the end of the document).

    `reuse`: the cursor is in an empty block left by the removed tail; render into it as if it
    were new (removing across a block boundary would merge formats, so the block is kept).
    """
    fmt = QTextBlockFormat()
    if not first:
        fmt.setTopMargin(8)  # the gap a blank line makes between blocks
    if reuse:
        cursor.setBlockFormat(fmt)
        cursor.setBlockCharFormat(QTextCharFormat())
        cursor.setCharFormat(QTextCharFormat())
    elif not first:
        cursor.insertBlock(fmt, QTextCharFormat())
    lines = block.split("\n")
    if lines and lines[0].lstrip().startswith(("```", "~~~")):
        _render_code(cursor, lines, palette)
        return
    doc = QTextDocument()
    doc.setMarkdown(block)
    cursor.insertFragment(QTextDocumentFragment(doc))


def _render_code(cursor: QTextCursor, lines: list[str], palette: QPalette) -> None:
    body = lines[1:]
    while body and not body[-1]:  # the text's final newline: no empty line, no stray fence
        body = body[:-1]
    if body and body[-1].strip().strip("`~") == "" and body[-1].strip():
        body = body[:-1]
    fmt = QTextBlockFormat()
    fmt.setBackground(palette.color(QPalette.ColorRole.AlternateBase))
    # code lines wrap inside the card (a long line is never cut at the card's edge); the
    # fence marks them as code (copy_buttons.is_code)
    fmt.setProperty(QTextFormat.Property.BlockCodeFence, "`")
    fmt.setLeftMargin(8)
    fmt.setTopMargin(0)
    fmt.setBottomMargin(0)
    char = QTextCharFormat()
    char.setFont(mono_font())
    first = QTextBlockFormat(fmt)
    # a row of its own above the first line for the block's Copy button: it covers no code
    first.setTopMargin(copy_row_height(cursor.document().defaultFont()))
    cursor.setBlockFormat(first)
    language = lines[0].strip().lstrip("`~")  # the fence's info string
    for i, runs in enumerate(code_lines("\n".join(body), language, char, is_dark(palette))):
        if i:
            cursor.insertBlock(fmt, char)
        cursor.insertText("", char)
        for piece, piece_fmt in runs:
            cursor.insertText(piece, piece_fmt)


class MarkdownView(QTextBrowser):
    """A read-only, auto-sizing view of streamed Markdown."""

    rewrapped = Signal()
    """The view's width changed, so did the height its text needs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenExternalLinks(True)
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(self.verticalScrollBarPolicy().ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self._timer = QTimer(self, singleShot=True, interval=pacing.FRAME_MS)
        self._timer.timeout.connect(self._flush)
        self._continuing = False  # an update's later slices are due
        self.document().contentsChanged.connect(self._grow)
        self.reset()
        self.copy_buttons = CodeCopyButtons(self)  # a Copy button on each code block

    def reset(self) -> None:
        self._hold(False)
        self._splitter = BlockSplitter()
        self._pending: list[str] = []
        self._raw: list[str] = []
        self._tail_start: int | None = None  # where the open block's rendering begins
        self._blocks = 0
        self._cost_ms = 0.0  # the last update's render and paint time
        self._live = False  # a stream is arriving
        self._overhead = 2.0  # layout and highlighting after a slice, per ms of its rendering
        self._timer.setInterval(pacing.FRAME_MS)
        self._dark = is_dark(self.palette())  # the theme the code blocks are coloured for
        self.document().clear()

    @property
    def text(self) -> str:
        return "".join(self._raw)

    def set_markdown(self, text: str) -> None:
        """Show a finished text at once."""
        self.reset()
        self._raw.append(text)
        cursor = QTextCursor(self.document())
        for block in split_blocks(text):
            render_block(cursor, block, self._blocks == 0, self.palette())
            self._blocks += 1
        self.updateGeometry()

    def append(self, delta: str) -> None:
        """Add streamed text; the view catches up at the next frame."""
        self._raw.append(delta)
        self._live = True
        self._pending.extend(self._splitter.feed(delta))
        if not self._timer.isActive():
            self._timer.start()

    def finish(self) -> None:
        """The stream ended: render what is left (its first slice now, the others right after)."""
        self._timer.stop()
        self._live = False
        self._pending.extend(self._splitter.close())
        self._flush()

    @property
    def rendering(self) -> bool:
        """Slices of an update are still to be rendered."""
        return self._continuing

    def _flush(self) -> None:
        clock = QElapsedTimer()
        clock.start()
        if not self._continuing:
            self._cost_ms = 0.0
        doc = self.document()
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        reuse = False
        if self._tail_start is not None:  # take the open block out, keep its (empty) block
            cursor.setPosition(self._tail_start)
            cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
            reuse, self._tail_start = True, None
        else:
            cursor.movePosition(QTextCursor.MoveOperation.End)
        rendered = 0
        for block in self._pending:
            render_block(cursor, block, self._blocks == 0, self.palette(), reuse)
            reuse = False
            self._blocks += 1
            rendered += 1
            if clock.nsecsElapsed() * (1 + self._overhead) > SLICE_MS * 1e6:
                break
        del self._pending[:rendered]
        tail = "" if self._pending else self._splitter.tail  # empty once the stream ended
        if tail.strip():
            first = self._blocks == 0
            if not reuse and not first:
                cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            self._tail_start = cursor.position()
            render_block(cursor, tail, first, self.palette(), reuse=True)
        rendering = clock.nsecsElapsed()
        # Until the update's last slice, the view shows what it showed before it (the open
        # block was taken out): no geometry change and no paint in between.
        self._hold(bool(self._pending))
        cursor.endEditBlock()
        if not self._continuing:
            # grow the card (and follow the end) now, so the new text and size paint once
            for _ in range(3):  # card, list, scroll area: each posts the next request
                QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        spent = clock.nsecsElapsed()
        if rendering > 500_000:  # learn what a slice's rendering costs afterwards
            self._overhead += 0.2 * ((spent - rendering) / rendering - self._overhead)
        self._cost_ms += spent / 1e6
        if self._continuing:  # the next slice, as soon as the loop has had its turn
            self._timer.setInterval(0)
            self._timer.start()
        else:
            self._pace()

    def _hold(self, hold: bool) -> None:
        """Hold the view as it is painted (True) while an update's slices are rendered."""
        if hold != self._continuing:
            self._continuing = hold
            self.setUpdatesEnabled(not hold)
            if not hold:
                self.updateGeometry()

    def _grow(self) -> None:
        if not self._continuing:
            self.updateGeometry()

    def _pace(self) -> None:
        self._timer.setInterval(pacing.interval_ms(self._cost_ms))

    def paintEvent(self, event) -> None:
        clock = QElapsedTimer()
        clock.start()
        super().paintEvent(event)
        if self._live:
            self._cost_ms += clock.nsecsElapsed() / 1e6  # a streaming update's paint
            if not self._continuing:
                self._pace()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        dark = getattr(self, "_dark", None)  # None: the view is being built
        if event.type() == QEvent.Type.PaletteChange and dark not in (
            None,
            is_dark(self.palette()),
        ):
            self._dark = is_dark(self.palette())
            if not self._live and self.text:
                self.set_markdown(self.text)  # code colours and backgrounds follow the theme

    # -- sizing: grow with the content instead of scrolling inside the card ---------------

    def sizeHint(self):
        hint = super().sizeHint()
        doc = self.document()
        width = max(self.viewport().width(), 200)
        if doc.textWidth() != width:  # setting it, even unchanged, lays out everything again
            doc.setTextWidth(width)
        height = int(doc.size().height()) + 8
        if doc.size().width() > width:  # a long code line: room for the scroll bar under it
            height += self.horizontalScrollBar().sizeHint().height()
        hint.setHeight(height)
        return hint

    def minimumSizeHint(self):
        """As tall as the text, but as narrow as the card makes it: the text wraps, a code
        line wider than the view scrolls inside it (never the conversation sideways)."""
        hint = self.sizeHint()
        hint.setWidth(min(hint.width(), 200))
        return hint

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.updateGeometry()
        if event.size().width() != event.oldSize().width():
            self.rewrapped.emit()  # the text's height changed with its width
