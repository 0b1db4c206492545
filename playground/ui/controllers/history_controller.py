"""History queries off the GUI thread; results and problems come back as signals."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from playground.services.files import atomic_write
from playground.services.history import HistoryStore, HistoryUnavailable, RunRecord
from playground.ui.controllers import tasks
from playground.ui.controllers.tasks import settle


class HistoryController(QObject):
    results = Signal(list)
    """RunRecords matching the last search, newest first."""
    models_listed = Signal(list)
    """Model ids present in the history."""
    unavailable = Signal(str)
    """The history cannot be used (locked or damaged); the app goes on without it."""
    exported = Signal(str)
    """A JSONL export was written to this path."""

    def __init__(self, store: HistoryStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._tasks: set[asyncio.Task[None]] = set()
        self.filters: dict[str, Any] = {}

    def search(self, **filters: Any) -> None:
        self.filters = filters
        self._spawn(self._search())

    def refresh(self) -> None:
        self._spawn(self._search())

    def delete(self, ids: list[int]) -> None:
        self._spawn(self._call(lambda: self.store.delete(ids), then=self._search))

    def export(self, ids: list[int] | None, path: str) -> None:
        def write() -> None:
            atomic_write(Path(path), self.store.export_jsonl(ids))

        self._spawn(self._call(write, then=lambda: self._emit_exported(path)))

    async def get(self, run_id: int) -> RunRecord | None:
        try:
            return await asyncio.to_thread(self.store.get, run_id)
        except HistoryUnavailable as exc:
            self.unavailable.emit(str(exc))
            return None

    async def wait(self) -> None:
        await settle(self._tasks)

    async def _emit_exported(self, path: str) -> None:
        self.exported.emit(path)

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        tasks.start(coro, "reading the run history", keep=self._tasks)

    async def _search(self) -> None:
        try:
            runs = await asyncio.to_thread(lambda: self.store.search(**self.filters))
            models = await asyncio.to_thread(self.store.models)
        except HistoryUnavailable as exc:
            self.unavailable.emit(str(exc))
            return
        self.models_listed.emit(models)
        self.results.emit(runs)

    async def _call(
        self, work: Callable[[], None], then: Callable[[], Coroutine[Any, Any, None]]
    ) -> None:
        try:
            await asyncio.to_thread(work)
        except HistoryUnavailable as exc:
            self.unavailable.emit(str(exc))
            return
        except OSError as exc:
            self.unavailable.emit(f"Could not write the export: {exc.strerror or exc}")
            return
        await then()
