"""Run and Stop in the window: start the current tab's run as a `Run` and hand it to that tab's
RunPresenter, run the mock loop, act on an error card's actions. Runs of different tabs go on
at once; switching tabs never stops or hides one."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from playground.core import file_inputs, validation
from playground.core.reducer import AssistantTurn
from playground.core.service_tiers import on_default_tier
from playground.services.pending_runs import PendingRun
from playground.services.runs import Run
from playground.ui.controllers.background_controller import BackgroundRuns, is_background
from playground.ui.controllers.conversation_controller import ConversationController
from playground.ui.conversation_runs import ConversationRuns
from playground.ui.presenter import DEFAULT_TIER
from playground.ui.views.evaluate_mode import EvaluateMode
from playground.ui.views.state_view import StateView
from playground.ui.widgets.provider_box import missing_text

if TYPE_CHECKING:
    from playground.ui.background_actions import BackgroundActions
    from playground.ui.main_window import MainWindow
    from playground.ui.views.workspace_view import WorkspaceView

STOP_TIP = "Stop the run and keep the partial answer (Esc)"
CANCEL_TIP = (
    "Cancel the background run on the server (POST /responses/{id}/cancel) and keep the "
    "partial answer (Esc)"
)
PICKED = "Pick up background run"
"""The undo step that drops a partial answer a pickup replaces."""
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
        self._pickups: dict[str, PendingRun] = {}  # tab id -> the run it last picked up
        self.background: BackgroundRuns | None = None
        """Records, cancels and picks up background runs (set by the app)."""
        self.actions: BackgroundActions | None = None
        """Run in background in the Run menus (set by the app)."""
        # Conversations (create, list items, delete) for the tabs' state panels
        self.conversations = ConversationController(
            self.runs.resolve, strict=self.runs.strict, parent=self
        )

    def attach_background(self, background: BackgroundRuns) -> None:
        self.background = background
        background.cancel_failed.connect(self._on_cancel_failed)

    def pick_up(self, left: list[PendingRun]) -> None:
        """Follow the background runs a previous session left going, each in its tab, to
        their end: the answer lands in the conversation as a run's does."""
        for entry in left:
            view = self._view_of(entry.tab)
            if view is not None:
                self._pick_up(view, entry)

    def _pick_up(self, view: WorkspaceView, entry: PendingRun) -> None:
        """Follow `entry` in `view`; the partial answer the tab kept of it (the assistant
        messages after the ones it answers) is replaced by the whole one (one undo step)."""
        profile = next((p for p in self.window.profiles if p.name == entry.profile), None)
        if profile is None or self.runs.busy_for(view.tab.id):
            return
        view.binder.flush()
        ws = view.doc.workspace
        partial = ws.messages[entry.answers :] if entry.answers >= 0 else []
        trimmed = bool(partial) and all(m.role == "assistant" for m in partial)
        if trimmed:
            kept = ws.model_copy(update={"messages": list(ws.messages[: entry.answers])})
            view.doc.commit(kept, PICKED)
        view.conversation.clear_transient()  # a failed pickup's card
        view.conversation.begin_live()
        view.runner.set_status("Picking up the background run left going…")
        self._pickups[view.tab.id] = entry
        run = self.runs.start(
            view.doc.workspace, profile, owner=view.tab.id, resume=(entry.response_id, -1)
        )
        if trimmed:  # before the tab shows the run's end (its failure card)
            run.finished.connect(lambda turn, stopped, v=view: self._partial_back(v, turn, stopped))
        self._show(view, run)

    def _partial_back(self, view: WorkspaceView, turn: AssistantTurn, stopped: bool) -> None:
        """The pickup failed (the response is gone, no API key, the connection...) or was
        stopped before it brought any answer back: the partial answer it replaced comes
        back (a pickup that got some keeps what it got: it replays from the start)."""
        empty = not (turn.text or turn.refusal or turn.tool_calls)
        ended = turn.failure is not None or stopped
        if ended and empty and not view.closed and view.doc.undo_label == PICKED:
            view.doc.undo()

    def bind(self, view: WorkspaceView) -> None:
        """Act on what `view`'s run presenter asks for."""
        runner = view.runner
        runner.run_requested.connect(self.run)
        runner.mock_loop_requested.connect(self._on_mock_loop)
        runner.action_requested.connect(self._on_action)
        runner.pickup_requested.connect(lambda v=view: self._pick_up_again(v))
        learned = self.window.learned_rules
        runner.learned_offer = lambda: learned.take_offer() if learned is not None else None
        view.state_view = StateView(
            view,
            self.conversations,
            self.window.current_profile,
            reachable=lambda: self.window.provider.missing() is None,
        )

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
        if view is None:
            return
        for run in self.runs.runs(view.tab.id):
            if self.background is not None and is_background(run):
                self.background.cancel(run)  # on the server first: the job would go on
            else:
                run.cancel()
        self.evaluate.stop(view)

    def _show(self, view: WorkspaceView, run: Run, looping: bool = False) -> None:
        """Hand `run`'s events to the tab that started it."""
        runner = view.runner

        def shown(slot: Callable[..., None]) -> Callable[..., None]:
            """`slot`, while the tab is open (a closed tab's run ends unseen)."""
            return lambda *args: None if view.closed else slot(*args)

        runner.picking_up = run.resume is not None
        run.started.connect(shown(runner.started))
        run.events_received.connect(shown(runner.events))
        run.retrying.connect(shown(runner.retrying))
        run.cache_noted.connect(shown(runner.cache_noted))
        run.files_uploaded.connect(shown(runner.files_uploaded))
        run.tool_results_added.connect(shown(runner.add_tool_results))
        run.approvals_added.connect(shown(runner.add_approvals))
        run.loop_limit_reached.connect(shown(runner.loop_limit))
        origin = file_inputs.origin_of(run.profile)
        run.finished.connect(
            shown(
                lambda turn, stopped: runner.finished(turn, stopped, looping, run.workspace, origin)
            )
        )
        self._on_busy_changed(True)

    def _pick_up_again(self, view: WorkspaceView) -> None:
        """A failed pickup's card: follow the same background response again."""
        entry = self._pickups.get(view.tab.id)
        if entry is not None:
            self._pick_up(view, entry)

    def update_stop(self) -> None:
        """Stop is enabled while the current tab has a run, and says Cancel for a background
        run (the server is asked to cancel it)."""
        view = self.window.current_view
        busy = view is not None and (self.runs.busy_for(view.tab.id) or self.evaluate.busy(view))
        live = self.runs.runs(view.tab.id) if view is not None else []
        cancel = any(is_background(r) for r in live)
        button = self.window.stop_button
        button.setEnabled(busy)
        button.setText("Cancel" if cancel else "Stop")
        button.setToolTip(CANCEL_TIP if cancel else STOP_TIP)

    def _on_busy_changed(self, _busy: bool) -> None:
        self.update_stop()

    def _view_of(self, tab_id: str) -> WorkspaceView | None:
        documents = self.window.documents
        docs = documents.docs if documents is not None else []
        return next((d.view for d in docs if d.tab.id == tab_id), None)

    def _on_cancel_failed(self, run: Run, said: str) -> None:
        view = self._view_of(run.owner)
        if view is not None:
            view.runner.set_status(f"The server did not cancel the background run: {said}")

    def _on_run_ended(self, run: Run) -> None:
        view = self.window.current_view
        self._on_busy_changed(False)
        owner = self._view_of(run.owner)
        if run.background == "cancelled" and owner is not None:
            owner.runner.set_status(f"Background run cancelled on the server ({run.response_id})")
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
