"""The window's three panes: the setup pane, the conversation (with the banner above it), and
the side pane (Raw, Findings, then the tabs features add). Each tab's view puts its own widget
in each pane; the current tab's are shown. PySide6 only: part of the window's first frame."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from playground.ui.theme import accent
from playground.ui.widgets.banner import Banner
from playground.ui.widgets.pane_fit import (
    CENTER_MIN,
    SETUP_MIN,
    SIDE_MIN,
    PaneSizes,
    SideTabs,
    scrolling,
)

if TYPE_CHECKING:
    from playground.ui.views.workspace_view import WorkspaceView


class DocumentArea(QSplitter):
    """See the module docstring."""

    def __init__(self) -> None:
        super().__init__()  # horizontal; no Qt namespace: its first use costs 20 ms
        self.setup_stack, self.center_stack = QStackedWidget(), QStackedWidget()
        self.raw_stack, self.findings_stack = QStackedWidget(), QStackedWidget()
        center = QWidget()
        center_layout = QVBoxLayout(center)
        center_layout.setContentsMargins(0, 0, 0, 0)
        self.banner = Banner()
        center_layout.addWidget(self.banner)
        center_layout.addWidget(self.center_stack, 1)
        self.side = SideTabs()
        self.side.tabBar().setAccessibleDescription(
            "The request as sent and its events, findings, code, history"
        )
        self.side.setTabToolTip(
            self.side.addTab(self.raw_stack, "Raw"), "The request body as sent, and its events"
        )
        self.side.setTabToolTip(
            self.side.addTab(self.findings_stack, "Findings"), "What validation found"
        )
        center.setMinimumWidth(CENTER_MIN)
        # the side panes scroll when narrower than their tab (pane_fit.py); they can be
        # dragged shut, the conversation cannot
        self.side.setMinimumWidth(SIDE_MIN)
        panes = (scrolling(self.setup_stack, SETUP_MIN), center, self.side)
        for pane in panes:
            self.addWidget(pane)
        loading = QLabel("Loading…")
        loading.setStyleSheet(f"color: {accent('muted').name()}; qproperty-alignment: AlignCenter;")
        self.center_stack.addWidget(loading)
        self.setCollapsible(1, False)
        self.pane_sizes = PaneSizes(self)

    def setSizes(self, sizes: list[int]) -> None:  # type: ignore[override]
        """Sizes set by the app or the user stand (the panes are no longer sized by the width)."""
        self.pane_sizes.auto = False
        super().setSizes(sizes)

    def saveState(self) -> QByteArray:
        """The sizes the user chose by dragging; nothing while the width still sizes them."""
        return QByteArray() if self.pane_sizes.auto else super().saveState()

    def restoreState(self, state: object) -> bool:  # type: ignore[override]
        """The user's saved sizes stand (the panes are no longer sized by the width)."""
        restored = super().restoreState(state)  # type: ignore[arg-type]
        if restored:
            self.pane_sizes.auto = False
        return restored

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.pane_sizes.fit()

    def _pairs(self, view: WorkspaceView) -> list[tuple[QStackedWidget, QWidget]]:
        stacks = (self.setup_stack, self.center_stack, self.raw_stack, self.findings_stack)
        return list(zip(stacks, view.widgets(), strict=True))

    def add(self, view: WorkspaceView) -> None:
        """Place a tab's widgets in the panes (hidden until `show`)."""
        for stack, widget in self._pairs(view):
            stack.addWidget(widget)
        view.center.currentChanged.connect(lambda _i, v=view: self._on_center_changed(v))

    def show(self, view: WorkspaceView) -> None:  # type: ignore[override]
        """Show a tab's widgets in the panes."""
        for stack, widget in self._pairs(view):
            stack.setCurrentWidget(widget)
        self._on_center_changed(view)

    def _on_center_changed(self, view: WorkspaceView) -> None:
        """Compare's columns get more of the width than one conversation (while the panes are
        sized by the window's width)."""
        if self.center_stack.currentWidget() is view.center:
            self.pane_sizes.wide = view.center.currentWidget() is view.compare
            self.pane_sizes.fit()
