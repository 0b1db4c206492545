"""Notices that belong to one tab: an import's notes and its proposed provider profile.

The window has one banner. A tab's notice is kept with that tab and shown only while the tab
is current; switching tabs shows the new tab's own notice (or hides the other tab's), and a
closed tab's notice goes with it. Window-wide notices (settings, keyring) are left alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from playground.ui.widgets.banner import Banner


@dataclass(frozen=True)
class Notice:
    html: str
    action: str | None = None
    callback: Callable[[], None] | None = None


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
        """`tab` is now current: show its notice, or hide another tab's."""
        self.current = tab
        notice = self._notices.get(tab) if tab is not None else None
        if notice is not None:
            self._show(tab, notice)
        elif self.banner.owner is not None:
            self.banner.owner = None
            self.banner.setVisible(False)

    def drop(self, tab: str) -> None:
        self._notices.pop(tab, None)
        if self.banner.owner == tab:
            self.banner.owner = None
            self.banner.setVisible(False)

    def _show(self, tab: str | None, notice: Notice) -> None:
        act = None if notice.callback is None else (lambda: self._act(tab, notice))
        self.banner.show_text(notice.html, notice.action, act, owner=tab)

    def _act(self, tab: str | None, notice: Notice) -> None:
        """The notice's button was used: it has done its work."""
        if tab is not None and self._notices.get(tab) is notice:
            del self._notices[tab]
        if notice.callback is not None:
            notice.callback()

    def _on_dismissed(self) -> None:
        owner = self.banner.owner
        if owner is not None:
            self._notices.pop(owner, None)
