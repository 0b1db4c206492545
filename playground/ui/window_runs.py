"""Run and Stop in the window: start the current tab's run, hand its events to that tab's
RunPresenter, run the mock loop, act on an error card's actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from playground.core import validation
from playground.ui.widgets.provider_box import missing_text

if TYPE_CHECKING:
    from playground.ui.main_window import MainWindow
    from playground.ui.views.workspace_view import WorkspaceView


class WindowRuns(QObject):
    """See the module docstring."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.runs = window.runs
        self._running: WorkspaceView | None = None
        runs = self.runs
        runs.busy_changed.connect(self._on_busy_changed)
        runs.run_started.connect(lambda built: self._call("started", built))
        runs.events_received.connect(lambda batch: self._call("events", batch))
        runs.run_finished.connect(
            lambda turn, stopped: self._call("finished", turn, stopped, runs.busy_looping)
        )
        runs.tool_results_added.connect(lambda out: self._call("add_tool_results", out))
        runs.loop_limit_reached.connect(lambda limit: self._call("loop_limit", limit))
        runs.retrying.connect(lambda event: self._call("retrying", event))

    def bind(self, view: WorkspaceView) -> None:
        """Act on what `view`'s run presenter asks for."""
        runner = view.runner
        runner.run_requested.connect(self.run)
        runner.mock_loop_requested.connect(self._on_mock_loop)
        runner.action_requested.connect(self._on_action)
        learned = self.window.learned_rules
        runner.learned_offer = lambda: learned.take_offer() if learned is not None else None

    def run(self) -> None:
        """Run the current tab's request, when nothing blocks it (else show the findings)."""
        w = self.window
        view = w.current_view
        if view is None:
            return
        view.binder.flush()
        w.validation.check(fully=bool(validation.pending_schemas(view.doc.workspace)))
        if not w.run_button.isEnabled():
            w.side.setCurrentWidget(w.findings_stack)
            return
        if view.doc.workspace.mode == "compare":  # every variant at once (compare_mode.py)
            w.compare.run_all(view)
            return
        view.params.highlight(None)
        view.conversation.begin_live()
        self._running = view
        self.runs.run(view.doc.workspace, w.current_profile())

    def stop(self) -> None:
        view = self.window.current_view
        if view is not None and view.doc.workspace.mode == "compare":
            self.runs.stop(view.tab.id)  # Compare: this tab's runs only
            return
        self.runs.stop()

    def _call(self, method: str, *args: object) -> None:
        view = self._running
        if view is not None:
            getattr(view.runner, method)(*args)

    def _on_busy_changed(self, busy: bool) -> None:
        self.window.stop_button.setEnabled(busy)
        if not busy:
            self.window.validation.check()

    def _on_mock_loop(self, limit: int) -> None:
        w = self.window
        view = w.current_view
        missing = w.provider.missing()
        if view is None:
            return
        if missing:  # Run is blocked; the mock loop runs requests too
            view.runner.set_status(missing_text(missing))
            return
        view.binder.flush()
        view.conversation.clear_transient()
        self._running = view
        self.runs.run_mock_loop(view.doc.workspace, w.current_profile(), limit)

    def _on_action(self, action: str) -> None:
        if action == "set_key":
            self.window.open_providers()
        elif action == "drop" and self.window.learned_rules is not None:
            self.window.learned_rules.drop_and_run()
