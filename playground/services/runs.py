"""Runs as first-class objects: many at once, each with its own id, events, figures and outcome.

A `Run` is created for one workspace snapshot and one provider profile; `execute` streams it
(or a mock tool loop of several model turns) through a `Backend`, bounded per provider profile
by a `Limiter`. A run announces what happens to it through psygnal signals, emitted on the
thread of the event loop that executes it; it never touches a widget. The GUI's
RunController (ui/controllers/run_controller.py) and the headless `playground compare` both
run their runs through `execute`, so they cannot drift apart.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import secrets
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, Literal

from psygnal import Signal

from playground.core import cost, request
from playground.core.events import BackgroundStatus, RunStarted, StreamEvent, Timing, Usage
from playground.core.profiles import ProviderProfile
from playground.core.reducer import AssistantTurn, TurnAccumulator
from playground.core.workspace import Workspace
from playground.services import run_uploads
from playground.services.backend import Backend
from playground.services.cache_use import CacheNote
from playground.services.mcp_secrets import Lookup
from playground.services.response_cache import ResponseCache
from playground.services.run_stream import (
    DELTAS,
    FRAME_S,
    SLICE_S,
    Execution,
    RefusalHook,
    Resolver,
    TurnHook,
)

__all__ = [
    "FRAME_S",
    "KEPT_EVENTS",
    "SLICE_S",
    "Limiter",
    "RefusalHook",
    "Resolver",
    "Run",
    "RunFigures",
    "RunOutcome",
    "TurnHook",
    "execute",
    "fixed_key",
]

RunOutcome = Literal["running", "done", "stopped", "failed"]
"""running: waiting for a slot or streaming; done: the model answered (completely, or up to
its token limit, or with tool calls); stopped: cancelled; failed: the server or the
connection failed (the failure is `run.turn.failure`)."""

DEFAULT_PER_PROVIDER = 6
"""Runs of one provider profile streaming at once; more wait for a slot."""
KEPT_EVENTS = 2000
"""A run keeps its newest events (as many as the Raw pane shows). Keeping all of them made
the garbage collector's full passes over them stall the event loop: 4 runs of 25,000 deltas
at once paused it for 90 to 210 ms at a time (bench_compare, 2026-11-30)."""

_CONTENT = frozenset(DELTAS)
_ids = itertools.count(secrets.randbits(32))


@dataclass(frozen=True, slots=True)
class RunFigures:
    """A run's figures so far; each None until known.

    ttft_ms: milliseconds from sending the first request to the first streamed delta (text,
        refusal, reasoning or tool-call arguments): the backend's own measure (its Timing
        event) once the first turn ended, before that the time since the run left its queue.
    total_ms: milliseconds from sending to the end (so far, while running).
    output_tokens: output tokens, the server's usage when reported (summed over a mock loop's
        turns), else the number of streamed deltas (a stream sends about one token a delta).
    input_tokens: input tokens from the server's usage (summed over turns); None unreported.
    tokens_per_s: output tokens over the time from the first delta to the last; None for a
        non-streamed answer (it arrives at once) and before the second delta.
    cost_usd: US dollars, core.cost.of_run on each turn's usage at today's price and the
        reported service tier, summed; None without usage or without a price for the model.
        A turn answered from the response cache costs nothing (0.0); a run answered wholly
        from it has no ttft_ms and no tokens_per_s (nothing was sent or streamed).
    cached: every model turn of the run was answered from the response cache.
    saved_usd, saved_ms: what the turns answered from the cache saved: the estimated cost
        (US dollars) and the total time (milliseconds) of the runs that made their answers
        (services/cache_use.CacheNote); None when no turn was a hit (or had no figure).
    """

    ttft_ms: float | None = None
    total_ms: float | None = None
    output_tokens: int | None = None
    input_tokens: int | None = None
    tokens_per_s: float | None = None
    cost_usd: float | None = None
    cached: bool = False
    saved_usd: float | None = None
    saved_ms: float | None = None


def new_run_id() -> str:
    """A short id, "r-1a2b3c4d": a random start, then one more per run, so the ids of one
    process never repeat (below 2**32 runs)."""
    return f"r-{next(_ids) % 2**32:08x}"


class Run:
    """One run: a workspace snapshot sent with one profile, and everything it produced.

    Attributes: `id` ("r-1a2b3c4d"), `owner` (the tab that started it, TabRecord.id),
    `group` (shared by the variant runs of one Compare run), `variant` (Variant.key of a
    Compare column), `workspace` (a deep copy taken at creation: later edits do not reach
    it), `profile`, `body` (the request body last sent, None before), `events` (the newest
    KEPT_EVENTS [(event, ms since the request was sent)] of every turn; `events_seen` counts
    them all), `turn` (the last model turn, once it ended; `partial()` while it streams),
    `outcome`, `request_id` (the server's x-request-id, once known).
    """

    started = Signal(object)
    """A request is being sent: its core.request.BuiltRequest (once per model turn)."""
    events_received = Signal(object)
    """A frame's batch of events: [(event, ms since the request was sent), ...]; structural
    events (start, tool call, usage, end) are sent at once, deltas at most once a frame."""
    retrying = Signal(object)
    """The SDK is retrying: a core.events.Retrying."""
    tool_results_added = Signal(dict)
    """The mock loop answered tool calls: {call id: output text}."""
    approvals_added = Signal(dict)
    """The mock loop answered MCP approval requests (workspace `mcp_auto_approve`):
    {approval request id: approved}."""
    loop_limit_reached = Signal(int)
    """The mock loop stopped at its limit of model turns (the limit)."""
    finished = Signal(object, bool)
    """A model turn ended: the AssistantTurn, and whether the run was stopped."""
    ended = Signal(object)
    """The run is over (outcome set, history hooks called): the Run."""
    files_uploaded = Signal(dict, tuple)
    """Files marked for upload were uploaded before the request: {path: file id}, and
    where (profile name, file_inputs.upload_origin)."""
    cache_noted = Signal(object)
    """What the response cache did for a model turn (a services.cache_use.CacheNote), sent
    before the turn's `finished`; only for a workspace that opts in, and not on a plain miss."""

    def __init__(
        self,
        workspace: Workspace,
        profile: ProviderProfile,
        *,
        owner: str,
        group: str | None = None,
        variant: str | None = None,
    ) -> None:
        self.id = new_run_id()
        self.owner = owner
        self.group = group
        self.variant = variant
        self.workspace = workspace.model_copy(deep=True)
        self.profile = profile
        self.body: dict[str, Any] | None = None
        self.events: deque[tuple[StreamEvent, float]] = deque(maxlen=KEPT_EVENTS)
        self.events_seen = 0
        self.turn: AssistantTurn | None = None
        self.outcome: RunOutcome = "running"
        self.request_id: str | None = None
        self.response_id: str | None = None
        self.background: str | None = None
        """A background run's status as last seen (queued, in_progress ...); None otherwise."""
        self.resume: tuple[str, int] | None = None
        """Pick up this background response (id, last sequence seen) instead of creating one."""
        self._task: asyncio.Task[Any] | None = None
        self._cancelled = False
        self._start: float | None = None
        self._end: float | None = None
        self._first_ms: float | None = None
        self._last_ms: float | None = None
        self._sent_ttft_ms: float | None = None  # the first turn's Timing.ttft_ms
        self._deltas = 0
        self._used_out: int | None = None
        self._used_in: int | None = None
        self._cost: float | None = None
        self._model: str | None = None
        self._batch: list[tuple[StreamEvent, float]] = []
        self._flush_due = False
        self._acc: TurnAccumulator | None = None
        self._replaying = False  # the turn under way is answered from the response cache
        self._turns = 0
        self._hits = 0
        self._saved_usd: float | None = None
        self._saved_ms: float | None = None
        self.cache_notes: list[CacheNote] = []
        """What the response cache did, per model turn that it had something to say about."""

    def __repr__(self) -> str:
        return f"<Run {self.id} owner={self.owner} {self.outcome}>"

    @property
    def live(self) -> bool:
        """Not over yet (waiting for a slot, or streaming)."""
        return self.outcome == "running"

    @property
    def waiting(self) -> bool:
        """Waiting for a slot of its provider: nothing has been sent yet."""
        return self.live and self._start is None

    def partial(self) -> AssistantTurn | None:
        """The current model turn as far as it has streamed (the ended turn once it ended;
        None before the first request). Costs O(length of the answer): call it when a view
        binds, not per batch."""
        if self._acc is None:
            return self.turn
        return self._acc.turn()

    def figures(self) -> RunFigures:
        """The figures so far (see RunFigures for units and sources)."""
        if self._start is None:
            return RunFigures()
        end = self._end if self._end is not None else time.perf_counter()
        out = self._used_out if self._used_out is not None else (self._deltas or None)
        rate = None
        if out and self._deltas > 1 and self._first_ms is not None and self._last_ms is not None:
            span_s = (self._last_ms - self._first_ms) / 1000
            rate = out / span_s if span_s > 0 else None
        cached = 0 < self._hits == self._turns
        ttft = self._sent_ttft_ms if self._sent_ttft_ms is not None else self._first_ms
        return RunFigures(
            ttft_ms=None if cached else ttft,  # nothing was sent, nothing streamed
            total_ms=(end - self._start) * 1000,
            output_tokens=out,
            input_tokens=self._used_in,
            tokens_per_s=None if cached else rate,
            cost_usd=self._cost,
            cached=cached,
            saved_usd=self._saved_usd,
            saved_ms=self._saved_ms,
        )

    def cancel(self) -> None:
        """Stop this run only (its outcome becomes "stopped"); nothing when it is over."""
        if not self.live:
            return
        self._cancelled = True
        if self._task is not None:
            self._task.cancel()

    def attach(self, task: asyncio.Task[Any]) -> None:
        """The task executing this run (what `cancel` cancels)."""
        self._task = task
        if self._cancelled:
            task.cancel()

    # -- used by execute ---------------------------------------------------------------------

    def _take(self, event: StreamEvent, ms: float) -> None:
        self.events.append((event, ms))
        self.events_seen += 1
        kind = type(event)
        if kind in _CONTENT:
            self._deltas += 1
            self._last_ms = ms
            if self._first_ms is None:
                self._first_ms = ms
        elif kind is Usage:
            assert isinstance(event, Usage)
            self._used_out = (self._used_out or 0) + event.output_tokens
            self._used_in = (self._used_in or 0) + event.input_tokens
            billed = cost.of_run(self._model or self.workspace.model, event)
            if self._replaying:  # nothing was billed for an answer from the cache
                self._cost = self._cost or 0.0
            elif billed is not None:
                self._cost = (self._cost or 0.0) + billed.total
        elif kind is Timing:
            assert isinstance(event, Timing)
            if self._sent_ttft_ms is None:
                self._sent_ttft_ms = event.ttft_ms
        elif kind is RunStarted:
            assert isinstance(event, RunStarted)
            self._model = self._model or event.model or None
            self.request_id = self.request_id or event.request_id
            self.response_id = self.response_id or event.response_id
        elif kind is BackgroundStatus:
            assert isinstance(event, BackgroundStatus)
            self.background = event.status

    def _noted(self, note: CacheNote | None) -> None:
        """The response cache's word on the turn under way (before its `finished`)."""
        if note is None:
            return
        if note.hit:
            self._hits += 1
            if note.saved_usd is not None:
                self._saved_usd = (self._saved_usd or 0.0) + note.saved_usd
            if note.saved_ms is not None:
                self._saved_ms = (self._saved_ms or 0.0) + note.saved_ms
        self.cache_notes.append(note)
        self.cache_noted.emit(note)

    def _flush(self) -> None:
        self._flush_due = False
        if self._batch:
            batch, self._batch = self._batch, []
            self.events_received.emit(batch)


class Limiter:
    """At most `per_provider` runs of one provider profile (by name) stream at once."""

    def __init__(self, per_provider: int = DEFAULT_PER_PROVIDER) -> None:
        self.per_provider = per_provider
        self._slots: dict[str, asyncio.Semaphore] = {}

    @contextlib.asynccontextmanager
    async def slot(self, profile: str) -> AsyncIterator[None]:
        """Hold one of `profile`'s slots (waits, in arrival order, while all are taken)."""
        sem = self._slots.get(profile)
        if sem is None:
            sem = self._slots[profile] = asyncio.Semaphore(self.per_provider)
        async with sem:
            yield


def fixed_key(key: str | None) -> Resolver:
    """A resolver for a profile whose base URL is usable as it is and whose key is known."""

    async def resolve(profile: ProviderProfile) -> tuple[ProviderProfile, str | None]:
        return profile, key

    return resolve


async def execute(
    run: Run,
    backend: Backend,
    resolve: Resolver,
    *,
    limiter: Limiter | None = None,
    target: request.Target | None = None,
    mock_loop: int | None = None,
    on_refusal: RefusalHook | None = None,
    on_turn: TurnHook | None = None,
    on_saturated: Callable[[], None] | None = None,
    cache: ResponseCache | None = None,
    header_secrets: Lookup | None = None,
) -> AssistantTurn | None:
    """Stream `run` to its end and set its outcome; the last turn, or None when it was
    stopped before it was sent. Cancelling the task stops the run (the HTTP stream closes)
    and the CancelledError propagates after the run's end is announced.

    `mock_loop`: answer the model's tool calls with their mocks (core.tool_loop) and go on,
    at most this many model turns. `target`: where the request goes (default: the profile's,
    with no learned rules). `on_saturated`: called when the consumer hands the loop a turn
    it did not otherwise get (the GUI spaces its repaints then: ui/pacing.py). `cache`: the
    response cache, used for each turn when the run's workspace opts in (`Workspace.cache`):
    a hit is answered without a request, a miss's complete answer is kept
    (services/cache_use.py; `run.cache_noted` says what it did). `header_secrets`: the keyring
    lookup that fills MCP secret headers at send time (services/mcp_secrets.py).
    """
    ex = Execution(
        run,
        backend,
        resolve,
        target or request.Target.for_profile(run.profile),
        on_refusal,
        on_turn,
        on_saturated,
        cache,
        header_secrets,
    )
    try:
        async with (limiter or Limiter()).slot(run.profile.name):
            run._start = time.perf_counter()
            if not await run_uploads.before_run(run, backend, resolve):
                turn, stopped = run.turn or AssistantTurn(), False
            elif mock_loop is None:
                turn, stopped = await ex.turn(run.workspace)
            else:
                turn, stopped = await ex.loop(mock_loop)
        run.outcome = "stopped" if stopped else "failed" if turn.failure else "done"
        return turn
    except asyncio.CancelledError:
        run.outcome = "stopped"
        raise
    finally:
        if run.outcome == "running":  # an unexpected error: the run is over all the same
            run.outcome = "failed"
        run._end = time.perf_counter()
        run.ended.emit(run)
