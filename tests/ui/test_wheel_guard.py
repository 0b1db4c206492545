"""The wheel over a combo box or spin box in a scrolling pane scrolls the pane; it changes the
value only once the control has the focus."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from playground.ui.widgets.wheel_guard import WheelGuard


def _wheel(widget: QWidget, down: bool = True) -> None:
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(),
        QPoint(0, -120 if down else 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_wheel_scrolls_the_pane_until_the_control_has_focus(qtbot: Any, qapp: Any) -> None:
    WheelGuard.install(qapp)
    pane = QScrollArea()
    body = QWidget()
    layout = QVBoxLayout(body)
    combo, spin = QComboBox(), QSpinBox()
    combo.addItems(["auto", "none", "required"])
    layout.addWidget(combo)
    layout.addWidget(spin)
    layout.addSpacing(3000)
    pane.setWidget(body)
    pane.resize(300, 200)
    qtbot.addWidget(pane)
    pane.show()
    qtbot.waitExposed(pane)
    bar = pane.verticalScrollBar()
    for control in (combo, spin):
        before = bar.value()
        _wheel(control)
        assert combo.currentIndex() == 0 and spin.value() == 0
        assert bar.value() > before  # the pane scrolled instead
        assert control.focusPolicy() == Qt.FocusPolicy.StrongFocus
    bar.setValue(0)
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    _wheel(combo)
    assert combo.currentIndex() == 1
