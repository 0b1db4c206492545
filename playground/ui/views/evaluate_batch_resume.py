"""Resuming the Batch API evaluations of a tab (or of every workspace) on start: the store's
batches not collected yet are shown on their tab and polled again (evaluate_batch.py)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from playground.core.evaluation_results import Cell
from playground.services.batch_store import BatchState, BatchStore
from playground.services.evaluation_store import EvaluationStoreUnavailable
from playground.ui.views.evaluate_history import sources_of

if TYPE_CHECKING:
    from playground.ui.views.evaluate_batch import EvaluateBatch
    from playground.ui.views.workspace_view import WorkspaceView


async def resume_into(batch: EvaluateBatch, view: WorkspaceView | None) -> None:
    """`view`'s open batch evaluations shown and tracked; None: every open one tracked
    (collected into the store even when no tab shows it)."""
    assert batch.controller is not None
    store, sources = batch.controller.store, sources_of(view) if view is not None else None

    def read() -> list[tuple[Any, list[BatchState], list[Cell]]]:
        out = []
        for evaluation_id in dict.fromkeys(
            b.evaluation_id for b in BatchStore(store).open_batches()
        ):
            record = store.get(evaluation_id)
            if record is not None and (sources is None or record.source in sources):
                states = BatchStore(store).of_evaluation(evaluation_id)
                out.append((record, states, store.cells(evaluation_id)))
        return out

    try:
        found = await asyncio.to_thread(read)
    except EvaluationStoreUnavailable:
        return  # said by the evaluations' own reads
    for record, states, cells in found:
        profile = batch._profile(states[0])
        if view is None or not batch._alive(view):
            if view is None and profile is not None:
                batch._follow(record.id, profile, record.workspace)
            continue
        names = {c: c for c in record.columns}
        names.update({v.key: v.name or v.key for v in record.variants})
        batch.titles[record.id] = names
        batch.known[record.id] = ""
        batch.states.setdefault(record.id, {}).update({s.id: s for s in states})
        batch.cells.setdefault(record.id, {}).update({c.key: c for c in cells})
        shown = list(batch.cells[record.id].values())
        view.evaluate.show_plan(list(names.items()), record.rows, shown, batch=True)
        batch._summarize(record.id, view)
        batch._show_on(view, record.id)
        if profile is None:
            view.evaluate.show_error(
                f"The batches of this evaluation were sent with the provider "
                f"{states[0].profile}, which is no longer in the settings"
            )
            view.evaluate.hold(f"Run waits: this evaluation's batches (sent with the provider "
                               f"{states[0].profile}) are not collected")  # fmt: skip
            continue
        batch._track(view, record.id, profile, record.workspace)
        view.runner.set_status("Looking again at the batches of this workspace's evaluation")
