"""A dismissable notice above the conversation, with one optional action."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from playground.ui.widgets.common import tool_button


class Banner(QFrame):
    dismissed = Signal()
    """The user closed the banner."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        row = QHBoxLayout(self)
        self.text = QLabel(wordWrap=True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        row.addWidget(self.text, 1)
        self.action = QPushButton()
        self.action.setVisible(False)
        self.action.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.action.clicked.connect(self._on_action)
        row.addWidget(self.action)
        self._callback: Callable[[], None] | None = None
        self.owner: str | None = None
        """The tab whose notice this is (its id), or None for a window-wide one."""
        close = tool_button("✕", "Dismiss", icon="delete")
        close.clicked.connect(self._on_close)
        row.addWidget(close)
        self.setVisible(False)

    def show_text(
        self,
        html: str,
        action: str | None = None,
        callback: Callable[[], None] | None = None,
        owner: str | None = None,
    ) -> None:
        """Show a message, with an optional button that runs `callback`; `owner` is the id
        of the tab it belongs to (None: it belongs to the window)."""
        self.owner = owner
        self.text.setText(html)
        self._callback = callback
        self.action.setText(action or "")
        self.action.setToolTip(action or "")
        self.action.setVisible(bool(action and callback))
        self.setVisible(True)

    def _on_action(self) -> None:
        callback = self._callback
        self.setVisible(False)
        if callback is not None:
            callback()

    def _on_close(self) -> None:
        self.setVisible(False)
        self.dismissed.emit()
