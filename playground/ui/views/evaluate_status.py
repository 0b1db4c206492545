"""What the window's status line says about a tab's evaluation, and whether the matrix still
shows the tab's plan: pure helpers of evaluate_mode.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playground.core.evaluation_spec import TestRow
    from playground.services.evaluation import Column, Evaluation


def status_line(status: str, evaluation: Evaluation, names: dict[str, str]) -> str:
    """The status line for `evaluation` in `status` (running, paused, done, stopped):
    "Evaluation running · 3 of 10 cells", "Evaluation done · passed: base 60%"."""
    progress = evaluation.progress()
    if status in ("running", "paused"):
        return f"Evaluation {status}  ·  {progress.done:,} of {progress.total:,} cells"
    rates = ", ".join(
        f"{names.get(s.variant, s.variant)} {s.pass_rate:.0%}"
        for s in evaluation.summary()
        if s.pass_rate is not None
    )
    left = progress.total - progress.done
    ended = "Evaluation done" if status == "done" else f"Evaluation stopped, {left:,} left"
    return f"{ended}  ·  passed: {rates or 'none finished'}"


def same_plan(evaluation: Evaluation, columns: Sequence[Column], rows: Sequence[TestRow]) -> bool:
    """`evaluation` ran the matrix `columns` x `rows` (the same variants and the same rows),
    so its results still belong in the tab's matrix."""
    ran = [(c.key, c.variant) for c in evaluation.columns]
    return ran == [(c.key, c.variant) for c in columns] and list(evaluation.rows.values()) == list(
        rows
    )
