"""The batches table of the evaluations store (services/batch_store.py): an older store
gains it on open and keeps its evaluations; a batch's state round-trips."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from playground.core.evaluation_spec import TestRow
from playground.services.batch_store import BatchState, BatchStore
from playground.services.evaluation_store import SCHEMA, STORE_VERSION, EvaluationStore
from tests.services.test_batch_runs import WS


def test_an_older_store_gains_the_batches_table_and_keeps_its_evaluations(
    tmp_path: Path,
) -> None:

    from playground.services.batch_store import BatchStore

    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(SCHEMA + "PRAGMA user_version = 1;")
    db.execute(
        "INSERT INTO evaluations VALUES ('e-old0000000', 0, ?, '[]', '[]', 0, '[\"base\"]', "
        "'done')",
        (WS.to_json(),),
    )
    db.commit()
    db.close()
    old = EvaluationStore(path)
    assert BatchStore(old).all() == []  # the migration ran on open
    found = old.get("e-old0000000")
    assert found is not None and found.workspace.model == WS.model
    old.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == STORE_VERSION == 5
    db.close()


def test_a_batch_state_round_trips_and_open_ones_are_listed(tmp_path: Path) -> None:
    store = EvaluationStore(tmp_path / "e.sqlite3")
    store.begin("e-0000000001", WS, [], [TestRow(id="r", values={"word": "a"})], ["base"])
    batches = BatchStore(store)
    state = BatchState("batch_1", "e-0000000001", 1, 2, "p", "/v1/responses", "gpt-4o-mini",
                       "file-1", "in_progress", total=1000, completed=400, failed=12,
                       submitted_at=1.0, updated_at=2.0)  # fmt: skip
    batches.save(state)
    assert batches.get("batch_1") == state
    assert state.counts == "412/1000"
    assert batches.open_batches() == [state]
    done = BatchState(**{**state.__dict__, "status": "completed", "collected": True})
    batches.save(done)
    assert batches.open_batches() == [] and batches.of_evaluation("e-0000000001") == [done]
    store.close()
