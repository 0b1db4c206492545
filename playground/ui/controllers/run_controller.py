"""The run controller: owns the run task, turns backend events into signals, runs tool loops."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Coroutine
from datetime import date
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from playground.core import request
from playground.core.errors import Failure
from playground.core.events import (
    ReasoningDelta,
    RefusalDelta,
    StreamEvent,
    TextDelta,
    ToolCallDelta,
)
from playground.core.learned import rule_from_failure
from playground.core.profiles import ProviderProfile
from playground.core.reducer import (
    AssistantTurn,
    TurnAccumulator,
    append_tool_results,
    append_turn,
)
from playground.core.tool_loop import mock_result
from playground.core.workspace import Workspace
from playground.services.backend import Backend
from playground.services.connection import Connections
from playground.services.history import HistoryStore, HistoryUnavailable, RunRecord, record_of
from playground.services.learned_rules import LearnedRuleStore
from playground.ui import pacing
from playground.ui.controllers.tasks import settle

log = logging.getLogger(__name__)

SLICE_S = 0.006
"""The stream consumer gives the event loop a turn at least this often (seconds)."""
_DELTAS = (TextDelta, ReasoningDelta, RefusalDelta, ToolCallDelta)


class RunController(QObject):
    """Starts, streams, stops and loops runs. The window only listens."""

    run_started = Signal(object)
    """The BuiltRequest being sent."""
    events_received = Signal(object)  # a list, passed as is (Signal(list) converts each item)
    """Normalized events with the milliseconds since the run started: [(event, ms), ...].

    Deltas are batched to the frame rate: a 100k-token stream is a few hundred signals."""
    run_finished = Signal(object, bool)
    """The AssistantTurn, and whether the user stopped it."""
    tool_results_added = Signal(dict)
    """The mock loop answered tool calls: outputs by call id."""
    loop_limit_reached = Signal(int)
    """The mock loop stopped at its iteration limit."""
    busy_changed = Signal(bool)
    """A run started (True) or everything ended (False)."""
    history_failed = Signal(str)
    """The run could not be recorded in the history (the message says why)."""
    recorded = Signal(int)
    """A run was recorded in the history under this id."""
    retrying = Signal(object)
    """The SDK is retrying (a Retrying event: attempt, status, delay)."""
    rule_learned = Signal(object)
    """A server refused a parameter: the LearnedRule now stored (sent before run_finished)."""

    def __init__(
        self,
        backend: Backend,
        connections: Connections,
        parent: QObject | None = None,
        history: HistoryStore | None = None,
        learned: LearnedRuleStore | None = None,
    ) -> None:
        super().__init__(parent)
        self._backend = backend
        self._connections = connections
        self._history = history
        self.learned = learned
        self._writes: set[asyncio.Task[None]] = set()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._looping = False
        self._batch: list[tuple[StreamEvent, float]] = []
        self._flush_due = False

    @property
    def busy_looping(self) -> bool:
        """A mock loop is under way (its tool calls are answered by the controller)."""
        return self._looping and self.busy

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    def busy_for(self, owner: str) -> bool:
        """A run of this tab is under way (one run at a time, for now: any run)."""
        return self.busy

    def run(self, ws: Workspace, profile: ProviderProfile) -> None:
        """Run a snapshot of `ws` (later edits do not affect it)."""
        self._looping = False
        self._start(self._single(ws.model_copy(deep=True), profile))

    def run_mock_loop(self, ws: Workspace, profile: ProviderProfile, limit: int) -> None:
        """Answer every tool call with its mock and go on, at most `limit` model turns."""
        self._looping = True
        self._start(self._loop(ws.model_copy(deep=True), profile, limit))

    def stop(self) -> None:
        if self.busy and self._task is not None:
            self._stopping = True
            self._task.cancel()

    async def wait(self) -> None:
        """Until the run and its history writes are done."""
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await settle(self._writes)

    # -- private -----------------------------------------------------------------------------

    def _start(self, coro: Coroutine[Any, Any, None]) -> None:
        if self.busy:
            self.stop()
        self._stopping = False
        self._task = asyncio.ensure_future(coro)
        self.busy_changed.emit(True)
        self._task.add_done_callback(lambda _t: self.busy_changed.emit(self.busy))

    async def _single(self, ws: Workspace, profile: ProviderProfile) -> None:
        await self._one(ws, profile)

    async def _loop(self, ws: Workspace, profile: ProviderProfile, limit: int) -> None:
        pending = [c for c in ws.messages[-1].tool_calls] if ws.messages else []
        if pending and ws.messages[-1].role == "assistant":
            ws = self._answer_with_mocks(ws, [(c.id, c.name, c.arguments) for c in pending])
        for _ in range(limit):
            turn, stopped = await self._one(ws, profile)
            if stopped or turn.failure is not None or turn.stopped_at_limit or not turn.tool_calls:
                return  # a turn cut at the token limit has no whole calls to answer
            ws = append_turn(ws, turn)
            ws = self._answer_with_mocks(
                ws, [(c.call_id, c.name, c.arguments) for c in turn.tool_calls]
            )
        self.loop_limit_reached.emit(limit)

    def _answer_with_mocks(self, ws: Workspace, calls: list[tuple[str, str, str]]) -> Workspace:
        """Answer (call id, name, arguments) calls by the one mock rule (core.tool_loop)."""
        tools = ws.enabled_tools()
        outputs = {cid: mock_result(tools, name, arguments) for cid, name, arguments in calls}
        self.tool_results_added.emit(outputs)
        return append_tool_results(ws, outputs)

    def target(self, profile: ProviderProfile, ws: Workspace) -> request.Target:
        """Where `ws` goes with `profile`: OpenAI's endpoint or not, the profile's Chat
        token-limit name, and the rules learned from that server for the model."""
        learned = self.learned.learned_for(profile.name, ws.model) if self.learned else ()
        return request.Target.for_profile(profile, learned)

    async def _one(self, ws: Workspace, profile: ProviderProfile) -> tuple[AssistantTurn, bool]:
        built = request.build(ws, target=self.target(profile, ws))
        self.run_started.emit(built)
        acc = TurnAccumulator()
        start = time.perf_counter()
        stopped = False
        try:
            resolved, key = await self._connections.resolve(profile)
            events = self._backend.run(ws, resolved, key, built, on_retry=self.retrying.emit)
            slice_start = time.perf_counter()
            async for event in events:
                acc.apply(event)
                now = time.perf_counter()
                self._batch.append((event, (now - start) * 1000))
                if not self._flush_due:
                    self._flush_due = True
                    QTimer.singleShot(pacing.FRAME_MS, self, self._flush)  # once a frame
                if not isinstance(event, _DELTAS):
                    self._flush()  # a structural event (start, tool call, end) shows at once
                if now - slice_start > SLICE_S:
                    # the SDK parses a whole buffered read without awaiting: let Qt paint
                    pacing.saturated()
                    await asyncio.sleep(0)
                    slice_start = time.perf_counter()
        except asyncio.CancelledError:
            stopped = True
            raise
        finally:
            self._flush()
            turn = acc.turn()
            stopped = stopped or self._stopping
            if turn.failure is not None and not stopped:
                self._learn(turn.failure, profile.name, ws.model, built.body)
            self.run_finished.emit(turn, stopped)
            self._record(ws, built.body, turn, stopped, profile.name)
        return turn, stopped

    def _learn(self, failure: Failure, provider: str, model: str, body: dict[str, Any]) -> None:
        """Remember a refusal the server named (core.learned), and say so. The file is tiny
        and written once per refusal, so it is written here, before the card offers to drop it."""
        if self.learned is None:
            return
        rule = rule_from_failure(failure, provider, model, body, date.today())
        if rule is None:
            return
        try:
            rule = self.learned.add(rule)
        except OSError:  # kept in memory for this session; the next change writes it again
            log.warning("could not save the learned rule for %s", rule.param, exc_info=True)
        self.rule_learned.emit(rule)

    def _record(
        self, ws: Workspace, body: dict[str, Any], turn: AssistantTurn, stopped: bool, profile: str
    ) -> None:
        """Write the run to the history off the GUI thread (even when the run was cancelled)."""
        if self._history is None:
            return
        record = record_of(ws, body, turn, stopped, profile)
        task = asyncio.ensure_future(self._write(record))
        self._writes.add(task)
        task.add_done_callback(self._writes.discard)

    async def _write(self, record: RunRecord) -> None:
        assert self._history is not None
        try:
            run_id = await asyncio.to_thread(self._history.record, record)
        except HistoryUnavailable as exc:
            self.history_failed.emit(str(exc))
            return
        self.recorded.emit(run_id)

    def _flush(self) -> None:
        self._flush_due = False
        if self._batch:
            batch, self._batch = self._batch, []
            self.events_received.emit(batch)
