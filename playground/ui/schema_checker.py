"""Checks large JSON Schemas in a worker process, so the window never waits for them.

Meta-validating a schema of thousands of properties takes seconds of pure Python; a thread
would still hold the interpreter lock, so the work goes to one spawned process. Results are
kept in core's schema cache, and `checked` tells the window and editors to look again.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from functools import partial

from PySide6.QtCore import QObject, Signal

from playground.core.schema_rules import compute_issues, remember_issues


class SchemaChecker(QObject):
    checked = Signal()
    """A large schema's check finished (its result is in the cache now)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool: ProcessPoolExecutor | None = None
        self._pending: set[tuple[str, bool]] = set()

    def request(self, items: list[tuple[str, bool]]) -> bool:
        """Start checking these (canonical text, strict) pairs; False when no loop runs."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return False
        for key in items:
            if key in self._pending:
                continue
            self._pending.add(key)
            future = loop.run_in_executor(self._executor(), compute_issues, *key)
            future.add_done_callback(partial(self._done, key))
        return True

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn")
            )
        return self._pool

    def _done(self, key: tuple[str, bool], future: Future | asyncio.Future) -> None:  # type: ignore[type-arg]
        self._pending.discard(key)
        if future.cancelled() or future.exception() is not None:
            return
        remember_issues(key[0], key[1], future.result())
        self.checked.emit()
