"""History queries off the GUI thread; results and problems come back as signals.

A search is a generation: a page of an older search that arrives late (the user typed on) is
dropped, and starting a search cancels the wait for the one before."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from playground.services import history_query
from playground.services.files import atomic_write
from playground.services.history import HistoryStore, HistoryUnavailable, RunRecord
from playground.services.history_query import Query, RunRow
from playground.ui.controllers import tasks
from playground.ui.controllers.tasks import settle

PAGE = 200
"""Rows read at a time: the first page of a search, and each page the list scrolls to."""


@dataclass(frozen=True, slots=True)
class Page:
    """Rows of a search from `offset`; `total`: how many match (first page only; with
    `at_least`, this many or more: history_query.count); `complete`: no rows follow."""

    generation: int
    offset: int
    rows: list[RunRow]
    total: int | None
    complete: bool
    at_least: bool = False


class HistoryController(QObject):
    page_ready = Signal(object)
    """A Page of the current search."""
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
        self.query = Query()
        self.generation = 0
        self._searching: asyncio.Task[None] | None = None

    def search(self, query: Query) -> None:
        """Find the runs that match `query`: its first page comes as `page_ready`."""
        self.query = query
        self.generation += 1
        if self._searching is not None:
            self._searching.cancel()
        self._searching = self._spawn(self._first_page(self.generation, query))

    def refresh(self) -> None:
        """Search again (a run was recorded or deleted), and list the models again."""
        self.search(self.query)
        self.refresh_models()

    def refresh_models(self) -> None:
        """List the models in the history again, as `models_listed`."""
        self._spawn(self._list_models())

    def more(self, offset: int) -> None:
        """The current search's rows from `offset` on, as `page_ready`."""
        self._spawn(self._more(self.generation, self.query, offset))

    def delete(self, ids: list[int]) -> None:
        self._spawn(self._call(lambda: self.store.delete(ids), then=self._refreshed))

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

    async def _refreshed(self) -> None:
        self.refresh()

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        return tasks.start(coro, "reading the run history", keep=self._tasks)

    async def _first_page(self, generation: int, query: Query) -> None:
        def read() -> tuple[list[RunRow], int]:
            rows = self.store.rows(query, 0, PAGE)
            return rows, (len(rows) if len(rows) < PAGE else self.store.count(query))

        try:
            rows, total = await asyncio.to_thread(read)
        except HistoryUnavailable as exc:
            self.unavailable.emit(str(exc))
            return
        if generation == self.generation:
            at_least = history_query.capped(query, total)
            self.page_ready.emit(Page(generation, 0, rows, total, len(rows) < PAGE, at_least))

    async def _more(self, generation: int, query: Query, offset: int) -> None:
        try:
            rows = await asyncio.to_thread(self.store.rows, query, offset, PAGE)
        except HistoryUnavailable as exc:
            self.unavailable.emit(str(exc))
            return
        if generation == self.generation:
            self.page_ready.emit(Page(generation, offset, rows, None, len(rows) < PAGE))

    async def _list_models(self) -> None:
        try:
            models = await asyncio.to_thread(self.store.models)
        except HistoryUnavailable as exc:
            self.unavailable.emit(str(exc))
            return
        self.models_listed.emit(models)

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
