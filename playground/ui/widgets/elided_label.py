"""A one-line label that elides its text to the width it is given ("…" at the end), so a long
text never pushes its neighbours aside; the caller puts the full text in the tooltip (or asks
the label to: `text_tip`)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    """`text()` is the whole text; what is drawn is `shown_text()`.

    It asks for the width of its text up to `max_width`, and can shrink to its first character.
    """

    def __init__(
        self, max_width: int = 360, parent: QWidget | None = None, text_tip: bool = False
    ) -> None:
        super().__init__(parent)
        self.max_width = max_width
        self.text_tip = text_tip
        """The tooltip is the whole text, set with it."""
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:
        super().setText(text)
        if self.text_tip:
            self.setToolTip(text)

    def shown_text(self) -> str:
        """The text as drawn: elided to the label's width."""
        width = self.contentsRect().width()
        metrics = self.fontMetrics()
        if metrics.horizontalAdvance(self.text()) <= width:
            return self.text()  # elidedText() cuts a text that fits by a pixel or two
        return metrics.elidedText(self.text(), Qt.TextElideMode.ElideRight, width)

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        width = metrics.horizontalAdvance(self.text()) + 2 if self.text() else 0
        return QSize(min(width, self.max_width), metrics.height())

    def minimumSizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        least = metrics.horizontalAdvance(self.text()[:1] + "…") + 2 if self.text() else 0
        return QSize(min(least, self.sizeHint().width()), metrics.height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        self.style().drawItemText(
            painter,
            self.contentsRect(),
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            self.palette(),
            self.isEnabled(),
            self.shown_text(),
            self.foregroundRole(),
        )
        painter.end()


class RoomLabel(ElidedLabel):
    """An ElidedLabel that gives way: it asks only for its first letter, and takes the room
    its neighbours leave, up to its whole text (a card's badge beside its buttons: the
    badge elides before the buttons wrap). Give it a stretch in its layout."""

    def __init__(
        self, max_width: int = 360, parent: QWidget | None = None, text_tip: bool = False
    ) -> None:
        super().__init__(max_width, parent, text_tip)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def setText(self, text: str) -> None:
        super().setText(text)
        frame = self.width() - self.contentsRect().width()  # border and padding (QSS)
        self.setMaximumWidth(ElidedLabel.sizeHint(self).width() + max(frame, 0) + 2 if text else 0)
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        least = metrics.horizontalAdvance(self.text()[:1] + "…") + 2 if self.text() else 0
        return QSize(least, metrics.height())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()
