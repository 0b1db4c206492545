"""Find in the conversation: the find bar's search over the conversation's messages, the
highlights on the built cards, and stepping from match to match.

The search runs over the data (core.find over the instructions and every item's message,
built or not); stepping to a match in a card not built yet builds it. A card's highlights are
found in the text the card shows: its editor's text, or for a rendered answer the rendered
document's, where the n-th occurrence in a field stands for the n-th match of the data.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, QTimer
from PySide6.QtGui import (
    QAction,
    QColor,
    QKeySequence,
    QPalette,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTextEdit, QVBoxLayout, QWidget

from playground.core.find import INSTRUCTIONS, TEXT, Match, find_in_conversation, find_in_text
from playground.ui.actions import make_shortcut
from playground.ui.widgets.card_actions import calls_html
from playground.ui.widgets.card_list import Pending
from playground.ui.widgets.find_bar import FindBar
from playground.ui.widgets.message_card import MessageCard

if TYPE_CHECKING:
    from playground.ui.widgets.conversation import ConversationView

Editor = QPlainTextEdit | QTextEdit


def match_formats() -> tuple[QTextCharFormat, QTextCharFormat]:
    """(every match, the current match): a yellow mark, and a strong orange one, readable on
    the light and the dark palette."""
    dark = QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128
    every, current = QTextCharFormat(), QTextCharFormat()
    every.setBackground(QColor("#7a6400" if dark else "#fff176"))
    every.setForeground(QColor("#ffffff" if dark else "#000000"))
    current.setBackground(QColor("#ff9632"))
    current.setForeground(QColor("#000000"))
    return every, current


def utf16(text: str, index: int) -> int:
    """A character index of `text` as a Qt text position (UTF-16 code units)."""
    if text.isascii():
        return index
    return index + sum(1 for ch in text[:index] if ord(ch) > 0xFFFF)


class ConversationFind(QObject):
    """The find bar of one ConversationView and what it shows (see the module docstring)."""

    def __init__(self, view: ConversationView) -> None:
        super().__init__(view)
        self.view = view
        self.bar = FindBar()
        self.bar.hide()
        layout = view.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, self.bar)  # above the list
        self.matches: list[Match] = []
        self.current: int | None = None
        self._by_item: dict[int | None, list[int]] = {}  # item index -> indexes in matches
        self._query, self._case = "", False
        self._lit: set[MessageCard] = set()
        self._searched = 0  # the items there were at the last search
        self._now: tuple[Editor, QTextCursor] | None = None  # where the current match is shown
        self.bar.query_changed.connect(self._on_query_changed)
        self.bar.step_requested.connect(self.step)
        self.bar.closed.connect(self.clear)
        self._again = QTimer(self, singleShot=True, interval=200)
        self._again.timeout.connect(lambda: self.search(reveal=False))
        view.changed.connect(self._on_view_changed)
        view.card_built.connect(self._on_card_built)
        # Ctrl+F in the conversation, for a window without a Find action of its own (with
        # one, two shortcuts of one key would cancel each other out: see _on_view_shown)
        self.find_key = make_shortcut(
            view, QKeySequence.StandardKey.Find, "Find", "Conversation", self.open
        )
        self.find_key.activatedAmbiguously.connect(self.open)
        view.installEventFilter(self)
        for key, name, step in (  # F3, Shift+F3 (and Ctrl+G, Ctrl+Shift+G on Linux)
            (QKeySequence.StandardKey.FindNext, "Find next", 1),
            (QKeySequence.StandardKey.FindPrevious, "Find previous", -1),
        ):
            make_shortcut(view, key, name, "Conversation", partial(self._on_step_key, step))

    # -- public ------------------------------------------------------------------------------

    def open(self) -> None:
        """Show the find bar (Ctrl+F)."""
        self.bar.open()

    @property
    def active(self) -> bool:
        return self.bar.isVisible() and bool(self._query)

    def search(self, reveal: bool = True) -> None:
        """Search the conversation for the bar's query; highlight; with `reveal`, make the
        match at or after the first card in view current and scroll to it."""
        before = self.matches[self.current] if self.current is not None else None
        self._now = None
        self._query, self._case = self.bar.query(), self.bar.match_case()
        items = self.view._items
        messages = [i.message if isinstance(i, Pending) else i.message() for i in items]
        self.matches = find_in_conversation(
            self.view.instructions.toPlainText(), messages, self._query, self._case
        )
        self._searched = len(items)
        self._by_item = {}
        for n, m in enumerate(self.matches):
            self._by_item.setdefault(m.message, []).append(n)
        self.current = self._first_from(before) if self.matches else None
        self._light_all()
        self.bar.show_count(self.current, len(self.matches))
        if reveal and self.current is not None:
            self._reveal()

    def step(self, step: int) -> None:
        """Make the next (+1) or previous (-1) match current and scroll to it."""
        if len(self.view._items) != self._searched:  # reloaded (an undo, a file) since
            self.search(reveal=False)
        if not self.matches:
            return
        old = self.current
        self._now = None
        if old is None:
            self.current = 0 if step > 0 else len(self.matches) - 1
        else:
            self.current = (old + step) % len(self.matches)
        for n in {old, self.current}:
            if n is not None:
                self._light(self.matches[n].message)
        self.bar.show_count(self.current, len(self.matches))
        self._reveal()

    def clear(self) -> None:
        """No highlights, no matches (the bar was closed)."""
        self._query = ""
        self.matches, self.current, self._by_item = [], None, {}
        self._light_all()
        self.view.scroller.setFocus()

    # -- highlighting ------------------------------------------------------------------------

    def _light_all(self) -> None:
        self._light(None)
        for card in list(self._lit):
            if card not in self.view._items:
                self._lit.discard(card)
        for index, item in enumerate(self.view._items):
            if isinstance(item, MessageCard) and (item in self._lit or index in self._by_item):
                self._light(index)

    def _light(self, index: int | None) -> None:
        """Show the matches of item `index` (None: the instructions)."""
        found = [self.matches[n] for n in self._by_item.get(index, [])]
        current = self.matches[self.current] if self.current is not None else None
        if index is None:
            self._mark(self.view.instructions, found, INSTRUCTIONS, current)
            return
        card = self.view._items[index] if index < len(self.view._items) else None
        if not isinstance(card, MessageCard):
            return
        if not card.property("findHooked"):  # Raw refills the editor: mark it again
            card.setProperty("findHooked", True)
            card.raw_toggle.toggled.connect(lambda _raw, c=card: self._on_card_built(c))
        if found:
            self._lit.add(card)
        else:
            self._lit.discard(card)
        self._mark(card.editor, found, TEXT, current)
        self._mark(card.view, found, TEXT, current)
        msg = card.message()
        calls = msg.tool_calls if msg.role == "assistant" else []
        if calls or msg.item is not None:
            card.calls.setText(calls_html(calls, msg.item, self._marker(found, current)))

    def _mark(self, editor: Editor, found: list[Match], field: str, current: Match | None) -> None:
        """Extra selections on `editor` for the matches of `field` (`current` stronger)."""
        ours = [m for m in found if m.field == field]
        if not ours and not editor.extraSelections():
            return
        text = editor.toPlainText()
        spans = find_in_text(text, self._query, self._case) if ours else []
        strong = ours.index(current) if current in ours else None
        every, now = match_formats()
        selections = []
        for n, (start, length) in enumerate(spans):
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(editor.document())
            cursor.setPosition(utf16(text, start))
            cursor.setPosition(utf16(text, start + length), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor  # type: ignore[attr-defined]
            # the n-th occurrence shown stands for the n-th of the data (the last, if fewer)
            is_now = strong is not None and n == min(strong, len(spans) - 1)
            selection.format = now if is_now else every  # type: ignore[attr-defined]
            if is_now:
                self._now = (editor, cursor)
            selections.append(selection)
        editor.setExtraSelections(selections)

    def _marker(self, found: list[Match], current: Match | None) -> Callable[[str, str], str]:
        """How the tool-call lines mark the matches of each of their fields."""
        every, now = (f.background().color().name() for f in match_formats())
        fg = match_formats()[0].foreground().color().name()

        def mark(field: str, shown: str) -> str:
            ours = [m for m in found if m.field == field]
            if not ours:
                return html.escape(shown, quote=False)
            strong = ours.index(current) if current in ours else None
            out, at = [], 0
            spans = find_in_text(shown, self._query, self._case)
            for n, (start, length) in enumerate(spans):
                is_now = strong is not None and n == min(strong, len(spans) - 1)
                colour, ink = (now, "#000000") if is_now else (every, fg)
                out.append(html.escape(shown[at:start], quote=False))
                out.append(
                    f"<span style='background:{colour}; color:{ink}'>"
                    f"{html.escape(shown[start : start + length], quote=False)}</span>"
                )
                at = start + length
            out.append(html.escape(shown[at:], quote=False))
            return "".join(out)

        return mark

    # -- stepping ----------------------------------------------------------------------------

    def _first_from(self, before: Match | None) -> int:
        """The match to make current after a search: at or after the one that was current,
        else at or after the first card in view (wrapping to the first)."""
        if before is not None:
            key = before.place
        else:
            top = self.view.scroller.verticalScrollBar().value()
            shown = top < self.view.instructions.geometry().bottom()  # the instructions
            first = None if shown else self.view._anchor(top)[0]
            key = (-1 if first is None else first, 0, 0)
        return next((n for n, m in enumerate(self.matches) if m.place >= key), 0)

    def _reveal(self, again: int = 2) -> None:
        """Scroll the current match into view, building its card; once the cards around it
        are built (their heights change), scroll again."""
        if self.current is None:
            return
        m = self.matches[self.current]
        if m.message is None:
            target: Editor = self.view.instructions
        elif m.message >= len(self.view._items):
            return  # the conversation was replaced: the next step searches again
        else:
            card = self.view.cards[m.message]  # built now if it was not
            self.view._settle()
            target = card.view if card.stack.currentWidget() is card.view else card.editor
            if m.field != TEXT or not card.stack.isVisible():
                self._show(card.calls, 0, 80)
                self._later(again)
                return
        if self._now is not None and self._now[0] is target:
            cursor = QTextCursor(self._now[1])
            cursor.clearSelection()
            if isinstance(target, QPlainTextEdit):
                target.setTextCursor(cursor)  # an editor that scrolls shows the match
                target.ensureCursorVisible()
            rect = target.cursorRect(cursor)
            self._show(target.viewport(), rect.center().y(), self.view.height() // 3)
        else:
            self._show(target, 0, 80)
        self._later(again)

    def _show(self, widget: QWidget, y: int, margin: int) -> None:
        """Scroll the list (up or down only: a wide list keeps its sideways place) so that
        the point `y` of `widget` is in view, `margin` from the edge where it can be."""
        inner = self.view.scroller.widget()
        assert inner is not None
        at = widget.mapTo(inner, QPoint(0, y)).y()
        bar = self.view.scroller.verticalScrollBar()
        height = self.view.scroller.viewport().height()
        margin = min(margin, height // 2)
        if at - margin < bar.value():
            bar.setValue(at - margin)
        elif at + margin > bar.value() + height:
            bar.setValue(at + margin - height)

    def _later(self, again: int) -> None:
        if again > 0:
            QTimer.singleShot(0, self, lambda: self._reveal(again - 1))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.Show:
            self._on_view_shown()
        return False

    # -- slots -------------------------------------------------------------------------------

    def _on_view_shown(self) -> None:
        """Ctrl+F is the window's when one of its actions has it (Edit > Find)."""
        keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Find)
        window = self.view.window()
        taken = window is not self.view and any(
            action.isEnabled() and any(key in keys for key in action.shortcuts())
            for action in window.findChildren(QAction)
        )
        self.find_key.setEnabled(not taken)

    def _on_query_changed(self, _query: str, _case: bool) -> None:
        self.current = None
        self.search()

    def _on_step_key(self, step: int) -> None:
        if not self.bar.isVisible():
            self.open()
        self.bar.flush()
        self.step(step)

    def _on_view_changed(self) -> None:
        if self.active:
            self._again.start()  # edits move the matches: search again, not scrolling

    def _on_card_built(self, card: MessageCard) -> None:
        if (self.matches or card in self._lit) and card in self.view._items:
            self._light(self.view._items.index(card))
