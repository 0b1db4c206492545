"""Small widget helpers shared by the panels."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QLabel, QSpinBox, QToolButton, QWidget


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


def outline(control: QWidget, on: bool) -> None:
    """Outline `control` in the error colour, or not (style.qss `QWidget[invalid]`)."""
    control.setProperty("invalid", on)
    control.style().unpolish(control)
    control.style().polish(control)


def show_problem(note: QLabel, field: QWidget, problem: str) -> None:
    """What is wrong with `field`, said in `note` in the error colour (style.qss
    `QLabel#findings`) with the field outlined; "" clears both. Every field error goes here."""
    note.setObjectName("findings")
    note.setStyleSheet("")  # a label that said "✓" in the ok colour gives the colour back
    note.setText(problem)
    note.setVisible(bool(problem))
    outline(field, bool(problem))
