"""A small horizontal bar under a figure (Compare mode's columns): how large the figure is
against the largest of its kind across the columns. Painted, not a chart: a column has four
of them and they change four times a second while the columns stream.

Colours come from the palette at paint time, so the bar follows the theme with no help:
the fill is the palette's highlight (the best of the columns: the theme's "ok" accent, next
to the star that says so in text), the track a faint line of the palette's mid colour.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from playground.ui.theme import accent

HEIGHT = 5


class FigureBar(QWidget):
    """See the module docstring. `share` is the figure over the largest (0..1), None when
    the figure is not known (no bar, only the track)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.share: float | None = None
        self.best = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(HEIGHT)
        self.setAccessibleName("Relative size")

    def set_share(self, share: float | None, best: bool = False) -> None:
        """Show `share` (clamped to 0..1); repaint only when it changed."""
        if share is not None:
            share = min(1.0, max(0.0, share))
        if (share, best) == (self.share, self.best):
            return
        self.share, self.best = share, best
        self.setToolTip("" if share is None else f"{share:.0%} of the largest of the columns")
        self.update()

    def fill_color(self) -> QColor:
        """The bar's colour now (the palette's highlight, or the "ok" accent for the best)."""
        return accent("ok") if self.best else self.palette().color(QPalette.ColorRole.Highlight)

    def sizeHint(self) -> QSize:
        return QSize(60, HEIGHT)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        radius = HEIGHT / 2
        track = self.palette().color(QPalette.ColorRole.Mid)
        painter.setBrush(track)
        painter.setOpacity(0.45)
        painter.drawRoundedRect(QRectF(self.rect()), radius, radius)
        painter.setOpacity(1.0)
        if self.share:
            width = max(float(HEIGHT), self.width() * self.share)
            painter.setBrush(self.fill_color())
            painter.drawRoundedRect(QRectF(0, 0, width, self.height()), radius, radius)
        painter.end()
