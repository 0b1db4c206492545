"""Finding runs in the history: the FTS5 index (history version 3), the search expression a
user's text becomes, and the sorted, paged list the History tab shows.

The index is an external-content FTS5 table over the runs table's text columns, kept in step by
triggers (sqlite.org/fts5.html section 4.4.3, "external content tables", checked 2026-11-30),
so every writer (this version, or a script) keeps it right. Version 3 adds the `prompt` (the
last user message) and `instructions` (instructions and system/developer messages) columns,
back-fills them from each run's workspace and builds the index, in one transaction.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

# The columns the index covers, in the runs table (external content: the same names).
FTS_COLUMNS = (
    "prompt",
    "instructions",
    "output_text",
    "refusal",
    "reasoning",
    "tool_calls",
    "error_message",
    "model",
)
_COLS = ", ".join(FTS_COLUMNS)
_NEW = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
_OLD = ", ".join(f"old.{c}" for c in FTS_COLUMNS)
# unicode61 folds case and (with remove_diacritics 2) accents; prefix indexes of 1 to 3
# characters make the prefix query of a word being typed an index lookup.
FTS_SCHEMA = f"""
CREATE VIRTUAL TABLE IF NOT EXISTS runs_fts USING fts5(
    {_COLS}, content='runs', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', prefix='1 2 3'
);
CREATE TRIGGER IF NOT EXISTS runs_fts_insert AFTER INSERT ON runs BEGIN
    INSERT INTO runs_fts(rowid, {_COLS}) VALUES (new.id, {_NEW});
END;
CREATE TRIGGER IF NOT EXISTS runs_fts_delete AFTER DELETE ON runs BEGIN
    INSERT INTO runs_fts(runs_fts, rowid, {_COLS}) VALUES ('delete', old.id, {_OLD});
END;
CREATE TRIGGER IF NOT EXISTS runs_fts_update AFTER UPDATE ON runs BEGIN
    INSERT INTO runs_fts(runs_fts, rowid, {_COLS}) VALUES ('delete', old.id, {_OLD});
    INSERT INTO runs_fts(rowid, {_COLS}) VALUES (new.id, {_NEW});
END;
"""
# Sorting any column is an index walk when no text is searched.
SORT_INDEXES = """
CREATE INDEX IF NOT EXISTS runs_model ON runs(model);
CREATE INDEX IF NOT EXISTS runs_api ON runs(api);
CREATE INDEX IF NOT EXISTS runs_outcome ON runs(outcome);
CREATE INDEX IF NOT EXISTS runs_cost ON runs(cost);
CREATE INDEX IF NOT EXISTS runs_latency ON runs(total_ms);
CREATE INDEX IF NOT EXISTS runs_tokens
    ON runs((coalesce(input_tokens, 0) + coalesce(output_tokens, 0)));
CREATE INDEX IF NOT EXISTS runs_prompt ON runs(prompt COLLATE NOCASE);
"""


def texts_of(workspace_json: str) -> tuple[str, str]:
    """(prompt, instructions) of a run's workspace JSON: the text of its last user message, and
    its instructions with its system and developer messages, one per line. ("", "") for JSON
    that is not a workspace; never raises (it runs inside a migration)."""
    try:
        data = json.loads(workspace_json)
    except (ValueError, TypeError):
        return "", ""
    if not isinstance(data, dict):
        return "", ""
    messages = data.get("messages")
    messages = [m for m in messages if isinstance(m, dict)] if isinstance(messages, list) else []
    users = [_text(m.get("content")) for m in messages if m.get("role") == "user"]
    given = data.get("instructions")
    system = [given] if isinstance(given, str) and given else []
    system += [
        _text(m.get("content")) for m in messages if m.get("role") in ("system", "developer")
    ]
    return (users[-1] if users else ""), "\n".join(t for t in system if t)


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            p["text"] for p in content if isinstance(p, dict) and isinstance(p.get("text"), str)
        )
    return ""


def add_search(db: sqlite3.Connection) -> str:
    """Migration to version 3 (see the module docstring): the SQL for `db` as it is."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(runs)")}
    db.create_function("pg_prompt", 1, lambda w: texts_of(w)[0], deterministic=True)
    db.create_function("pg_instructions", 1, lambda w: texts_of(w)[1], deterministic=True)
    add = "".join(
        f"ALTER TABLE runs ADD COLUMN {c} TEXT NOT NULL DEFAULT '';"
        for c in ("prompt", "instructions")
        if c not in columns
    )
    return (
        f"{add} UPDATE runs SET prompt = pg_prompt(workspace), "
        "instructions = pg_instructions(workspace);"
        f"{FTS_SCHEMA} {SORT_INDEXES} INSERT INTO runs_fts(runs_fts) VALUES ('rebuild');"
    )


# -- the search expression ---------------------------------------------------------------------

_PHRASE = re.compile(r'"([^"]*)"|(\S+)')


def match_expression(text: str) -> str | None:
    """The FTS5 MATCH expression for what a user typed; None when it holds no word.

    Each word is a prefix ("pari" finds "Paris"); text in double quotes is a phrase whose
    last word is a prefix; all of them must match. Everything is quoted as an FTS5 string
    (sqlite.org/fts5.html section 3.1, checked 2026-11-30), so quotes, `*`, `(`, `AND`,
    `NEAR/`, `:` and `^` are plain text and never a syntax error. A part with no letter or
    digit (`*`, `(`) is left out: it holds nothing the index has."""
    parts = []
    for phrase, word in _PHRASE.findall(text.replace("\x00", " ")):
        part = phrase or word.replace('"', " ")
        if any(ch.isalnum() for ch in part):
            parts.append('"' + part.replace('"', '""') + '"*')
    return " ".join(parts) or None


# -- the list ----------------------------------------------------------------------------------

SortKey = Literal["time", "prompt", "api", "model", "outcome", "tokens", "cost", "latency"]
SORT_KEYS: tuple[SortKey, ...] = (
    "time",
    "prompt",
    "api",
    "model",
    "outcome",
    "tokens",
    "cost",
    "latency",
)
# "time" is the order runs were recorded in, their id: the index's own order, so a search
# for a common word reads only the page it shows (sorting 95,000 matches by a column took
# 200 ms, the index's rowid order under 1 ms, on the reference machine).
_ORDER: dict[SortKey, str] = {
    "time": "r.id",
    "prompt": "r.prompt COLLATE NOCASE",
    "api": "r.api",
    "model": "r.model",
    "outcome": "r.outcome",
    "tokens": "(coalesce(r.input_tokens, 0) + coalesce(r.output_tokens, 0))",
    "cost": "r.cost",
    "latency": "r.total_ms",
}


@dataclass(frozen=True, slots=True)
class Query:
    """What the History tab asks for: `text` as typed (match_expression), filters (None: any),
    `since` in seconds since the epoch, and the order."""

    text: str = ""
    model: str | None = None
    outcome: str | None = None
    since: float | None = None
    sort: SortKey = "time"
    descending: bool = True


@dataclass(frozen=True, slots=True)
class RunRow:
    """One row of the list: times in seconds since the epoch and milliseconds, cost in US
    dollars, None where a figure is unknown; `prompt` is its first line."""

    id: int
    started_at: float
    prompt: str
    api: str
    model: str
    outcome: str
    input_tokens: int | None
    cached_tokens: int | None
    output_tokens: int | None
    reasoning_tokens: int | None
    cost: float | None
    ttft_ms: float | None
    total_ms: float | None
    group_id: str | None

    @property
    def tokens(self) -> int | None:
        if self.input_tokens is None and self.output_tokens is None:
            return None
        return (self.input_tokens or 0) + (self.output_tokens or 0)


_ROW = (
    "r.id, r.started_at, substr(r.prompt, 1, 300), r.api, r.model, r.outcome, r.input_tokens, "
    "r.cached_tokens, r.output_tokens, r.reasoning_tokens, r.cost, r.ttft_ms, r.total_ms, "
    "r.group_id"
)


def source(query: Query) -> tuple[str, list[Any]]:
    """FROM and WHERE (the runs are `r`) and their arguments."""
    clauses: list[str] = []
    args: list[Any] = []
    tables = "runs r"
    expression = match_expression(query.text)
    if expression is not None:
        # CROSS JOIN keeps the index the outer loop: given the choice, SQLite's planner walked
        # runs by a model index and ran the search once per run (75 s at 100,000 runs).
        tables = "runs_fts f CROSS JOIN runs r ON r.id = f.rowid"
        clauses.append("runs_fts MATCH ?")
        args.append(expression)
    for column, value in (("model", query.model), ("outcome", query.outcome)):
        if value:
            clauses.append(f"r.{column} = ?")
            args.append(value)
    if query.since is not None:
        clauses.append("r.started_at >= ?")
        args.append(query.since)
    return f"{tables} WHERE {' AND '.join(clauses) or '1'}", args


def order(query: Query) -> str:
    """The ORDER BY clause: the column, then the order recorded; unknown figures last."""
    way = "DESC" if query.descending else "ASC"
    searched = match_expression(query.text) is not None
    last = "f.rowid" if searched else "r.id"  # the index streams its rowids in either order
    if query.sort == "time":
        return f"{last} {way}"
    return f"{_ORDER[query.sort]} {way} NULLS LAST, {last} {way}"


def rows(db: sqlite3.Connection, query: Query, offset: int, limit: int) -> list[RunRow]:
    """`limit` rows from `offset` of the runs that match, in order."""
    tables, args = source(query)
    sql = f"SELECT {_ROW} FROM {tables} ORDER BY {order(query)} LIMIT ? OFFSET ?"
    return [_row(r) for r in db.execute(sql, [*args, limit, offset])]


COUNT_CAP = 1_000


def filtered(query: Query) -> bool:
    """Whether a filter other than the text is set."""
    return bool(query.model or query.outcome or query.since is not None)


def capped(query: Query, total: int, cap: int = COUNT_CAP) -> bool:
    """Whether count() stopped at `cap` for `query`: `total` runs or more match."""
    return total >= cap and match_expression(query.text) is not None and filtered(query)


def count(db: sqlite3.Connection, query: Query, cap: int = COUNT_CAP) -> int:
    """How many runs match; at most `cap` when the text and a filter are both given (then
    each match is read: about 5 ms per 1,000 on the reference machine)."""
    expression = match_expression(query.text)
    if expression is not None and not filtered(query):
        sql, args = "SELECT count(*) FROM runs_fts WHERE runs_fts MATCH ?", [expression]
    else:
        tables, args = source(query)
        sql = f"SELECT count(*) FROM (SELECT 1 FROM {tables} LIMIT {int(cap)})"
        if expression is None:
            sql = f"SELECT count(*) FROM {tables}"
    return int(db.execute(sql, args).fetchone()[0])


def _row(r: Sequence[Any]) -> RunRow:
    first = str(r[2]).strip().split("\n", 1)[0].strip()
    return RunRow(r[0], r[1], first, *tuple(r)[3:])
