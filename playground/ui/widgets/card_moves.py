"""Moving a message card of the conversation up or down, past a card or a spacer; deleting
one (an answer with its reasoning items)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from playground.core.conversation_edits import with_reasoning
from playground.ui.widgets.card_list import Pending

if TYPE_CHECKING:
    from playground.ui.widgets.conversation import ConversationView
    from playground.ui.widgets.message_card import MessageCard


def move_card(view: ConversationView, card: MessageCard, step: int) -> bool:
    """Swap `card` with the item `step` (-1 or +1) away; False when there is none there or
    the card is the live answer."""
    i = view._items.index(card)
    j = i + step
    if not 0 <= j < len(view._items) or card is view.live:
        return False
    other = view._items[j]
    # take both out, then put them back the other way round
    for index in sorted((i, j), reverse=True):
        view._items.pop(index)
        view.list_layout.takeAt(view._FIRST + index)
    first, second = (card, other) if j < i else (other, card)
    low = min(i, j)
    view._add_item(first, low)
    view._add_item(second, low + 1)
    return True


def delete_card(view: ConversationView, card: MessageCard) -> bool:
    """Remove `card`, and when it is an answer the reasoning items right before it (they
    belong to its response: core.conversation_edits.with_reasoning); False for the live
    answer. The caller announces the change once: one undo step."""
    if card is view.live:
        return False
    shown = [i.message if isinstance(i, Pending) else i.message() for i in view._items]
    for index in reversed(with_reasoning(shown, view._items.index(card))):
        view._remove(index)
    return True
