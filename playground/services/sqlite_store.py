"""One SQLite file the app keeps for itself (run history, evaluations, response cache):
opening it, migrating it by its version, keeping it owner-only, and saying in the user's
words why it cannot be used.

The file's version is its `PRAGMA user_version` (sqlite.org/pragma.html#pragma_user_version,
checked 2026-11-30); `migrations[n]` gives the SQL that brings version n to n + 1 (version 0
is a new file, or one written before versions existed). A file is never overwritten when this
version cannot fully read it: a damaged or locked file, or one a newer Playground wrote,
raises the store's own error (or, where the store allows it, a newer file is opened
read-only with a notice); its bytes are left as they are.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from playground.services.files import PRIVATE_MODE

PRIVATE_FOLDER_MODE = 0o700
"""A folder the app makes for its stores: the mode the XDG Base Directory spec asks for
(specifications.freedesktop.org/basedir-spec, "Referencing this specification")."""
SIDE_FILES = ("-wal", "-shm", "-journal")
"""The files SQLite keeps beside a database (sqlite.org/tempfiles.html, checked 2026-12-01)."""

Migration = Callable[[sqlite3.Connection], str]
"""The SQL of one step for the database as it is (it may look at the tables first)."""


@dataclass(frozen=True)
class StoreWords:
    """What a store says when it cannot be used: templates in the user's words.

    Each may use `{where}` ("<name> (<path>)") and `{why}` (the cause, as SQLite or the
    system gives it); `newer` uses `{version}` (the file's) and `{known}` (this version's)."""

    name: str
    locked: str
    damaged: str
    newer: str
    unusable: str = "{where} cannot be used: {why}"
    unwritable: str = "{where} cannot be used: {why}"
    """A folder or file the system refuses (an OSError)."""


def keep_private(path: Path) -> None:
    """Make the database at `path` and the files SQLite keeps beside it readable by their
    owner only (PRIVATE_MODE): they hold prompts and answers. A new database file is created
    so, and SQLite gives its -wal, -shm and -journal files the database's permissions
    (sqlite.org/tempfiles.html, checked 2026-12-01); ones made earlier with the umask are
    tightened."""
    try:
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_MODE))
    except OSError:  # not ours to make: opening it says why
        return
    for file in (path, *(path.with_name(path.name + s) for s in SIDE_FILES)):
        with suppress(OSError):  # absent, or not ours to change (read-only says so later)
            if file.stat().st_mode & 0o077:
                file.chmod(PRIVATE_MODE)


def make_private_folder(folder: Path) -> None:
    """Make `folder` and any missing parent, each owner-only (PRIVATE_FOLDER_MODE); a folder
    that exists is left as it is (it may be shared with other files). Raises OSError."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for part in reversed(missing):
        with suppress(FileExistsError):  # made meanwhile by another store
            part.mkdir(mode=PRIVATE_FOLDER_MODE)
    if not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))


def user_version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def statements(script: str) -> list[str]:
    """The SQL statements of `script`, in order (a trigger's body stays whole)."""
    out: list[str] = []
    part = ""
    for piece in script.split(";"):
        part += piece + ";"
        if sqlite3.complete_statement(part):
            if part.strip(" \t\r\n;"):
                out.append(part.strip())
            part = ""
    return out


def migrate(db: sqlite3.Connection, migrations: Sequence[Migration]) -> int:
    """Bring `db` to version len(migrations), a step per transaction; the version reached.

    Each step reads the version under the write lock (BEGIN IMMEDIATE), so two programs that
    open a file at once each see the other's steps and never run one twice; a step that fails
    is rolled back whole (the file stays at the version before it). Raises sqlite3.Error."""
    while True:
        db.execute("BEGIN IMMEDIATE")
        try:
            version = user_version(db)
            if version >= len(migrations):
                db.commit()
                return version
            for sql in statements(migrations[version](db)):
                db.execute(sql)
            db.execute(f"PRAGMA user_version = {version + 1}")
            db.commit()
        except BaseException:
            db.rollback()
            raise


class SqliteFile:
    """One database file, thread-safe: `db()` yields its connection (opened and migrated on
    first use) and commits, or rolls back when the block raises.

    `error` is the store's own exception class (made with the message). `pragmas` are run on every
    writable connection after WAL mode is set. `read_only_if_newer`: a file a newer
    Playground wrote is opened read-only and `notice` says so; otherwise `error` is raised."""

    def __init__(
        self,
        path: Path,
        migrations: Sequence[Migration],
        words: StoreWords,
        error: type[Exception],
        *,
        pragmas: Sequence[str] = (),
        read_only_if_newer: bool = False,
    ) -> None:
        self.path = path
        self.migrations = tuple(migrations)
        self.words = words
        self.error = error
        self.pragmas = tuple(pragmas)
        self.read_only_if_newer = read_only_if_newer
        self.read_only = False
        """True when a newer Playground wrote the file: it is read, never written."""
        self.notice: str | None = None
        """Why the file is read-only, for the window; None when all is well."""
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    @property
    def version(self) -> int:
        """The version this Playground writes."""
        return len(self.migrations)

    def say(self, template: str, **facts: object) -> str:
        return template.format(where=f"{self.words.name} ({self.path})", **facts)

    def open(self) -> str | None:
        """Open the file now; why it cannot be used, or the read-only notice, or None."""
        try:
            with self.db():
                pass
        except self.error as exc:
            return str(exc)
        return self.notice

    def close(self) -> None:
        with self._lock:
            self._reset()

    @contextmanager
    def db(self) -> Iterator[sqlite3.Connection]:
        """The connection, under the lock; raises the store's error for a locked, damaged or
        unreadable file, a newer one (unless read-only is allowed) or a folder it cannot
        make."""
        with self._lock:
            try:
                if self._conn is None:
                    self._conn = self._connect()
                try:
                    yield self._conn
                except BaseException:
                    with suppress(sqlite3.Error):
                        self._conn.rollback()
                    raise
                self._conn.commit()
            except sqlite3.OperationalError as exc:
                self._reset()
                if getattr(exc, "sqlite_errorname", "") in ("SQLITE_BUSY", "SQLITE_LOCKED"):
                    raise self.error(self.say(self.words.locked)) from None
                raise self.error(self.say(self.words.unusable, why=exc)) from None
            except sqlite3.DatabaseError as exc:
                self._reset()
                raise self.error(self.say(self.words.damaged, why=exc)) from None
            except OSError as exc:
                self._reset()
                why = exc.strerror or exc
                raise self.error(self.say(self.words.unwritable, why=why)) from None

    def _connect(self) -> sqlite3.Connection:
        make_private_folder(self.path.parent)
        keep_private(self.path)
        conn = sqlite3.connect(self.path, timeout=2, check_same_thread=False)
        try:
            version = user_version(conn)
            if version > self.version:
                conn.close()
                notice = self.say(self.words.newer, version=version, known=self.version)
                if not self.read_only_if_newer:
                    raise self.error(notice)
                uri = f"{self.path.resolve().as_uri()}?mode=ro"
                conn = sqlite3.connect(uri, uri=True, timeout=2, check_same_thread=False)
                self.read_only, self.notice = True, notice
            else:
                conn.execute("PRAGMA journal_mode=WAL")
                for pragma in self.pragmas:
                    conn.execute(f"PRAGMA {pragma}")
                migrate(conn, self.migrations)
        except BaseException:
            conn.close()
            raise
        conn.row_factory = sqlite3.Row
        return conn

    def _reset(self) -> None:
        if self._conn is not None:
            with suppress(sqlite3.Error):
                self._conn.close()
        self._conn = None
