"""Counts the request's input tokens while it is edited: debounced, off the UI's way, stale
counts cancelled. The window asks on every revalidation; a count runs DELAY_MS after the last
change of the request, and only the newest one is shown."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from playground.core import catalog
from playground.core.catalog import ModelInfo
from playground.core.findings import Finding
from playground.core.profiles import ProviderProfile
from playground.core.request import BuiltRequest, build
from playground.core.request_size import context_finding
from playground.core.workspace import Workspace
from playground.services.token_count import TokenCount, TokenCounter
from playground.ui.controllers import tasks
from playground.ui.controllers.tasks import settle

log = logging.getLogger(__name__)

DELAY_MS = 400
"""After the window's own 120 ms debounce: a count starts about half a second after an edit."""


@dataclass(frozen=True)
class Reading:
    """One count, with what the meter needs to show it."""

    key: str
    count: TokenCount
    info: ModelInfo
    tier: str | None
    max_output_tokens: int | None

    @property
    def finding(self) -> Finding | None:
        return context_finding(self.count.tokens, self.info, self.count.exact)


class TokenCountController(QObject):
    counting = Signal()
    """The request changed; a new count will follow."""
    counted = Signal(object)
    """A Reading of the request as it is now."""

    def __init__(self, counter: TokenCounter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._counter = counter
        self._key = ""
        self._pending: tuple[Workspace, ProviderProfile | None, BuiltRequest] | None = None
        self.reading: Reading | None = None
        self._task: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._timer = QTimer(self, singleShot=True, interval=DELAY_MS)
        self._timer.timeout.connect(self._start)

    def findings(self, ws: Workspace, profile: ProviderProfile | None) -> list[Finding]:
        """Ask for a count of `ws` on `profile` (if it changed) and return the context finding
        of the current count, when there is one and it is of this very request."""
        self.request(ws, profile)
        found = self.reading.finding if self.reading and self.reading.key == self._key else None
        return [found] if found else []

    def request(self, ws: Workspace, profile: ProviderProfile | None) -> None:
        """Count `ws` on `profile` DELAY_MS from now, unless it is what was counted last; with
        no profile (the tab's is gone), estimate locally: never ask another provider."""
        built = build(ws)
        where = [profile.name, profile.effective_base_url] if profile is not None else None
        text = json.dumps([where, built.api, built.kwargs], default=str)
        key = hashlib.sha256(text.encode()).hexdigest()
        if key == self._key:
            return
        self._key = key
        self._pending = (ws, profile, built)
        self.counting.emit()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._task is not None:
            self._task.cancel()

    async def aclose(self) -> None:
        self.stop()
        await settle(self._tasks)
        await self._counter.aclose()

    def _start(self) -> None:
        if self._pending is None:
            return
        if self._task is not None:
            self._task.cancel()  # a count of an older request: its answer is of no use
        ws, profile, built = self._pending
        self._pending = None
        coro = self._count(ws, profile, built, self._key)
        self._task = tasks.start(coro, "counting the request's tokens", keep=self._tasks)

    async def _count(
        self, ws: Workspace, profile: ProviderProfile | None, built: BuiltRequest, key: str
    ) -> None:
        try:
            count = await self._counter.count(built, profile)
        except asyncio.CancelledError:
            raise
        except Exception:  # the meter stays as it was; the log says why
            log.warning("token count failed", exc_info=True)
            return
        if key != self._key:
            return  # the request changed while this count ran
        self.reading = Reading(
            key,
            count,
            catalog.lookup(ws.model),
            ws.params.service_tier,
            ws.params.max_output_tokens,
        )
        self.counted.emit(self.reading)
