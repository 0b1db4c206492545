"""Running an evaluation: every variant of a workspace on every row of a test set.

Each cell (variant, row) is a services.runs.Run streamed by `execute`, as the window's and
`playground compare`'s runs are. At most `concurrency` cells of one provider profile run at
once. Rate limits slow the matrix down instead of failing cells: while the SDK waits to retry
a 429 (the Run's `retrying` signal carries the delay the server asked for), no new cell of that
provider starts; a cell that still ends rate-limited after the SDK's retries (or on flex's 429
Resource Unavailable) goes back in the queue and the provider is held back for the server's
`retry-after` / `x-ratelimit-reset-*` (core.errors.Failure.retry_after_s), or an exponential
backoff, at most MAX_ATTEMPTS sends.

The caller injects how a row becomes a request (`prepare`: fill the variables) and how an
answer is graded (`grade`), so this module knows neither. Qt-free: progress is a psygnal
signal emitted on the loop that runs the evaluation.
"""

from __future__ import annotations

import asyncio
import inspect
import secrets
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from psygnal import Signal

from playground.core import request
from playground.core.errors import FailureKind
from playground.core.evaluation_results import (
    Cell,
    CellGrade,
    GradeLike,
    VariantSummary,
    grading_cost,
    outcome_of,
    preview,
    summarize,
)
from playground.core.evaluation_spec import DEFAULT_CONCURRENCY, TestRow
from playground.core.events import Retrying
from playground.core.profiles import ProviderProfile
from playground.core.reducer import AssistantTurn
from playground.core.variants import Variant, apply
from playground.core.workspace import Workspace
from playground.services.backend import Backend
from playground.services.mcp_secrets import Lookup
from playground.services.response_cache import ResponseCache
from playground.services.runs import Limiter, Resolver, Run, RunFigures, execute

_HELD_BACK = frozenset({FailureKind.RATE_LIMIT, FailureKind.FLEX_UNAVAILABLE})
"""Failures that hold the provider back and requeue the cell: a rate limit, and flex's
429 Resource Unavailable (short capacity passes, like a limit's window)."""
MAX_ATTEMPTS = 6
"""Sends of one cell that end rate-limited before it counts as an error."""
BACKOFF_S = (1.0, 2.0, 4.0, 8.0, 16.0)
"""The wait after a rate-limited send when the server named none (then the last, capped)."""
BASE = "base"
"""The column key of the workspace itself, when it has no variants."""

Prepare = Callable[[Workspace, Variant | None, TestRow], Workspace]
"""(the variant's workspace, the variant or None, the row) -> the workspace to send: the
row's values filled in (core/variables.py's fill). Raises ValueError for a row it cannot
fill; the cell is then an error and nothing is sent."""
Grade = Callable[
    [TestRow, AssistantTurn, RunFigures], Sequence[GradeLike] | Awaitable[Sequence[GradeLike]]
]
"""(row, the run's last turn, its figures) -> a grade per grader (may be a coroutine: a
model-graded grader runs a model; a grade's `cost_usd`, as core.graders.Grade has, is added
to the cell's `grading_cost_usd`)."""
CellHook = Callable[[Cell, Run | None], Awaitable[Cell]]
"""Called for each finished cell before it counts as done (evaluation_store.persist: the
history record and the store's row, committed at once); returns the cell as stored. The
Run is None for a row `prepare` refused (nothing was sent)."""
Status = Literal["idle", "running", "paused", "done", "stopped"]


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the matrix: a variant (None for the base workspace alone), the workspace
    it runs (the variant applied), the profile it is sent with and the request target."""

    key: str
    variant: Variant | None
    workspace: Workspace
    profile: ProviderProfile
    target: request.Target | None = None


@dataclass(frozen=True, slots=True)
class Progress:
    """done / total cells, the estimated seconds left (None until a cell of this session
    finished), US dollars spent so far (finished cells' runs and their graders' runs), and
    whether the run is paused."""

    done: int
    total: int
    eta_s: float | None
    cost_usd: float
    paused: bool


def columns_of(
    ws: Workspace,
    variants: Sequence[Variant],
    profile_for: Callable[[Workspace], ProviderProfile],
    target_for: Callable[[Workspace, ProviderProfile], request.Target] | None = None,
) -> list[Column]:
    """A column per variant (core.variants.apply), or one column "base" without variants.
    Raises core.document.PathError for an override that does not fit."""
    pairs: list[tuple[str, Variant | None, Workspace]] = (
        [(v.key, v, apply(ws, v)) for v in variants] if variants else [(BASE, None, ws)]
    )
    out = []
    for key, variant, applied in pairs:
        profile = profile_for(applied)
        target = target_for(applied, profile) if target_for else None
        out.append(Column(key, variant, applied, profile, target))
    return out


def new_evaluation_id() -> str:
    """ "e-1a2b3c4d5e": the group id of the evaluation's runs in the history too."""
    return f"e-{secrets.token_hex(5)}"


class Evaluation:
    """The matrix columns x rows and its cells; `run()` runs the cells left to run.

    `finished`: cells already run (resuming a stored evaluation); they are not run again.
    `limiter`: share the window's, so an evaluation and other runs share a provider's slots
    (default: its own, `concurrency` per provider).
    """

    progressed = Signal(object)
    """A cell finished, or the run paused or resumed: a Progress."""
    cell_finished = Signal(object)
    """A cell finished: the Cell."""
    cell_started = Signal(object)
    """A cell's run was created: the Run (a view may bind to it)."""

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Sequence[TestRow],
        *,
        backend: Backend,
        resolve: Resolver,
        prepare: Prepare,
        grade: Grade,
        concurrency: int = DEFAULT_CONCURRENCY,
        limiter: Limiter | None = None,
        on_cell: CellHook | None = None,
        finished: Iterable[Cell] = (),
        evaluation_id: str | None = None,
        owner: str = "evaluation",
        mock_loop: int | None = None,
        cache: ResponseCache | None = None,
        header_secrets: Lookup | None = None,
    ) -> None:
        self.id = evaluation_id or new_evaluation_id()
        self.columns = list(columns)
        self.rows = {r.id: r for r in rows}
        self.concurrency = concurrency
        self.status: Status = "idle"
        self.cells: dict[tuple[str, str], Cell] = {
            (c.key, r.id): Cell(c.key, r.id) for c in self.columns for r in rows
        }
        for cell in finished:
            if cell.key in self.cells and cell.finished:
                self.cells[cell.key] = cell
        self._by_key = {c.key: c for c in self.columns}
        self._backend, self._resolve = backend, resolve
        self._prepare, self._grade = prepare, grade
        self._limiter = limiter or Limiter(concurrency)
        self._on_cell = on_cell
        self._owner, self._mock_loop = owner, mock_loop
        self._cache = cache  # identical requests answered from the response cache
        self._secrets = header_secrets  # MCP secret headers, filled in at send time
        self._unpaused = asyncio.Event()
        self._unpaused.set()
        self._not_before: dict[str, float] = {}
        self._attempts: dict[tuple[str, str], int] = {}
        self._workers: list[asyncio.Task[None]] = []
        self._saving: set[asyncio.Task[None]] = set()
        self._broken: list[Exception] = []
        self._live: set[Run] = set()
        self._cancelled = False
        self._session_done = 0
        self._done = sum(c.finished for c in self.cells.values())  # kept up as cells finish
        self._spent = sum(c.total_cost_usd or 0.0 for c in self.cells.values() if c.finished)
        self._active_s = 0.0
        self._resumed_at: float | None = None

    # -- control -----------------------------------------------------------------------------

    async def run(self) -> list[VariantSummary]:
        """Run every cell not finished; the summary. Ends "done", or "stopped" after
        `cancel()` (unfinished cells stay pending, to run later). An exception from `prepare`
        (other than ValueError) or `grade` stops that cell's worker, one from `on_cell` (a
        store that cannot be written) every worker; the cells running end, and then it is
        raised (status "stopped"; the cell not saved stays pending)."""
        if self._workers:
            raise RuntimeError(f"evaluation {self.id} is already running")
        todo = [k for k, c in self.cells.items() if not c.finished]
        queues: dict[str, deque[tuple[str, str]]] = {}
        for key in todo:
            queues.setdefault(self._by_key[key[0]].profile.name, deque()).append(key)
        self._cancelled = False
        self.status = "running" if self._unpaused.is_set() else "paused"
        self._resumed_at = time.monotonic()
        self._workers = [
            asyncio.create_task(self._worker(provider, queue))
            for provider, queue in queues.items()
            for _ in range(min(self.concurrency, len(queue)))
        ]
        self._broken = []
        try:
            results = await asyncio.gather(*self._workers, return_exceptions=True)
            if self._saving:  # finished cells still being saved: they count, even when stopped
                await asyncio.wait(set(self._saving))
            broken = self._broken + [r for r in results if isinstance(r, Exception)]
        finally:
            self._clock()
            self._workers = []
            self.status = "stopped" if self._cancelled or broken else "done"
        if self._cancelled or broken:
            self.progressed.emit(self.progress())
        if broken:  # a hook or a grader raised: its cell and the rest of its queue stay pending
            raise broken[0]
        return self.summary()

    def pause(self) -> None:
        """Start no new cell; the cells running finish (their grades count)."""
        if self.status == "running":
            self._unpaused.clear()
            self._clock()
            self.status = "paused"
            self.progressed.emit(self.progress())

    def resume(self) -> None:
        """Start cells again after `pause()`."""
        if self.status == "paused":
            self._unpaused.set()
            self._resumed_at = time.monotonic()
            self.status = "running"
            self.progressed.emit(self.progress())

    def cancel(self) -> None:
        """Stop: the running cells are stopped and stay pending with the others."""
        self._cancelled = True
        for run in list(self._live):
            run.cancel()
        for task in self._workers:
            task.cancel()
        self._unpaused.set()

    def rerun(self, outcomes: Iterable[str] = ("failed", "error")) -> int:
        """Make the cells with these outcomes pending again (then `run()`); how many."""
        wanted = set(outcomes)
        keys = [k for k, c in self.cells.items() if c.outcome in wanted]
        for key in keys:
            self._done -= 1
            self._spent -= self.cells[key].total_cost_usd or 0.0
            self.cells[key] = Cell(*key)
            self._attempts.pop(key, None)
        return len(keys)

    # -- figures -----------------------------------------------------------------------------

    def progress(self) -> Progress:
        done, total = self._done, len(self.cells)
        active = self._active_s + (
            time.monotonic() - self._resumed_at if self._resumed_at is not None else 0.0
        )
        eta = active / self._session_done * (total - done) if self._session_done else None
        return Progress(done, total, eta, max(self._spent, 0.0), self.status == "paused")

    def summary(self) -> list[VariantSummary]:
        """Per variant, in column order (core.evaluation_results.summarize)."""
        return summarize(self.cells.values(), [c.key for c in self.columns])

    # -- running -----------------------------------------------------------------------------

    def _clock(self) -> None:
        if self._resumed_at is not None:
            self._active_s += time.monotonic() - self._resumed_at
            self._resumed_at = None

    async def _worker(self, provider: str, queue: deque[tuple[str, str]]) -> None:
        while queue:
            await self._unpaused.wait()
            wait = self._not_before.get(provider, 0.0) - time.monotonic()
            if wait > 0:  # the provider asked for a pause: hold new cells back
                await asyncio.sleep(wait)
                continue
            if self._cancelled or self._broken or not queue:
                return
            key = queue.popleft()
            if await self._one(key, provider):
                queue.append(key)

    def _hold(self, provider: str, seconds: float) -> None:
        until = time.monotonic() + seconds
        self._not_before[provider] = max(self._not_before.get(provider, 0.0), until)

    def _on_retry(self, provider: str, event: Retrying) -> None:
        if event.status is not None and event.delay_s:
            self._hold(provider, event.delay_s)

    async def _one(self, key: tuple[str, str], provider: str) -> bool:
        """Run one cell; True when it was rate-limited and must be sent again later."""
        column, row = self._by_key[key[0]], self.rows[key[1]]
        attempts = self._attempts[key] = self._attempts.get(key, 0) + 1
        try:
            ws = self._prepare(column.workspace, column.variant, row)
        except ValueError as exc:
            error = Cell(*key, "error", error_kind="prepare", error_message=str(exc))
            await self._finish(error, None)
            return False
        run = Run(ws, column.profile, owner=self._owner, group=self.id, variant=column.key)
        run.retrying.connect(lambda event: self._on_retry(provider, event))
        self._live.add(run)
        self.cell_started.emit(run)
        try:
            turn = await execute(
                run,
                self._backend,
                self._resolve,
                limiter=self._limiter,
                target=column.target,
                mock_loop=self._mock_loop,
                cache=self._cache,  # used for a workspace that opts in (run_stream.py)
                header_secrets=self._secrets,
            )
        finally:
            self._live.discard(run)
        if turn is None or run.outcome == "stopped":
            return False  # cancelled: the cell stays pending
        failure = turn.failure
        limited = failure is not None and failure.kind in _HELD_BACK
        if failure is not None and limited and attempts < MAX_ATTEMPTS:
            backoff = BACKOFF_S[min(attempts, len(BACKOFF_S)) - 1]
            wait = failure.retry_after_s if failure.retry_after_s is not None else backoff
            self._hold(provider, wait)
            return True
        figures = run.figures()
        grades: tuple[CellGrade, ...] = ()
        graded: float | None = None
        if failure is None:
            found: Any = self._grade(row, turn, figures)
            if inspect.isawaitable(found):
                found = await found
            grades = tuple(CellGrade.of(g) for g in found)
            graded = grading_cost(found)  # a model-graded grader's run is paid for too
        shown = turn.text or turn.refusal
        if not shown and turn.tool_calls:
            shown = "calls " + ", ".join(c.name for c in turn.tool_calls)
        cell = Cell(
            *key,
            outcome="error" if failure is not None else outcome_of(grades),
            preview=preview(shown),
            grades=grades,
            ttft_ms=figures.ttft_ms,
            total_ms=figures.total_ms,
            input_tokens=figures.input_tokens,
            output_tokens=figures.output_tokens,
            cost_usd=figures.cost_usd,
            grading_cost_usd=graded,
            error_kind=failure.kind.value if failure else None,
            error_message=failure.message if failure else None,
            attempts=attempts,
            cached=figures.cached,
            saved_usd=figures.saved_usd,
            saved_ms=figures.saved_ms,
        )
        # saved while the worker goes on to the next cell: the store's commit is off the path
        task = asyncio.create_task(self._finish(cell, run))
        self._saving.add(task)
        task.add_done_callback(self._saving.discard)
        return False

    async def _finish(self, cell: Cell, run: Run | None) -> None:
        if self._on_cell is not None:
            try:
                cell = await self._on_cell(cell, run)
            except Exception as exc:  # noqa: BLE001 - run() raises it once the workers stop
                self._broken.append(exc)
                return
        self.cells[cell.key] = cell
        self._done += 1
        self._spent += cell.total_cost_usd or 0.0
        self._session_done += 1
        self.cell_finished.emit(cell)
        self.progressed.emit(self.progress())
