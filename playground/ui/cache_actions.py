"""The response cache in the window: "Cache answers" (a per-workspace toggle, written through
the tab's Document as one undo step) in the Run menu and the Run ▾ menu beside Run, and
"Clear response cache" in the Run menu. What the cache did for a run is shown by the tab's
RunPresenter (ui/views/run_view.py): the answer card's "cached" badge and the status line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMenu

from playground.ui.actions import make_action
from playground.ui.controllers import tasks

if TYPE_CHECKING:
    from playground.ui.controllers.run_controller import RunController
    from playground.ui.main_window import MainWindow

TOGGLE_TIP = (
    "Answer an identical request of this tab from the response cache (no request, no cost), "
    "and keep new answers there; never for a request that asks the server to keep state"
)
CLEAR_TIP = "Remove every answer kept in the response cache (all tabs and workspaces)"


class CacheActions(QObject):
    """See the module docstring."""

    def __init__(self, window: MainWindow, run_menu: QMenu, runs: RunController) -> None:
        super().__init__(window)
        self.window, self.runs = window, runs
        self.toggle = make_action(window, "Cache &answers", TOGGLE_TIP, checkable=True)
        self.toggle.triggered.connect(self._on_toggle_triggered)
        self.clear = make_action(window, "C&lear response cache", CLEAR_TIP, self.clear_cache)
        self.clear.setEnabled(runs.cache is not None)
        run_menu.addSeparator()
        run_menu.addActions([self.toggle, self.clear])
        run_menu.aboutToShow.connect(self.update)
        beside_run = window.toolbar.run_menu
        beside_run.addSeparator()
        beside_run.addAction(self.toggle)
        beside_run.aboutToShow.connect(self.update)
        window.workspace_changed.connect(self.update)
        self.update()

    def update(self) -> None:
        """The toggle shows the current tab's choice."""
        view = self.window.current_view
        self.toggle.setEnabled(view is not None and self.runs.cache is not None)
        self.toggle.setChecked(view is not None and view.doc.workspace.cache)

    def clear_cache(self) -> None:
        """Empty the cache off the event loop; the status line says how many went."""
        tasks.start(self._clear(), "clearing the response cache")

    async def _clear(self) -> None:
        text = await self.runs.clear_cache()
        view = self.window.current_view
        if view is not None and not view.closed:
            view.runner.set_status(text)
        else:
            self.window.status.setText(text)

    def _on_toggle_triggered(self, checked: bool) -> None:
        view = self.window.current_view
        if view is None:
            return
        view.binder.flush()
        view.doc.set("cache", checked, "Cache answers" if checked else "Stop caching answers")
        self.update()
