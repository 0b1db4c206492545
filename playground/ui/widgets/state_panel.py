"""Conversation state, at the top of the Params tab: the mode (send everything, chain with
previous_response_id, a Conversation), the chain of response ids and where the state is kept,
and the Conversation's id with Create, Items and Delete. Emits intents; the tab's StateView
(ui/views/state_view.py) edits the Document and asks the controller."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from playground.core import state_modes
from playground.core.findings import Finding
from playground.core.workspace import Workspace
from playground.ui.theme import accent
from playground.ui.widgets.flow_layout import FlowLayout

_MODES = tuple(state_modes.LABELS)


class StatePanel(QFrame):
    """See the module docstring."""

    state_chosen = Signal(str)
    """The user chose a mode: "everything", "chain" or "conversation"."""
    conversation_id_edited = Signal(str)
    """The Conversation's id was typed or pasted ("" when emptied)."""
    conversation_id_entered = Signal(str)
    """An id was pasted, or typed and then Enter pressed or the field left: check it."""
    create_requested = Signal()
    """Create a new Conversation for this tab."""
    items_requested = Signal(str)
    """List the items of this Conversation."""
    delete_requested = Signal(str)
    """Delete this Conversation (the view asks to confirm first)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._last_text = ""  # the id field's text at its last edit (a paste adds more)
        self._note_about: str | None = None  # the id the note speaks of: it goes with it
        self._items_of: str | None = None  # the id whose items are listed
        self._missing: str | None = None  # an id the server answered 404 for
        self._setup_ui()

    # -- public ------------------------------------------------------------------------------

    def show_state(self, ws: Workspace) -> None:
        """Follow the workspace: its mode, chain, store and conversation."""
        responses = ws.api == "responses"
        self.mode.blockSignals(True)
        self.mode.setCurrentIndex(_MODES.index(ws.state))
        self.mode.blockSignals(False)
        self.mode.setEnabled(responses)
        conversation = ws.state == "conversation"
        self.conversation_row.setVisible(conversation and responses)
        if not conversation:
            self.items.setVisible(False)
        if self.conversation_id.text() != (ws.conversation_id or ""):
            self.conversation_id.setText(ws.conversation_id or "")
            self._last_text = self.conversation_id.text()
            self.conversation_id.setCursorPosition(0)
        self._forget_others(ws.conversation_id or "")
        has_id = bool(ws.conversation_id)
        self.items_button.setEnabled(has_id)
        self.delete_button.setEnabled(has_id)
        if not responses:
            self.chain_line.setText(
                "Conversation state is a Responses feature: Chat Completions sends the whole "
                "conversation every run."
            )
            self.where.setVisible(False)
            return
        self.where.setVisible(True)
        missing = bool(ws.conversation_id) and ws.conversation_id == self._missing
        self.where.setText(state_modes.where_stored(ws, missing=missing))
        self.chain_line.setText(state_modes.chain_line(ws))

    def show_findings(self, findings: Sequence[Finding]) -> None:
        """Show the warnings and errors about the conversation's state (codes "state.…":
        an edit the server will not see, nothing new to send...) under the mode, as well as in
        the Findings tab."""
        shown = [f for f in findings if f.code.startswith("state.") and f.severity != "info"]
        # each in its severity's colour, as the Findings tab shows it
        lines = [
            f"<span style='color:{accent(f.severity).name()}'>• "
            f"{html.escape(f.message[:1].upper() + f.message[1:], quote=False)}</span>"
            for f in shown
        ]
        self.findings.setText("<br>".join(lines))
        self.findings.setVisible(bool(shown))

    def show_items(self, conversation_id: str, items: list[dict[str, Any]]) -> None:
        """List the Conversation's items (oldest first)."""
        self.items.clear()
        for item in items:
            self.items.addItem(state_modes.item_line(item))
        if not items:
            self.items.addItem("(no items yet)")
        self.items.setVisible(True)
        self._items_of = conversation_id
        self.set_note(f"{len(items)} items in {conversation_id}", about=conversation_id)

    def set_note(self, text: str, kind: str = "muted", about: str | None = None) -> None:
        """A line under the buttons: what the last action did, or why it failed. `about`:
        the Conversation id it speaks of; it goes when the field no longer holds that id."""
        self.note.setText(text)
        self.note.setVisible(bool(text))
        self.note.setStyleSheet(f"color: {accent(kind).name()};")
        self._note_about = about if text else None

    def set_missing(self, conversation_id: str | None) -> None:
        """The server has no Conversation `conversation_id` (404); None: it has the one shown."""
        self._missing = conversation_id

    def set_busy(self, busy: bool) -> None:
        """A Conversation call is under way: its buttons wait."""
        for button in (self.create_button, self.items_button, self.delete_button):
            button.setEnabled(not busy and (button is self.create_button or self._has_id()))

    # -- private -----------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.setObjectName("state_panel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 8)
        layout.setSpacing(4)
        title = QLabel("<b>Conversation state</b>")
        layout.addWidget(title)
        self.mode = QComboBox()
        for key, label in state_modes.LABELS.items():
            self.mode.addItem(label, key)
        self.mode.setAccessibleName("Conversation state")
        self.mode.setToolTip(
            "How runs keep the conversation: send it all each time, chain responses with "
            "previous_response_id, or run in a Conversation stored on the server"
        )
        self.mode.currentIndexChanged.connect(self._on_mode_changed)
        layout.addWidget(self.mode)
        self.conversation_row = QWidget()  # right under the mode: lines below come and go
        row = QVBoxLayout(self.conversation_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.conversation_id = QLineEdit()
        self.conversation_id.setPlaceholderText("conv_… (Create one, or paste its id)")
        self.conversation_id.setAccessibleName("Conversation id")
        self.conversation_id.textEdited.connect(self._on_id_edited)
        self.conversation_id.editingFinished.connect(self._on_id_entered)
        row.addWidget(self.conversation_id)
        buttons = FlowLayout()  # wraps in a narrow pane instead of widening it
        self.create_button = QPushButton("Create")
        self.create_button.setToolTip("Create a new Conversation on the server for this tab")
        self.create_button.clicked.connect(self.create_requested)
        self.items_button = QPushButton("Items")
        self.items_button.setToolTip("List the Conversation's items, oldest first")
        self.items_button.clicked.connect(lambda: self.items_requested.emit(self._id()))
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setToolTip("Delete the Conversation and its items from the server")
        self.delete_button.clicked.connect(lambda: self.delete_requested.emit(self._id()))
        for button in (self.create_button, self.items_button, self.delete_button):
            buttons.addWidget(button)
        row.addLayout(buttons)
        self.items = QListWidget()
        self.items.setAccessibleName("Conversation items")
        self.items.setWordWrap(True)
        self.items.setMaximumHeight(160)
        self.items.setVisible(False)
        row.addWidget(self.items)
        layout.addWidget(self.conversation_row)
        self.note = self._wrapped()
        self.note.setVisible(False)
        layout.addWidget(self.note)
        self.chain_line = self._wrapped()
        layout.addWidget(self.chain_line)
        self.where = self._wrapped()
        layout.addWidget(self.where)
        self.findings = self._wrapped()
        self.findings.setTextFormat(Qt.TextFormat.RichText)  # each line in its colour
        self.findings.setAccessibleName("State findings")
        self.findings.setVisible(False)
        layout.addWidget(self.findings)
        layout.addStretch(1)  # room to spare goes below, never above the buttons

    def _wrapped(self) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setMinimumWidth(1)  # a long id is clipped, the pane not widened
        return label

    def _forget_others(self, conversation_id: str) -> None:
        """What is shown of another id than `conversation_id` goes: the note, the items."""
        if self._note_about is not None and self._note_about != conversation_id:
            self.set_note("")
        if self._items_of is not None and self._items_of != conversation_id:
            self._items_of = None
            self.items.setVisible(False)

    def _id(self) -> str:
        return self.conversation_id.text().strip()

    def _has_id(self) -> bool:
        return bool(self._id())

    def _on_mode_changed(self, index: int) -> None:
        self.state_chosen.emit(_MODES[index])

    def _on_id_edited(self, text: str) -> None:
        has_id = bool(text.strip())
        self.items_button.setEnabled(has_id)
        self.delete_button.setEnabled(has_id)
        self._forget_others(text.strip())
        self.conversation_id_edited.emit(text.strip())
        if _inserted(self._last_text, text) > 1:  # more than a keystroke at once: a paste
            self._on_id_entered()
        self._last_text = text

    def _on_id_entered(self) -> None:
        self._last_text = self.conversation_id.text()
        if self._has_id():
            self.conversation_id_entered.emit(self._id())


def _inserted(before: str, after: str) -> int:
    """How many characters one edit put in: `after` less what it shares with `before` at
    either end."""
    head = 0
    while head < min(len(before), len(after)) and before[head] == after[head]:
        head += 1
    tail = 0
    while tail < min(len(before), len(after)) - head and before[-1 - tail] == after[-1 - tail]:
        tail += 1
    return len(after) - head - tail
