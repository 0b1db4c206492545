"""Run history in SQLite (stdlib sqlite3, WAL): every run with its request, output and figures.

A locked or damaged database raises HistoryUnavailable with a readable message; the rest of
the app keeps working without history. No secrets are stored: the request body never holds the
key (it travels in a header).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from playground.core import cost
from playground.core.reducer import AssistantTurn
from playground.core.workspace import Workspace
from playground.services import history_query
from playground.services.history_query import Query, RunRow
from playground.services.sqlite_store import SqliteFile, StoreWords

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at REAL NOT NULL,
    profile TEXT NOT NULL,
    model TEXT NOT NULL,
    api TEXT NOT NULL,
    request TEXT NOT NULL,
    workspace TEXT NOT NULL,
    output_text TEXT NOT NULL DEFAULT '',
    refusal TEXT NOT NULL DEFAULT '',
    reasoning TEXT NOT NULL DEFAULT '',
    tool_calls TEXT NOT NULL DEFAULT '[]',
    ttft_ms REAL,
    total_ms REAL,
    input_tokens INTEGER,
    cached_tokens INTEGER,
    output_tokens INTEGER,
    reasoning_tokens INTEGER,
    cost REAL,
    outcome TEXT NOT NULL,
    error_kind TEXT,
    error_message TEXT
);
CREATE INDEX IF NOT EXISTS runs_started ON runs(started_at);
"""
# The database's version is its `PRAGMA user_version` (services/sqlite_store.py). MIGRATIONS[n]
# brings version n to n + 1; version 0 is a new file or one written before versions existed
# (its runs table is already version 1's, hence IF NOT EXISTS). Each step is the SQL for the
# database as it is (an unversioned file may hold later columns).


def _add_group_id(db: sqlite3.Connection) -> str:
    """Version 2: `group_id`, the id shared by the variant runs of one Compare run (NULL for
    a run alone, and for every run recorded before version 2)."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(runs)")}
    return "" if "group_id" in columns else "ALTER TABLE runs ADD COLUMN group_id TEXT;"


MIGRATIONS: tuple[Callable[[sqlite3.Connection], str], ...] = (
    lambda _db: SCHEMA,
    _add_group_id,
    history_query.add_search,  # version 3: prompt and instructions columns, the FTS5 index
)
HISTORY_VERSION = len(MIGRATIONS)
WORDS = StoreWords(
    name="The run history",
    locked="{where} is locked by another program; runs are not being recorded until it is free.",
    damaged="{where} is damaged ({why}). Move the file away to start a new history; runs are "
    "not being recorded.",
    newer="{where} was written by a newer Playground (version {version}; this one knows up to "
    "{known}). It is shown read-only; new runs are not recorded.",
)
# "length": stopped at the output-token limit (Chat finish_reason "length", Responses incomplete
# for max_output_tokens).
OUTCOMES = ("completed", "tool_calls", "length", "stopped", "failed")


class HistoryUnavailable(Exception):
    """The history database cannot be used; the message says why."""


@dataclass
class RunRecord:
    profile: str
    model: str
    api: str
    request: dict[str, Any]
    workspace: str
    outcome: str
    output_text: str = ""
    refusal: str = ""
    reasoning: str = ""
    tool_calls: list[dict[str, str]] = field(default_factory=list)
    ttft_ms: float | None = None
    total_ms: float | None = None
    input_tokens: int | None = None
    cached_tokens: int | None = None
    output_tokens: int | None = None
    reasoning_tokens: int | None = None
    cost: float | None = None
    error_kind: str | None = None
    error_message: str | None = None
    started_at: float = field(default_factory=time.time)
    group_id: str | None = None
    """The Compare run this run was one variant of (shared by its variants); None: alone."""
    prompt: str = ""
    """The last user message's text (filled from `workspace` when recorded)."""
    instructions: str = ""
    """Instructions, system and developer messages (filled from `workspace` when recorded)."""
    id: int | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class HistoryStore:
    """Thread-safe access to the runs table (calls are short; the UI runs them off-thread).
    The file is owner-only, opened and migrated by services/sqlite_store.py."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = SqliteFile(
            path, MIGRATIONS, WORDS, HistoryUnavailable, read_only_if_newer=True
        )

    @property
    def read_only(self) -> bool:
        """True when a newer Playground wrote the database: it is read, never written."""
        return self._file.read_only

    @property
    def notice(self) -> str | None:
        """Why the history is read-only, for the window's banner; None when all is well."""
        return self._file.notice

    def _writable(self) -> None:
        if self.read_only:
            raise HistoryUnavailable(self.notice or f"The run history ({self.path}) is read-only.")

    def open(self) -> str | None:
        """Open the database now; the notice for the window (read-only, damaged), or None."""
        return self._file.open()

    def _db(self) -> AbstractContextManager[sqlite3.Connection]:
        return self._file.db()

    def close(self) -> None:
        self._file.close()

    def record(self, run: RunRecord) -> int:
        row = run.to_json()
        row.pop("id")
        if not run.prompt and not run.instructions:
            row["prompt"], row["instructions"] = history_query.texts_of(run.workspace)
        row["request"] = json.dumps(row["request"], ensure_ascii=False)
        row["tool_calls"] = json.dumps(row["tool_calls"], ensure_ascii=False)
        cols = ", ".join(row)
        marks = ", ".join(f":{k}" for k in row)
        with self._db() as db:
            self._writable()
            cur = db.execute(f"INSERT INTO runs ({cols}) VALUES ({marks})", row)
            return int(cur.lastrowid or 0)

    def search(
        self,
        text: str = "",
        model: str | None = None,
        outcome: str | None = None,
        since: float | None = None,
        limit: int = 500,
    ) -> list[RunRecord]:
        """Whole records, newest first; `text` as the History tab's search box takes it
        (history_query.match_expression: words as prefixes, over prompt, instructions,
        answer, reasoning, tool calls, error and model)."""
        query = Query(text, model, outcome, since)
        tables, args = history_query.source(query)
        sql = f"SELECT r.* FROM {tables} ORDER BY {history_query.order(query)} LIMIT ?"
        with self._db() as db:
            return [_record(r) for r in db.execute(sql, [*args, limit])]

    def rows(self, query: Query, offset: int = 0, limit: int = 200) -> list[RunRow]:
        """The list's rows `offset` to `offset + limit` of the runs that match `query`."""
        with self._db() as db:
            return history_query.rows(db, query, offset, limit)

    def count(self, query: Query) -> int:
        """How many runs match `query`."""
        with self._db() as db:
            return history_query.count(db, query)

    def get(self, run_id: int) -> RunRecord | None:
        with self._db() as db:
            row = db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        return _record(row) if row else None

    def delete(self, ids: list[int]) -> None:
        with self._db() as db:
            self._writable()
            db.executemany("DELETE FROM runs WHERE id = ?", [(i,) for i in ids])

    def models(self) -> list[str]:
        with self._db() as db:
            return [r[0] for r in db.execute("SELECT DISTINCT model FROM runs ORDER BY model")]

    def export_jsonl(self, ids: list[int] | None = None) -> str:
        runs = (
            self.search(limit=1_000_000)
            if ids is None
            else [r for r in (self.get(i) for i in ids) if r is not None]
        )
        return "".join(json.dumps(r.to_json(), ensure_ascii=False) + "\n" for r in runs)


_FIELDS = frozenset(RunRecord.__dataclass_fields__)


def _record(row: sqlite3.Row) -> RunRecord:
    data = {k: v for k, v in dict(row).items() if k in _FIELDS}  # a newer file may have more
    data["request"] = json.loads(data["request"])
    data["tool_calls"] = json.loads(data["tool_calls"])
    return RunRecord(**data)


def record_of(
    ws: Workspace,
    body: dict[str, Any],
    turn: AssistantTurn,
    stopped: bool,
    profile: str,
    group: str | None = None,
) -> RunRecord:
    """The history record of one finished (or stopped, or failed) run; `group` is the id of
    the Compare run it was a variant of."""
    if stopped:
        outcome = "stopped"
    elif turn.failure is not None:
        outcome = "failed"
    elif turn.stopped_at_limit:
        outcome = "length"
    elif turn.tool_calls:
        outcome = "tool_calls"
    else:
        outcome = "completed"
    u, t = turn.usage, turn.timing
    now = time.time()
    billed = cost.of_run(turn.model or ws.model, u, date.fromtimestamp(now)) if u else None
    return RunRecord(
        profile=profile,
        model=ws.model,
        api=ws.api,
        request=body,
        workspace=ws.to_json(),
        outcome=outcome,
        output_text=turn.text,
        refusal=turn.refusal,
        reasoning=turn.reasoning_summary,
        tool_calls=[
            # a custom tool's call says so ("kind"); function calls are stored as before
            {"call_id": c.call_id, "name": c.name, "arguments": c.arguments}
            | ({"kind": "custom"} if c.kind == "custom" else {})
            for c in turn.tool_calls
        ],
        ttft_ms=t.ttft_ms if t else None,
        total_ms=t.total_ms if t else None,
        input_tokens=u.input_tokens if u else None,
        cached_tokens=u.cached_tokens if u else None,
        output_tokens=u.output_tokens if u else None,
        reasoning_tokens=u.reasoning_tokens if u else None,
        cost=billed.total if billed else None,
        error_kind=turn.failure.kind.value if turn.failure else None,
        error_message=turn.failure.message if turn.failure else None,
        started_at=now,
        group_id=group,
    )
