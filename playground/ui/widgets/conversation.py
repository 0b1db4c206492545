"""The conversation: instructions, message cards, the live output card, tool step, errors."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from playground.core.workspace import Message, Role, Workspace
from playground.ui.widgets.common import tool_button
from playground.ui.widgets.message_card import GrowingTextEdit, MessageCard


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
        self.action.clicked.connect(self._on_action)
        row.addWidget(self.action)
        self._callback: Callable[[], None] | None = None
        close = tool_button("✕", "Dismiss")
        close.clicked.connect(self._on_close)
        row.addWidget(close)
        self.setVisible(False)

    def show_text(
        self, html: str, action: str | None = None, callback: Callable[[], None] | None = None
    ) -> None:
        """Show a message, with an optional button that runs `callback`."""
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


class ConversationView(QWidget):
    changed = Signal()
    """Instructions or a message were edited."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cards: list[MessageCard] = []
        self.live: MessageCard | None = None
        self.transient: list[QWidget] = []
        self._follow = True
        self._setup_ui()

    # -- public ------------------------------------------------------------------------------

    def load(self, ws: Workspace) -> None:
        self.clear_transient()
        self.instructions.blockSignals(True)
        self.instructions.setPlainText(ws.instructions)
        self.instructions.blockSignals(False)
        for card in self.cards:
            self._discard(card)
        self.cards = []
        for msg in ws.messages:
            self._insert(MessageCard(msg), len(self.cards))

    def apply(self, ws: Workspace) -> Workspace:
        return ws.model_copy(
            update={
                "instructions": self.instructions.toPlainText(),
                # an answer still streaming joins the workspace when its run ends
                "messages": [c.message() for c in self.cards if c is not self.live],
            }
        )

    def add_message(
        self, role: Role, text: str = "", focus: bool = True, **kw: object
    ) -> MessageCard:
        card = MessageCard(Message(role=role, content=text, **kw))  # type: ignore[arg-type]
        self._insert(card, len(self.cards))
        if focus:
            card.editor.setFocus()
        self.changed.emit()
        self.scroll_to_end()
        return card

    def begin_live(self) -> MessageCard:
        """A new assistant card that the next run streams into."""
        self.clear_transient()
        card = MessageCard(Message(role="assistant"))
        card.begin_stream()
        self._insert(card, len(self.cards))
        self.live = card
        self.scroll_to_end()
        return card

    def end_live(self, keep: bool) -> None:
        """The run ended: the live card stays as a message, or goes when nothing arrived."""
        card = self.live
        self.live = None
        if card is None:
            return
        if not keep:
            self.cards.remove(card)
            self._discard(card)
        self.changed.emit()

    def add_transient(self, widget: QWidget) -> None:
        """A tool step or error card below the messages, until the next run."""
        self.transient.append(widget)
        self.list_layout.insertWidget(self.list_layout.count() - 1, widget)
        self.scroll_to_end()

    def clear_transient(self) -> None:
        for w in self.transient:
            self._discard(w)
        self.transient = []

    def scroll_to_end(self) -> None:
        # with the view as context, Qt drops the call if the view is gone by then
        QTimer.singleShot(0, self, self._scroll_to_end)

    def _scroll_to_end(self) -> None:
        bar = self.scroller.verticalScrollBar()
        bar.setValue(bar.maximum())
        self._follow = True

    def _on_scrolled(self, value: int) -> None:
        """Scrolled to the end, the view follows a streaming answer; scrolled up, it stays."""
        self._follow = value >= self.scroller.verticalScrollBar().maximum() - 4

    def _on_range_changed(self, _low: int, high: int) -> None:
        if self._follow and self.live is not None:
            self.scroller.verticalScrollBar().setValue(high)

    # -- private -----------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.banner = Banner()
        layout.addWidget(self.banner)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        self.list_layout = QVBoxLayout(inner)
        self.list_layout.setSpacing(8)
        label = QLabel("Instructions (system / developer)")
        label.setObjectName("cardTitle")
        self.list_layout.addWidget(label)
        self.instructions = GrowingTextEdit(max_lines=10)
        self.instructions.setPlaceholderText("You are a helpful assistant…")
        self.instructions.setToolTip(
            "Sent as instructions (Responses) or as the first system/"
            "developer message (Chat Completions)"
        )
        self.instructions.textChanged.connect(self.changed)
        self.list_layout.addWidget(self.instructions)
        self.list_layout.addStretch(1)
        self.scroller.setWidget(inner)
        bar = self.scroller.verticalScrollBar()
        bar.valueChanged.connect(self._on_scrolled)
        bar.rangeChanged.connect(self._on_range_changed)
        layout.addWidget(self.scroller, 1)
        row = QHBoxLayout()
        for role, tip in (
            ("user", "Add a user message (Ctrl+M)"),
            ("assistant", "Add an assistant message (a prior answer)"),
            ("developer", "Add a developer message"),
            ("system", "Add a system message"),
            ("tool", "Add a tool result message"),
        ):
            b = QPushButton(f"+ {role.capitalize()}")
            b.setToolTip(tip)
            b.clicked.connect(lambda _=False, r=role: self.add_message(r))
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)

    def _discard(self, widget: QWidget) -> None:
        """Take a widget out of the list at once (deleteLater alone leaves it on screen)."""
        self.list_layout.removeWidget(widget)
        widget.hide()
        widget.deleteLater()

    def _insert(self, card: MessageCard, index: int) -> None:
        self.cards.insert(index, card)
        # the layout holds: title, instructions, cards..., transient..., stretch
        self.list_layout.insertWidget(2 + index, card)
        card.changed.connect(self.changed)
        card.delete_requested.connect(lambda c=card: self._on_delete(c))
        card.move_requested.connect(lambda step, c=card: self._on_move(c, step))
        card.duplicate_requested.connect(lambda c=card: self._on_duplicate(c))

    def _on_delete(self, card: MessageCard) -> None:
        if card is self.live:
            return
        self.cards.remove(card)
        self._discard(card)
        self.changed.emit()

    def _on_move(self, card: MessageCard, step: int) -> None:
        i = self.cards.index(card)
        j = i + step
        if not 0 <= j < len(self.cards) or card is self.live:
            return
        self.cards[i], self.cards[j] = self.cards[j], self.cards[i]
        self.list_layout.removeWidget(card)
        self.list_layout.insertWidget(2 + j, card)
        self.changed.emit()

    def _on_duplicate(self, card: MessageCard) -> None:
        i = self.cards.index(card)
        self._insert(MessageCard(card.message()), i + 1)
        self.changed.emit()
