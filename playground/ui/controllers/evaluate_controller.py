"""The evaluation of one tab: runs a services.evaluation.Evaluation as a task it keeps,
routes the runner's psygnal signals to Qt signals, pauses, resumes and stops it, and stops it
when the tab closes. Widgets never await it; EvaluateMode (ui/views/evaluate_mode.py) builds
the Evaluation and shows what this reports."""

from __future__ import annotations

import asyncio
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal

from playground.services.evaluation import Evaluation
from playground.services.evaluation_saving import finish
from playground.services.evaluation_store import EvaluationStore, EvaluationStoreUnavailable
from playground.ui.controllers import tasks
from playground.ui.controllers.tasks import settle


class EvaluateController(QObject):
    """See the module docstring."""

    cell_finished = Signal(object)
    """A cell finished (and was saved): the core.evaluation_results.Cell."""
    progressed = Signal(object)
    """A services.evaluation.Progress: a cell finished, or the run paused or resumed."""
    status_changed = Signal(str)
    """running, paused, done or stopped."""
    failed = Signal(str)
    """The evaluation stopped on a problem (the store cannot be written), in user words."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.evaluation: Evaluation | None = None
        self._task: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closed = False
        self._running = False

    @property
    def busy(self) -> bool:
        """An evaluation is running or paused."""
        return self._running

    def start(self, evaluation: Evaluation, store: EvaluationStore) -> None:
        """Run `evaluation` (made by evaluation_saving.start, so each cell is saved); the
        store records how it ended."""
        if self.busy or self._closed:
            raise RuntimeError("an evaluation of this tab is already running")
        self.evaluation = evaluation
        self._running = True
        evaluation.cell_finished.connect(self._on_cell)
        evaluation.progressed.connect(self._on_progress)
        self.status_changed.emit("running")
        self._task = tasks.start(
            self._run(evaluation, store), "running an evaluation", keep=self._tasks
        )

    def show(self, evaluation: Evaluation | None) -> None:
        """The evaluation this tab shows without running it (a stopped one, loaded from the
        store: `start` runs the rest); None: none."""
        if not self.busy:
            self.evaluation = evaluation

    async def _run(self, evaluation: Evaluation, store: EvaluationStore) -> None:
        try:
            await finish(store, evaluation)
        except EvaluationStoreUnavailable as exc:
            if not self._gone:
                self.failed.emit(str(exc))
        finally:
            self._running = False  # before the signals: who hears them sees it idle
            evaluation.cell_finished.disconnect(self._on_cell)
            evaluation.progressed.disconnect(self._on_progress)
            if not self._gone:
                self.progressed.emit(evaluation.progress())
                self.status_changed.emit(evaluation.status)

    def pause(self, on: bool) -> None:
        """Pause (start no new cell) or resume."""
        if self.evaluation is None or not self.busy:
            return
        if on:
            self.evaluation.pause()
        else:
            self.evaluation.resume()
        self.status_changed.emit(self.evaluation.status)

    def stop(self) -> None:
        """Stop: the running cells end, every unfinished cell stays pending."""
        if self.evaluation is not None and self.busy:
            self.evaluation.cancel()

    def close(self) -> None:
        """The tab closed: stop, and report nothing more."""
        self.stop()
        self._closed = True

    async def wait(self) -> None:
        """Until the evaluation ended and recorded how (the app's shutdown awaits this)."""
        await settle(self._tasks)

    @property
    def _gone(self) -> bool:
        """Closed, or the window that owns this went away first (its shutdown)."""
        return self._closed or not shiboken6.isValid(self)

    def _on_cell(self, cell: Any) -> None:
        if not self._gone:
            self.cell_finished.emit(cell)

    def _on_progress(self, progress: Any) -> None:
        if not self._gone:
            self.progressed.emit(progress)
