"""An evaluation that saves itself (services/evaluation_saving.py), over the simulator: each
finished cell is in the store and its run in the history under the evaluation's id; a stopped
evaluation is listed as unfinished and `resume` runs only the cells it has left."""

from __future__ import annotations

from pathlib import Path

from playground.core.profiles import ProviderProfile
from playground.services.backend import OpenAIBackend
from playground.services.evaluation import columns_of
from playground.services.evaluation_saving import finish, resume, start
from playground.services.evaluation_store import EvaluationStore
from playground.services.history import HistoryStore
from playground.services.simulator import Simulator
from tests.conftest import run
from tests.services.test_evaluation import KEY, answered, base, fill, rows


def test_a_stopped_evaluation_resumes_with_only_its_cells_left(
    simulator: Simulator, profile: ProviderProfile, tmp_path: Path
) -> None:
    store = EvaluationStore(tmp_path / "evaluations.sqlite3")
    history = HistoryStore(tmp_path / "history.sqlite3")
    the_rows = rows(8)
    runner = {"resolve": KEY, "prepare": fill, "grade": answered, "concurrency": 2}
    backend = OpenAIBackend(strict=True)
    ev = start(
        store,
        base(),
        [],
        the_rows,
        columns_of(base(), [], lambda _ws: profile),
        history=history,
        backend=backend,
        **runner,
    )
    # Stop when the fifth cell starts: its two workers have run four cells by then, so at least
    # three are finished whatever the saves' lag (they are committed off the loop, and a slow
    # disk once let all eight runs end before the third save counted).
    started: list[object] = []
    ev.cell_started.connect(
        lambda r: (started.append(r), ev.cancel() if len(started) == 5 else None)
    )

    async def go(evaluation: object, b: OpenAIBackend) -> None:
        try:
            await finish(store, evaluation)  # type: ignore[arg-type]
        finally:
            await b.aclose()

    simulator.speed = 300
    try:
        run(go(ev, backend))
    finally:
        simulator.speed = None
    (left,) = store.unfinished()
    assert left.id == ev.id and left.status == "stopped"
    kept = store.cells(ev.id)
    assert len(kept) == left.cells_done and 3 <= len(kept) < 8
    for cell in kept:
        record = history.get(cell.history_id or 0)
        assert record is not None and record.group_id == ev.id
        assert record.output_text.startswith(cell.preview)
    sent = len(simulator.requests)

    backend = OpenAIBackend(strict=True)
    again = resume(store, ev.id, lambda _ws: profile, history=history, backend=backend, **runner)
    assert again.progress().done == len(kept)
    run(go(again, backend))
    assert len(simulator.requests) - sent == 8 - len(kept)
    assert store.unfinished() == [] and store.get(ev.id).status == "done"  # type: ignore[union-attr]
    assert sorted(c.row for c in store.cells(ev.id)) == sorted(r.id for r in the_rows)
    store.close()
    history.close()
