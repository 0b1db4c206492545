"""A reasoning item in the conversation, collapsed: one line with its summary's first words
(and the length of its encrypted content, never the content), opening on its whole summary.
The item itself is sent back as given (core/reasoning_items.py)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QToolButton, QVBoxLayout, QWidget

from playground.core.reasoning_items import encrypted_length, headline, summary_text


class ReasoningItemView(QWidget):
    """The collapsed reasoning item: a toggle line and the summary it opens on."""

    def __init__(self, item: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.toggle = QToolButton()
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setText(headline(item))
        size = encrypted_length(item)
        sent = (
            f"Its encrypted content ({size} characters) goes back with it; it is never shown."
            if size
            else "It has no encrypted content: the server finds it by its id when it is stored."
        )
        self.toggle.setToolTip(
            f"Reasoning item {item.get('id', '')}: sent back with the conversation. {sent}"
        )
        self.toggle.setAccessibleName("Reasoning item")
        self.toggle.setAccessibleDescription("Show or hide the reasoning summary")
        self.toggle.toggled.connect(self._on_toggled)
        layout.addWidget(self.toggle)
        self.summary = QLabel(summary_text(item) or "(the model gave no summary)")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.MarkdownText)  # summaries are Markdown
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setVisible(False)
        layout.addWidget(self.summary)

    def _on_toggled(self, shown: bool) -> None:
        self.summary.setVisible(shown)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
