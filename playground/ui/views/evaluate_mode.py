"""Evaluate mode in the window: the "Evaluate" action (toolbar, View menu, Ctrl+Shift+E), and
the evaluations of each tab's Evaluate view.

Entering and leaving are undo steps (`mode` in the Document). Run (and Ctrl+Enter) in Evaluate
mode runs the matrix variants x test-set rows: the columns, the filling of a row and the
graders are those of `playground eval` (services.evaluation.columns_of, cli_eval_inputs'
prepare and grader; model-graded graders run on the tab's provider), each cell saved as it
finishes (services.evaluation_saving: the evaluations store and the run history). A tab's
EvaluateController owns the running evaluation; a cell opens its run from the history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence

from playground.core.document import PathError
from playground.core.evaluation_spec import TestRow, TestSet
from playground.core.workspace import Workspace
from playground.services import evaluation_saving
from playground.services.evaluation import Column, Progress, columns_of
from playground.services.evaluation_store import EvaluationStore, EvaluationStoreUnavailable
from playground.services.files import WorkspaceFileError
from playground.ui.controllers.evaluate_controller import EvaluateController
from playground.ui.views.evaluate_batch import EvaluateBatch
from playground.ui.views.evaluate_history import EvaluateHistory, source_of
from playground.ui.views.evaluate_report import ReportExport
from playground.ui.views.evaluate_status import same_plan, status_line
from playground.ui.widgets.eval_charts import chart_images

if TYPE_CHECKING:
    from playground.core.profiles import ProviderProfile
    from playground.core.variants import Variant
    from playground.services.backend import Backend
    from playground.services.evaluation import Evaluation
    from playground.services.history import HistoryStore
    from playground.services.mcp_secrets import Lookup
    from playground.services.runs import Resolver
    from playground.ui.main_window import MainWindow
    from playground.ui.views.workspace_view import WorkspaceView

SHORTCUT = "Ctrl+Shift+E"
PLAN_FIELDS = frozenset({"mode", "variants", "test_set", "evaluate"})
"""The Document's fields whose change redraws an idle matrix (its columns and rows)."""


class Services:
    """What an evaluation needs from the composition root (app.py `attach`)."""

    def __init__(
        self,
        backend: Backend,
        resolve: Resolver,
        store: EvaluationStore,
        history: HistoryStore | None,
        open_run: Callable[[int], None],
        secrets: Lookup | None = None,
    ) -> None:
        self.backend, self.resolve, self.store = backend, resolve, store
        self.history, self.open_run, self.secrets = history, open_run, secrets


def titles(columns: list[Column]) -> dict[str, str]:
    """A column's title: its variant's name, else its key ("base" for the tab alone)."""
    return {c.key: (c.variant.name if c.variant and c.variant.name else c.key) for c in columns}


class EvaluateMode(QObject):
    """See the module docstring."""

    busy_changed = Signal()
    """A tab's evaluation started or ended: Stop (Esc) and Run follow."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.services: Services | None = None
        self.controllers: dict[str, EvaluateController] = {}
        self._closed: set[EvaluateController] = set()
        self._listening: dict[str, tuple[WorkspaceView, Callable[[str], None]]] = {}
        self.reports = ReportExport(self)
        self.reports.chart_images = chart_images  # pyqtgraph is imported at the first export
        self.action = QAction("Evaluate", window)
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence(SHORTCUT))
        tip = f"Run every variant on every test case, graded ({SHORTCUT}); undoable"
        self.action.setToolTip(tip)
        self.action.setStatusTip(tip)
        self.action.triggered.connect(self.set_evaluate)
        toolbar = window.toolbar
        before = next(
            (a for a in toolbar.actions() if toolbar.widgetForAction(a) is toolbar.blocker), None
        )
        if before is not None:
            toolbar.insertAction(before, self.action)
        else:
            toolbar.addAction(self.action)
        window.view_added.connect(self.bind)
        window.workspace_changed.connect(self.sync_action)
        self.history = EvaluateHistory(self)  # compare, export, run the rest of a stopped one
        self.batch = EvaluateBatch(self)  # Run as batch, its progress, resuming on start

    def attach(self, services: Services) -> None:
        """The backend, key resolver, stores and history opener (app.py)."""
        self.services = services
        self.batch.attach(services)
        for view, _changed in self._listening.values():  # the tabs restored before this
            self.history.refresh(view, offer=True)

    def bind(self, view: WorkspaceView) -> None:
        """Act on what `view`'s Evaluate view asks for; its controller."""
        ev = view.evaluate
        controller = EvaluateController(self)
        self.controllers[view.tab.id] = controller
        ev.run_requested.connect(lambda v=view: self.run(v))
        ev.rerun_requested.connect(lambda v=view: self.rerun(v))
        ev.pause_requested.connect(controller.pause)
        ev.stop_requested.connect(controller.stop)
        ev.concurrency_changed.connect(lambda n, v=view: self._set_concurrency(v, n))
        ev.cell_opened.connect(lambda key, row, v=view: self.open_cell(v, key, row))
        ev.report_requested.connect(lambda v=view: self.export_report(v))
        controller.cell_finished.connect(ev.set_cell)
        controller.progressed.connect(lambda p, v=view: self._on_progress(v, p))
        controller.status_changed.connect(lambda s, v=view: self._on_status(v, s))
        controller.failed.connect(ev.show_error)
        view.edited.connect(lambda v=view: self._on_edited(v))
        view.closing.connect(lambda v=view: self._close(v))

        def changed(path: str, v: WorkspaceView = view) -> None:
            if path == "" or path.split(".")[0].split("[")[0] in PLAN_FIELDS:
                self._replan(v)

        view.doc.changed.connect(changed)
        view.test_set.rows_state_changed.connect(lambda v=view: self._replan(v))
        self._listening[view.tab.id] = (view, changed)
        self._replan(view)
        self.history.bind(view, controller)
        self.batch.bind(view)

    # -- the mode ----------------------------------------------------------------------------

    def show_mode(self, view: WorkspaceView) -> None:
        """Put `view` in Evaluate mode (a notice's "Show it"): one undo step."""
        if view.doc.workspace.mode != "evaluate":
            view.doc.set("mode", "evaluate", "Evaluate")
        self.sync_action()

    def sync_action(self) -> None:
        view = self.window.current_view
        self.action.setChecked(view is not None and view.doc.workspace.mode == "evaluate")

    def set_evaluate(self, on: bool) -> None:
        """Enter or leave Evaluate: one undo step."""
        view = self.window.current_view
        if view is None:
            return
        view.binder.flush()
        mode = view.doc.workspace.mode
        if on and mode != "evaluate":
            view.compare.flush()
            view.doc.set("mode", "evaluate", "Evaluate")
        elif not on and mode == "evaluate":
            view.doc.set("mode", "single", "Leave Evaluate")
        self.sync_action()

    def busy(self, view: WorkspaceView) -> bool:
        controller = self.controllers.get(view.tab.id)
        return (controller is not None and controller.busy) or self.batch.tracks(view)

    def stop(self, view: WorkspaceView) -> None:
        """Stop `view`'s evaluation (the window's Stop, Esc)."""
        controller = self.controllers.get(view.tab.id)
        if controller is not None:
            controller.stop()
        self.batch.cancel(view)

    # -- running -----------------------------------------------------------------------------

    def plan(self, view: WorkspaceView) -> tuple[list[Column], list[TestRow]]:
        """The columns and rows Run would run. Raises PathError (a variant that does not
        apply) or WorkspaceFileError (a rows file that cannot be read)."""
        ws = view.doc.workspace
        columns = self.single_columns(ws, ws.variants)
        rows = list(ws.test_set.rows)
        if ws.test_set.rows_file and not rows and view.test_set.rows_problem:
            raise WorkspaceFileError(view.test_set.rows_problem)  # read by the Test set tab
        return columns, rows

    def single_columns(self, ws: Workspace, variants: list[Variant]) -> list[Column]:
        """The columns of `ws` x `variants`, each cell's workspace alone (a single request:
        opened from the history, a cell's run is a conversation). Raises PathError."""
        alone = {"variants": [], "mode": "single", "test_set": TestSet()}
        return [
            replace(c, workspace=c.workspace.model_copy(update=alone))
            for c in columns_of(ws, variants, self.profile_for, self._target)
        ]

    def show_evaluation(self, view: WorkspaceView, evaluation: Evaluation) -> None:
        """The matrix, summary and progress of `evaluation` (not running)."""
        names = titles(evaluation.columns)
        cells, ended = list(evaluation.cells.values()), self.batch.known.get(evaluation.id)
        view.evaluate.show_plan(list(names.items()), list(evaluation.rows.values()), cells,
                                batch=ended is not None, ended=ended or "")  # fmt: skip
        view.evaluate.set_summary(evaluation.summary(), names)
        view.evaluate.set_status("stopped" if evaluation.status == "idle" else evaluation.status)
        view.evaluate.set_progress(evaluation.progress())

    def run(self, view: WorkspaceView) -> None:
        """Run the matrix of `view` (Run and Ctrl+Enter in Evaluate mode)."""
        from playground.cli_eval_inputs import grader, prepare

        ev, services = view.evaluate, self.services
        controller = self.controllers[view.tab.id]
        if controller.busy:
            view.runner.set_status("An evaluation of this tab is under way: stop it or wait")
            return
        if self.batch.tracks(view) or view.evaluate.held:
            view.runner.set_status(view.evaluate.held or self.batch.HELD)
            return
        view.binder.flush()
        if services is None:
            return
        if view.problems:  # text in the setup pane that does not parse: Run is blocked too
            ev.show_error(f"Cannot run: {view.problems[0]}")
            return
        ws = view.doc.workspace
        try:
            columns, rows = self.plan(view)
        except (PathError, WorkspaceFileError) as exc:
            ev.show_error(f"Cannot run: {exc}")
            return
        if not rows:
            ev.show_error("The test set has no rows: add them in the Test set tab")
            return
        # model-graded graders run on the tab's own provider
        grade = grader(ws.graders, ws, self.profile_for(ws), services.backend, services.resolve)
        try:
            evaluation = evaluation_saving.start(
                services.store, ws, ws.variants, rows, columns,
                history=services.history, backend=services.backend, resolve=services.resolve,
                header_secrets=services.secrets, prepare=prepare, grade=grade,
                concurrency=ws.evaluate.concurrency,
                owner=view.tab.id, cache=self.window.runs.cache, source=source_of(view),
            )  # fmt: skip
        except EvaluationStoreUnavailable as exc:
            ev.show_error(f"Cannot run: {exc}")
            return
        ev.show_error(None)
        self.batch.forget(view)
        ev.show_plan(list(titles(columns).items()), rows)
        ev.set_summary(evaluation.summary(), titles(columns))
        controller.start(evaluation, services.store)
        self._on_progress(view, evaluation.progress())

    def rerun(self, view: WorkspaceView) -> None:
        """Run the failed and errored cells of the tab's last evaluation again (saved over
        their earlier results)."""
        controller = self.controllers.get(view.tab.id)
        evaluation = controller.evaluation if controller is not None else None
        held, services = view.evaluate.held, self.services
        if not controller or not evaluation or controller.busy or held or not services:
            return
        if not evaluation.rerun():
            return
        try:
            services.store.set_status(evaluation.id, "running")
        except EvaluationStoreUnavailable as exc:
            view.evaluate.show_error(f"Cannot run: {exc}")
            return
        names = titles(evaluation.columns)
        view.evaluate.show_plan(
            list(names.items()), list(evaluation.rows.values()), list(evaluation.cells.values())
        )
        controller.start(evaluation, services.store)
        self._on_progress(view, evaluation.progress())

    def open_cell(self, view: WorkspaceView, key: str, row: str) -> None:
        """Open the run of cell (key, row) in a new tab, as History's Open does."""
        controller = self.controllers.get(view.tab.id)
        evaluation = controller.evaluation if controller is not None else None
        cell = evaluation.cells.get((key, row)) if evaluation is not None else None
        if cell is None or self.services is None or view.evaluate.matrix_model.of_batch(cell):
            return  # a batch cell has no run in History (evaluate_batch.py says so)
        if cell.history_id is None:
            view.runner.set_status(
                "This cell has no run to open"
                if not cell.finished
                else "This cell's run is not in the history"
            )
            return
        self.services.open_run(cell.history_id)

    def export_report(self, view: WorkspaceView) -> None:
        """Export report…: the tab's last evaluation as an HTML page (evaluate_report.py)."""
        controller = self.controllers.get(view.tab.id)
        evaluation = controller.evaluation if controller is not None else None
        names = titles(evaluation.columns) if evaluation is not None else {}
        store = self.services.store if self.services is not None else None
        self.reports.ask(view, evaluation, names, store)

    def profile_for(self, ws: Workspace) -> ProviderProfile:
        """The profile a variant's workspace names, else the toolbar's."""
        found = next((p for p in self.window.profiles if p.name == ws.profile), None)
        return found or self.window.current_profile()

    def _target(self, ws: Workspace, profile: ProviderProfile) -> Any:
        return self.window.runs.target(profile, ws)

    # -- what the view shows -----------------------------------------------------------------

    def _on_edited(self, view: WorkspaceView) -> None:
        """The Document changed: the action follows the mode."""
        if view is self.window.current_view:
            self.sync_action()

    def _replan(self, view: WorkspaceView) -> None:
        """The mode, variants, test set or settings changed: an idle matrix shows its plan;
        the last evaluation's results stay while they are of that plan (else it is listed
        by "Compare with…")."""
        controller = self.controllers.get(view.tab.id)
        ev = view.evaluate
        ev.set_concurrency(view.doc.workspace.evaluate.concurrency)
        if view.doc.workspace.mode != "evaluate" or controller is None or controller.busy:
            return
        if self.batch.showing(view) and view.evaluate.status != "idle":
            return  # the batch evaluation's results stay until Run
        last = controller.evaluation
        try:
            columns, rows = self.plan(view)
            problem = None
        except (PathError, WorkspaceFileError) as exc:
            columns, rows = [], list(view.doc.workspace.test_set.rows)
            problem = f"Cannot run: {exc}"
        ev.show_error(problem)
        if last is not None and (problem is not None or same_plan(last, columns, rows)):
            return
        ev.show_plan(list(titles(columns).items()), rows)
        ev.set_summary([], {})
        if last is not None:  # the plan changed: the last evaluation is an earlier one now
            controller.show(None)
            ev.set_status("idle")
            ev.progress_label.clear()  # as before a first run
            if self.services is not None:
                self.history.refresh(view)

    def _on_progress(self, view: WorkspaceView, progress: Progress) -> None:
        if view.closed or not shiboken6.isValid(view.evaluate):
            return
        view.evaluate.set_progress(progress)
        controller = self.controllers.get(view.tab.id)
        evaluation = controller.evaluation if controller is not None else None
        if evaluation is not None:
            names = titles(evaluation.columns)
            view.evaluate.set_summary(evaluation.summary(), names)
            if controller is not None and controller.busy:  # status "idle" until it starts
                live = "paused" if evaluation.status == "paused" else "running"
                view.runner.set_status(status_line(live, evaluation, names))

    def _on_status(self, view: WorkspaceView, status: str) -> None:
        self.busy_changed.emit()
        if view.closed or not shiboken6.isValid(view.evaluate):
            return
        view.evaluate.set_status(status)
        controller = self.controllers.get(view.tab.id)
        evaluation = controller.evaluation if controller is not None else None
        if evaluation is None:
            return
        view.evaluate.set_progress(evaluation.progress())
        if status in ("running", "paused", "done", "stopped"):
            view.runner.set_status(status_line(status, evaluation, titles(evaluation.columns)))

    def _set_concurrency(self, view: WorkspaceView, value: int) -> None:
        view.doc.set("evaluate.concurrency", value, "Set the evaluation's concurrency", True)

    def _close(self, view: WorkspaceView) -> None:
        listening = self._listening.pop(view.tab.id, None)
        if listening is not None:
            view.doc.changed.disconnect(listening[1])
        controller = self.controllers.pop(view.tab.id, None)
        if controller is not None:
            controller.close()
            self._closed.add(controller)  # its evaluation still records how it ended

    def stop_all(self) -> None:
        """The app is quitting: stop every tab's evaluation (their cells stay pending)."""
        for controller in self.controllers.values():
            controller.close()
        self.batch.close()

    async def wait(self) -> None:
        """Until every tab's evaluation ended and recorded how (the app's shutdown)."""
        for controller in [*self.controllers.values(), *self._closed]:
            await controller.wait()
        await self.reports.wait()
        await self.history.wait()
        await self.batch.wait()
