"""The response cache: answers to identical requests, kept in SQLite in the data folder.

Opt-in per workspace (`Workspace.cache`). One row per request key (core.cache_rules.cache_key:
SHA-256 of base URL, API path and canonical body; never a key or a header value): the
answer's normalized events as JSON (core.cache_rules.encode_events) and the figures of the run
that produced it (first token and total time, cost). Entries older than the TTL are not
served and are dropped; when the entries pass the size limit, the least recently used go
first. stdlib sqlite3 in WAL mode, owner-only, versioned by `PRAGMA user_version`
(services/sqlite_store.py, as the run history is); a damaged or locked file raises
CacheUnavailable (the run goes to the server and the window says why), a file written by a
newer Playground is left alone, and neither is ever overwritten.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playground.core.cache_rules import decode_events, encode_events
from playground.core.events import StreamEvent
from playground.services.sqlite_store import Migration, SqliteFile, StoreWords

FILE_NAME = "response-cache.sqlite3"
DEFAULT_LIMIT_BYTES = 200 * 1024 * 1024
"""200 MiB of stored answers (events and figures as stored; the file is a little larger)."""
DEFAULT_TTL_S = 7 * 24 * 3600.0
"""Seven days: an older answer is not served."""

SCHEMA = """
CREATE TABLE entries (
    key TEXT PRIMARY KEY,
    stored_at REAL NOT NULL,
    used_at REAL NOT NULL,
    size INTEGER NOT NULL,
    model TEXT NOT NULL,
    events TEXT NOT NULL,
    figures TEXT NOT NULL
);
CREATE INDEX entries_used ON entries(used_at);
"""
# MIGRATIONS[n] brings version n to n + 1 (version 0: a new, empty file).
MIGRATIONS: tuple[Migration, ...] = (lambda _db: SCHEMA,)
CACHE_VERSION = len(MIGRATIONS)
WORDS = StoreWords(
    name="The response cache",
    locked="{where} is locked by another program; runs go to the server until it is free.",
    damaged="{where} is damaged ({why}); it is not used. Move the file away to start a new one.",
    newer="{where} was written by a newer Playground (version {version}; this one knows up to "
    "{known}); it is left as it is and not used.",
)


class CacheUnavailable(Exception):
    """The cache file cannot be used; the message says why, in the user's words."""


@dataclass(frozen=True)
class CachedAnswer:
    """One kept answer: its events (Timing left out) and the figures of the run that made it.

    ttft_ms, total_ms: milliseconds, the original run's first token and total time (the time
    a hit saves is total_ms). cost_usd: US dollars, that run's estimated cost (core.cost at
    the time it ran; what a hit saves); None when it had no price. stored_at: Unix seconds.
    """

    events: tuple[StreamEvent, ...]
    model: str
    ttft_ms: float | None = None
    total_ms: float | None = None
    cost_usd: float | None = None
    stored_at: float = 0.0


@dataclass(frozen=True)
class CacheStats:
    """entries: answers kept; size_bytes: their stored size; limit_bytes, ttl_s: the limits."""

    entries: int
    size_bytes: int
    limit_bytes: int
    ttl_s: float


class ResponseCache:
    """Thread-safe; every call is short disk I/O (the app calls it off the event loop).

    `limit_bytes`, `ttl_s`: the size limit and the age limit; `clock`: Unix seconds (tests
    inject one)."""

    def __init__(
        self,
        path: Path,
        *,
        limit_bytes: int = DEFAULT_LIMIT_BYTES,
        ttl_s: float = DEFAULT_TTL_S,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = path
        self.limit_bytes = limit_bytes
        self.ttl_s = ttl_s
        self.clock = clock
        self._file = SqliteFile(path, MIGRATIONS, WORDS, CacheUnavailable)

    # -- use ---------------------------------------------------------------------------------

    def get(self, key: str) -> CachedAnswer | None:
        """The answer kept under `key`, or None (never kept, expired, or unreadable: such a
        row is dropped). Marks it used now. Raises CacheUnavailable."""
        now = self.clock()
        with self._db() as db:
            row = db.execute(
                "SELECT stored_at, model, events, figures FROM entries WHERE key = ?", (key,)
            ).fetchone()
            if row is None:
                return None
            stored_at, model, events, figures = row
            if now - stored_at > self.ttl_s:
                db.execute("DELETE FROM entries WHERE key = ?", (key,))
                return None
            try:
                decoded = tuple(decode_events(json.loads(events)))
                numbers = json.loads(figures)
            except ValueError:  # a row this version cannot read: a miss, and it goes
                db.execute("DELETE FROM entries WHERE key = ?", (key,))
                return None
            db.execute("UPDATE entries SET used_at = ? WHERE key = ?", (now, key))
        return CachedAnswer(
            decoded,
            model,
            _number(numbers.get("ttft_ms")),
            _number(numbers.get("total_ms")),
            _number(numbers.get("cost_usd")),
            stored_at,
        )

    def put(self, key: str, answer: CachedAnswer) -> None:
        """Keep `answer` under `key` (replacing one kept before), then drop expired entries
        and, past the size limit, the least recently used. Raises CacheUnavailable, and
        ValueError for an answer with a Failed event."""
        events = json.dumps(encode_events(answer.events), ensure_ascii=False)
        figures = json.dumps(
            {"ttft_ms": answer.ttft_ms, "total_ms": answer.total_ms, "cost_usd": answer.cost_usd}
        )
        size = len(events.encode()) + len(figures) + len(key) + len(answer.model)
        now = self.clock()
        with self._db() as db:
            db.execute(
                "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?, ?, ?)",
                (key, now, now, size, answer.model, events, figures),
            )
            db.execute("DELETE FROM entries WHERE stored_at < ?", (now - self.ttl_s,))
            self._evict(db)

    def clear(self) -> int:
        """Drop every entry and shrink the file; how many there were. Raises CacheUnavailable."""
        with self._db() as db:
            count = int(db.execute("SELECT COUNT(*) FROM entries").fetchone()[0])
            db.execute("DELETE FROM entries")
        with self._db() as db:
            db.execute("VACUUM")  # outside a transaction (sqlite.org/lang_vacuum.html)
        return count

    def stats(self) -> CacheStats:
        """How many answers are kept and their size. Raises CacheUnavailable."""
        with self._db() as db:
            count, size = db.execute(
                "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM entries"
            ).fetchone()
        return CacheStats(int(count), int(size), self.limit_bytes, self.ttl_s)

    def open(self) -> str | None:
        """Open the file now; why it cannot be used, or None."""
        return self._file.open()

    def close(self) -> None:
        self._file.close()

    # -- private -----------------------------------------------------------------------------

    def _db(self) -> AbstractContextManager[sqlite3.Connection]:
        return self._file.db()

    def _evict(self, db: sqlite3.Connection) -> None:
        total = int(db.execute("SELECT COALESCE(SUM(size), 0) FROM entries").fetchone()[0])
        if total <= self.limit_bytes:
            return
        doomed: list[tuple[str]] = []
        for key, size in db.execute("SELECT key, size FROM entries ORDER BY used_at, stored_at"):
            if total <= self.limit_bytes:
                break
            doomed.append((key,))
            total -= size
        db.executemany("DELETE FROM entries WHERE key = ?", doomed)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None
