"""Background runs in the menus: "Run in background" (the tab's `background` parameter,
written through its Document as one undo step) in the Run menu and the Run ▾ menu beside Run;
while a background run goes on, the Run menu's Stop says Cancel (ui/window_runs.py asks the
server to cancel it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from playground.ui.actions import make_action
from playground.ui.controllers.background_controller import is_background

if TYPE_CHECKING:
    from playground.ui.main_window import MainWindow

TOGGLE_TIP = (
    "Run as a background job on the server (Responses API; the response is stored): the card "
    "shows its status, a dropped stream resumes, and a run left going is picked up when "
    "Playground starts again"
)


class BackgroundActions(QObject):
    """See the module docstring."""

    def __init__(self, window: MainWindow, run_menu: QMenu, stop: QAction) -> None:
        super().__init__(window)
        self.window = window
        self.stop = stop
        self.toggle = make_action(window, "Run in &background", TOGGLE_TIP, checkable=True)
        self.toggle.triggered.connect(self._on_toggle_triggered)
        run_menu.addAction(self.toggle)
        run_menu.aboutToShow.connect(self.update)
        beside_run = window.toolbar.run_menu
        beside_run.addAction(self.toggle)
        beside_run.aboutToShow.connect(self.update)
        window.workspace_changed.connect(self.update)
        window.runs.busy_changed.connect(self._on_busy_changed)
        self.update()

    def update(self) -> None:
        """The toggle shows the current tab's choice (Responses only); Stop says Cancel while
        a background run of the tab goes on."""
        view = self.window.current_view
        ws = view.doc.workspace if view is not None else None
        self.toggle.setEnabled(ws is not None and ws.api == "responses")
        self.toggle.setChecked(ws is not None and bool(ws.params.background))
        live = self.window.runs.runs(view.tab.id) if view is not None else []
        cancel = any(is_background(r) for r in live)
        self.stop.setText("&Cancel background run" if cancel else "&Stop")

    def _on_busy_changed(self, _busy: bool) -> None:
        self.update()

    def _on_toggle_triggered(self, checked: bool) -> None:
        view = self.window.current_view
        if view is None:
            return
        view.binder.flush()
        label = "Run in background" if checked else "Run in the foreground"
        view.doc.set("params.background", True if checked else None, label)
        self.update()
