"""Which workspace an evaluation was run from (EvaluationRecord.source, store version 2): an
older store is migrated in place and keeps its evaluations (their source unknown), the
listings filter by source, and the pass counts the window's "Compare with…" shows."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from playground.services.evaluation_store import MIGRATIONS, STORE_VERSION, EvaluationStore
from tests.services.test_evaluation_store import ROWS, VARIANTS, WS, cell


def test_a_version_1_store_is_migrated_and_keeps_its_evaluations(tmp_path: Path) -> None:
    path = tmp_path / "evaluations.sqlite3"
    db = sqlite3.connect(path)  # as the first release wrote it
    db.executescript(f"BEGIN; {MIGRATIONS[0](db)} PRAGMA user_version = 1; COMMIT;")
    db.execute(
        "INSERT INTO evaluations VALUES (?, ?, ?, '[]', '[]', 0, '[\"base\"]', 'done')",
        ("e-old", time.time(), WS.to_json()),
    )
    db.commit()
    db.close()
    store = EvaluationStore(path)
    try:
        (old,) = store.evaluations()
        assert old.id == "e-old" and old.source is None and old.cells_passed == 0
        store.begin("e-new", WS, VARIANTS, ROWS, ["a", "b"], "/w/ws.json")
        assert [e.id for e in store.evaluations()] == ["e-new", "e-old"]
    finally:
        store.close()
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA user_version").fetchone()[0] == STORE_VERSION == 5
    check.close()


def test_listings_filter_by_source_and_count_the_passed_cells(tmp_path: Path) -> None:
    store = EvaluationStore(tmp_path / "evaluations.sqlite3")
    try:
        store.begin("e-1", WS, VARIANTS, ROWS, ["a", "b"], "/w/one.json")
        store.begin("e-2", WS, VARIANTS, ROWS, ["a", "b"], "tab:t1")
        store.begin("e-3", WS, VARIANTS, ROWS, ["a", "b"])
        store.add_cell("e-1", cell("a", "r0"))
        store.add_cell("e-1", cell("a", "r1", "failed"))
        mine = store.evaluations(sources=["/w/one.json", "tab:t1"])
        assert {e.id for e in mine} == {"e-1", "e-2"}
        (one,) = store.evaluations(sources=["/w/one.json"])
        assert one.cells_done == 2 and one.cells_passed == 1 and one.cells_left == 4
        assert {e.id for e in store.unfinished(["tab:t1"])} == {"e-2"}
        assert len(store.evaluations()) == 3 and store.evaluations(sources=["/x"]) == []
    finally:
        store.close()
