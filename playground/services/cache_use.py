"""The response cache's part in one model turn: consulted before the request is sent, handed
the answer after. Used by services/run_stream.py (the window, `compare`) and by `playground
run --cache`, so both decide alike (core.cache_rules holds the rules)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from playground.core import cost
from playground.core.cache_rules import cache_key, keepable, not_cached_words, state_reason
from playground.core.events import (
    Finished,
    ReasoningDelta,
    RefusalDelta,
    StreamEvent,
    TextDelta,
    Timing,
    ToolCallDelta,
)
from playground.core.profiles import ProviderProfile
from playground.core.reducer import AssistantTurn
from playground.core.request import BuiltRequest
from playground.services.response_cache import CachedAnswer, CacheUnavailable, ResponseCache

SIMULATOR_URL = "simulator://in-process"
"""The in-process simulator listens on a new port each start; its answers are keyed under
this name (with "/permissive" for a permissive profile) so they survive a restart. A
simulator profile always sends to the in-process simulator (the window's Connections,
`run`, `eval` and `compare` fill its URL in), so its key never holds that URL."""
_CONTENT = (TextDelta, ReasoningDelta, RefusalDelta, ToolCallDelta)


@dataclass(frozen=True)
class CacheNote:
    """What the response cache did for one model turn of a workspace that opts in.

    hit: the answer came from the cache (nothing was sent). stored: the answer was kept.
    reason: why the cache was not used or the answer not kept, in the user's words ("not
    cached: the request asks the server to keep state (store)"); None otherwise.
    saved_usd: US dollars, the estimated cost of the run that made a hit's answer (None:
    it had no price). saved_ms: milliseconds, that run's total time.
    """

    hit: bool = False
    stored: bool = False
    reason: str | None = None
    saved_usd: float | None = None
    saved_ms: float | None = None


def cache_base_url(profile: ProviderProfile, resolved: ProviderProfile) -> str:
    """The base URL in the key of a request sent with `profile` (`resolved`: the same with a
    usable base URL): the resolved URL, or SIMULATOR_URL for the in-process simulator (a
    simulator profile, whether or not its ephemeral URL has been filled in yet)."""
    if profile.kind == "simulator" or resolved.kind == "simulator":
        return SIMULATOR_URL + ("/permissive" if profile.permissive else "")
    return resolved.effective_base_url


class CacheUse:
    """Consult (`consult`), then replay a hit (`replay`) or watch the answer go by (`saw`)
    and keep it (`keep`). `note` says what happened (None: the cache had nothing to say, as
    on a miss before the answer is kept)."""

    def __init__(
        self,
        cache: ResponseCache | None = None,
        key: str | None = None,
        answer: CachedAnswer | None = None,
        note: CacheNote | None = None,
    ) -> None:
        self.cache, self.key, self.answer, self.note = cache, key, answer, note
        self._events: list[StreamEvent] = []

    @classmethod
    async def consult(
        cls, cache: ResponseCache | None, base_url: str, built: BuiltRequest
    ) -> CacheUse:
        """Look `built` up in `cache` (None: caching is off, nothing happens), off the
        event loop. A request that asks the server to keep state is not looked up."""
        if cache is None:
            return cls()
        field = state_reason(built.body)
        if field is not None:
            return cls(note=CacheNote(reason=not_cached_words(field)))
        key = cache_key(base_url, built.path, built.body)
        try:
            answer = await asyncio.to_thread(cache.get, key)
        except CacheUnavailable as exc:
            return cls(note=CacheNote(reason=f"not cached: {exc}"))
        if answer is None:
            return cls(cache, key)
        return cls(
            cache, key, answer, CacheNote(True, False, None, answer.cost_usd, answer.total_ms)
        )

    @property
    def hit(self) -> bool:
        return self.answer is not None

    async def replay(self) -> AsyncIterator[StreamEvent]:
        """A hit's events as the backend yields them: its own Timing before Finished (first
        token and total time of the replay; no rate: nothing streamed)."""
        assert self.answer is not None
        start = time.perf_counter()
        first: float | None = None
        timed = False
        for event in self.answer.events:
            if isinstance(event, Finished):
                timed = True
                yield _timing(start, first)
            elif first is None and isinstance(event, _CONTENT):
                first = time.perf_counter()
            yield event
        if not timed:
            yield _timing(start, first)

    def saw(self, event: StreamEvent) -> None:
        """An event of the answer coming from the server (kept on a miss only)."""
        if self.key is not None and self.answer is None:
            self._events.append(event)

    async def keep(self, turn: AssistantTurn, stopped: bool, model: str) -> None:
        """Keep a miss's answer when core.cache_rules.keepable says so, off the event loop;
        `model`: the model asked for (the turn's own is used when the server named it)."""
        if self.cache is None or self.key is None or self.answer is not None:
            return
        if not keepable(turn, stopped):
            return
        billed = cost.of_run(turn.model or model, turn.usage) if turn.usage else None
        timing = turn.timing
        answer = CachedAnswer(
            tuple(self._events),
            turn.model or model,
            timing.ttft_ms if timing else None,
            timing.total_ms if timing else None,
            billed.total if billed else None,
        )
        self._events = []
        try:
            await asyncio.to_thread(self.cache.put, self.key, answer)
        except CacheUnavailable as exc:
            self.note = CacheNote(reason=f"not kept in the cache: {exc}")
            return
        self.note = CacheNote(stored=True)


def _timing(start: float, first: float | None) -> Timing:
    now = time.perf_counter()
    return Timing((first - start) * 1000 if first is not None else None, (now - start) * 1000, None)
