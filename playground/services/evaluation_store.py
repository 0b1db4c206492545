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
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from playground.core.evaluation_results import Cell, CellChange, CellGrade, compare
from playground.core.evaluation_spec import TestRow
from playground.core.variants import Variant
from playground.core.workspace import Workspace
from playground.services.files import parse_workspace
from playground.services.sqlite_store import SqliteFile, StoreWords

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
BATCHES_SCHEMA = """
CREATE TABLE batches (
    id TEXT PRIMARY KEY,
    evaluation_id TEXT NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
    part INTEGER NOT NULL,
    parts INTEGER NOT NULL,
    profile TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    model TEXT NOT NULL,
    input_file_id TEXT NOT NULL,
    status TEXT NOT NULL,
    total INTEGER NOT NULL DEFAULT 0,
    completed INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    output_file_id TEXT,
    error_file_id TEXT,
    errors TEXT NOT NULL DEFAULT '',
    collected INTEGER NOT NULL DEFAULT 0,
    submitted_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX batches_evaluation ON batches(evaluation_id);
"""
"""Version 3: the Batch API batches an evaluation was submitted as (services/batch_store.py
reads and writes them)."""
# PRAGMA user_version is the schema's version; MIGRATIONS[n] brings version n to n + 1
# (services/sqlite_store.py opens, migrates and keeps the file owner-only).
MIGRATIONS: tuple[Callable[[sqlite3.Connection], str], ...] = (
    lambda _db: SCHEMA,
    # version 2: what the cell's model-graded graders' runs cost (NULL for older cells)
    lambda _db: "ALTER TABLE cells ADD COLUMN grading_cost REAL;",
    lambda _db: BATCHES_SCHEMA,  # version 3
    # version 4: the workspace an evaluation was run from (its file's path, or "tab:<id>")
    lambda _db: "ALTER TABLE evaluations ADD COLUMN source TEXT;",
    # version 5: whether the cell was answered from the response cache, and what that saved
    # (US dollars, milliseconds; NULL for older cells and for cells that were not)
    lambda _db: (
        "ALTER TABLE cells ADD COLUMN cached INTEGER NOT NULL DEFAULT 0;"
        "ALTER TABLE cells ADD COLUMN saved_usd REAL;"
        "ALTER TABLE cells ADD COLUMN saved_ms REAL;"
    ),
)
STORE_VERSION = len(MIGRATIONS)
WORDS = StoreWords(
    name="The evaluations",
    locked="{where} are locked by another program; cells are not being saved until it is free.",
    damaged="{where} are damaged ({why}). Move the file away to start anew; cells are not being "
    "saved.",
    newer="{where} were written by a newer Playground (version {version}; this one knows up to "
    "{known}); they are left as they are.",
    unwritable="{where} cannot be saved: {why}",
)
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
    "grading_cost",
    "error_kind",
    "error_message",
    "history_id",
    "attempts",
    "cached",
    "saved_usd",
    "saved_ms",
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
    batches: int = 0
    """How many Batch API batches it was submitted as (0: run interactively): its cells are
    batch cells, before and after a restart alike."""
    batch_end: str = ""
    """The status of a batch that ended without completing (cancelled, expired, failed), or
    "" when none did (its batches are out, or all completed)."""

    @property
    def cells_left(self) -> int:
        return len(self.columns) * self.row_count - self.cells_done


class EvaluationStore:
    """Thread-safe access to the evaluations database (calls are short; `persist` runs them
    off the event loop)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # a commit is in the WAL before it returns: a killed process loses nothing (only a
        # power cut may lose the last commits; sqlite.org/pragma.html#pragma_synchronous)
        self._file = SqliteFile(
            path,
            MIGRATIONS,
            WORDS,
            EvaluationStoreUnavailable,
            pragmas=("synchronous=NORMAL", "foreign_keys=ON"),
        )

    def _db(self) -> AbstractContextManager[sqlite3.Connection]:
        return self._file.db()

    def close(self) -> None:
        self._file.close()

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

    def add_cells(self, evaluation_id: str, cells: Sequence[Cell]) -> None:
        """Save many finished cells in one commit (a batch's results)."""
        marks = ", ".join("?" for _ in range(len(_CELL_COLUMNS) + 2))
        now = time.time()
        with self._db() as db:
            db.executemany(
                f"INSERT OR REPLACE INTO cells (evaluation_id, {', '.join(_CELL_COLUMNS)}, "
                f"finished_at) VALUES ({marks})",
                [(evaluation_id, *_cell_row(c), now) for c in cells],
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
        only those run from one of `sources` when given. An evaluation whose Batch API batches
        are not collected yet is left out: its cells are paid for and on their way
        (services/batch_runs.py collects them), so running them again would pay twice."""
        with self._db() as db:
            waiting = {
                r[0] for r in db.execute("SELECT evaluation_id FROM batches WHERE collected = 0")
            }
        return [
            e for e in self.evaluations(10_000, sources) if e.cells_left > 0 and e.id not in waiting
        ]

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
    "AS passed, (SELECT COUNT(*) FROM batches b WHERE b.evaluation_id = e.id) AS batches, "
    "(SELECT b.status FROM batches b WHERE b.evaluation_id = e.id AND b.status IN "
    "('cancelled', 'expired', 'failed') ORDER BY b.part LIMIT 1) AS batch_end "
    "FROM evaluations e"
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
        batches=row["batches"],
        batch_end=row["batch_end"] or "",
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
        cell.grading_cost_usd,
        cell.error_kind,
        cell.error_message,
        cell.history_id,
        cell.attempts,
        int(cell.cached),
        cell.saved_usd,
        cell.saved_ms,
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
        grading_cost_usd=row["grading_cost"],
        error_kind=row["error_kind"],
        error_message=row["error_message"],
        history_id=row["history_id"],
        attempts=row["attempts"],
        cached=bool(row["cached"]),
        saved_usd=row["saved_usd"],
        saved_ms=row["saved_ms"],
    )
