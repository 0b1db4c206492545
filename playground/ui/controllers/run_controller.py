"""The run controller: starts Runs (services/runs.py), many at once, and tells who started what.

Views bind to the Run they are handed (`run_added`) and hear its own signals; starting a run
never cancels another. The controller learns the parameters a server refuses and records
every turn in the history.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date
from typing import Any

from PySide6.QtCore import QObject, Signal

from playground.core import request
from playground.core.errors import Failure
from playground.core.learned import rule_from_failure
from playground.core.profiles import ProviderProfile
from playground.core.reducer import AssistantTurn
from playground.core.workspace import Workspace
from playground.services.backend import Backend
from playground.services.connection import Connections
from playground.services.history import HistoryStore, HistoryUnavailable, RunRecord, record_of
from playground.services.learned_rules import LearnedRuleStore
from playground.services.response_cache import CacheUnavailable, ResponseCache
from playground.services.runs import DEFAULT_PER_PROVIDER, Limiter, Run, execute
from playground.ui import pacing
from playground.ui.controllers.tasks import settle

log = logging.getLogger(__name__)


class RunController(QObject):
    """Starts, stops and tracks Runs; learns refusals and records history."""

    run_added = Signal(object)
    """A Run was started (it may wait for a slot of its provider before it sends)."""
    run_ended = Signal(object)
    """A Run is over (its outcome is set)."""
    busy_changed = Signal(bool)
    """The first run started (True) or the last live run ended (False)."""
    history_failed = Signal(str)
    """A run could not be recorded in the history (the message says why)."""
    recorded = Signal(int)
    """A run was recorded in the history under this id."""
    rule_learned = Signal(object)
    """A server refused a parameter: the LearnedRule now stored (sent before the turn's
    `finished`)."""

    def __init__(
        self,
        backend: Backend,
        connections: Connections,
        parent: QObject | None = None,
        history: HistoryStore | None = None,
        learned: LearnedRuleStore | None = None,
        per_provider: int = DEFAULT_PER_PROVIDER,
        cache: ResponseCache | None = None,
    ) -> None:
        super().__init__(parent)
        self._backend = backend
        self._connections = connections
        self._history = history
        self.learned = learned
        self.cache = cache
        """The response cache: runs of a workspace that opts in use it."""
        self.limiter = Limiter(per_provider)
        self._live: dict[str, tuple[Run, asyncio.Task[Any]]] = {}
        self._writes: set[asyncio.Task[None]] = set()

    @property
    def resolve(self) -> Any:
        """The resolver runs use: (profile) -> (profile with its address, key or None)."""
        return self._connections.resolve

    @property
    def strict(self) -> bool:
        """The SDK checks every response shape (tests)."""
        return bool(getattr(self._backend, "_strict", False))

    # -- runs -------------------------------------------------------------------------------

    def start(
        self,
        ws: Workspace,
        profile: ProviderProfile,
        *,
        owner: str,
        group: str | None = None,
        variant: str | None = None,
        mock_loop: int | None = None,
        resume: tuple[str, int] | None = None,
    ) -> Run:
        """Start a run of a snapshot of `ws` (later edits do not reach it); other runs go on.

        `owner`: the tab that starts it; `group`/`variant`: the Compare run and column;
        `mock_loop`: answer tool calls with their mocks, up to this many model turns;
        `resume`: pick up this background response (id, last sequence seen) instead."""
        run = Run(ws, profile, owner=owner, group=group, variant=variant)
        run.resume = resume
        was_busy = self.busy
        task = asyncio.ensure_future(
            execute(
                run,
                self._backend,
                self._connections.resolve,
                limiter=self.limiter,
                target=self.target(profile, run.workspace),
                mock_loop=mock_loop,
                on_refusal=lambda failure, sent, body: self._learn(
                    failure, profile.name, sent, body
                ),
                on_turn=lambda sent, body, turn, stopped: self._record(
                    sent, body, turn, stopped, profile.name, group
                ),
                on_saturated=pacing.saturated,
                cache=self.cache,
                header_secrets=self._connections.keys.get,
            )
        )
        run.attach(task)
        self._live[run.id] = (run, task)
        task.add_done_callback(lambda _t: self._on_done(run))
        self.run_added.emit(run)
        if not was_busy:
            self.busy_changed.emit(True)
        return run

    def runs(self, owner: str | None = None) -> list[Run]:
        """The live runs (waiting or streaming), of `owner` or of everyone, oldest first."""
        return [r for r, _ in self._live.values() if owner is None or r.owner == owner]

    @property
    def busy(self) -> bool:
        """Any run is live."""
        return bool(self._live)

    def busy_for(self, owner: str) -> bool:
        """A run of `owner` is live."""
        return any(r.owner == owner for r, _ in self._live.values())

    def stop(self, owner: str | None = None) -> None:
        """Stop every live run of `owner`, or every live run."""
        for run in self.runs(owner):
            run.cancel()

    async def wait(self) -> None:
        """Until every live run and its history writes are done."""
        while self._live:
            tasks = [t for _, t in self._live.values()]
            await asyncio.gather(*tasks, return_exceptions=True)
            await asyncio.sleep(0)  # the done-callbacks
        await settle(self._writes)

    async def clear_cache(self) -> str:
        """Empty the response cache; what happened, in the user's words."""
        if self.cache is None:
            return "There is no response cache."
        try:
            count = await asyncio.to_thread(self.cache.clear)
        except CacheUnavailable as exc:
            return str(exc)
        return f"Response cache cleared: {count} answer{'s' if count != 1 else ''} removed"

    def target(self, profile: ProviderProfile, ws: Workspace) -> request.Target:
        """Where `ws` goes with `profile`: OpenAI's endpoint or not, the profile's Chat
        token-limit name, and the rules learned from that server for the model."""
        learned = self.learned.learned_for(profile.name, ws.model) if self.learned else ()
        return request.Target.for_profile(profile, learned)

    # -- private -----------------------------------------------------------------------------

    def _on_done(self, run: Run) -> None:
        self._live.pop(run.id, None)
        self.run_ended.emit(run)
        if not self._live:
            self.busy_changed.emit(False)

    def _learn(self, failure: Failure, provider: str, ws: Workspace, body: dict[str, Any]) -> None:
        """Remember a refusal the server named (core.learned), and say so. The file is tiny
        and written once per refusal, so it is written here, before the card offers to drop it."""
        if self.learned is None:
            return
        rule = rule_from_failure(failure, provider, ws.model, body, date.today())
        if rule is None:
            return
        try:
            rule = self.learned.add(rule)
        except OSError:  # kept in memory for this session; the next change writes it again
            log.warning("could not save the learned rule for %s", rule.param, exc_info=True)
        self.rule_learned.emit(rule)

    def _record(
        self,
        ws: Workspace,
        body: dict[str, Any],
        turn: AssistantTurn,
        stopped: bool,
        profile: str,
        group: str | None,
    ) -> None:
        """Write the turn to the history off the GUI thread (even when the run was stopped)."""
        if self._history is None:
            return
        record = record_of(ws, body, turn, stopped, profile, group)
        # The loop is named here, not looked up in _write: at quit, qasync runs the last Qt
        # events (a stopped run's end among them) after the loop has stopped, where
        # asyncio.to_thread finds no running loop; the write then waits for aclose's loop.
        loop = asyncio.get_event_loop()
        task = loop.create_task(self._write(record, loop))
        self._writes.add(task)
        task.add_done_callback(self._writes.discard)

    async def _write(self, record: RunRecord, loop: asyncio.AbstractEventLoop) -> None:
        assert self._history is not None
        try:
            run_id = await loop.run_in_executor(None, self._history.record, record)
        except HistoryUnavailable as exc:
            self.history_failed.emit(str(exc))
            return
        self.recorded.emit(run_id)
