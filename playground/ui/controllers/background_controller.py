"""Background runs in the window: each one is recorded while it goes on (services/
pending_runs.py), so a restarted app picks it up again in its tab, and Cancel asks the server
to cancel it (POST /responses/{id}/cancel) before the run is stopped here.

A run stays recorded when it is stopped without a cancel (the app closing, its tab closed)
or failed without reaching the job (no key, no connection: `UNREACHED`): the job goes on on
the server, and the next start picks it up. A run that ended (answered, failed otherwise, a
pickup that found the response gone) or was cancelled is forgotten, and so is one stopped
without a cancel once its tab sends a new request (a regenerate or another Run replaces it).
A run on the app's own simulator is never recorded: its jobs end with the app.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from PySide6.QtCore import QObject, Signal

from playground.core.errors import FailureKind
from playground.services import background
from playground.services.backend import Backend
from playground.services.connection import Connections
from playground.services.pending_runs import PendingRun, PendingRuns
from playground.services.runs import Run
from playground.ui.controllers.run_controller import RunController
from playground.ui.controllers.tasks import settle, start

log = logging.getLogger(__name__)

FILE_NAME = "pending_runs.json"
UNREACHED = frozenset(
    {
        FailureKind.MISSING_KEY,
        FailureKind.AUTHENTICATION,
        FailureKind.CONNECTION,
        FailureKind.TIMEOUT,
        FailureKind.RATE_LIMIT,
        FailureKind.SERVER,
    }
)
"""Failures that say nothing of the job itself: a run that ends so stays recorded."""


def is_background(run: Run) -> bool:
    """A run created in the background, or picked up again."""
    ws = run.workspace
    return run.resume is not None or (ws.api == "responses" and bool(ws.params.background))


class BackgroundRuns(QObject):
    """See the module docstring."""

    cancel_failed = Signal(object, str)
    """The server did not cancel the run (the Run, why, in the app's words); it was stopped
    here all the same."""

    def __init__(
        self,
        runs: RunController,
        backend: Backend,
        connections: Connections,
        pending: PendingRuns,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.runs = runs
        self.pending = pending
        self._backend = backend
        self._connections = connections
        self._recorded: dict[str, str] = {}  # run id -> response id
        self._tasks: set[asyncio.Task[Any]] = set()
        runs.run_added.connect(self._on_run_added)
        runs.run_ended.connect(self._on_run_ended)

    def left_over(self, tabs: set[str]) -> list[PendingRun]:
        """The runs a previous session left going, of the tabs in `tabs`; those of tabs that
        are gone are forgotten (nothing would show their answer)."""
        found = self.pending.load()
        for gone in [p for p in found if p.tab not in tabs]:
            log.info("forgetting background response %s: its tab is gone", gone.response_id)
            self._write(self.pending.remove, gone.response_id)
        return [p for p in found if p.tab in tabs]

    def cancel(self, run: Run) -> None:
        """Cancel `run` on the server, then stop it here."""
        start(self._cancel(run), "cancelling a background run", keep=self._tasks)

    async def wait(self) -> None:
        """Until the cancels under way are done."""
        await settle(self._tasks)

    def going(self) -> tuple[list[Run], list[Run]]:
        """The background runs going on now, as (those the next start picks up, those that
        end with the app: on its own simulator)."""
        live = [r for r in self.runs.runs() if r.group is None and is_background(r)]
        kept = [r for r in live if self._connections.jobs_outlive_app(r.profile)]
        return kept, [r for r in live if r not in kept]

    # -- private -----------------------------------------------------------------------------

    async def _cancel(self, run: Run) -> None:
        if run.response_id is not None:
            try:
                resolved, key = await self._connections.resolve(run.profile)
                found = await background.cancel(
                    self._backend.client(resolved, key), run.response_id
                )
                run.background = found.status
            except background.BackgroundError as exc:
                self.cancel_failed.emit(run, exc.failure.describe())
        run.cancel()

    def _on_run_added(self, run: Run) -> None:
        if run.group is not None:
            return  # a Compare column or an evaluation cell is not picked up
        if run.resume is None:
            self._forget_replaced(run.owner)
        else:  # a pickup: its entry is in the file already
            self._recorded[run.id] = run.resume[0]
        if is_background(run):
            run.events_received.connect(lambda _batch, r=run: self._record(r))

    def _forget_replaced(self, tab: str) -> None:
        """A new request in `tab` replaces the runs it stopped without a cancel (regenerate,
        Run again): the next start must not pick those up and add their answers."""
        live = set(self._recorded.values())
        for old in self.pending.load():
            if old.tab == tab and old.response_id not in live:
                log.info("forgetting background response %s: replaced", old.response_id)
                self._write(self.pending.remove, old.response_id)

    def _record(self, run: Run) -> None:
        if run.response_id is None or run.id in self._recorded or not run.live:
            return
        if not self._connections.jobs_outlive_app(run.profile):
            return
        self._recorded[run.id] = run.response_id
        answers = len(run.workspace.messages)  # the answer goes after these
        entry = PendingRun(run.response_id, run.profile.name, run.owner, answers=answers)
        self._write(self.pending.add, entry)

    def _on_run_ended(self, run: Run) -> None:
        response_id = self._recorded.pop(run.id, None)
        if response_id is None:
            return
        if run.outcome == "stopped" and run.background != "cancelled":
            return  # the job goes on: the next start picks it up
        failure = run.turn.failure if run.turn is not None else None
        if run.outcome == "failed" and failure is not None and failure.kind in UNREACHED:
            return  # the job may go on: Pick up again, or the next start, tries again
        self._write(self.pending.remove, response_id)

    def _write(self, change: Any, value: Any) -> None:
        try:
            change(value)
        except OSError:
            log.warning("could not update %s", self.pending.path, exc_info=True)
