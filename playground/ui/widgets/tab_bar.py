"""The document tab bar: each tab's close button is a plain close icon in the theme's text
colour. Fusion draws the current tab's own close button as a filled red square, which reads
as an error; the focus ring (focus_ring.py) still shows on the bar."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QTabBar, QToolButton, QWidget

from playground.ui.widgets.common import tool_button

RIGHT = QTabBar.ButtonPosition.RightSide


class DocumentTabBar(QTabBar):
    """A tab bar whose tabs close (tabCloseRequested) by a button with the "delete" icon."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabsClosable(False)  # the buttons are ours, not the style's

    def close_button(self, index: int) -> QToolButton | None:
        button = self.tabButton(index, RIGHT)
        return button if isinstance(button, QToolButton) else None

    def tabInserted(self, index: int) -> None:
        super().tabInserted(index)
        button = tool_button("✕", "Close this tab (Ctrl+W)", icon="delete")
        button.setIconSize(QSize(12, 12))
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Ctrl+W closes from the keyboard
        button.setAccessibleDescription("Closes this tab")
        button.clicked.connect(lambda _=False, b=button: self._on_close_clicked(b))
        self.setTabButton(index, RIGHT, button)

    def _on_close_clicked(self, button: QToolButton) -> None:
        for i in range(self.count()):
            if self.tabButton(i, RIGHT) is button:
                self.tabCloseRequested.emit(i)
                return
