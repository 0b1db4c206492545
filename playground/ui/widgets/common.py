"""Small widget helpers shared by the panels."""

from __future__ import annotations

from PySide6.QtWidgets import QToolButton


def tool_button(text: str, tip: str, checkable: bool = False, raised: bool = False) -> QToolButton:
    """A text tool button with a tooltip."""
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.setCheckable(checkable)
    button.setAutoRaise(not raised)
    return button
