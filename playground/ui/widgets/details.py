"""A "Details" expander: technical detail (the server's message, status, request id), folded
away under a card's words for people."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent, QTextOption
from PySide6.QtWidgets import QFrame, QSizePolicy, QTextBrowser, QToolButton, QVBoxLayout, QWidget

from playground.ui.widgets.schema_editor import mono_font


class WrappedText(QTextBrowser):
    """Selectable plain text that wraps anywhere, a long request id too (a label wraps only
    between words, so one long word set the card's width), and is as tall as its text."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlainText(text)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.document().setDocumentMargin(0)
        self.viewport().setAutoFillBackground(False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    def text(self) -> str:
        return self.toPlainText()

    def sizeHint(self) -> QSize:
        doc = self.document()
        width = max(self.viewport().width(), 100)
        if doc.textWidth() != width:
            doc.setTextWidth(width)
        return QSize(width, int(doc.size().height()) + 2)

    def minimumSizeHint(self) -> QSize:
        return QSize(60, self.sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # its height follows its width


class DetailsExpander(QWidget):
    """A "Details" toggle over selectable text, folded at first."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.toggle = QToolButton()
        self.toggle.setText("Details")
        self.toggle.setCheckable(True)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolTip("Show what the server said: its message, status and request id")
        self.toggle.setAccessibleName("Details")
        self.toggle.toggled.connect(self._on_toggle_toggled)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        self.text = WrappedText(text)
        self.text.setFont(mono_font())
        self.text.setAccessibleName("Details")
        self.text.setAccessibleDescription("What the server said: its message, status and id")
        self.text.setVisible(False)
        layout.addWidget(self.text)

    @property
    def expanded(self) -> bool:
        return self.toggle.isChecked()

    def _on_toggle_toggled(self, on: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.text.setVisible(on)
