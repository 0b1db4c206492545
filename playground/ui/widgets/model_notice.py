"""The strip under the model field: a deprecated or shut-down model, and a one-click switch."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from playground.core.findings import Finding
from playground.ui.theme import accent
from playground.ui.widgets.common import html_text


class ModelNotice(QWidget):
    """Says what the lifecycle finding says, with "Switch to <replacement>" when one is named."""

    switch_requested = Signal(str)
    """The user asked to use this model id instead."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 0)  # inset as the panels below it
        frame = QFrame()
        frame.setObjectName("banner")  # framed as the window's other notices (style.qss)
        outer.addWidget(frame)
        row = QHBoxLayout(frame)
        row.setContentsMargins(10, 4, 6, 4)
        self.text = QLabel(wordWrap=True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.text, 1)
        self.switch = QPushButton()
        self.switch.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.switch.clicked.connect(self._on_switch_clicked)
        row.addWidget(self.switch)
        self._replacement: str | None = None
        self.setVisible(False)

    def show_finding(self, finding: Finding | None, replacement: str | None) -> None:
        """Show `finding` (None hides the strip) and a switch to `replacement` when given."""
        self._replacement = replacement
        if finding is None:
            self.setVisible(False)
            return
        colour = accent("error" if finding.severity == "error" else "warning").name()
        blocked = " Run is blocked on OpenAI's endpoint." if finding.severity == "error" else ""
        self.text.setText(
            f'<span style="color:{colour}">⚠</span> {html_text(finding.message)}.{blocked}'
        )
        self.text.setToolTip(f"{finding.severity}: {finding.message}")
        self.switch.setText(f"Switch to {replacement}" if replacement else "")
        self.switch.setToolTip(
            f"Use {replacement} in this workspace; everything else stays as it is"
            if replacement
            else ""
        )
        self.switch.setVisible(bool(replacement))
        self.setVisible(True)

    def _on_switch_clicked(self) -> None:
        if self._replacement:
            self.switch_requested.emit(self._replacement)
