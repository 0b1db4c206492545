"""Streaming one run's model turns: the per-turn stream with frame-rate batches and loop
slices, and the mock tool loop. services/runs.py's `execute` drives it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from playground.core import request, variables
from playground.core.errors import Failure, FailureKind
from playground.core.events import (
    Failed,
    ReasoningDelta,
    RefusalDelta,
    StreamEvent,
    TextDelta,
    ToolCallDelta,
)
from playground.core.file_inputs import FILE_CODES
from playground.core.findings import Finding
from playground.core.mcp_items import answer_approvals, pending_approvals
from playground.core.profiles import ProviderProfile
from playground.core.reducer import (
    AssistantTurn,
    TurnAccumulator,
    append_tool_results,
    append_turn,
)
from playground.core.tool_loop import mock_result
from playground.core.workspace import CustomTool, FunctionTool, Workspace
from playground.services import mcp_secrets
from playground.services.backend import Backend
from playground.services.cache_use import CacheUse, cache_base_url
from playground.services.mcp_secrets import Lookup
from playground.services.response_cache import ResponseCache

if TYPE_CHECKING:
    from playground.services.runs import Run

Resolver = Callable[[ProviderProfile], Awaitable[tuple[ProviderProfile, str | None]]]
"""(profile) -> (the profile with a usable base URL, its API key or None): Connections.resolve
in the app, `fixed_key(key)` where the key is already known (the CLI)."""

FRAME_S = 0.016
"""Deltas are handed out in batches at most once a frame (60 a second)."""
SLICE_S = 0.006
"""A stream consumer gives the event loop a turn at least this often (seconds)."""
DELTAS = (TextDelta, ReasoningDelta, RefusalDelta, ToolCallDelta)
"""The streamed content events (each is about one token)."""

RefusalHook = Callable[[Failure, Workspace, dict[str, Any]], None]
"""Called when a turn failed (not stopped): (failure, the workspace sent, the body sent),
before `finished` is emitted (the window offers to drop a parameter the server refused)."""
TurnHook = Callable[[Workspace, dict[str, Any], AssistantTurn, bool], None]
"""Called after each turn's `finished`: (workspace sent, body sent, turn, stopped): history."""


@dataclass
class Execution:
    """How one run is executed: its model turns (execute in runs.py drives it)."""

    run: Run
    backend: Backend
    resolve: Resolver
    target: request.Target
    on_refusal: RefusalHook | None
    on_turn: TurnHook | None
    on_saturated: Callable[[], None] | None
    cache: ResponseCache | None = None
    """Consulted for each turn when the run's workspace opts in (services/cache_use.py)."""
    secrets: Lookup | None = None
    """Where MCP secret headers' values come from at send time (services/mcp_secrets.py)."""

    async def loop(self, limit: int) -> tuple[AssistantTurn, bool]:
        """Model turns, each one's tool calls answered by their mocks (and its MCP approval
        requests approved when the workspace's `mcp_auto_approve` is on), up to `limit`
        turns."""
        ws = self.run.workspace
        pending = list(ws.messages[-1].tool_calls) if ws.messages else []
        if pending and ws.messages[-1].role == "assistant":
            ws = self.answer(ws, [(c.id, c.name, c.arguments, c.kind) for c in pending])
        turn, stopped = AssistantTurn(), False
        for _ in range(limit):
            turn, stopped = await self.turn(ws)
            if stopped or turn.failure is not None or turn.stopped_at_limit:
                return turn, stopped  # a turn cut at the token limit has no whole calls
            ws = append_turn(ws, turn, self.target.files_origin)
            approvals = pending_approvals(ws) if ws.mcp_auto_approve else []
            if not turn.tool_calls and not approvals:
                return turn, stopped
            if turn.tool_calls:
                ws = self.answer(
                    ws, [(c.call_id, c.name, c.arguments, c.kind) for c in turn.tool_calls]
                )
            if approvals:
                decisions = {str(a.get("id")): True for a in approvals}
                self.run.approvals_added.emit(decisions)
                ws = answer_approvals(ws, decisions)
        self.run.loop_limit_reached.emit(limit)
        return turn, stopped

    def answer(self, ws: Workspace, calls: list[tuple[str, str, str, str]]) -> Workspace:
        """Answer (call id, name, arguments or input, kind) calls by the one mock rule
        (core.tool_loop), the mock outputs filled from the workspace's variables as the
        request is."""
        filled = variables.filled(ws)
        tools: list[FunctionTool | CustomTool] = [
            *filled.enabled_tools(),
            *filled.enabled_custom_tools(),
        ]
        outputs = {cid: mock_result(tools, name, args, kind) for cid, name, args, kind in calls}
        self.run.tool_results_added.emit(outputs)
        return append_tool_results(ws, outputs)

    async def turn(self, ws: Workspace) -> tuple[AssistantTurn, bool]:
        """One request and its stream; (the turn, stopped). A cancel propagates after the
        turn's end is announced (`finished`, the hooks)."""
        run = self.run
        built = request.build(ws, target=self.target)
        run.body = built.body
        run.started.emit(built)
        acc = run._acc = TurnAccumulator()
        stopped = False
        loop = asyncio.get_running_loop()
        start = run._start or time.perf_counter()
        try:
            resolved, key = await self.resolve(run.profile)
            cache = self.cache if run.workspace.cache and run.resume is None else None
            use = await CacheUse.consult(cache, cache_base_url(run.profile, resolved), built)
            run._replaying = use.hit
            run._turns += 1
            if not use.hit:
                sent = await mcp_secrets.filled(built.kwargs, self.secrets)
                wire = built if sent is built.kwargs else replace(built, kwargs=sent)
                wire = wire if run.resume is None else replace(wire, resume=run.resume)
            missing = file_refusal(built.findings)
            events = (
                _failed(missing)
                if missing is not None  # never sent without a file it names (an eval cell)
                else use.replay()
                if use.hit
                else self.backend.run(ws, resolved, key, wire, on_retry=run.retrying.emit)
            )
            slice_start = time.perf_counter()
            async for event in events:
                acc.apply(event)
                use.saw(event)
                now = time.perf_counter()
                item = (event, (now - start) * 1000)
                run._take(*item)
                run._batch.append(item)
                if not isinstance(event, DELTAS):
                    run._flush()  # a structural event (start, tool call, end) shows at once
                elif not run._flush_due:
                    run._flush_due = True
                    loop.call_later(FRAME_S, run._flush)  # once a frame
                if now - slice_start > SLICE_S:
                    # the SDK parses a whole buffered read without awaiting: let the loop run
                    if self.on_saturated is not None:
                        self.on_saturated()
                    await asyncio.sleep(0)
                    slice_start = time.perf_counter()
            await use.keep(acc.turn(), run._cancelled, ws.model)
            run._noted(use.note)
        except asyncio.CancelledError:
            stopped = True
            raise
        finally:
            run._replaying = False
            run._flush()
            turn = acc.turn()
            run.turn, run._acc = turn, None
            stopped = stopped or run._cancelled
            if turn.failure is not None and not stopped and self.on_refusal is not None:
                self.on_refusal(turn.failure, ws, built.body)
            run.finished.emit(turn, stopped)
            if self.on_turn is not None:
                self.on_turn(ws, built.body, turn, stopped)
        return turn, stopped


def file_refusal(findings: Sequence[Finding]) -> Failure | None:
    """The failure of a request that would go without a file it names (missing, unreadable,
    over the limits: an error finding with a core.file_inputs code), else None."""
    bad = [f.message for f in findings if f.severity == "error" and f.code in FILE_CODES]
    if not bad:
        return None
    return Failure(FailureKind.FILE, "Nothing was sent: " + "; ".join(bad) + ".")


async def _failed(failure: Failure) -> AsyncIterator[StreamEvent]:
    yield Failed(failure)
