"""Notices above the conversation: a stack of them, each with one optional action and its own
dismiss button, so a second notice never hides the first."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from playground.ui.widgets.common import tool_button

MAX_NOTICES = 4
"""At most this many notices show at once; a fifth pushes the oldest window-wide one out."""


class BannerItem(QFrame):
    """One notice: its text, an optional action button, and a dismiss button."""

    closed = Signal()
    """The user dismissed this notice."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 4, 4)
        self.text = QLabel(wordWrap=True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setOpenExternalLinks(True)
        row.addWidget(self.text, 1)
        self.action = QPushButton()
        self.action.setVisible(False)
        self.action.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.action.clicked.connect(self._on_action)
        row.addWidget(self.action)
        self.close_button = tool_button("✕", "Dismiss this notice", icon="delete")
        self.close_button.clicked.connect(self._on_close)
        row.addWidget(self.close_button)
        self.owner: str | None = None
        self.key: str | None = None
        self._callback: Callable[[], None] | None = None
        self.acted = False
        """Its action button was used (then it closed without being dismissed)."""

    def set_notice(
        self, html: str, action: str | None, callback: Callable[[], None] | None
    ) -> None:
        self.text.setText(html)
        self._callback = callback
        self.action.setText(action or "")
        self.action.setToolTip(action or "")
        self.action.setVisible(bool(action and callback))

    def _on_action(self) -> None:
        self.acted = True
        callback = self._callback
        self.closed.emit()
        if callback is not None:
            callback()

    def _on_close(self) -> None:
        self.closed.emit()


class Banner(QFrame):
    """The window's notices, newest on top. `show_text` adds one (or updates the one with the
    same key); each is dismissed on its own. `text`, `action` and `owner` are the newest one's.
    """

    dismissed = Signal(object)
    """The user closed a notice (the BannerItem; its `owner` and `key` say which)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banners")
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(2)
        self.items: list[BannerItem] = []
        """The notices showing, newest first."""
        self._spare = BannerItem(self)  # what `text`/`action` read when nothing shows
        self._spare.setVisible(False)
        self.setVisible(False)

    # -- public ------------------------------------------------------------------------------

    def show_text(
        self,
        html: str,
        action: str | None = None,
        callback: Callable[[], None] | None = None,
        owner: str | None = None,
        key: str | None = None,
    ) -> BannerItem:
        """Show a notice, with an optional button that runs `callback`; `owner` is the id of
        the tab it belongs to (None: the window). A notice with the same `key`, or a
        window-wide one with the same text, is updated and moved to the top, not repeated."""
        item = next((i for i in self.items if key is not None and i.key == key), None)
        if item is None and key is None and owner is None:
            same = [i for i in self.items if i.key is None and i.owner is None]
            item = next((i for i in same if i.text.text() == html), None)
        if item is None:
            item = BannerItem(self)
            item.closed.connect(lambda i=item: self._on_item_closed(i))
        else:
            self.items.remove(item)
        item.owner, item.key, item.acted = owner, key, False
        item.set_notice(html, action, callback)
        self.items.insert(0, item)
        self._column.insertWidget(0, item)
        item.setVisible(True)
        while len(self.items) > MAX_NOTICES:
            self._remove(self._oldest_droppable())
        self.setVisible(True)
        return item

    def remove(self, item: BannerItem) -> None:
        """Take a notice away (not a dismissal: `dismissed` is not emitted)."""
        if item in self.items:
            self._remove(item)

    def item(self, key: str) -> BannerItem | None:
        return next((i for i in self.items if i.key == key), None)

    def texts(self) -> list[str]:
        """The notices' texts (rich text), newest first."""
        return [i.text.text() for i in self.items]

    @property
    def text(self) -> QLabel:
        """The newest notice's text."""
        return (self.items[0] if self.items else self._spare).text

    @property
    def action(self) -> QPushButton:
        """The newest notice's action button."""
        return (self.items[0] if self.items else self._spare).action

    @property
    def owner(self) -> str | None:
        return self.items[0].owner if self.items else None

    # -- private -----------------------------------------------------------------------------

    def _oldest_droppable(self) -> BannerItem:
        window_wide = [i for i in self.items if i.key is None and i.owner is None]
        return (window_wide or self.items)[-1]

    def _remove(self, item: BannerItem) -> None:
        self.items.remove(item)
        self._column.removeWidget(item)
        item.setVisible(False)
        item.deleteLater()
        self.setVisible(bool(self.items))

    def _on_close(self) -> None:
        """Dismiss the newest notice (what its ✕ does)."""
        if self.items:
            self._on_item_closed(self.items[0])

    def _on_item_closed(self, item: BannerItem) -> None:
        if item not in self.items:
            return
        self._remove(item)
        if not item.acted:
            self.dismissed.emit(item)
