"""An evaluation that saves itself: the runner (services/evaluation.py) wired to the store
(services/evaluation_store.py) and the run history, so that each finished cell is committed
the moment it finishes and an interrupted evaluation resumes with only its cells left.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import replace
from typing import Any

from playground.core import request
from playground.core.evaluation_results import Cell
from playground.core.evaluation_spec import TestRow
from playground.core.profiles import ProviderProfile
from playground.core.variants import Variant
from playground.core.workspace import Workspace
from playground.services.evaluation import (
    CellHook,
    Column,
    Evaluation,
    columns_of,
    new_evaluation_id,
)
from playground.services.evaluation_store import EvaluationRecord, EvaluationStore
from playground.services.history import HistoryStore, HistoryUnavailable, record_of
from playground.services.runs import Run


def persist(
    store: EvaluationStore, evaluation_id: str, history: HistoryStore | None = None
) -> CellHook:
    """The `on_cell` hook of services.evaluation.Evaluation: the cell's run recorded in the
    run history (or not, with None) under the evaluation's id, then the cell (with its
    history id) saved in `store`; both off the event loop, committed before the cell counts
    as finished. A history that cannot be written leaves the cell without a history id; a
    store that cannot be written raises EvaluationStoreUnavailable."""

    def save(cell: Cell, run: Run | None) -> Cell:
        if history is not None and run is not None and run.body is not None and run.turn:
            record = record_of(  # in this thread: the workspace's JSON is not the loop's work
                run.workspace, run.body, run.turn, False, run.profile.name, evaluation_id
            )
            with suppress(HistoryUnavailable, OSError):
                cell = replace(cell, history_id=history.record(record))
        store.add_cell(evaluation_id, cell)
        return cell

    async def on_cell(cell: Cell, run: Run | None) -> Cell:
        return await asyncio.to_thread(save, cell, run)

    return on_cell


def start(
    store: EvaluationStore,
    ws: Workspace,
    variants: Sequence[Variant],
    rows: Sequence[TestRow],
    columns: Sequence[Column],
    *,
    history: HistoryStore | None = None,
    source: str | None = None,
    **runner: Any,
) -> Evaluation:
    """A new evaluation, recorded in `store` ("running") with the workspace it was run from
    (`source`: EvaluationRecord.source), that saves each cell as it finishes; `runner` is
    Evaluation's keyword arguments (backend, resolve, prepare, grade, concurrency, ...).
    Raises EvaluationStoreUnavailable when the store cannot be written."""
    evaluation_id = new_evaluation_id()
    store.begin(evaluation_id, ws, variants, rows, [c.key for c in columns], source)
    hook = persist(store, evaluation_id, history)
    return Evaluation(columns, rows, evaluation_id=evaluation_id, on_cell=hook, **runner)


def resume(
    store: EvaluationStore,
    evaluation_id: str,
    profile_for: Callable[[Workspace], ProviderProfile],
    target_for: Callable[[Workspace, ProviderProfile], request.Target] | None = None,
    *,
    history: HistoryStore | None = None,
    **runner: Any,
) -> Evaluation:
    """The stored evaluation (store.unfinished() lists them) with its finished cells in
    place: its `run()` runs only the cells left, saving each. Raises KeyError for an id the
    store does not have, PathError for a variant that no longer applies."""
    record = store.get(evaluation_id)
    if record is None:
        raise KeyError(evaluation_id)
    columns = columns_of(record.workspace, record.variants, profile_for, target_for)
    return resumed(store, record, store.cells(evaluation_id), columns, history=history, **runner)


def resumed(
    store: EvaluationStore,
    record: EvaluationRecord,
    finished: Sequence[Cell],
    columns: Sequence[Column],
    *,
    history: HistoryStore | None = None,
    **runner: Any,
) -> Evaluation:
    """`resume` from what the caller read already (store.get, store.cells: off the GUI
    thread) and the columns it made of `record` (the window sends each cell's workspace
    alone). Its `run()` runs only the cells not in `finished`, into the same evaluation."""
    return Evaluation(
        columns,
        record.rows,
        finished=finished,
        evaluation_id=record.id,
        on_cell=persist(store, record.id, history),
        **runner,
    )


async def finish(store: EvaluationStore, evaluation: Evaluation) -> None:
    """Run `evaluation` and record how it ended ("done", or "stopped" when cancelled or
    broken); the exception of a broken run is raised after that."""
    try:
        await evaluation.run()
    finally:
        store.set_status(evaluation.id, "done" if evaluation.status == "done" else "stopped")
