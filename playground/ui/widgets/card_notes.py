"""Findings about one message, shown on its card as well as in the Findings tab: a line under
the card's header (today: a message edited after a chain or a Conversation sent it,
core/sent_marks.py). A card built later from its spacer gets its line when it is built."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QBoxLayout, QLabel

from playground.core import sent_marks
from playground.core.findings import Finding
from playground.ui.theme import accent
from playground.ui.widgets.message_card import MessageCard

if TYPE_CHECKING:
    from playground.ui.widgets.conversation import ConversationView

SHOWN = frozenset({sent_marks.EDITED})
"""The codes of the findings a card shows."""
NOTE = "finding_note"
"""The object name of a card's note line (a test finds it by it)."""


class CardNotes(QObject):
    """See the module docstring."""

    def __init__(self, view: ConversationView) -> None:
        super().__init__(view)
        self._view = view
        self._notes: dict[int, Finding] = {}
        view.card_built.connect(self._on_card_built)

    def show(self, findings: Sequence[Finding]) -> None:
        """Show each finding at `messages[i]` that SHOWN names on the card of message i."""
        self._notes = {}
        for f in findings:
            match = re.fullmatch(r"messages\[(\d+)\]", f.path)
            if match and f.code in SHOWN:
                self._notes.setdefault(int(match.group(1)), f)
        for index, item in enumerate(self._items()):
            if isinstance(item, MessageCard):
                show_note(item, self._notes.get(index))

    def _items(self) -> list[object]:
        return [item for item in self._view._items if item is not self._view.live]

    def _on_card_built(self, card: MessageCard) -> None:
        items = self._items()
        if card in items:
            show_note(card, self._notes.get(items.index(card)))


def note_of(card: MessageCard) -> QLabel | None:
    """The card's note line, when it has one."""
    return card.findChild(QLabel, NOTE)


def show_note(card: MessageCard, finding: Finding | None) -> None:
    """Show `finding` under the card's header (None: hide the line)."""
    label = note_of(card)
    if finding is None:
        if label is not None:
            label.setVisible(False)
        return
    if label is None:
        label = QLabel()
        label.setObjectName(NOTE)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setMinimumWidth(1)  # wraps in a narrow pane instead of widening it
        layout = card.layout()
        assert isinstance(layout, QBoxLayout)
        layout.insertWidget(1, label)  # under the header row
    text = finding.message[:1].upper() + finding.message[1:]
    label.setText(text)
    label.setAccessibleName(f"{finding.severity}: {text}")
    label.setStyleSheet(f"color: {accent(finding.severity).name()};")
    label.setVisible(True)
