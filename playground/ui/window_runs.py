"""Run and Stop in the window: start the current tab's run as a `Run` and hand it to that tab's
RunPresenter, run the mock loop, act on an error card's actions. Runs of different tabs go on
at once; switching tabs never stops or hides one."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from playground.core import validation
from playground.core.service_tiers import on_default_tier
from playground.services.runs import Run
from playground.ui.controllers.conversation_controller import ConversationController
from playground.ui.conversation_runs import ConversationRuns
from playground.ui.presenter import DEFAULT_TIER
from playground.ui.views.evaluate_mode import EvaluateMode
from playground.ui.views.state_view import StateView
from playground.ui.widgets.provider_box import missing_text

if TYPE_CHECKING:
    from playground.ui.main_window import MainWindow
    from playground.ui.views.workspace_view import WorkspaceView

BUSY = "A run of this tab is under way: stop it (Esc) or wait for it to end"


class WindowRuns(QObject):
    """See the module docstring."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.runs = window.runs
        self.runs.busy_changed.connect(self._on_busy_changed)
        self.runs.run_ended.connect(self._on_run_ended)
        # Regenerate, Edit and run from here, Fork from here: they edit, then call run()
        self.conversation_runs = ConversationRuns(window, self)
        self.evaluate = EvaluateMode(window)  # Evaluate mode: its action, its tabs' matrices
        self.evaluate.busy_changed.connect(lambda: self._on_busy_changed(True))
        # Conversations (create, list items, delete) for the tabs' state panels
        self.conversations = ConversationController(
            self.runs.resolve, strict=self.runs.strict, parent=self
        )

    def bind(self, view: WorkspaceView) -> None:
        """Act on what `view`'s run presenter asks for."""
        runner = view.runner
        runner.run_requested.connect(self.run)
        runner.mock_loop_requested.connect(self._on_mock_loop)
        runner.action_requested.connect(self._on_action)
        learned = self.window.learned_rules
        runner.learned_offer = lambda: learned.take_offer() if learned is not None else None
        view.state_view = StateView(view, self.conversations, self.window.current_profile)

    def run(self) -> None:
        """Run the current tab's request, when nothing blocks it (else show the findings)."""
        w = self.window
        view = w.current_view
        if view is None:
            return
        if self.runs.busy_for(view.tab.id):
            view.runner.set_status(BUSY)
            return
        view.binder.flush()
        w.validation.check(fully=bool(validation.pending_schemas(view.doc.workspace)))
        if not w.run_button.isEnabled():
            w.side.setCurrentWidget(w.findings_stack)
            return
        if view.doc.workspace.mode == "evaluate":  # the matrix (evaluate_mode.py)
            self.evaluate.run(view)
            return
        if view.doc.workspace.mode == "compare":  # every variant at once (compare_mode.py)
            w.compare.run_all(view)
            return
        view.params.highlight(None)
        view.conversation.begin_live()
        run = self.runs.start(view.doc.workspace, w.current_profile(), owner=view.tab.id)
        self._show(view, run)

    def stop(self) -> None:
        """Stop the current tab's runs (the other tabs' go on)."""
        view = self.window.current_view
        if view is not None:
            self.runs.stop(view.tab.id)
            self.evaluate.stop(view)

    def _show(self, view: WorkspaceView, run: Run, looping: bool = False) -> None:
        """Hand `run`'s events to the tab that started it."""
        runner = view.runner

        def shown(slot: Callable[..., None]) -> Callable[..., None]:
            """`slot`, while the tab is open (a closed tab's run ends unseen)."""
            return lambda *args: None if view.closed else slot(*args)

        run.started.connect(shown(runner.started))
        run.events_received.connect(shown(runner.events))
        run.retrying.connect(shown(runner.retrying))
        run.cache_noted.connect(shown(runner.cache_noted))
        run.tool_results_added.connect(shown(runner.add_tool_results))
        run.approvals_added.connect(shown(runner.add_approvals))
        run.loop_limit_reached.connect(shown(runner.loop_limit))
        run.finished.connect(shown(lambda turn, stopped: runner.finished(turn, stopped, looping)))
        self._on_busy_changed(True)

    def _on_busy_changed(self, _busy: bool) -> None:
        view = self.window.current_view
        busy = view is not None and (self.runs.busy_for(view.tab.id) or self.evaluate.busy(view))
        self.window.stop_button.setEnabled(busy)

    def _on_run_ended(self, run: Run) -> None:
        view = self.window.current_view
        self._on_busy_changed(False)
        if view is not None and run.owner == view.tab.id:
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
        if self.runs.busy_for(view.tab.id):
            view.runner.set_status(BUSY)
            return
        view.binder.flush()
        view.conversation.clear_transient()
        run = self.runs.start(
            view.doc.workspace, w.current_profile(), owner=view.tab.id, mock_loop=limit
        )
        self._show(view, run, looping=True)

    def _on_action(self, action: str) -> None:
        if action == "set_key":
            self.window.open_providers()
        elif action == "drop" and self.window.learned_rules is not None:
            self.window.learned_rules.drop_and_run()
        elif action == DEFAULT_TIER:  # flex is short of capacity: run now at Standard
            w = self.window
            w.load(on_default_tier(w.collect()), "Run on the default tier")
            self.run()
