"""Evaluate mode's earlier evaluations, for each tab: compare the matrix with one of them,
export the current one's cells, and offer to run the rest of one that stopped.

Which evaluations belong to a tab: those the store records with the tab's workspace file
(its absolute path) or, for a tab never saved, "tab:<id>" (source_of). The newest of them,
when it has cells left (it was stopped, or the app was killed), is shown with its finished
cells and offered: "Run the rest" runs only the cells left, into the same evaluation
(services.evaluation_saving.resume, as `playground eval --resume`); "Discard" deletes it from
the evaluations store (its runs stay in the history). Store reads and file writes run off the
GUI thread (ui/controllers/tasks.py)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject

from playground.core.document import PathError
from playground.services import evaluation_saving
from playground.services.evaluation_store import EvaluationRecord, EvaluationStoreUnavailable
from playground.services.files import atomic_write
from playground.ui import presenter
from playground.ui.controllers import tasks
from playground.ui.tab_notices import Notice
from playground.ui.views.evaluate_compare import Earlier, record_text
from playground.ui.widgets.common import html_text

if TYPE_CHECKING:
    from playground.services.evaluation import Evaluation
    from playground.ui.controllers.evaluate_controller import EvaluateController
    from playground.ui.views.evaluate_mode import EvaluateMode
    from playground.ui.views.workspace_view import WorkspaceView

LISTED = 50
"""The earlier evaluations "Compare with…" lists, newest first."""


def source_of(view: WorkspaceView) -> str:
    """What the store records as the workspace an evaluation of `view` was run from."""
    path = view.doc.path
    return str(path.resolve()) if path is not None else f"tab:{view.tab.id}"


def sources_of(view: WorkspaceView) -> list[str]:
    """The sources whose evaluations are this tab's (its file's, and its own as unsaved)."""
    return list(dict.fromkeys([source_of(view), f"tab:{view.tab.id}"]))


def offer_text(record: EvaluationRecord) -> str:
    total = len(record.columns) * record.row_count
    return f"An evaluation of this workspace stopped at {record.cells_done:,} of {total:,} cells."


class EvaluateHistory(QObject):
    """See the module docstring; one for the window, made by EvaluateMode."""

    def __init__(self, mode: EvaluateMode) -> None:
        super().__init__(mode)
        self.mode = mode
        self.offered: dict[str, str] = {}
        """tab id -> the id of the stopped evaluation it offers to run the rest of."""
        self._tasks: set[asyncio.Task[Any]] = set()

    def bind(self, view: WorkspaceView, controller: EvaluateController) -> None:
        """Act on `view`'s bar; list its earlier evaluations (and offer a stopped one)."""
        bar = view.evaluate.earlier

        def document(v: WorkspaceView = view) -> str | None:
            return v.tab.path  # Export results starts beside the workspace file

        bar.document = document
        bar.compare_requested.connect(lambda i, v=view: self.compare(v, i))
        bar.comparison_cleared.connect(lambda v=view: self.clear(v))
        bar.export_requested.connect(lambda p, k, v=view: self.export(v, p, k))
        bar.resume_requested.connect(lambda v=view: self.run_rest(v))
        bar.discard_requested.connect(lambda v=view: self.discard(v))
        controller.status_changed.connect(lambda s, v=view: self._on_status(v, s))
        controller.cell_finished.connect(lambda _c, b=bar: b.set_exportable(True))
        if self.mode.services is not None:
            self.refresh(view, offer=True)

    def refresh(self, view: WorkspaceView, offer: bool = False) -> asyncio.Task[None] | None:
        """List the tab's earlier evaluations again; `offer`: and offer to run the rest of
        the newest when it stopped (the tab was just opened)."""
        if self.mode.services is None:
            return None
        return self._spawn(self._refresh(view, offer), "listing earlier evaluations")

    def compare(self, view: WorkspaceView, evaluation_id: str) -> asyncio.Task[None] | None:
        """Mark each cell of the matrix with its change since evaluation `evaluation_id`."""
        return self._spawn(self._compare(view, evaluation_id), "comparing evaluations")

    def clear(self, view: WorkspaceView) -> None:
        view.evaluate.matrix_model.compare_with(None)
        view.evaluate.earlier.set_compared(None)

    def export(self, view: WorkspaceView, path: str, kind: str) -> asyncio.Task[None] | None:
        """Write the tab's evaluation's finished cells to `path` ("csv" or "jsonl")."""
        evaluation = self._evaluation(view)
        found = evaluation.id if evaluation else self.mode.batch.shown.get(view.tab.id)
        if found is None or self.mode.services is None:
            return None
        return self._spawn(self._export(view, found, path, kind), "exporting results")

    def run_rest(self, view: WorkspaceView) -> None:
        """Run only the cells the offered evaluation has left, into it."""
        controller = self.mode.controllers.get(view.tab.id)
        evaluation = self._evaluation(view)
        services = self.mode.services
        if controller is None or evaluation is None or services is None or controller.busy:
            return
        self._withdraw(view)
        try:
            services.store.set_status(evaluation.id, "running")
        except EvaluationStoreUnavailable as exc:
            view.evaluate.show_error(f"Cannot run: {exc}")
            return
        view.evaluate.show_error(None)
        controller.start(evaluation, services.store)
        self.mode._on_progress(view, evaluation.progress())

    def discard(self, view: WorkspaceView) -> asyncio.Task[None] | None:
        """Delete the offered evaluation from the store; the matrix shows the plan again."""
        evaluation_id = self.offered.get(view.tab.id)
        controller = self.mode.controllers.get(view.tab.id)
        if evaluation_id is None or controller is None or self.mode.services is None:
            return None
        self._withdraw(view)
        if controller.evaluation is not None and controller.evaluation.id == evaluation_id:
            controller.show(None)
        self.mode._replan(view)
        store = self.mode.services.store

        async def delete() -> None:
            try:
                await asyncio.to_thread(store.delete, evaluation_id)
            except EvaluationStoreUnavailable as exc:
                self._error(view, str(exc))
                return
            if self._alive(view):
                view.runner.set_status("The stopped evaluation was discarded")
                await self._refresh(view, False)

        return self._spawn(delete(), "discarding an evaluation")

    # -- private -----------------------------------------------------------------------------

    def _spawn(self, coro: Any, name: str) -> asyncio.Task[None]:
        return tasks.start(coro, name, keep=self._tasks)

    async def wait(self) -> None:
        await tasks.settle(self._tasks)

    def _alive(self, view: WorkspaceView) -> bool:
        return not view.closed and shiboken6.isValid(view.evaluate)

    def _error(self, view: WorkspaceView, text: str) -> None:
        if self._alive(view):
            view.evaluate.show_error(text)

    def _evaluation(self, view: WorkspaceView) -> Evaluation | None:
        controller = self.mode.controllers.get(view.tab.id)
        return controller.evaluation if controller is not None else None

    async def _refresh(self, view: WorkspaceView, offer: bool) -> None:
        assert self.mode.services is not None
        store = self.mode.services.store
        try:
            records = await asyncio.to_thread(store.evaluations, LISTED, sources_of(view))
        except EvaluationStoreUnavailable as exc:
            self._error(view, str(exc))
            return
        if not self._alive(view):
            return
        current = self._evaluation(view)
        if offer and current is None and records and records[0].cells_left > 0:
            current = await self._offer(view, records[0])  # None while its batches are out
        bar = view.evaluate.earlier
        shown = current.id if current is not None else None
        bar.set_earlier([(r.id, record_text(r)) for r in records if r.id != shown])
        earlier = view.evaluate.matrix_model.earlier
        bar.set_compared(earlier.id if earlier is not None else None)
        done = current is not None and current.progress().done > 0
        bar.set_exportable(done or self.mode.batch.showing(view))

    async def _offer(self, view: WorkspaceView, record: EvaluationRecord) -> Evaluation | None:
        """Show the stopped evaluation `record` with its finished cells, and the offer."""
        from playground.cli_eval_inputs import grader, prepare

        services, mode = self.mode.services, self.mode
        controller = mode.controllers.get(view.tab.id)
        if services is None or controller is None or controller.busy:
            return None
        try:
            finished = await asyncio.to_thread(services.store.cells, record.id)
            left = await asyncio.to_thread(services.store.unfinished, [record.source or ""])
        except EvaluationStoreUnavailable as exc:
            self._error(view, f"The stopped evaluation cannot be shown: {exc}")
            return None
        if not self._alive(view) or controller.busy or controller.evaluation is not None:
            return None
        if record.id not in {e.id for e in left} or mode.batch.showing(view):
            return None  # its Batch API batches are out (evaluate_batch.py tracks them)
        if record.batches:  # its cells are batch cells, after a restart as before
            mode.batch.known[record.id] = record.batch_end
        ws, base = view.doc.workspace, record.workspace
        try:
            columns = mode.single_columns(base, record.variants)
        except PathError as exc:
            self._error(view, f"The stopped evaluation cannot be run again: {exc}")
            return None
        evaluation = evaluation_saving.resumed(
            services.store, record, finished, columns, history=services.history,
            backend=services.backend, resolve=services.resolve, prepare=prepare,
            grade=grader(base.graders, base, mode.profile_for(base), services.backend,
                         services.resolve),
            concurrency=ws.evaluate.concurrency, owner=view.tab.id, cache=mode.window.runs.cache,
            header_secrets=services.secrets,
        )  # fmt: skip
        controller.show(evaluation)
        self.offered[view.tab.id] = evaluation.id
        mode.show_evaluation(view, evaluation)
        text = offer_text(record)
        view.evaluate.earlier.show_offer(f"{text} Run the rest?")
        documents = mode.window.documents
        if documents is not None and ws.mode != "evaluate":  # the matrix is not in sight
            notice = Notice(html_text(text), "Show it", lambda: mode.show_mode(view))
            documents.notices.post(view.tab.id, notice)
        return evaluation

    def _withdraw(self, view: WorkspaceView) -> None:
        """The offer was taken up or turned down: it goes, here and in the window."""
        self.offered.pop(view.tab.id, None)
        if self._alive(view):
            view.evaluate.earlier.show_offer(None)
        documents = self.mode.window.documents
        if documents is not None and documents.notices.get(view.tab.id) is not None:
            documents.notices.drop(view.tab.id)

    async def _compare(self, view: WorkspaceView, evaluation_id: str) -> None:
        assert self.mode.services is not None
        store = self.mode.services.store

        def read() -> Earlier | None:
            record = store.get(evaluation_id)
            return Earlier.of(record, store.cells(evaluation_id)) if record else None

        try:
            earlier = await asyncio.to_thread(read)
        except EvaluationStoreUnavailable as exc:
            self._error(view, str(exc))
            return
        if not self._alive(view):
            return
        if earlier is None:
            self._error(view, "That evaluation is no longer in the store")
            return
        view.evaluate.matrix_model.compare_with(earlier)
        view.evaluate.earlier.set_compared(evaluation_id)

    async def _export(self, view: WorkspaceView, evaluation_id: str, path: str, kind: str) -> None:
        assert self.mode.services is not None
        store = self.mode.services.store

        def write() -> int:
            export = store.export_jsonl if kind == "jsonl" else store.export_csv
            atomic_write(Path(path), export(evaluation_id))
            return len(store.cells(evaluation_id))

        try:
            cells = await asyncio.to_thread(write)
        except EvaluationStoreUnavailable as exc:
            self._error(view, str(exc))
            return
        except OSError as exc:
            self._error(view, presenter.write_failure("the results", path, exc))
            return
        if self._alive(view):
            view.evaluate.show_error(None)
            view.runner.set_status(f"Exported {cells:,} cells to {Path(path).name}")

    def _on_status(self, view: WorkspaceView, status: str) -> None:
        if status == "running" and self.offered.get(view.tab.id):
            evaluation = self._evaluation(view)
            if evaluation is None or evaluation.id != self.offered[view.tab.id]:
                self._withdraw(view)  # a new evaluation: the old one is not offered
        if status in ("done", "stopped", "running"):
            self.refresh(view)
