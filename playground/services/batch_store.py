"""The Batch API batches of an evaluation, kept in the evaluations database (the `batches`
table of services/evaluation_store.py, schema version 2) so that tracking survives quitting:
on start, `open_batches()` lists the ones still to poll or to collect.

A row is one batch: its part of the evaluation ("part k of n"), the provider profile it was
sent with (its name only: never a key), the endpoint and model of its file, the uploaded file
id, and what the last look at it found (status, request counts, output and error file ids,
the API's errors for a batch that failed whole). `collected` is set once its results are in
the evaluation's cells.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

from playground.services.evaluation_store import EvaluationStore

TERMINAL = ("completed", "failed", "expired", "cancelled")
"""Batch statuses after which nothing changes (spec components.schemas.Batch.status;
checked 2026-12-01)."""


@dataclass(frozen=True)
class BatchState:
    """One batch as last seen. Counts are requests (spec BatchRequestCounts: total, completed,
    failed); `errors` the API's messages for a batch that failed whole ("line 3: ..."), one
    a line; times are seconds since the epoch."""

    id: str
    evaluation_id: str
    part: int
    parts: int
    profile: str
    endpoint: str
    model: str
    input_file_id: str
    status: str
    total: int = 0
    completed: int = 0
    failed: int = 0
    output_file_id: str | None = None
    error_file_id: str | None = None
    errors: str = ""
    collected: bool = False
    submitted_at: float = 0.0
    updated_at: float = 0.0

    @property
    def finished(self) -> bool:
        """The batch's status will not change again."""
        return self.status in TERMINAL

    @property
    def counts(self) -> str:
        """Requests done of all, as "412/1000" (done = completed + failed)."""
        return f"{self.completed + self.failed}/{self.total}"

    def seen(self, batch: Any) -> BatchState:
        """This state updated from an SDK `Batch` object (batches.retrieve / create / cancel)."""
        counts = getattr(batch, "request_counts", None)
        errors = getattr(getattr(batch, "errors", None), "data", None) or []
        said = "\n".join(
            (f"line {e.line}: " if getattr(e, "line", None) else "") + str(e.message or e.code)
            for e in errors
        )
        return replace(
            self,
            status=str(batch.status),
            total=(counts.total if counts else 0) or self.total,
            completed=counts.completed if counts else self.completed,
            failed=counts.failed if counts else self.failed,
            output_file_id=batch.output_file_id or self.output_file_id,
            error_file_id=batch.error_file_id or self.error_file_id,
            errors=said or self.errors,
            updated_at=time.time(),
        )


_COLUMNS = [f for f in BatchState.__dataclass_fields__]


class BatchStore:
    """The batches table of an EvaluationStore (same file, same lock and error handling:
    EvaluationStoreUnavailable when it cannot be used)."""

    def __init__(self, store: EvaluationStore) -> None:
        self.store = store

    def save(self, state: BatchState) -> None:
        """Insert or replace the batch's row, committed at once."""
        values = [getattr(state, c) for c in _COLUMNS]
        values[_COLUMNS.index("collected")] = int(state.collected)
        marks = ", ".join("?" for _ in _COLUMNS)
        with self.store._db() as db:  # the store's connection, lock and error mapping
            db.execute(
                f"INSERT OR REPLACE INTO batches ({', '.join(_COLUMNS)}) VALUES ({marks})", values
            )

    def get(self, batch_id: str) -> BatchState | None:
        found = self._select("WHERE id = ?", (batch_id,))
        return found[0] if found else None

    def of_evaluation(self, evaluation_id: str) -> list[BatchState]:
        """The evaluation's batches, by part."""
        return self._select("WHERE evaluation_id = ? ORDER BY part", (evaluation_id,))

    def open_batches(self) -> list[BatchState]:
        """Batches to poll (not finished) or to collect (finished, not collected), oldest
        first: what an app resumes on start."""
        return self._select("WHERE collected = 0 ORDER BY submitted_at, part", ())

    def all(self, limit: int = 200) -> list[BatchState]:
        """Every batch, newest first."""
        return self._select("ORDER BY submitted_at DESC, part LIMIT ?", (limit,))

    def _select(self, where: str, args: tuple[Any, ...]) -> list[BatchState]:
        with self.store._db() as db:
            rows = db.execute(f"SELECT {', '.join(_COLUMNS)} FROM batches {where}", args)
            found = [dict(zip(_COLUMNS, tuple(r), strict=True)) for r in rows]
        for row in found:
            row["collected"] = bool(row["collected"])
        return [BatchState(**row) for row in found]


def metadata(evaluation_id: str, part: int, parts: int, workspace: str) -> dict[str, str]:
    """The batch's `metadata` (at most 16 pairs, keys up to 64 and values up to 512
    characters: spec Metadata): the evaluation, "k of n", and the workspace's name."""
    return {
        "evaluation": evaluation_id,
        "part": f"{part} of {parts}",
        "workspace": workspace[:512],
        "app": "playground",
    }
