"""A simulated batch's lifecycle, driven by a clock the simulator is given.

validating -> in_progress -> finalizing -> completed, or failed (the file does not validate),
expired (not done within the completion window), cancelling -> cancelled (spec
components.schemas.Batch.status; checked 2026-12-01). A batch takes `seconds` of the clock:
the first tenth validating, the next eight tenths in progress (request_counts grow evenly),
the last tenth finalizing; cancelling takes a twentieth. With 0 seconds a batch is done at
the first look after it was created. Nothing runs in the background: `advance(now)` moves
a batch to where the clock says it is, so a test controls time by controlling the clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from playground.services.simulator import batch_run
from playground.services.simulator.batch_run import Answer

WINDOW_SECONDS = 24 * 3600
"""The only completion window the spec allows, "24h" (CreateBatchRequest.completion_window)."""
TERMINAL = ("completed", "failed", "expired", "cancelled")

RunAll = Callable[[list[tuple[str, dict[str, Any]]]], list[Answer]]
Store = Callable[[str, bytes], str]
"""Store a file (name, bytes) with purpose batch_output; returns its id."""


@dataclass
class StoredFile:
    """An uploaded or generated file (spec components.schemas.OpenAIFile)."""

    id: str
    filename: str
    purpose: str
    data: bytes
    created_at: int
    expires_at: int | None = None

    def obj(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "file",
            "bytes": len(self.data),
            "created_at": self.created_at,
            "expires_at": self.expires_at,
            "filename": self.filename,
            "purpose": self.purpose,
            "status": "processed",
            "status_details": None,
        }


@dataclass
class BatchJob:
    """One batch: what it was created with and where its lifecycle stands."""

    id: str
    endpoint: str
    input_file_id: str
    data: bytes
    created: float
    seconds: float
    metadata: dict[str, str] | None = None
    status: str = "validating"
    stamps: dict[str, int] = field(default_factory=dict)
    errors: list[dict[str, Any]] | None = None
    requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    cancel_at: float | None = None
    output_file_id: str | None = None
    error_file_id: str | None = None
    shown: int = 0
    """Answers that count in request_counts (the ones done by the clock's time)."""

    # -- times -----------------------------------------------------------------------------

    def _at(self, fraction: float) -> float:
        return self.created + self.seconds * fraction

    @property
    def expires(self) -> float:
        return self.created + WINDOW_SECONDS

    def _done_by(self, when: float) -> int:
        start, end = self._at(0.1), self._at(0.9)
        if when >= end:
            return len(self.answers)
        if when < start:
            return 0
        return int(len(self.answers) * (when - start) / (end - start))

    def _stamp(self, name: str, when: float) -> None:
        self.stamps[name] = int(when)

    # -- moving on -------------------------------------------------------------------------

    def cancel(self, now: float) -> None:
        """Ask to cancel (a batch not yet in a final state): cancelling, then cancelled."""
        self.cancel_at = now
        self.status = "cancelling"
        self._stamp("cancelling_at", now)

    def advance(self, now: float, run_all: RunAll, store: Store) -> None:
        """Move to where the clock says the batch is, doing the work on the way."""
        if self.status == "cancelling" and self.cancel_at is not None:
            end = self.cancel_at + self.seconds * 0.05
            if now >= end:
                self._finish("cancelled", end, self._done_by(self.cancel_at), store)
            return
        if self.status == "validating":
            start = self._at(0.1)
            if min(now, self.expires) < start:
                return
            if self.expires < start:
                self._finish("expired", self.expires, 0, store)
                return
            self._validate(start, run_all)
        if self.status == "in_progress":
            self.shown = self._done_by(now)
            if self.expires < self._at(0.9) and now >= self.expires:
                self._finish("expired", self.expires, self._done_by(self.expires), store)
                return
            if now < self._at(0.9):
                return
            self.status = "finalizing"
            self._stamp("finalizing_at", self._at(0.9))
        if self.status == "finalizing" and now >= self._at(1.0):
            self._finish("completed", self._at(1.0), len(self.answers), store)

    def _validate(self, when: float, run_all: RunAll) -> None:
        parsed = batch_run.validate(self.data, self.endpoint)
        if parsed.errors:
            self.errors = parsed.errors
            self.status = "failed"
            self._stamp("failed_at", when)
            return
        self.requests = parsed.requests
        self.answers = run_all(parsed.requests)
        self.status = "in_progress"
        self._stamp("in_progress_at", when)

    def _finish(self, status: str, when: float, done: int, store: Store) -> None:
        answers = self.answers[:done]
        if status in ("expired", "cancelled"):
            code = "batch_expired" if status == "expired" else "batch_cancelled"
            why = (
                "This request could not be executed before the completion window expired."
                if status == "expired"
                else "This request was not executed because the batch was cancelled."
            )
            answers = answers + [
                batch_run.left_out(cid, code, why) for cid, _ in self.requests[done:]
            ]
        self.answers, self.shown = answers, done
        good, bad = batch_run.files_of(answers)
        if good:
            self.output_file_id = store(f"{self.id}_output.jsonl", good)
        if bad:
            self.error_file_id = store(f"{self.id}_error.jsonl", bad)
        self.status = status
        self._stamp(f"{status}_at", when)

    # -- the object ------------------------------------------------------------------------

    def obj(self) -> dict[str, Any]:
        """The Batch object (spec components.schemas.Batch)."""
        shown = self.answers[: self.shown] if self.status != "failed" else []
        completed = sum(1 for a in shown if a.ok)
        model = next((str(b.get("model")) for _, b in self.requests if b.get("model")), None)
        out: dict[str, Any] = {
            "id": self.id,
            "object": "batch",
            "endpoint": self.endpoint,
            "model": model,
            "errors": {"object": "list", "data": self.errors} if self.errors else None,
            "input_file_id": self.input_file_id,
            "completion_window": "24h",
            "status": self.status,
            "output_file_id": self.output_file_id,
            "error_file_id": self.error_file_id,
            "created_at": int(self.created),
            "expires_at": int(self.expires),
            "request_counts": {
                "total": len(self.requests),
                "completed": completed,
                "failed": len(shown) - completed,
            },
            "metadata": self.metadata,
        }
        for name in (
            "in_progress_at",
            "finalizing_at",
            "completed_at",
            "failed_at",
            "expired_at",
            "cancelling_at",
            "cancelled_at",
        ):
            out[name] = self.stamps.get(name)
        if self.status in ("completed", "expired", "cancelled") and self.answers:
            out["usage"] = batch_run.usage_of(self.answers[: self.shown])
        return out
