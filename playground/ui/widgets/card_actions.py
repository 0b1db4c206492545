"""A message card's run actions: the Regenerate button on the last answer, and the "⋯" menu
(Edit and run from here on a user message, Regenerate on the last answer, Fork from here on
any message). The card raises each as a signal; the conversation says which card holds the
last answer. Also the card's tool-call lines, and its Image and File dialogs."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QToolButton, QWidget

from playground.core.workspace import ImagePart, ToolCall
from playground.ui.folders import dialog_folder, remember
from playground.ui.theme import accent
from playground.ui.widgets.common import html_text, tool_button
from playground.ui.widgets.copy_buttons import copy_button
from playground.ui.widgets.flow_layout import FlowLayout
from playground.ui.widgets.mcp_view import mcp_item_html

if TYPE_CHECKING:
    from playground.ui.widgets.message_card import MessageCard


def head_buttons(card: MessageCard, spacing: int) -> QWidget:
    """The card's buttons, right-aligned, wrapping onto more rows when the card is narrow (a
    row of them set the card's width, wider than the pane at 1000 px). Sets the card's
    `run_actions`, `copy` and `raw_toggle`."""
    buttons = QWidget()
    bar = FlowLayout(buttons, spacing=spacing, right=True)
    card.run_actions = CardActions(card)
    bar.addWidget(card.run_actions.regenerate_button)
    card.copy = copy_button(card.text, "Copy the message's text", "Copy message text")
    bar.addWidget(card.copy)
    card.raw_toggle = tool_button("Raw", "Show the raw text instead of rendered Markdown")
    card.raw_toggle.setCheckable(True)
    card.raw_toggle.toggled.connect(lambda raw: card._show_rendered(not raw))
    bar.addWidget(card.raw_toggle)
    img = tool_button("Image", "Attach an image file (or paste one into the editor)", icon="image")
    img.clicked.connect(lambda: _choose_image(card))
    bar.addWidget(img)
    doc = tool_button("File", "Attach a file: a PDF or another document", icon="file")
    doc.clicked.connect(lambda: _choose_file(card))
    bar.addWidget(doc)
    card.run_actions.message_only = [img, doc]  # an item has no content to attach to
    for text, tip, name, slot in (
        ("↑", "Move up", "up", lambda: card.move_requested.emit(-1)),
        ("↓", "Move down", "down", lambda: card.move_requested.emit(1)),
        ("Duplicate", "Duplicate this message", "add", card.duplicate_requested.emit),
        ("✕", "Delete this message", "delete", card.delete_requested.emit),
    ):
        b = tool_button(text, tip, icon=name)
        b.clicked.connect(slot)
        bar.addWidget(b)
        if name == "add":  # a copy of an item would send its id twice, which the server refuses
            card.run_actions.message_only.append(b)
    bar.addWidget(card.run_actions.more)
    return buttons


def _choose_image(card: MessageCard) -> None:
    start = dialog_folder(card, "attach")  # where the last attachment came from
    dialog = QFileDialog(card, "Attach image", start, "Images (*.png *.jpg *.jpeg *.gif *.webp)")
    dialog.fileSelected.connect(lambda path: remember(card, "attach", path))
    dialog.fileSelected.connect(lambda path: card.add_image(ImagePart(path=path, detail="auto")))
    dialog.open()


def _choose_file(card: MessageCard) -> None:
    dialog = QFileDialog(
        card,
        "Attach file",
        dialog_folder(card, "attach"),
        "Documents (*.pdf *.txt *.md *.docx *.csv);;All files (*)",
    )
    dialog.fileSelected.connect(lambda path: remember(card, "attach", path))
    dialog.fileSelected.connect(card.attach_file)
    dialog.open()


class CardActions:
    """The buttons and menu actions; `regenerate_button` and `more` go in the card's head."""

    def __init__(self, card: MessageCard) -> None:
        self.card = card
        self.last_answer = False
        self.message_only: list[QToolButton] = []
        """Image, File, Duplicate: hidden on a card holding an item that is not a message."""
        self.regenerate_button = tool_button(  # a symbol: the header keeps one line at 1000 px
            "↻",
            "Regenerate: run again and replace this answer (Ctrl+Shift+Enter); Undo brings it back",
        )
        self.regenerate_button.setAccessibleName("Regenerate")
        self.regenerate_button.clicked.connect(card.regenerate_requested)
        self.regenerate_button.setVisible(False)
        self.more = tool_button("⋯", "More: run from here, fork from here")
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self.menu = QMenu(self.more)
        self.run_from = QAction("Edit and run from here", self.menu)
        self.run_from.setToolTip("Drop the messages after this one and run (undoable)")
        self.run_from.triggered.connect(card.run_from_requested)
        self.regenerate = QAction("Regenerate this answer", self.menu)
        self.regenerate.triggered.connect(card.regenerate_requested)
        self.fork = QAction("Fork from here", self.menu)
        self.fork.setToolTip("A new tab with the conversation up to this message")
        self.fork.triggered.connect(card.fork_requested)
        self.menu.addActions([self.run_from, self.regenerate, self.fork])
        self.menu.setToolTipsVisible(True)
        self.menu.aboutToShow.connect(self.refresh)
        self.more.setMenu(self.menu)

    def show_item(self, item: bool) -> None:
        """The card holds an item that is not a message: offer only what applies to one."""
        for button in self.message_only:
            button.setVisible(not item)

    def set_last_answer(self, last: bool) -> None:
        """This card holds the answer Regenerate replaces."""
        self.last_answer = last
        self.refresh()

    def refresh(self) -> None:
        """Offer what fits the card's role now."""
        streaming = self.card.busy()
        role = self.card.role.currentText()
        self.run_from.setVisible(role == "user")
        self.regenerate.setVisible(self.last_answer and role == "assistant")
        self.regenerate_button.setVisible(self.last_answer and role == "assistant")
        self.more.setEnabled(not streaming)
        self.regenerate_button.setEnabled(not streaming)


def calls_html(
    calls: list[ToolCall],
    given: dict[str, Any] | None,
    mark: Callable[[str, str], str] | None = None,
) -> str:
    """The lines under a card's text: its tool calls, and the item it sends as imported.
    `mark(field, text)` gives the HTML of a call's name or arguments (by default the text,
    escaped); find marks its matches with it (field as core.find names it)."""
    show = mark or (lambda _field, text: html_text(text))
    lines = [
        f"▸ tool call <b>{show(f'tool_calls[{i}].name', c.name)}</b>"
        f"(<code>{show(f'tool_calls[{i}].arguments', _short(c.arguments))}</code>) "
        f"<span style='color:{accent('muted').name()}'>{c.id}</span>"
        for i, c in enumerate(calls)
    ]
    mcp = mcp_item_html(given) if given is not None else None
    if mcp is not None:
        lines.append(mcp)
    elif given is not None and given.get("type") != "reasoning":  # its own view (hosted_results)
        kind, ident = (str(given.get(k, d))[:60].replace("<", "&lt;") for k, d in _ITEM)
        lines.append(f"▸ {kind} item <code>{ident}</code>: sent exactly as given")
    return "<br>".join(lines)


_ITEM = (("type", "message"), ("id", ""))


def _short(arguments: str, limit: int = 120) -> str:
    try:
        text = json.dumps(json.loads(arguments))
    except ValueError:
        text = arguments
    return text if len(text) <= limit else text[:limit] + "…"
