"""View > Zoom: the text size of the conversation and the editors, in steps like a browser's.

What is zoomed is text to read or write: every plain-text editor (messages, schemas, tools,
extra_body, the Raw and Code panes) and every rich-text view (rendered answers). Qt keeps a
default font per widget class (QApplication.setFont(font, class name)); the zoom sets it for
QPlainTextEdit and QTextEdit, which reaches the widgets shown now and those made later. (The
app's style sheet turns off Qt's font propagation from parent to child, so a font on the panes
would not reach them.) An editor that sets its own font (the monospace `mono_font()`) is scaled
from its own size, and `mono_font()` reads `factor()` so that editors made later come zoomed.
Labels, buttons, the toolbar and the menus keep the system size.

Qt forgets the per-class fonts whenever the style or the application font changes (a theme
change calls QApplication.setStyle; the system may change the font), and a style sheet's
re-polish may put an editor's own font back to the size it had before the zoom. So `reapply()`
sets the zoom in force again: the theme calls it after every change, and the Zoom calls it when
the application's font changes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTextEdit

STEPS = (50, 67, 75, 80, 90, 100, 110, 125, 150, 175, 200, 250)
"""The zoom levels in percent (the steps browsers use)."""
DEFAULT = 100
_BASE_PT = "zoom_base_pt"  # a widget's own font size at 100 %, once it has been scaled

_factor = 1.0  # the zoom in force, for fonts made after a change (mono_font)


def factor() -> float:
    """The zoom in force as a factor (1.0 at 100 %)."""
    return _factor


def nearest(percent: int) -> int:
    """The step closest to `percent` (a settings file may say anything)."""
    return min(STEPS, key=lambda step: abs(step - percent))


ZOOMED = (QPlainTextEdit, QTextEdit)
"""The widget classes the zoom reaches (and their subclasses)."""


class Zoom(QObject):
    """See the module docstring; `save` keeps the percent."""

    changed = Signal(int)
    """The zoom changed: its percent."""

    def __init__(self, percent: int, save: Callable[[int], None], parent: QObject) -> None:
        super().__init__(parent)
        self._save = save
        self.percent = DEFAULT
        self.set_percent(nearest(percent), save=False)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.fontChanged.connect(self._on_app_font_changed)

    def zoom_in(self) -> None:
        self.set_percent(next((s for s in STEPS if s > self.percent), STEPS[-1]))

    def zoom_out(self) -> None:
        self.set_percent(next((s for s in reversed(STEPS) if s < self.percent), STEPS[0]))

    def reset(self) -> None:
        self.set_percent(DEFAULT)

    def set_percent(self, percent: int, save: bool = True) -> None:
        global _factor
        old = _factor
        self.percent = percent
        _factor = percent / 100
        if old != _factor:
            _scale(old, _factor)
        if save:
            self._save(percent)
        self.changed.emit(percent)

    def _on_app_font_changed(self, _font: QFont) -> None:
        reapply()


def reapply() -> None:
    """The zoom in force, again, on the classes and on every zoomed widget (after Qt reset
    the class fonts: a style or application-font change)."""
    _scale(_factor, _factor)


def _scale(old: float, new: float) -> None:
    """The zoomed classes' default font at `new` times the application's; the zoomed widgets
    that set their own font scaled too (their size at 100 % is their size over `old`)."""
    font = QFont(QApplication.font())
    font.setPointSizeF(font.pointSizeF() * new)
    for cls in ZOOMED:
        QApplication.setFont(font, cls.__name__)  # type: ignore[arg-type]
    for widget in QApplication.allWidgets():
        if not isinstance(widget, ZOOMED) or not widget.testAttribute(
            Qt.WidgetAttribute.WA_SetFont
        ):
            continue
        own = QFont(widget.font())
        if own.pointSizeF() <= 0:
            continue  # a pixel-sized font: left as it is
        base = widget.property(_BASE_PT)
        if not isinstance(base, float):
            base = own.pointSizeF() / old
            widget.setProperty(_BASE_PT, base)
        own.setPointSizeF(base * new)
        widget.setFont(own)
