"""The one SQLite helper the run history, the evaluations and the response cache share: a
file this version cannot fully read is reported in words and left byte for byte as it was;
two programs opening a new file at once both work; every older version migrates, each step
once."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from playground.services.sqlite_store import SqliteFile, StoreWords, migrate, statements


class Unavailable(Exception):
    pass


WORDS = StoreWords(
    name="The notes",
    locked="{where} are locked; nothing is saved.",
    damaged="{where} are damaged ({why}).",
    newer="{where} are from version {version}; this one knows up to {known}.",
    unwritable="{where} cannot be saved: {why}",
)

# A toy store in three versions; each step leaves a mark, so a step run twice shows.
STEPS = (
    lambda _db: (
        "CREATE TABLE notes (text TEXT); CREATE TABLE steps (n INTEGER);"
        "INSERT INTO steps VALUES (1);"
    ),
    lambda _db: (
        "ALTER TABLE notes ADD COLUMN stars INTEGER NOT NULL DEFAULT 0;"
        "INSERT INTO steps VALUES (2);"
    ),
    lambda _db: (
        "CREATE TRIGGER notes_star AFTER INSERT ON notes BEGIN "
        "UPDATE notes SET stars = stars + 1 WHERE rowid = new.rowid; END;"
        "INSERT INTO steps VALUES (3);"
    ),
)


def store(path: Path, **options: bool) -> SqliteFile:
    return SqliteFile(path, STEPS, WORDS, Unavailable, **options)


def at_version(path: Path, version: int) -> None:
    """A file as the program that knew `version` steps left it, with one note."""
    with sqlite3.connect(path) as db:
        migrate(db, STEPS[:version])
        if version:
            db.execute("INSERT INTO notes (text) VALUES ('kept')")


@pytest.mark.parametrize("version", range(len(STEPS) + 1))
def test_every_older_version_migrates_each_step_once_and_keeps_its_rows(
    tmp_path: Path, version: int
) -> None:
    path = tmp_path / "notes.sqlite3"
    at_version(path, version)
    s = store(path)
    with s.db() as db:
        db.execute("INSERT INTO notes (text) VALUES ('new')")
    with s.db() as db:
        notes = [tuple(r) for r in db.execute("SELECT text, stars FROM notes")]
        steps = [r[0] for r in db.execute("SELECT n FROM steps ORDER BY n")]
        assert db.execute("PRAGMA user_version").fetchone()[0] == 3
    s.close()
    assert steps == [1, 2, 3]
    assert notes == ([("kept", 1 if version == 3 else 0)] if version else []) + [("new", 1)]


def test_a_damaged_file_is_reported_and_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    junk = b"not a database " * 300
    path.write_bytes(junk)
    s = store(path)
    damaged = r"^The notes \(.*notes\.sqlite3\) are damaged \("
    with pytest.raises(Unavailable, match=damaged), s.db():
        pass
    assert "damaged" in (s.open() or "")
    s.close()
    assert path.read_bytes() == junk


@pytest.mark.parametrize("read_only", [False, True])
def test_a_newer_file_is_never_written(tmp_path: Path, read_only: bool) -> None:
    path = tmp_path / "notes.sqlite3"
    at_version(path, 3)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 9")
    before = path.read_bytes()
    s = store(path, read_only_if_newer=read_only)
    message = s.open()
    assert message is not None and "from version 9; this one knows up to 3" in message
    if read_only:
        assert s.read_only and s.notice == message
        with s.db() as db:  # read, as it is
            assert [r[0] for r in db.execute("SELECT text FROM notes")] == ["kept"]
        with pytest.raises(Unavailable, match="cannot be used"), s.db() as db:
            db.execute("INSERT INTO notes (text) VALUES ('no')")
    else:
        assert not s.read_only
        with pytest.raises(Unavailable, match="from version 9"), s.db():
            pass
    s.close()
    assert path.read_bytes() == before


def test_a_locked_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    at_version(path, 3)
    other = sqlite3.connect(path)
    other.execute("PRAGMA locking_mode=EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(Unavailable, match=r"are locked; nothing is saved\.$"), store(path).db():
            pass
    finally:
        other.rollback()
        other.close()


def test_a_folder_that_cannot_be_made_is_reported(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("in the way")
    s = store(tmp_path / "file" / "deeper" / "notes.sqlite3")
    assert (s.open() or "").startswith("The notes (")
    assert "cannot be saved" in (s.open() or "")
    assert (tmp_path / "file").read_text() == "in the way"


def test_concurrent_opens_of_a_new_file_all_work_and_migrate_once(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    count = 6
    start = threading.Barrier(count)
    errors: list[BaseException] = []

    def open_and_write(i: int) -> None:
        s = SqliteFile(path, STEPS, WORDS, Unavailable)
        start.wait()
        try:
            with s.db() as db:
                db.execute("INSERT INTO notes (text) VALUES (?)", (f"from {i}",))
        except BaseException as exc:  # collected for the assert below
            errors.append(exc)
        finally:
            s.close()

    threads = [threading.Thread(target=open_and_write, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with sqlite3.connect(path) as db:
        assert [r[0] for r in db.execute("SELECT n FROM steps ORDER BY n")] == [1, 2, 3]
        assert db.execute("SELECT count(*) FROM notes").fetchone()[0] == count
        assert db.execute("PRAGMA user_version").fetchone()[0] == 3


def test_a_step_that_fails_leaves_the_file_at_the_version_before(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    at_version(path, 1)
    broken = (*STEPS[:1], lambda _db: "ALTER TABLE notes ADD COLUMN x INTEGER; BROKEN SQL;")
    s = SqliteFile(path, broken, WORDS, Unavailable)
    with pytest.raises(Unavailable, match="cannot be used"), s.db():
        pass
    s.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
        assert "x" not in {r[1] for r in db.execute("PRAGMA table_info(notes)")}


def test_a_block_that_raises_saves_nothing(tmp_path: Path) -> None:
    s = store(tmp_path / "notes.sqlite3")

    def half_then_fail() -> None:
        with s.db() as db:
            db.execute("INSERT INTO notes (text) VALUES ('half')")
            raise KeyError("stop")

    with pytest.raises(KeyError):
        half_then_fail()
    with s.db() as db:
        db.execute("INSERT INTO steps VALUES (99)")  # a later commit must not carry 'half'
    with s.db() as db:
        assert db.execute("SELECT count(*) FROM notes").fetchone()[0] == 0
    s.close()


_TEXT = st.text(alphabet="ab; '\"END", max_size=8)


@given(st.lists(_TEXT, min_size=1, max_size=5))
def test_statements_splits_a_script_where_sqlite_would(texts: list[str]) -> None:
    # string literals may hold ";" and the words of a trigger; each INSERT stays whole
    inserts = [f"INSERT INTO t VALUES ('{t.replace(chr(39), chr(39) * 2)}');" for t in texts]
    trigger = "CREATE TRIGGER g AFTER INSERT ON t BEGIN DELETE FROM t; SELECT 1; END;"
    assert statements(" ".join([trigger, *inserts]) + "\n ") == [trigger, *inserts]
