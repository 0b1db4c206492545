"""The panels' icons: SVGs under resources/icons, drawn in the palette's text colour."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QSize
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QAbstractButton, QApplication

from playground import paths

SIZES = (16, 24, 32, 48)  # 32 and 48 serve high-DPI screens


_NAMES: dict[int, str] = {}
"""Icons drawn in the palette's colour, by QIcon.cacheKey: redrawn when the theme changes."""


def icon(name: str, color: QColor | None = None) -> QIcon:
    """resources/icons/<name>.svg with `currentColor` in the text colour (or `color`);
    an empty icon if the file is missing, so a broken installation still shows its buttons."""
    if color is not None:
        return _icon(name, color.name())
    drawn = _icon(name, QApplication.palette().color(QPalette.ColorRole.WindowText).name())
    _NAMES[drawn.cacheKey()] = name
    return drawn


def redraw_all() -> None:
    """Draw every palette-coloured icon on a button or action again in the palette's colour
    now (after a theme change)."""
    for widget in QApplication.allWidgets():
        if isinstance(widget, QAbstractButton):
            name = _NAMES.get(widget.icon().cacheKey())
            if name is not None:
                widget.setIcon(icon(name))
        for action in widget.actions():
            name = _NAMES.get(action.icon().cacheKey())
            if name is not None:
                action.setIcon(icon(name))


@cache
def _icon(name: str, color: str) -> QIcon:
    try:
        svg = paths.resource(f"icons/{name}.svg").read_text("utf-8")
    except OSError:
        return QIcon()
    renderer = QSvgRenderer(QByteArray(svg.replace("currentColor", color).encode()))
    result = QIcon()
    for size in SIZES:
        image = QImage(QSize(size, size), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(0)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        result.addPixmap(QPixmap.fromImage(image))
    return result
