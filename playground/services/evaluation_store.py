"""Evaluations in SQLite (stdlib sqlite3, WAL) in the data folder: each evaluation (its
workspace snapshot, variants, rows and status) and each finished cell, committed the moment
it finishes, so a killed process loses no finished cell (`unfinished()` lists the
evaluations with cells left to run; services.evaluation runs only those on resume).

Full answers are not here: each cell's run is in the run history (services/history.py),
grouped under the evaluation's id, and the cell keeps its history id and a preview
(services/evaluation_saving.py writes both as a cell finishes). A
locked or damaged database raises EvaluationStoreUnavailable with a readable message.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from playground.core.evaluation_results import Cell, CellChange, CellGrade, compare
from playground.core.evaluation_spec import TestRow
from playground.core.variants import Variant
from playground.core.workspace import Workspace
from playground.services.files import parse_workspace

SCHEMA = """
CREATE TABLE evaluations (
    id TEXT PRIMARY KEY,
    started_at REAL NOT NULL,
    workspace TEXT NOT NULL,
    variants TEXT NOT NULL,
    rows TEXT NOT NULL,
    row_count INTEGER NOT NULL,
    columns TEXT NOT NULL,
    status TEXT NOT NULL
);
CREATE TABLE cells (
    evaluation_id TEXT NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
    variant TEXT NOT NULL,
    row_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    preview TEXT NOT NULL DEFAULT '',
    grades TEXT NOT NULL DEFAULT '[]',
    ttft_ms REAL,
    total_ms REAL,
    input_tokens INTEGER,
    output_tokens INTEGER,
    cost REAL,
    error_kind TEXT,
    error_message TEXT,
    history_id INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    finished_at REAL NOT NULL,
    PRIMARY KEY (evaluation_id, variant, row_id)
);
CREATE INDEX evaluations_started ON evaluations(started_at);
"""
# PRAGMA user_version is the schema's version; MIGRATIONS[n] brings version n to n + 1.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], str], ...] = (
    lambda _db: SCHEMA,
    # 2: the workspace an evaluation was run from (its file's path, or "tab:<id>")
    lambda _db: "ALTER TABLE evaluations ADD COLUMN source TEXT;",
)
STORE_VERSION = len(MIGRATIONS)
STATUSES = ("running", "done", "stopped")
_CELL_COLUMNS = [
    "variant",
    "row_id",
    "outcome",
    "preview",
    "grades",
    "ttft_ms",
    "total_ms",
    "input_tokens",
    "output_tokens",
    "cost",
    "error_kind",
    "error_message",
    "history_id",
    "attempts",
]


class EvaluationStoreUnavailable(Exception):
    """The evaluations database cannot be used; the message says why."""


@dataclass(frozen=True)
class EvaluationRecord:
    """A stored evaluation: `columns` are its column keys in order ("base" without variants),
    `cells_done` how many cells finished (of len(columns) * row_count); `source` the
    workspace it was run from (a file's absolute path, "tab:<id>" for an unsaved tab, None
    when not known); `cells_passed` of the cells done, how many passed."""

    id: str
    started_at: float
    workspace: Workspace
    variants: list[Variant]
    rows: list[TestRow]
    row_count: int
    columns: list[str]
    status: str
    cells_done: int
    source: str | None = None
    cells_passed: int = 0

    @property
    def cells_left(self) -> int:
        return len(self.columns) * self.row_count - self.cells_done


class EvaluationStore:
    """Thread-safe access to the evaluations database (calls are short; `persist` runs them
    off the event loop)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=2, check_same_thread=False)
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > STORE_VERSION:
            conn.close()
            raise EvaluationStoreUnavailable(
                f"The evaluations ({self.path}) were written by a newer Playground (version "
                f"{version}; this one knows up to {STORE_VERSION}); they are left as they are."
            )
        conn.execute("PRAGMA journal_mode=WAL")
        # a commit is in the WAL before it returns: a killed process loses nothing (only a
        # power cut may lose the last commits; sqlite.org/pragma.html#pragma_synchronous)
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        while version < STORE_VERSION:
            step = MIGRATIONS[version](conn)
            conn.executescript(f"BEGIN; {step} PRAGMA user_version = {version + 1}; COMMIT;")
            version += 1
        conn.row_factory = sqlite3.Row
        return conn

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                if self._conn is None:
                    self._conn = self._connect()
                yield self._conn
                self._conn.commit()
            except sqlite3.OperationalError as exc:
                self._reset()
                if getattr(exc, "sqlite_errorname", "") in ("SQLITE_BUSY", "SQLITE_LOCKED"):
                    raise EvaluationStoreUnavailable(
                        f"The evaluations ({self.path}) are locked by another program; "
                        "cells are not being saved until it is free."
                    ) from None
                raise EvaluationStoreUnavailable(
                    f"The evaluations ({self.path}) cannot be used: {exc}"
                ) from None
            except sqlite3.DatabaseError as exc:
                self._reset()
                raise EvaluationStoreUnavailable(
                    f"The evaluations ({self.path}) are damaged ({exc}). Move the file away "
                    "to start anew; cells are not being saved."
                ) from None
            except OSError as exc:  # the data folder cannot be made or written
                self._reset()
                raise EvaluationStoreUnavailable(
                    f"The evaluations ({self.path}) cannot be saved: {exc.strerror or exc}"
                ) from None

    def _reset(self) -> None:
        if self._conn is not None:
            with suppress(sqlite3.Error):
                self._conn.close()
        self._conn = None

    def close(self) -> None:
        with self._lock:
            self._reset()

    # -- writing -----------------------------------------------------------------------------

    def begin(
        self,
        evaluation_id: str,
        ws: Workspace,
        variants: Sequence[Variant],
        rows: Sequence[TestRow],
        columns: Sequence[str],
        source: str | None = None,
    ) -> None:
        """Record a new evaluation, status "running"; `source`: see EvaluationRecord."""
        with self._db() as db:
            db.execute(
                "INSERT INTO evaluations (id, started_at, workspace, variants, rows, row_count, "
                "columns, status, source) VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?)",
                (
                    evaluation_id,
                    time.time(),
                    ws.to_json(),
                    json.dumps([v.model_dump(mode="json") for v in variants]),
                    json.dumps([r.model_dump(mode="json") for r in rows], ensure_ascii=False),
                    len(rows),
                    json.dumps(list(columns)),
                    source,
                ),
            )

    def add_cell(self, evaluation_id: str, cell: Cell) -> None:
        """Save a finished cell (replacing an earlier run of it), committed at once."""
        row = _cell_row(cell)
        marks = ", ".join("?" for _ in range(len(row) + 2))
        with self._db() as db:
            db.execute(
                f"INSERT OR REPLACE INTO cells (evaluation_id, {', '.join(_CELL_COLUMNS)}, "
                f"finished_at) VALUES ({marks})",
                (evaluation_id, *row, time.time()),
            )

    def set_status(self, evaluation_id: str, status: str) -> None:
        assert status in STATUSES, status
        with self._db() as db:
            db.execute("UPDATE evaluations SET status = ? WHERE id = ?", (status, evaluation_id))

    def delete(self, evaluation_id: str) -> None:
        with self._db() as db:
            db.execute("DELETE FROM evaluations WHERE id = ?", (evaluation_id,))

    # -- reading -----------------------------------------------------------------------------

    def get(self, evaluation_id: str) -> EvaluationRecord | None:
        with self._db() as db:
            row = db.execute(_SELECT + " WHERE e.id = ?", (evaluation_id,)).fetchone()
        return _record(row) if row else None

    def evaluations(self, limit: int = 200, sources: Sequence[str] = ()) -> list[EvaluationRecord]:
        """Newest first; only those run from one of `sources` when given."""
        where = f" WHERE e.source IN ({', '.join('?' for _ in sources)})" if sources else ""
        with self._db() as db:
            rows = db.execute(
                _SELECT + where + " ORDER BY e.started_at DESC LIMIT ?", (*sources, limit)
            )
            return [_record(r) for r in rows]

    def unfinished(self, sources: Sequence[str] = ()) -> list[EvaluationRecord]:
        """Evaluations with cells left to run (stopped, or cut off by a crash), newest first;
        only those run from one of `sources` when given."""
        return [e for e in self.evaluations(10_000, sources) if e.cells_left > 0]

    def cells(self, evaluation_id: str) -> list[Cell]:
        """The finished cells, in the order they finished."""
        with self._db() as db:
            rows = db.execute(
                f"SELECT {', '.join(_CELL_COLUMNS)} FROM cells WHERE evaluation_id = ? "
                "ORDER BY finished_at, rowid",
                (evaluation_id,),
            ).fetchall()
        return [_cell(r) for r in rows]

    def compare(self, before_id: str, after_id: str) -> list[CellChange]:
        """Cell by cell (core.evaluation_results.compare): regressions and improvements."""
        return compare(self.cells(before_id), self.cells(after_id))

    # -- export ------------------------------------------------------------------------------

    def export_jsonl(self, evaluation_id: str) -> str:
        """A line per finished cell: its fields, grades as objects, figures in ms/tokens/USD."""
        return "".join(
            json.dumps(asdict(c), ensure_ascii=False) + "\n" for c in self.cells(evaluation_id)
        )

    def export_csv(self, evaluation_id: str) -> str:
        """A row per finished cell; `grades` as "name: pass|fail (reason)" joined by "; "."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        head = [f for f in Cell.__dataclass_fields__ if f != "grades"] + ["grades"]
        writer.writerow(head)
        for cell in self.cells(evaluation_id):
            data = asdict(cell)
            marks = "; ".join(
                f"{g.grader}: {'pass' if g.passed else 'fail'} ({g.reason})" for g in cell.grades
            )
            writer.writerow([*("" if data[f] is None else data[f] for f in head[:-1]), marks])
        return out.getvalue()


_SELECT = (
    "SELECT e.*, (SELECT COUNT(*) FROM cells c WHERE c.evaluation_id = e.id) AS done, "
    "(SELECT COUNT(*) FROM cells c WHERE c.evaluation_id = e.id AND c.outcome = 'passed') "
    "AS passed FROM evaluations e"
)


def _record(row: sqlite3.Row) -> EvaluationRecord:
    return EvaluationRecord(
        id=row["id"],
        started_at=row["started_at"],
        workspace=parse_workspace(row["workspace"], "stored evaluation"),
        variants=[Variant.model_validate(v) for v in json.loads(row["variants"])],
        rows=[TestRow.model_validate(r) for r in json.loads(row["rows"])],
        row_count=row["row_count"],
        columns=json.loads(row["columns"]),
        status=row["status"],
        cells_done=row["done"],
        source=row["source"],
        cells_passed=row["passed"],
    )


def _cell_row(cell: Cell) -> tuple[Any, ...]:
    grades = json.dumps([asdict(g) for g in cell.grades], ensure_ascii=False)
    return (
        cell.variant,
        cell.row,
        cell.outcome,
        cell.preview,
        grades,
        cell.ttft_ms,
        cell.total_ms,
        cell.input_tokens,
        cell.output_tokens,
        cell.cost_usd,
        cell.error_kind,
        cell.error_message,
        cell.history_id,
        cell.attempts,
    )


def _cell(row: sqlite3.Row) -> Cell:
    return Cell(
        variant=row["variant"],
        row=row["row_id"],
        outcome=row["outcome"],
        preview=row["preview"],
        grades=tuple(CellGrade(**g) for g in json.loads(row["grades"])),
        ttft_ms=row["ttft_ms"],
        total_ms=row["total_ms"],
        input_tokens=row["input_tokens"],
        output_tokens=row["output_tokens"],
        cost_usd=row["cost"],
        error_kind=row["error_kind"],
        error_message=row["error_message"],
        history_id=row["history_id"],
        attempts=row["attempts"],
    )
