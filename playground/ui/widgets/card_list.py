"""The conversation's items: a built message card, or a spacer standing for one not built yet
(`Pending`), the card list that builds a card when it is asked for, which item holds the last
answer, and the row of buttons that add a message."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, overload

from PySide6.QtWidgets import QApplication, QPushButton, QSizePolicy, QSpacerItem

from playground.core.conversation_edits import last_answer_start
from playground.core.workspace import Message
from playground.ui.icons import icon
from playground.ui.widgets.flow_layout import FlowLayout
from playground.ui.widgets.message_card import MessageCard

if TYPE_CHECKING:
    from playground.ui.widgets.conversation import ConversationView


class Pending:
    """A message whose card is not built yet: a spacer of about the card's height."""

    __slots__ = ("message", "spacer")

    def __init__(self, message: Message, height: int) -> None:
        self.message = message
        self.spacer = QSpacerItem(0, height, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)


Item = MessageCard | Pending


class CardList(Sequence[MessageCard]):
    """The conversation's cards; a card not built yet is built when it is asked for."""

    def __init__(self, view: ConversationView) -> None:
        self._view = view

    def __len__(self) -> int:
        return len(self._view._items)

    @overload
    def __getitem__(self, index: int) -> MessageCard: ...
    @overload
    def __getitem__(self, index: slice) -> list[MessageCard]: ...
    def __getitem__(self, index: int | slice) -> MessageCard | list[MessageCard]:
        n = len(self)
        if isinstance(index, slice):
            return [self._view._build(i) for i in range(*index.indices(n))]
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("card index out of range")
        return self._view._build(index)


def estimate_height(msg: Message, width: int) -> int:
    """About the height of a message's card at this text width, before it is built."""
    text = msg.text
    per_line = max(width // 7, 20)  # characters of an average proportional font
    lines = text.count("\n") + 1 + len(text) // per_line if text else 2
    if msg.role != "assistant" or not text:
        lines = min(max(lines, 2), 18)  # an editor card scrolls beyond 18 lines
    return 60 + 18 * lines + 22 * len(msg.tool_calls)


def releasable(items: Sequence[Item], keep: range, most: int, live: Any) -> list[int]:
    """The built cards to turn back into spacers, farthest from view (`keep`) first, so that
    at most `most` stay built: never one in view, the `live` one, a busy one or one with the
    focus."""
    built = [i for i, item in enumerate(items) if isinstance(item, MessageCard)]
    if len(built) <= most:
        return []
    focus = QApplication.focusWidget()
    middle = (keep.start + keep.stop) // 2
    built.sort(key=lambda i: abs(i - middle), reverse=True)
    out = []
    for i in built[: len(built) - most]:
        card = items[i]
        assert isinstance(card, MessageCard)
        if not (i in keep or card is live or card.busy() or (focus and card.isAncestorOf(focus))):
            out.append(i)
    return out


def answer_index(items: Sequence[Item]) -> int | None:
    """The item holding the answer Regenerate replaces: the last assistant message after the
    last user or tool message (core.conversation_edits), or None."""
    roles = [i.message.role if isinstance(i, Pending) else i.role.currentText() for i in items]
    start = last_answer_start(roles)
    if start is None:
        return None
    return max(i for i in range(start, len(roles)) if roles[i] == "assistant")


def add_buttons(add: Callable[..., Any]) -> FlowLayout:
    """The row under the conversation: one button per role, each calls `add(role)`; it wraps
    onto a second row in a narrow pane."""
    row = FlowLayout()
    for role, tip in (
        ("user", "Add a user message (Ctrl+M)"),
        ("assistant", "Add an assistant message (a prior answer)"),
        ("developer", "Add a developer message"),
        ("system", "Add a system message"),
        ("tool", "Add a tool result message"),
    ):
        b = QPushButton(role.capitalize())
        b.setIcon(icon("add"))
        b.setToolTip(tip)
        b.clicked.connect(lambda _=False, r=role: add(r))
        row.addWidget(b)
    return row


def keep_sent(view: ConversationView, messages: Sequence[Message]) -> None:
    """Each message shown (the live card aside) takes what the message at its position in
    `messages` records of what was sent of it (core/sent_marks.py); a spacer's message too."""
    items = [item for item in view._items if item is not view.live]
    for item, msg in zip(items, messages, strict=False):
        if isinstance(item, Pending):
            sent = msg.model_dump(include={"sent_digest", "sent_prefix"})
            item.message = item.message.model_copy(update=sent)
        else:
            item.keep_sent(msg)
