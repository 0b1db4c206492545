"""The window's Batch API work: submits evaluations as batches, polls them, cancels them and
collects their cells, through services.batch_runs.BatchRuns (one per provider profile). It
keeps every task (ui/controllers/tasks.py) and turns the BatchRuns' psygnal signals into Qt
signals. Widgets never await it; ui/views/evaluate_batch.py decides what to submit or resume
and shows what this reports.

The clients are its own AsyncOpenAI clients (services.backend.OpenAIBackend), made from the
profile the window's resolver gives (the in-process simulator's address included): the
window's request process streams runs, while a batch is a handful of plain requests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal

from playground.core.errors import Failure, FailureKind
from playground.core.profiles import ProviderProfile
from playground.services.backend import OpenAIBackend
from playground.services.batch_runs import BatchRuns, Sleep, Submitted
from playground.services.evaluation_store import EvaluationStore
from playground.ui.controllers import tasks
from playground.ui.controllers.tasks import settle

Resolve = Callable[[ProviderProfile], Awaitable[tuple[ProviderProfile, str | None]]]


class BatchController(QObject):
    """See the module docstring."""

    state_changed = Signal(object)
    """A batch was submitted, looked at or cancelled: its services.batch_store.BatchState."""
    cell_collected = Signal(str, object)
    """(evaluation id, Cell): a cell was collected from a batch's results and saved."""
    refused = Signal(str, str)
    """(evaluation id, what went wrong in user words): a cancel failed; tracking goes on."""
    ended = Signal(str, str)
    """(evaluation id, problem): tracking ended; problem "" when every batch was collected,
    else what stopped it, in user words (the batches may go on; a restart looks again)."""

    def __init__(
        self,
        store: EvaluationStore,
        data_dir: Path,
        resolve: Resolve,
        *,
        strict: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store, self.data_dir, self._resolve = store, data_dir, resolve
        self.sleep: Sleep = asyncio.sleep
        """The wait between looks (a test sets one that moves the simulator's clock)."""
        self._backend = OpenAIBackend(strict=strict)
        self._runs: dict[str, BatchRuns] = {}
        self._tracking: dict[str, asyncio.Task[Any]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closed = False
        self.gone: set[str] = set()
        """Evaluations whose batches are gone (the in-process simulator that ran them
        stopped): they will never be collected."""

    def tracking(self, evaluation_id: str) -> bool:
        """Its batches are being polled or collected."""
        return evaluation_id in self._tracking

    async def runs_for(self, profile: ProviderProfile) -> BatchRuns:
        """The BatchRuns of `profile` (made once; its signals routed to this)."""
        found = self._runs.get(profile.name)
        if found is None:
            resolved, key = await self._resolve(profile)  # the window's: keyring, then env
            if resolved.needs_key and not key:
                raise NoKey(profile)  # never the SDK's "Missing credentials" text
            client = self._backend.client(resolved, key)
            found = BatchRuns(self.store, client, self.data_dir, profile=profile.name,
                              sleep=lambda s: self.sleep(s))  # fmt: skip
            found.changed.connect(self._on_changed)
            found.cell_collected.connect(self._on_cell)
            self._runs.setdefault(profile.name, found)
        return self._runs[profile.name]

    async def submit(self, profile: ProviderProfile, **kwargs: Any) -> Submitted:
        """BatchRuns.submit on `profile` (its keyword arguments); raises what it raises."""
        runs = await self.runs_for(profile)
        return await runs.submit(**kwargs)

    def track(self, evaluation_id: str, profile: ProviderProfile, grade: Any) -> None:
        """Poll the evaluation's batches until they are finished, then collect its cells."""
        if self._closed or self.tracking(evaluation_id):
            return
        task = tasks.start(
            self._finish(evaluation_id, profile, grade),
            "tracking a batch evaluation",
            keep=self._tasks,
        )
        self._tracking[evaluation_id] = task

    def cancel(self, evaluation_id: str, profile: ProviderProfile) -> asyncio.Task[Any]:
        """Cancel the evaluation's open batches (tracking goes on: it collects what they
        did before they stopped)."""
        return tasks.start(
            self._cancel(evaluation_id, profile), "cancelling a batch", keep=self._tasks
        )

    def close(self) -> None:
        """The app is quitting: stop polling (the batches go on; the next start resumes)."""
        self._closed = True
        for task in self._tracking.values():
            task.cancel()

    async def wait(self) -> None:
        """Until every task ended, then close the clients."""
        await settle(self._tasks)
        await self._backend.aclose()

    async def _finish(self, evaluation_id: str, profile: ProviderProfile, grade: Any) -> None:
        problem = ""
        try:
            runs = await self.runs_for(profile)
            await runs.finish(evaluation_id, grade)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - every failure is said at the tab
            problem = said_of(exc, profile)
            if is_gone(exc, profile):
                self.gone.add(evaluation_id)
        finally:
            self._tracking.pop(evaluation_id, None)
        if not self._gone:
            self.ended.emit(evaluation_id, problem)

    async def _cancel(self, evaluation_id: str, profile: ProviderProfile) -> None:
        runs = await self.runs_for(profile)
        try:
            await runs.cancel(evaluation_id)
        except Exception as exc:  # noqa: BLE001 - said at the tab, tracking goes on
            if not self._gone:
                self.refused.emit(evaluation_id, f"Could not cancel: {said_of(exc, profile)}")

    @property
    def _gone(self) -> bool:
        return self._closed or not shiboken6.isValid(self)

    def _on_changed(self, state: Any) -> None:
        if not self._gone:
            self.state_changed.emit(state)

    def _on_cell(self, cell: Any, evaluation_id: str) -> None:
        if not self._gone:
            self.cell_collected.emit(evaluation_id, cell)


class NoKey(Exception):
    """The profile needs a key and none is stored (nor in the environment, where its kind
    may read it): a typed failure, said as an interactive run says it."""

    def __init__(self, profile: ProviderProfile) -> None:
        super().__init__(profile.name)
        self.failure = Failure(
            FailureKind.MISSING_KEY,
            f"No API key for the profile {profile.name}: add one in Providers.",
        )


def said_of(exc: BaseException, profile: ProviderProfile) -> str:
    """An exception of the Batch flow in user words (the one failure mapping for the SDK's);
    never the SDK's own text."""
    import openai

    from playground.services.failures import failure_from_exception

    if isinstance(exc, NoKey):
        return exc.failure.message

    if is_gone(exc, profile):
        return (
            "The Offline simulator that ran this batch has stopped (it lives as long as the "
            "app), so its batches are gone. Run the evaluation again."
        )
    if isinstance(exc, openai.APIError):
        return failure_from_exception(exc).describe()
    if isinstance(exc, openai.OpenAIError):  # raised before sending: the client's settings
        return Failure(
            FailureKind.UNKNOWN,
            f"The request to {profile.name} could not be made; check the profile in Providers.",
        ).describe()
    return str(exc) or type(exc).__name__


def is_gone(exc: BaseException, profile: ProviderProfile) -> bool:
    """The in-process simulator that ran the batch no longer knows it (by class, not text)."""
    import openai

    return isinstance(exc, openai.NotFoundError) and profile.kind == "simulator"
