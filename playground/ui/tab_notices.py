"""Notices that belong to one tab: an import's notes, its proposed provider profile, the welcome.

A tab's notice is kept with that tab and shown only while the tab is current, in the window's
stack of notices (widgets/banner.py) under the key TAB_KEY; switching tabs shows the new tab's
own notice in that place (or takes the other tab's away), and a closed tab's notice goes with
it. Window-wide notices (settings, keyring) stay in the stack beside it, each dismissed alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from playground.ui.widgets.banner import Banner, BannerItem

TAB_KEY = "tab"


@dataclass(frozen=True)
class Notice:
    html: str
    action: str | None = None
    callback: Callable[[], None] | None = None
    on_dismiss: Callable[[], None] | None = None
    """Called when the user dismisses the notice (not when its action is used)."""


class TabNotices:
    """One notice per tab id, shown in `banner` while its tab is current."""

    def __init__(self, banner: Banner) -> None:
        self.banner = banner
        self.current: str | None = None
        self._notices: dict[str, Notice] = {}
        banner.dismissed.connect(self._on_dismissed)

    def post(self, tab: str, notice: Notice) -> None:
        """Keep `notice` as the tab's notice; show it if the tab is current."""
        self._notices[tab] = notice
        if tab == self.current:
            self._show(tab, notice)

    def get(self, tab: str) -> Notice | None:
        return self._notices.get(tab)

    def switch(self, tab: str | None) -> None:
        """`tab` is now current: show its notice, or take another tab's away."""
        self.current = tab
        notice = self._notices.get(tab) if tab is not None else None
        if notice is not None:
            self._show(tab, notice)
        else:
            self._hide()

    def drop(self, tab: str) -> None:
        self._notices.pop(tab, None)
        item = self.banner.item(TAB_KEY)
        if item is not None and item.owner == tab:
            self.banner.remove(item)

    def _hide(self) -> None:
        item = self.banner.item(TAB_KEY)
        if item is not None:
            self.banner.remove(item)

    def _show(self, tab: str | None, notice: Notice) -> None:
        act = None if notice.callback is None else (lambda: self._act(tab, notice))
        self.banner.show_text(notice.html, notice.action, act, owner=tab, key=TAB_KEY)

    def _act(self, tab: str | None, notice: Notice) -> None:
        """The notice's button was used: it has done its work."""
        if tab is not None and self._notices.get(tab) is notice:
            del self._notices[tab]
        if notice.callback is not None:
            notice.callback()

    def _on_dismissed(self, item: BannerItem) -> None:
        if item.key != TAB_KEY or item.owner is None:
            return
        notice = self._notices.pop(item.owner, None)
        if notice is not None and notice.on_dismiss is not None:
            notice.on_dismiss()
