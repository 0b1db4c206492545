"""An evaluation's results as plain data: a cell per (variant, row), its grades and figures,
the per-variant summary and the cell-by-cell comparison of two evaluations.

services/evaluation.py fills the cells by running the matrix; services/evaluation_store.py
keeps them in SQLite. Nothing here runs or stores anything.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

CellOutcome = Literal["pending", "passed", "failed", "error"]
"""pending: not run yet (or stopped before it ended: it runs on resume); passed: the run
answered and every grader passed; failed: the run answered and a grader failed; error: the
run itself failed (the server or the connection; `Cell.error_kind` says which)."""
FINISHED: frozenset[str] = frozenset({"passed", "failed", "error"})
PREVIEW_CHARS = 200
"""A cell keeps the first 200 characters of its answer; the whole answer is in the run
history (services/history.py), in the record whose group is the evaluation's id."""

Change = Literal["regression", "improvement", "same", "new", "gone"]


class GradeLike(Protocol):
    """What a grader returns (core/graders.py's Grade has these attributes)."""

    @property
    def passed(self) -> bool: ...
    @property
    def reason(self) -> str: ...
    @property
    def grader(self) -> str: ...


@dataclass(frozen=True, slots=True)
class CellGrade:
    """One grader's verdict on one cell: passed, the reason in the user's words, and the
    grader's name as the matrix shows it."""

    passed: bool
    reason: str
    grader: str

    @classmethod
    def of(cls, grade: GradeLike) -> CellGrade:
        return cls(bool(grade.passed), str(grade.reason), str(grade.grader))


@dataclass(frozen=True, slots=True)
class Cell:
    """One (variant, row) of the matrix and what its run produced.

    Figures are those of services.runs.RunFigures (milliseconds, tokens, US dollars; None
    when unknown): `cost_usd` is the cell's own run. `grading_cost_usd` is what its
    model-graded graders' runs cost (US dollars, summed; None when none ran or none had a
    price). `history_id` is the run's record in the run history; `attempts` counts the sends
    (a rate-limited send is retried later, see services/evaluation.py).

    `cached`: the cell's answer came wholly from the response cache (nothing was sent).
    Decision: a cached cell's `cost_usd` is what was spent, 0.0, so totals add up to the
    money spent; what the cache saved is apart: `saved_usd` (US dollars, the estimated cost
    of the run that made the answer; None when it had no price or nothing was a hit) and
    `saved_ms` (milliseconds, that run's total time). Both from services.runs.RunFigures."""

    variant: str
    row: str
    outcome: CellOutcome = "pending"
    preview: str = ""
    grades: tuple[CellGrade, ...] = ()
    ttft_ms: float | None = None
    total_ms: float | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    cost_usd: float | None = None
    grading_cost_usd: float | None = None
    error_kind: str | None = None
    error_message: str | None = None
    history_id: int | None = None
    attempts: int = 0
    cached: bool = False
    saved_usd: float | None = None
    saved_ms: float | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.variant, self.row)

    @property
    def total_cost_usd(self) -> float | None:
        """The run's cost plus its graders' (US dollars); None when neither is known."""
        return _sum([self.cost_usd, self.grading_cost_usd])

    @property
    def finished(self) -> bool:
        return self.outcome in FINISHED


def grading_cost(grades: Iterable[GradeLike]) -> float | None:
    """What the graders' own runs cost (US dollars): the sum of the grades' `cost_usd`
    (core.graders.Grade carries one for a model-graded grader; a grade without the
    attribute, or with None, ran nothing that was priced). None when no grade had a cost."""
    return _sum([getattr(g, "cost_usd", None) for g in grades])


def _sum(costs: Iterable[float | None]) -> float | None:
    known = [c for c in costs if c is not None]
    return sum(known) if known else None


def outcome_of(grades: Sequence[CellGrade]) -> CellOutcome:
    """passed when every grade passed (and when there are no graders), else failed."""
    return "passed" if all(g.passed for g in grades) else "failed"


def preview(text: str) -> str:
    """The first PREVIEW_CHARS characters of an answer."""
    return text[:PREVIEW_CHARS]


@dataclass(frozen=True, slots=True)
class VariantSummary:
    """One variant's figures over its finished cells.

    pass_rate: passed / finished (0..1; None before any cell finished); mean_ms, median_ms
    and p95_ms: the total time of the cells that answered, in milliseconds (the median is
    statistics.median: the mean of the two middle values of an even count; p95 by the
    nearest-rank method; None before any cell answered); tokens and cost summed over the
    finished cells. `cost_usd` counts the cells' runs and their graders' runs
    (Cell.total_cost_usd); `grading_cost_usd` is the graders' part of it; each None when no
    cell had a price. `cached`: how many finished cells were answered from the response
    cache; `saved_usd` and `saved_ms` what they saved (summed Cell.saved_usd / saved_ms; None
    when no cell saved a known figure). median_ms and the fields after it come last, with
    defaults, so that summaries built positionally before they existed still build."""

    variant: str
    cells: int
    finished: int
    passed: int
    failed: int
    errors: int
    pass_rate: float | None
    mean_ms: float | None
    p95_ms: float | None
    input_tokens: int
    output_tokens: int
    cost_usd: float | None
    per_grader: dict[str, float] = field(default_factory=dict)
    """Each grader's pass rate over the cells that were graded (0..1)."""
    median_ms: float | None = None
    grading_cost_usd: float | None = None
    cached: int = 0
    saved_usd: float | None = None
    saved_ms: float | None = None


def percentile(values: Sequence[float], q: float) -> float | None:
    """The nearest-rank `q` percentile (0 < q <= 100) of `values`; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def summarize(cells: Iterable[Cell], order: Sequence[str] = ()) -> list[VariantSummary]:
    """A summary per variant, in `order` (then any other variant in first-seen order)."""
    by: dict[str, list[Cell]] = {key: [] for key in order}
    for cell in cells:
        by.setdefault(cell.variant, []).append(cell)
    return [_summary(key, group) for key, group in by.items()]


def _summary(key: str, cells: list[Cell]) -> VariantSummary:
    done = [c for c in cells if c.finished]
    passed = sum(c.outcome == "passed" for c in done)
    failed = sum(c.outcome == "failed" for c in done)
    times = [c.total_ms for c in done if c.outcome != "error" and c.total_ms is not None]
    graded: dict[str, list[bool]] = {}
    for c in done:
        for g in c.grades:
            graded.setdefault(g.grader, []).append(g.passed)
    return VariantSummary(
        variant=key,
        cells=len(cells),
        finished=len(done),
        passed=passed,
        failed=failed,
        errors=len(done) - passed - failed,
        pass_rate=passed / len(done) if done else None,
        mean_ms=sum(times) / len(times) if times else None,
        p95_ms=percentile(times, 95),
        input_tokens=sum(c.input_tokens or 0 for c in done),
        output_tokens=sum(c.output_tokens or 0 for c in done),
        cost_usd=_sum(c.total_cost_usd for c in done),
        grading_cost_usd=_sum(c.grading_cost_usd for c in done),
        per_grader={name: sum(v) / len(v) for name, v in graded.items()},
        median_ms=statistics.median(times) if times else None,
        cached=sum(c.cached for c in done),
        saved_usd=_sum(c.saved_usd for c in done),
        saved_ms=_sum(c.saved_ms for c in done),
    )


def cache_words(cells: Iterable[Cell]) -> str | None:
    """What the response cache did for an evaluation's finished cells, in the user's words:
    "2 cells from the cache, saved $0.000059 and 2.0 s" (an unknown cost or time is said so);
    None when no cell was answered from the cache."""
    hits = [c for c in cells if c.finished and c.cached]
    if not hits:
        return None
    usd, ms = _sum(c.saved_usd for c in hits), _sum(c.saved_ms for c in hits)
    noun = "cell" if len(hits) == 1 else "cells"
    money = f"${usd:.6f}" if usd is not None else "an unknown cost"
    secs = f"{ms / 1000:.1f} s" if ms is not None else "an unknown time"
    return f"{len(hits)} {noun} from the cache, saved {money} and {secs}"


@dataclass(frozen=True, slots=True)
class CellChange:
    """A cell of two evaluations: its outcome in the earlier one and in the later one."""

    variant: str
    row: str
    before: CellOutcome | None
    after: CellOutcome | None
    change: Change


def compare(before: Iterable[Cell], after: Iterable[Cell]) -> list[CellChange]:
    """Cell by cell, matched by (variant, row): a regression is passed -> not passed
    (failed or error), an improvement not passed -> passed; "new" and "gone" are cells only
    one evaluation has. Cells not finished count as absent. In `after`'s order, then the
    gone ones."""
    old = {c.key: c.outcome for c in before if c.finished}
    new = {c.key: c.outcome for c in after if c.finished}
    out = [
        CellChange(key[0], key[1], old.get(key), outcome, change_of(old.get(key), outcome))
        for key, outcome in new.items()
    ]
    out += [CellChange(k[0], k[1], o, None, "gone") for k, o in old.items() if k not in new]
    return out


def change_of(was: CellOutcome | None, now: CellOutcome) -> Change:
    """One finished cell's change (see `compare`); `was` None: the earlier evaluation had no
    finished cell there."""
    if was is None or was == "pending":
        return "new"
    if was == "passed" and now != "passed":
        return "regression"
    if was != "passed" and now == "passed":
        return "improvement"
    return "same"
