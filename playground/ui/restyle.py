"""After a theme change: the widgets take the new palette, the shown ones at once, the hidden
ones when they are shown.

Under an application style sheet a widget keeps the palette it was polished with; only a
polish gives it the application's new one. Setting the application's sheet (or style) again
polishes every widget of every open tab, hidden tabs included, and sends each a StyleChange:
with three tabs of results open (5,000 widgets) that froze the window for seconds
(tests/benchmarks/bench_theme.py). Here the shown widgets are polished again now, and each
hidden subtree (another tab, a page of a tab widget, a closed dialog) when it is next shown.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

from playground.ui import zoom


def polish(widget: QWidget) -> None:
    """Polish `widget` again: its style-sheet rules are worked out with the palette of now."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


class _OnShow(QObject):
    """Polishes a hidden subtree again when its root is next shown."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.roots: set[int] = set()

    def wait_for(self, root: QWidget) -> None:
        key = shiboken6.getCppPointer(root)[0]  # a C++-made widget's wrapper may be new
        if key not in self.roots:
            self.roots.add(key)
            root.installEventFilter(self)
            root.destroyed.connect(lambda _o=None, key=key: self.roots.discard(key))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget):
            watched.removeEventFilter(self)
            self.roots.discard(shiboken6.getCppPointer(watched)[0])
            for widget in (watched, *watched.findChildren(QWidget)):
                polish(widget)
            zoom.reapply()  # a polish may put an editor's font back to its unzoomed size
        return False


def palette_changed() -> None:
    """The application's palette changed: polish again the widgets shown now, and each hidden
    subtree (a hidden widget whose parent is shown, or a hidden window) when it is shown."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    waiting = app.findChild(_OnShow) or _OnShow(app)
    for widget in QApplication.allWidgets():
        if widget.isVisible():
            polish(widget)
            continue
        parent = widget.parentWidget()
        if parent is None or parent.isVisible():
            waiting.wait_for(widget)
    zoom.reapply()  # View > Zoom again on what the polish set back


__all__ = ["palette_changed", "polish"]
