"""The mouse wheel scrolls the pane, not the value under the pointer.

In a scrolling pane (the Tools, Parameters and Tests panes) a combo box, spin box or slider
under the pointer takes the wheel by default: scrolling down the pane changes a tool choice
or a temperature as it passes. One application event filter stops that: an unfocused control
of those kinds gets no wheel events (they go to the pane, which scrolls), and the wheel no
longer gives such a control the focus. Click or Tab into the control, and the wheel changes
its value as before.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollBar,
    QWidget,
)

GUARDED = (QComboBox, QAbstractSpinBox, QAbstractSlider)
"""The controls whose value the wheel changes."""


def _guarded(obj: QObject) -> QWidget | None:
    """The guarded control `obj` is (or is the line edit of), else None."""
    if not isinstance(obj, QWidget):
        return None
    for widget in (obj, obj.parentWidget()):
        # a scroll bar is how a pane scrolls (it gets the pane's wheel events)
        if isinstance(widget, GUARDED) and not isinstance(widget, QScrollBar):
            return widget
    return None


def _pane(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


class WheelGuard(QObject):
    """See the module docstring. `install` once per application; later calls do nothing."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        app.installEventFilter(self)

    @classmethod
    def install(cls, app: QApplication) -> WheelGuard:
        found = app.findChild(WheelGuard)
        return found if found is not None else cls(app)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.Wheel, QEvent.Type.Polish):
            return False
        control = _guarded(obj)
        if control is None:
            return False
        if kind == QEvent.Type.Polish:
            if control.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                control.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            return False
        if control.hasFocus():
            return False
        pane = _pane(control)
        if pane is not None:  # the pane scrolls instead
            QApplication.sendEvent(pane.viewport(), event)
        return True
