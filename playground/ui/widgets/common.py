"""Small widget helpers shared by the panels."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QSpinBox, QToolButton


def tool_button(
    text: str, tip: str, checkable: bool = False, raised: bool = False, icon: str | None = None
) -> QToolButton:
    """A tool button with a tooltip: its text, or the icon resources/icons/<icon>.svg (the text
    then stands in when the icon cannot be drawn)."""
    button = QToolButton()
    button.setText(text)
    if icon is not None:
        from playground.ui.icons import icon as load_icon

        drawn = load_icon(icon)
        if not drawn.isNull():
            button.setIcon(drawn)
    button.setToolTip(tip)
    button.setCheckable(checkable)
    button.setAutoRaise(not raised)
    return button


def html_text(text: str) -> str:
    """`text` for a rich-text label: &, < and > escaped (quotes are fine in label text)."""
    return html.escape(text, quote=False)


class UnsetSpin(QSpinBox):
    """A spin box that reads "none" while its parameter is not sent."""

    def __init__(self) -> None:
        super().__init__()
        self._unset = True

    def set_unset(self, unset: bool) -> None:
        self._unset = unset
        self.lineEdit().setText(self.textFromValue(self.value()))

    def textFromValue(self, value: int) -> str:
        return "none" if self._unset else super().textFromValue(value)
