"""Where the main window opens: its first-start size, or the size and place restored from the
settings, always inside the screen's available area (a 1366x768 laptop, a monitor that was
unplugged since the last session)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

FIRST_START = QSize(1360, 860)
"""The size the window asks for on a first start, where the screen has room for it."""
MARGIN = 0.04
"""The share of the available area left around a first-start window that does not fit."""


def available_area(window: QWidget) -> QRect:
    """The screen area `window` may take: its screen's, less panels and docks."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def first_start(available: QRect, wanted: QSize = FIRST_START) -> QRect:
    """The first-start geometry: `wanted`, each side shrunk to the available area less a
    small margin where it is longer than that area, centred on the area."""
    w, h = wanted.width(), wanted.height()
    if w > available.width():
        w = int(available.width() * (1 - MARGIN))
    if h > available.height():
        h = int(available.height() * (1 - MARGIN))
    return _centred(QSize(w, h), available)


def fitted(geometry: QRect, available: QRect) -> QRect:
    """`geometry` moved and shrunk as little as needed to lie inside `available`."""
    size = geometry.size().boundedTo(available.size())
    x = min(
        max(geometry.x(), available.left()), available.left() + available.width() - size.width()
    )
    y = min(
        max(geometry.y(), available.top()), available.top() + available.height() - size.height()
    )
    return QRect(QPoint(x, y), size)


def _centred(size: QSize, available: QRect) -> QRect:
    x = available.left() + (available.width() - size.width()) // 2
    y = available.top() + (available.height() - size.height()) // 2
    return QRect(QPoint(x, y), size)
