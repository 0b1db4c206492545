"""Tabs that do not fit a narrow pane go into a "»" menu instead of being squeezed.

A narrow setup pane (1000 px window) elided its six titles to "P… T… O… Var… Te… Gr…", and
scroll arrows were tried before and confused a tester (an arrow scrolled the bar, not the tab
shown). This is what the browsers' developer tools and JetBrains' tool windows do: the tabs
that fit are shown whole, in order, the current one always among them, and a "»" button at
the bar's end lists the others; picking one shows it.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QMenu, QTabBar, QTabWidget, QToolButton


class TabOverflow(QObject):
    """Keeps `tabs` showing whole titles: see the module docstring."""

    def __init__(self, tabs: QTabWidget) -> None:
        super().__init__(tabs)
        self.tabs = tabs
        bar = tabs.tabBar()
        # eliding stays on: it keeps the bar's minimum width small (the pane may be narrower
        # than all the titles); fit() shows only tabs that fit whole, so none is elided
        bar.setElideMode(Qt.TextElideMode.ElideRight)
        bar.setUsesScrollButtons(False)
        self.more = QToolButton()
        self.more.setText("»")
        self.more.setAutoRaise(True)
        self.more.setAccessibleName("More tabs")
        self.more.setToolTip("The tabs that do not fit: pick one to show it")
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self.menu = QMenu(self.more)
        self.menu.aboutToShow.connect(self._fill)
        self.more.setMenu(self.menu)
        tabs.setCornerWidget(self.more, Qt.Corner.TopRightCorner)
        self.more.hide()
        tabs.currentChanged.connect(self.fit)
        tabs.installEventFilter(self)

    def hidden(self) -> list[int]:
        """The tabs in the menu, not in the bar."""
        bar = self.tabs.tabBar()
        return [i for i in range(bar.count()) if not bar.isTabVisible(i)]

    def fit(self) -> None:
        """Show the tabs that fit whole (the current one first), the rest in the menu."""
        bar = self.tabs.tabBar()
        count, current = bar.count(), bar.currentIndex()
        for i in range(count):
            bar.setTabVisible(i, True)  # so that each tab's width can be read
        widths = [bar.tabSizeHint(i).width() for i in range(count)]
        room = self.tabs.width() - 2
        if sum(widths) <= room:
            self.more.hide()
            return
        room -= self.more.sizeHint().width()
        shown = {current} if 0 <= current < count else set()
        used = sum(widths[i] for i in shown)
        for i in range(count):
            if i not in shown and used + widths[i] <= room:
                shown.add(i)
                used += widths[i]
        for i in range(count):
            bar.setTabVisible(i, i in shown)
        self.more.show()

    # -- Qt overrides ------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tabs and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.fit()
        return False

    # -- private -----------------------------------------------------------------------------

    def _fill(self) -> None:
        self.menu.clear()
        bar: QTabBar = self.tabs.tabBar()
        for i in self.hidden():
            action = self.menu.addAction(bar.tabText(i))
            action.setToolTip(bar.tabToolTip(i))
            action.triggered.connect(partial(self._pick, i))

    def _pick(self, index: int) -> None:
        self.tabs.tabBar().setTabVisible(index, True)
        self.tabs.setCurrentIndex(index)
        self.fit()
