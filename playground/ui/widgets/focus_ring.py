"""A visible focus ring on the controls whose style draws none.

Fusion under the app's style sheet draws no focus for push and tool buttons, check boxes, combo
boxes and tab bars (text fields show their own frame), so a keyboard user cannot see where the
focus is. One application event filter follows the focus: the focused control gets a child
overlay that paints a 2 px ring in the palette's highlight colour (both themes have one), lets
every mouse event through, and follows the control's size.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QApplication,
    QComboBox,
    QTabBar,
    QWidget,
)

RINGED = (QAbstractButton, QComboBox, QTabBar, QAbstractSlider)
"""The kinds of control that get the ring; text fields and lists show focus themselves."""


class _Ring(QWidget):
    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAccessibleName("")  # not a control: nothing for a screen reader

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), 2)
        painter.setPen(pen)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 3, 3)


class FocusRing(QObject):
    """See the module docstring. `install` once per application; later calls do nothing."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._host: QWidget | None = None
        self._ring: _Ring | None = None
        app.focusChanged.connect(self._on_focus_changed)

    @classmethod
    def install(cls, app: QApplication) -> FocusRing:
        found = app.findChild(FocusRing)
        return found if found is not None else cls(app)

    def ring_of(self, widget: QWidget) -> QWidget | None:
        """The ring shown on `widget` now, None when it has none (for tests)."""
        if widget is self._host and self._ring is not None and self._ring.isVisible():
            return self._ring
        return None

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        self._drop()
        if new is None or not isinstance(new, RINGED):
            return
        self._host = new
        self._ring = _Ring(new)
        self._ring.setGeometry(new.rect())
        self._ring.show()
        self._ring.raise_()
        new.installEventFilter(self)

    def _drop(self) -> None:
        host, ring = self._host, self._ring
        self._host = self._ring = None
        if host is not None:
            with contextlib.suppress(RuntimeError):  # the control is gone already
                host.removeEventFilter(self)
        if ring is not None:
            with contextlib.suppress(RuntimeError):
                ring.hide()
                ring.deleteLater()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._host and self._ring is not None:
            if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
                self._ring.setGeometry(watched.rect())
            elif event.type() == QEvent.Type.ChildAdded:
                self._ring.raise_()
        return False
