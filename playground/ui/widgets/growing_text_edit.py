"""A plain-text editor that grows with its text up to a number of lines, and takes huge
pastes in pieces so the window stays responsive."""

from __future__ import annotations

from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QPlainTextEdit, QSizePolicy, QWidget

BIG_PASTE = 1_000_000  # characters: longer pastes are inserted in pieces
PASTE_PIECE = 200_000


class GrowingTextEdit(QPlainTextEdit):
    """A plain-text editor that grows with its content up to a limit, then scrolls."""

    image_pasted = Signal(QImage)
    """An image was pasted from the clipboard."""

    def __init__(self, max_lines: int = 18, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._max_lines = max_lines
        self._pending: list[str] = []
        self._offset = 0
        self._cursor = self.textCursor()
        self.setTabChangesFocus(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().contentsChanged.connect(self.updateGeometry)

    def sizeHint(self) -> QSize:
        lines = min(max(self.document().blockCount(), 2), self._max_lines)
        line_h = self.fontMetrics().lineSpacing()
        return QSize(200, lines * line_h + 14)

    def canInsertFromMimeData(self, source) -> bool:
        return source.hasImage() or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source) -> None:
        if source.hasImage():
            self.image_pasted.emit(QImage(source.imageData()))
            return
        text = source.text() if source.hasText() else ""
        if len(text) <= BIG_PASTE:
            super().insertFromMimeData(source)
            return
        # A huge paste goes in by pieces, one per event-loop turn, so the window keeps
        # painting and answering (Qt takes seconds to insert 20 MB in one go).
        self._pending.append(text)
        if len(self._pending) == 1:
            self._cursor = self.textCursor()
            self._offset = 0
            QTimer.singleShot(0, self, self._insert_piece)

    @property
    def pasting(self) -> bool:
        """A big paste is still going in."""
        return bool(self._pending)

    def _insert_piece(self) -> None:
        text = self._pending[0]
        self._cursor.insertText(text[self._offset : self._offset + PASTE_PIECE])
        self._offset += PASTE_PIECE
        if self._offset >= len(text):
            self._pending.pop(0)
            self._offset = 0
        if self._pending:
            QTimer.singleShot(0, self, self._insert_piece)
        else:
            self.setTextCursor(self._cursor)
