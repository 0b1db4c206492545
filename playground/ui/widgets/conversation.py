"""The conversation: instructions, message cards, the live output card, tool step, errors."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, QEvent, QRect, QTimer, Signal, SignalInstance
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from playground.core.workspace import Message, Role, Workspace
from playground.ui.widgets.card_list import (
    CardList,
    Item,
    Pending,
    add_buttons,
    answer_index,
    estimate_height,
    releasable,
)
from playground.ui.widgets.card_moves import delete_card, move_card
from playground.ui.widgets.growing_text_edit import GrowingTextEdit
from playground.ui.widgets.message_card import MessageCard


class ConversationView(QWidget):
    """Instructions and the message cards, then transient cards (tool step, errors).

    Only the cards in and near the viewport are built: the others are spacers of their
    estimated height holding their message, so a workspace of thousands of messages opens at
    once. A card far from the viewport that is not being edited goes back to a spacer, so
    scrolling through everything does not keep thousands of cards alive.
    """

    changed = Signal()
    """Instructions or a message were edited."""
    continue_requested = Signal()
    """Continue on an answer that stopped at the output-token limit."""
    regenerate_requested = Signal()
    """Run again, replacing the last answer."""
    run_from_requested = Signal(int)
    """Drop the messages after message `index` and run."""
    fork_requested = Signal(int)
    """A new tab with the messages up to and including message `index`."""
    card_built = Signal(object)
    """A message card was built in place of its spacer (find marks its matches on it)."""
    said = Signal(str)
    """What a card's result says on the status line ("Saved image to PATH")."""

    MAX_BUILT = 80  # cards kept built; the ones farthest from the viewport go first

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[Item] = []
        self.live: MessageCard | None = None
        self.transient: list[QWidget] = []
        self._follow = True
        self._scheduled = False
        self._answer: int | None = None  # the item holding the answer Regenerate replaces
        self._marking = False
        self._setup_ui()
        self.changed.connect(self._mark_soon)

    @property
    def cards(self) -> CardList:
        return CardList(self)

    # -- public ------------------------------------------------------------------------------

    def load(self, ws: Workspace) -> None:
        """Show `ws`'s instructions and messages (an answer still streaming stays last)."""
        if self.live is None:
            self.clear_transient()
        self._set_instructions(ws.instructions)
        for index in reversed(range(len(self._items))):
            if self._items[index] is not self.live:
                self._remove(index)
        width = self._text_width()
        for msg in ws.messages:
            index = len(self._items) - (self.live is not None)
            self._add_item(Pending(msg, estimate_height(msg, width)), index)
        if self.live is None:
            self.scroller.verticalScrollBar().setValue(0)
            self._follow = False
        self._schedule()
        self._mark_last_answer()

    def reload(self, ws: Workspace, path: str, _drafts: dict[str, str]) -> None:
        """Redraw what changed at `path` (an undo, a redo): one message where it can."""
        match = re.fullmatch(r"messages\[(\d+)\]", path)
        shown = [item for item in self._items if item is not self.live]
        if path == "instructions":
            self._set_instructions(ws.instructions)
        elif match and len(shown) == len(ws.messages):
            item, msg = shown[int(match.group(1))], ws.messages[int(match.group(1))]
            if isinstance(item, Pending):
                item.message = msg
            else:
                item.set_message(msg)
            self._mark_last_answer()
        else:
            self.load(ws)

    def _set_instructions(self, text: str) -> None:
        if self.instructions.toPlainText() != text:
            self.instructions.blockSignals(True)
            self.instructions.setPlainText(text)
            self.instructions.blockSignals(False)

    def apply(self, ws: Workspace) -> Workspace:
        return ws.model_copy(
            update={
                "instructions": self.instructions.toPlainText(),
                # an answer still streaming joins the workspace when its run ends
                "messages": [
                    item.message if isinstance(item, Pending) else item.message()
                    for item in self._items
                    if item is not self.live
                ],
            }
        )

    def add_message(
        self, role: Role, text: str = "", focus: bool = True, at: int | None = None, **kw: object
    ) -> MessageCard:
        card = self._new_card(Message(role=role, content=text, **kw))  # type: ignore[arg-type]
        self._add_item(card, len(self._items) if at is None else at)
        if focus:
            card.editor.setFocus()
        self.changed.emit()
        self.scroll_to_end()
        return card

    def begin_live(self) -> MessageCard:
        """A new assistant card that the next run streams into."""
        self.clear_transient()
        card = self._new_card(Message(role="assistant"))
        card.begin_stream()
        self._add_item(card, len(self._items))
        self.live = card
        self.scroll_to_end()
        return card

    def insert_before_live(self, message: Message) -> None:
        """A card for `message` just above the answer streaming in (a hosted tool's call)."""
        at = self._items.index(self.live) if self.live in self._items else len(self._items)
        self._add_item(self._new_card(message), at)

    def end_live(self, keep: bool) -> None:
        """The run ended: the live card stays as a message, or goes when nothing arrived."""
        card = self.live
        self.live = None
        if card is None:
            return
        if not keep:
            self._remove(self._items.index(card))
        self.changed.emit()

    def add_transient(self, widget: QWidget) -> None:
        """A tool step or error card below the messages, until the next run."""
        self.transient.append(widget)
        self.list_layout.insertWidget(self.list_layout.count() - 1, widget)
        if self._follow:  # at the end: keep it there; scrolled up to read: stay put
            self.scroll_to_end()

    def clear_transient(self) -> None:
        for w in self.transient:
            self._discard(w)
        self.transient = []

    def scroll_to_end(self) -> None:
        # with the view as context, Qt drops the call if the view is gone by then
        QTimer.singleShot(0, self, self._scroll_to_end)

    def built(self) -> int:
        """How many message cards exist as widgets now."""
        return sum(isinstance(item, MessageCard) for item in self._items)

    # -- scrolling and building --------------------------------------------------------------

    def _scroll_to_end(self) -> None:
        bar = self.scroller.verticalScrollBar()
        bar.setValue(bar.maximum())
        self._follow = True
        self._schedule()

    def _on_scrolled(self, value: int) -> None:
        """Scrolled to the end, the view follows a streaming answer; scrolled up, it stays."""
        self._follow = value >= self.scroller.verticalScrollBar().maximum() - 4
        self._schedule()

    def _on_range_changed(self, _low: int, high: int) -> None:
        # at the end, the view stays there as the list grows: an answer, a tool step, an error
        if self._follow:
            self.scroller.verticalScrollBar().setValue(high)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._schedule()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._schedule()

    def _schedule(self) -> None:
        """Build the cards that came into view, once the current events are handled."""
        if not self._scheduled:
            self._scheduled = True
            QTimer.singleShot(0, self, self._build_visible)

    def _build_visible(self) -> None:
        self._scheduled = False
        if not self.isVisible() or not self._items:
            return
        bar = self.scroller.verticalScrollBar()
        top = bar.value()
        height = self.scroller.viewport().height()
        wanted = self._range(top - height // 2, top + height + height // 2)
        pending = [i for i in wanted if isinstance(self._items[i], Pending)]
        if not pending:
            return
        at_end = self._follow and top >= bar.maximum() - 4
        anchor, offset = self._anchor(top)
        for i in pending:
            self._build(i)
        self._release(wanted)
        self._settle()
        if at_end:
            bar.setValue(bar.maximum())
        elif anchor is not None:
            bar.setValue(self._geometry(self._items[anchor]).top() + offset)

    def _range(self, top: int, bottom: int) -> range:
        """Indexes of the items that overlap the band [top, bottom] of the list."""
        self._settle()
        n = len(self._items)
        lo, hi = 0, n
        while lo < hi:  # the first item whose bottom is below `top`
            mid = (lo + hi) // 2
            if self._geometry(self._items[mid]).bottom() < top:
                lo = mid + 1
            else:
                hi = mid
        end = lo
        while end < n and self._geometry(self._items[end]).top() <= bottom:
            end += 1
        return range(lo, max(end, lo + 1) if lo < n else n)

    def _anchor(self, top: int) -> tuple[int | None, int]:
        """The first item in view and how far its top is above the viewport's top."""
        window = self._range(top, top)
        if not window:
            return None, 0
        return window.start, top - self._geometry(self._items[window.start]).top()

    def _geometry(self, item: Item) -> QRect:
        return item.spacer.geometry() if isinstance(item, Pending) else item.geometry()

    def _settle(self) -> None:
        """Lay out the list now, so geometries are current."""
        self.list_layout.activate()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)

    def _release(self, keep: range) -> None:
        """Turn the built cards farthest from view back into spacers, beyond MAX_BUILT."""
        for i in releasable(self._items, keep, self.MAX_BUILT, self.live):
            card = self._items[i]
            assert isinstance(card, MessageCard)
            height = card.height() + self.list_layout.spacing()
            self._replace(i, Pending(card.message(), height))

    def _text_width(self) -> int:
        return max(self.scroller.viewport().width() - 40, 200)

    # -- private -----------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
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
        self.instructions.setAccessibleName("Instructions")
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
        layout.addLayout(add_buttons(self.add_message))

    def _discard(self, widget: QWidget) -> None:
        """Take a widget out of the list at once (deleteLater alone leaves it on screen)."""
        self.list_layout.removeWidget(widget)
        widget.hide()
        widget.deleteLater()

    # The layout holds: title, instructions, items..., transient..., stretch.
    _FIRST = 2

    def _new_card(self, message: Message) -> MessageCard:
        card = MessageCard(message)
        card.changed.connect(self.changed)
        card.delete_requested.connect(lambda c=card: self._on_delete(c))
        card.move_requested.connect(lambda step, c=card: self._on_move(c, step))
        card.duplicate_requested.connect(lambda c=card: self._on_duplicate(c))
        card.continue_requested.connect(self.continue_requested)
        card.regenerate_requested.connect(self.regenerate_requested)
        card.run_from_requested.connect(
            lambda c=card: self._on_card_asks(c, self.run_from_requested)
        )
        card.fork_requested.connect(lambda c=card: self._on_card_asks(c, self.fork_requested))
        card.results.image_saved.connect(lambda p: self.said.emit(f"Saved image to {p}"))
        card.results.image_copied.connect(lambda: self.said.emit("Copied the image"))
        return card

    def _add_item(self, item: Item, index: int) -> None:
        self._items.insert(index, item)
        self._put(item, index)

    def _put(self, item: Item, index: int) -> None:
        if isinstance(item, Pending):
            self.list_layout.insertItem(self._FIRST + index, item.spacer)
        else:
            self.list_layout.insertWidget(self._FIRST + index, item)
            item.show()  # now, not at the next turn: a hidden card has no place in the layout

    def _remove(self, index: int) -> None:
        item = self._items.pop(index)
        if isinstance(item, Pending):
            self.list_layout.takeAt(self._FIRST + index)  # by index: no search of the list
        else:
            self._discard(item)

    def _replace(self, index: int, item: Item) -> None:
        self._remove(index)
        self._add_item(item, index)

    def _build(self, index: int) -> MessageCard:
        item = self._items[index]
        if isinstance(item, MessageCard):
            return item
        card = self._new_card(item.message)
        self._replace(index, card)
        card.run_actions.set_last_answer(index == self._answer)
        self.card_built.emit(card)
        return card

    def _on_card_asks(self, card: MessageCard, signal: SignalInstance) -> None:
        if card is not self.live and card in self._items:
            signal.emit(self._items.index(card))  # the live card is last: this is its message

    def _mark_soon(self) -> None:
        if not self._marking:
            self._marking = True
            QTimer.singleShot(0, self, self._mark_last_answer)

    def _mark_last_answer(self) -> None:
        """Show Regenerate on the card of the answer it would replace (the last assistant
        message after the last user or tool message), and on no other."""
        self._marking = False
        items = [item for item in self._items if item is not self.live]
        self._answer = answer_index(items)
        for index, item in enumerate(items):
            if isinstance(item, MessageCard):
                item.run_actions.set_last_answer(index == self._answer)

    def _on_delete(self, card: MessageCard) -> None:
        if delete_card(self, card):
            self.changed.emit()
        self._schedule()

    def _on_move(self, card: MessageCard, step: int) -> None:
        if move_card(self, card, step):
            self.changed.emit()

    def _on_duplicate(self, card: MessageCard) -> None:
        i = self._items.index(card)
        self._add_item(self._new_card(card.message()), i + 1)
        self.changed.emit()
