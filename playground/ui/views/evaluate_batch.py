"""Evaluate mode on the Batch API: "Run as batch…", its estimate, the batches' progress on the
tab, Stop as cancel, the cells as they are collected, and resuming on start.

- Run as batch: the matrix Run would run (EvaluateMode.plan), checked as the API checks a
  file (BatchRuns.plan: a model without the Batch API, a request too big; said at the tab,
  nothing sent), then a confirmation with the estimate at the batch price beside the
  interactive one (core.batch_estimate). Submitted through the window's BatchController;
  the evaluation is recorded as run from the tab (evaluate_history.source_of).
- Progress: "Batches: 1 of 2 finalizing, 1 completed · 10/10 requests" on the progress bar
  (services/batch_progress.py: every figure is all batches'); Pause does not apply (a
  batch runs on the API's schedule); Stop cancels the batches (what they did before is
  collected). Cells land on the matrix as they are collected, graded, marked
  "batch" and priced at the batch price; the summary and charts follow.
- Resume: when the app starts, or a tab opens whose workspace has an evaluation with batches
  not collected (the store's `batches` table), those are polled again and collected.

The in-process Offline simulator serves batches too, for as long as the app runs (a batch on
it does not survive a restart of the app: the simulator starts empty; the tab says so).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from playground.core.batch_estimate import describe, estimate
from playground.core.batch_requests import CellError
from playground.core.document import PathError
from playground.core.evaluation_results import Cell, summarize
from playground.services.batch_progress import progress_text
from playground.services.batch_runs import BatchRefused, BatchRuns
from playground.services.batch_store import BatchState
from playground.services.evaluation_store import EvaluationStoreUnavailable
from playground.services.files import WorkspaceFileError
from playground.ui.controllers import tasks
from playground.ui.controllers.batch_controller import BatchController, said_of
from playground.ui.views.evaluate_history import source_of

if TYPE_CHECKING:
    from playground.core.evaluation_spec import TestRow
    from playground.core.profiles import ProviderProfile
    from playground.ui.views.evaluate_mode import EvaluateMode, Services
    from playground.ui.views.workspace_view import WorkspaceView


class EvaluateBatch(QObject):
    """See the module docstring; one for the window, made by EvaluateMode."""

    HELD = "This tab's batches are out: Run waits until they are collected (Stop cancels them)"

    def __init__(self, mode: EvaluateMode) -> None:
        super().__init__(mode)
        self.mode = mode
        self.controller: BatchController | None = None
        self.shown: dict[str, str] = {}
        """tab id -> the batch evaluation its matrix shows."""
        self.states: dict[str, dict[str, BatchState]] = {}
        self.cells: dict[str, dict[tuple[str, str], Cell]] = {}
        self.titles: dict[str, dict[str, str]] = {}
        self.known: dict[str, str] = {}
        """Evaluation id -> how its batches ended ("" not, or all completed), for every
        batch evaluation shown from the store (its cells are batch cells)."""
        self.confirm: QMessageBox | None = None
        """The open "Run as batch" confirmation (a test clicks it)."""
        self._views: dict[str, WorkspaceView] = {}
        self._tasks: set[asyncio.Task[Any]] = set()

    def attach(self, services: Services) -> None:
        """The store and resolver are known (app.py, through EvaluateMode.attach)."""
        strict = bool(getattr(services.backend, "_strict", False))  # tests: strict SDK checks
        self.controller = BatchController(
            services.store, services.store.path.parent, services.resolve, strict=strict,
            parent=self,
        )  # fmt: skip
        self.controller.state_changed.connect(self._on_state)
        self.controller.cell_collected.connect(self._on_cell)
        self.controller.ended.connect(self._on_ended)
        self.controller.refused.connect(self._on_refused)
        providers = getattr(self.mode.window, "providers", None)
        if providers is not None:  # a key saved in Providers: look again at its batches
            providers.key_status.connect(self._on_key_status)
        for view in list(self._views.values()):
            self.resume(view)
        self.resume(None)  # and those of workspaces no tab shows

    def bind(self, view: WorkspaceView) -> None:
        self._views[view.tab.id] = view
        view.evaluate.batch_requested.connect(lambda v=view: self.ask(v))
        view.evaluate.stop_requested.connect(lambda v=view: self.cancel(v))
        view.evaluate.cell_opened.connect(lambda k, r, v=view: self._on_cell_opened(v, k, r))
        view.evaluate.look_again_requested.connect(lambda v=view: self.look_again(v))
        view.closing.connect(lambda v=view: self._views.pop(v.tab.id, None))
        if self.controller is not None:
            self.resume(view)

    def look_again(self, view: WorkspaceView) -> None:
        """Look at the tab's batches again after tracking stopped on an error."""
        from playground.ui.views.evaluate_batch_ended import look_again

        look_again(self, view)

    def _on_key_status(self, name: str, stored: bool, _where: str) -> None:
        from playground.ui.views.evaluate_batch_ended import on_key_saved

        if stored:
            on_key_saved(self, name)

    def tracks(self, view: WorkspaceView) -> bool:
        """The tab's batches are out (being polled or collected)."""
        found = self.shown.get(view.tab.id)
        return found is not None and self.controller is not None and self.controller.tracking(found)

    def showing(self, view: WorkspaceView) -> bool:
        """The tab's matrix shows a batch evaluation (kept until the next Run)."""
        return view.tab.id in self.shown

    def forget(self, view: WorkspaceView) -> None:
        """An interactive Run replaces the batch evaluation on the matrix."""
        self.shown.pop(view.tab.id, None)

    # -- run as batch ------------------------------------------------------------------------

    def ask(self, view: WorkspaceView) -> None:
        """Check the matrix as the Batch API would, then confirm with the estimate."""
        ev, mode = view.evaluate, self.mode
        if self.controller is None or ev.held or ev.status in ("running", "paused", "batch"):
            return
        view.binder.flush()
        if view.problems:
            ev.show_error(f"Cannot run as batch: {view.problems[0]}")
            return
        ws = view.doc.workspace
        try:
            columns, rows = mode.plan(view)
        except (PathError, WorkspaceFileError) as exc:
            ev.show_error(f"Cannot run as batch: {exc}")
            return
        if not rows:
            ev.show_error("The test set has no rows: add them in the Test set tab")
            return
        profiles = {c.profile.name: c.profile for c in columns}
        if len(profiles) > 1:
            ev.show_error(
                f"Cannot run as batch: the variants go to {len(profiles)} providers "
                f"({', '.join(sorted(profiles))}); a batch goes to one"
            )
            return
        profile, target = columns[0].profile, columns[0].target
        planner = BatchRuns(self.controller.store, None, self.controller.data_dir, profile="")
        try:
            files, notes = planner.plan(ws, ws.variants, rows, target=target)
        except BatchRefused as exc:
            said = "; ".join(p.message for p in exc.problems)
            ev.show_error(f"Cannot run as batch: {said}. Nothing was sent.")
            return
        except (CellError, PathError) as exc:
            ev.show_error(f"Cannot run as batch: {exc}")
            return
        ev.show_error(None)
        text = describe(estimate(files))
        if notes:
            text += "\n\nNote: " + "\n".join(notes)
        box = QMessageBox(QMessageBox.Icon.Question, "Run as batch", text, parent=view.evaluate)
        box.setStandardButtons(QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Ok).setText("Submit")
        box.accepted.connect(lambda: self._submit(view, ws, rows, profile, target, columns))
        box.finished.connect(lambda _r: setattr(self, "confirm", None))
        self.confirm = box
        box.open()  # never exec() in a coroutine-driven app (STYLE.md section 3)

    def _submit(
        self, view: WorkspaceView, ws: Any, rows: list[TestRow], profile: Any, target: Any,
        columns: Any,
    ) -> asyncio.Task[None]:  # fmt: skip
        from playground.ui.views.evaluate_mode import titles

        names = titles(columns)
        view.evaluate.set_status("batch")
        view.evaluate.show_plan(list(names.items()), rows, batch=True)
        view.evaluate.set_batch("Batch: submitting…", 0, len(columns) * len(rows))
        return tasks.start(
            self._submitting(view, ws, rows, profile, target, names),
            "submitting a batch",
            keep=self._tasks,
        )

    async def _submitting(
        self, view: WorkspaceView, ws: Any, rows: list[TestRow], profile: Any, target: Any,
        names: dict[str, str],
    ) -> None:  # fmt: skip
        assert self.controller is not None
        name = view.doc.path.name if view.doc.path is not None else "untitled workspace"
        try:
            done = await self.controller.submit(
                profile, ws=ws, variants=ws.variants, rows=rows, workspace_name=name,
                target=target, source=source_of(view),
            )  # fmt: skip
        except (BatchRefused, CellError, PathError, EvaluationStoreUnavailable) as exc:
            self._failed(view, f"Cannot run as batch: {exc}")
            return
        except Exception as exc:  # noqa: BLE001 - the server's refusal, in user words
            self._failed(view, f"The batch was not submitted: {said_of(exc, profile)}")
            return
        self.titles[done.evaluation_id] = names
        for state in done.batches:
            self.states.setdefault(done.evaluation_id, {})[state.id] = state
        self._track(view, done.evaluation_id, profile, ws)
        if self._alive(view):
            parts = len(done.batches)
            view.runner.set_status(
                f"Submitted {parts} batch{'es' if parts > 1 else ''} to the Batch API; the "
                "cells land here as they are collected"
            )

    def _failed(self, view: WorkspaceView, text: str) -> None:
        if self._alive(view):
            view.evaluate.show_error(text)
            view.evaluate.set_status("idle")
            self.mode._replan(view)

    def _track(self, view: WorkspaceView, evaluation_id: str, profile: Any, ws: Any) -> None:

        self._show_on(view, evaluation_id)
        self._follow(evaluation_id, profile, ws)
        view.evaluate.set_status("batch")
        self.mode.busy_changed.emit()  # the window's Stop (Esc) cancels the batches
        self._show_progress(evaluation_id)

    def _show_on(self, view: WorkspaceView, evaluation_id: str) -> None:
        """The tab's matrix is the batch evaluation's (not its last interactive one's)."""
        self.shown[view.tab.id] = evaluation_id
        controller = self.mode.controllers.get(view.tab.id)
        if controller is not None:
            controller.show(None)

    def _follow(self, evaluation_id: str, profile: Any, ws: Any) -> None:
        """Poll and collect (once: a second call while it is tracked does nothing)."""
        from playground.cli_eval_inputs import grader

        services, controller = self.mode.services, self.controller
        assert services is not None
        assert controller is not None
        grade = grader(ws.graders, ws, profile, services.backend, services.resolve)
        controller.track(evaluation_id, profile, grade)

    # -- cancel ------------------------------------------------------------------------------

    def cancel(self, view: WorkspaceView) -> None:
        """Stop in Evaluate mode while batches are out: cancel them."""
        evaluation_id = self.shown.get(view.tab.id)
        if evaluation_id is None or self.controller is None or not self.tracks(view):
            return
        profile = self._profile(next(iter(self.states.get(evaluation_id, {}).values()), None))
        if profile is not None:
            self.controller.cancel(evaluation_id, profile)
            view.runner.set_status("Cancelling the batches; what they did is collected")

    # -- resume ------------------------------------------------------------------------------

    def resume(self, view: WorkspaceView | None) -> asyncio.Task[None] | None:
        """Poll and collect the tab's evaluations whose batches are not collected yet."""
        if self.controller is None:
            return None
        return tasks.start(self._resume(view), "resuming batches", keep=self._tasks)

    async def _resume(self, view: WorkspaceView | None) -> None:
        from playground.ui.views.evaluate_batch_resume import resume_into

        await resume_into(self, view)

    # -- what the tab shows ------------------------------------------------------------------

    def _profile(self, state: BatchState | None) -> ProviderProfile | None:
        if state is None:
            return None
        return next((p for p in self.mode.window.profiles if p.name == state.profile), None)

    def _tabs_of(self, evaluation_id: str) -> list[WorkspaceView]:
        return [
            v
            for tab, v in list(self._views.items())
            if self.shown.get(tab) == evaluation_id and self._alive(v)
        ]

    def _show_progress(self, evaluation_id: str) -> None:
        states = sorted(self.states.get(evaluation_id, {}).values(), key=lambda s: s.part)
        text, done, total = progress_text(states)
        spent = sum(c.total_cost_usd or 0.0 for c in self.cells.get(evaluation_id, {}).values())
        for view in self._tabs_of(evaluation_id):
            view.evaluate.set_batch(text, done, total)
            view.evaluate.progress_label.setText(f"${spent:.5f} (batch price)")

    def _summarize(self, evaluation_id: str, view: WorkspaceView) -> None:
        names = self.titles.get(evaluation_id, {})
        cells = self.cells.get(evaluation_id, {}).values()
        view.evaluate.set_summary(summarize(cells, list(names)), names)

    def _on_state(self, state: BatchState) -> None:
        self.states.setdefault(state.evaluation_id, {})[state.id] = state
        self._show_progress(state.evaluation_id)

    def _on_cell(self, evaluation_id: str, cell: Cell) -> None:
        self.cells.setdefault(evaluation_id, {})[cell.key] = cell
        for view in self._tabs_of(evaluation_id):
            view.evaluate.set_cell(cell)
            view.evaluate.earlier.set_exportable(True)
            self._summarize(evaluation_id, view)
        self._show_progress(evaluation_id)

    def _on_cell_opened(self, view: WorkspaceView, key: str, row: str) -> None:
        model = view.evaluate.matrix_model  # its answer: the batch's kept output file
        if model.of_batch(model.at(key, row)):
            view.runner.set_status(
                "A batch cell has no run in History: its answer is in the batch's output file"
            )

    def _on_refused(self, evaluation_id: str, said: str) -> None:
        for view in self._tabs_of(evaluation_id):
            view.evaluate.show_error(said)

    def _on_ended(self, evaluation_id: str, problem: str) -> None:
        from playground.ui.views.evaluate_batch_ended import on_ended

        on_ended(self, evaluation_id, problem)

    def _alive(self, view: WorkspaceView) -> bool:
        return not view.closed and shiboken6.isValid(view.evaluate)

    def close(self) -> None:
        """The app is quitting: stop polling (the batches go on)."""
        if self.controller is not None:
            self.controller.close()

    async def wait(self) -> None:
        await tasks.settle(self._tasks)
        if self.controller is not None:
            await self.controller.wait()


def _collected(state: BatchState) -> BatchState:
    from dataclasses import replace

    return replace(state, collected=True)
