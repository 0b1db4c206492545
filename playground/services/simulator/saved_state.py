"""What the app's own simulator keeps across restarts: one SQLite file in its folder.

The app starts its simulator afresh each time; without this, everything the simulator held
was gone after a restart (stored responses, so a chain's previous_response_id; Conversations;
uploaded files; finished background responses; the key that seals reasoning items'
encrypted content), and the next Run failed on a 404 the user could not explain. A simulator
given a folder (`Simulator(state_dir=...)`) loads what the file holds at start and writes
each change as it happens, a transaction each (SQLite's commit is atomic,
sqlite.org/atomiccommit.html); a simulator without one (the tests' own) stays in memory.

Kept: the seal key (`meta`), and `entries` of kind "response" (a stored response, its input
and output items, and a finished background response's events), "conversation" (its
metadata and items) and "file" (its metadata, and its bytes as a BLOB). Not kept: recorded
requests (their headers carry keys), scenarios, batches. An entry is dropped KEPT_DAYS after
its last change (OpenAI's 30 days, core/missing_state.py). The file and folder are
owner-only (sqlite_store.keep_private, make_private_folder). A file that cannot be read
(damaged, not a database) is renamed to `<name>.damaged` and a new one started; a locked
file, or one a newer Playground wrote, is left alone and the simulator runs in memory.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playground.core.missing_state import KEPT_DAYS
from playground.services.sqlite_store import (
    SIDE_FILES,
    keep_private,
    make_private_folder,
    migrate,
    user_version,
)

log = logging.getLogger(__name__)

FILE_NAME = "simulator.sqlite3"
KEPT_SECONDS = KEPT_DAYS * 86400

_MIGRATIONS = (
    lambda _db: (
        """
        CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
        CREATE TABLE entries (
            kind TEXT NOT NULL, id TEXT NOT NULL, saved REAL NOT NULL,
            body TEXT NOT NULL, data BLOB,
            PRIMARY KEY (kind, id)
        );
    """
    ),
)
_ID_NUMBER = re.compile(r"[_-]([0-9a-f]{24})\b")


@dataclass
class Loaded:
    """What the file held: the seal key, entries by kind (id -> (body, data)), oldest first,
    and the highest id number seen (protocol.new_id's counter goes on past it)."""

    key: bytes
    entries: dict[str, dict[str, tuple[dict[str, Any], bytes | None]]] = field(default_factory=dict)
    highest_id: int = 0


class SavedState:
    """The simulator's state file in `folder`; every method is thread-safe, and one that
    fails (a full disk) logs and leaves the simulator answering from memory."""

    def __init__(self, folder: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = folder / FILE_NAME
        self.clock = clock
        self.set_aside: Path | None = None
        """Where a damaged file was moved at load; None when none was."""
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def load(self) -> Loaded:
        """Open the file (a new one when there is none, or the old one was damaged) and read
        it, dropping entries older than KEPT_DAYS. Never raises: a file it cannot use leaves
        a simulator in memory with a new seal key."""
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) or _newer(exc):
                log.warning("the simulator's state in %s is not used: %s", self.path, exc)
                return Loaded(secrets.token_bytes(32))
            self._put_aside(exc)
            try:
                self._db = self._open()
            except (sqlite3.Error, OSError) as again:
                log.warning("the simulator's state cannot be kept: %s", again)
                return Loaded(secrets.token_bytes(32))
        except OSError as exc:
            log.warning("the simulator's state cannot be kept in %s: %s", self.path, exc)
            return Loaded(secrets.token_bytes(32))
        return self._read()

    def put(self, kind: str, ident: str, body: dict[str, Any], data: bytes | None = None) -> None:
        """Keep (or replace) one entry, as of now."""
        text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        self._write(
            "INSERT OR REPLACE INTO entries (kind, id, saved, body, data) VALUES (?, ?, ?, ?, ?)",
            (kind, ident, self.clock(), text, data),
        )

    def drop(self, kind: str, ident: str) -> None:
        self._write("DELETE FROM entries WHERE kind = ? AND id = ?", (kind, ident))

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                with suppress(sqlite3.Error):
                    self._db.close()
            self._db = None

    # -- inside ------------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        make_private_folder(self.path.parent)
        keep_private(self.path)
        db = sqlite3.connect(self.path, timeout=2, check_same_thread=False)
        try:
            if user_version(db) > len(_MIGRATIONS):
                raise sqlite3.DatabaseError(f"{_NEWER} (version {user_version(db)})")
            db.execute("PRAGMA journal_mode=WAL")
            migrate(db, _MIGRATIONS)
            checked = db.execute("PRAGMA quick_check").fetchone()
            if not checked or checked[0] != "ok":
                raise sqlite3.DatabaseError(f"quick_check: {checked[0] if checked else '?'}")
        except BaseException:
            db.close()
            raise
        return db

    def _put_aside(self, exc: BaseException) -> None:
        """Move the file that cannot be read (and SQLite's files beside it) to *.damaged."""
        aside = self.path.with_name(self.path.name + ".damaged")
        log.warning("the simulator's state %s is damaged (%s): moved to %s", self.path, exc, aside)
        self.path.replace(aside)
        for side in SIDE_FILES:
            with suppress(OSError):
                self.path.with_name(self.path.name + side).replace(
                    aside.with_name(aside.name + side)
                )
        self.set_aside = aside

    def _read(self) -> Loaded:
        assert self._db is not None
        with self._lock:
            db = self._db
            with db:
                db.execute("DELETE FROM entries WHERE saved < ?", (self.clock() - KEPT_SECONDS,))
                row = db.execute("SELECT value FROM meta WHERE name = 'seal_key'").fetchone()
                if row is None:
                    key = secrets.token_bytes(32)
                    db.execute("INSERT INTO meta (name, value) VALUES ('seal_key', ?)", (key,))
                else:
                    key = bytes(row[0])
            loaded = Loaded(key)
            rows = db.execute("SELECT kind, id, body, data FROM entries ORDER BY rowid")
            for kind, ident, body, data in rows:
                try:
                    value = json.loads(body)
                except ValueError:
                    continue
                if isinstance(value, dict):
                    entries = loaded.entries.setdefault(str(kind), {})
                    entries[str(ident)] = (value, bytes(data) if data is not None else None)
                    numbers = [int(n, 16) for n in _ID_NUMBER.findall(f"{ident} {body}")]
                    loaded.highest_id = max([loaded.highest_id, *numbers])
        return loaded

    def _write(self, sql: str, args: tuple[Any, ...]) -> None:
        with self._lock:
            if self._db is None:
                return
            try:
                with self._db:
                    self._db.execute(sql, args)
            except sqlite3.Error as exc:
                log.warning("the simulator's state could not be written: %s", exc)


_NEWER = "written by a newer Playground"


def _newer(exc: BaseException) -> bool:
    return str(exc).startswith(_NEWER)
