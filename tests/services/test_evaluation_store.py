"""The evaluations store (services/evaluation_store.py): cells saved as they finish and read
back whole, unfinished evaluations listed, two evaluations compared cell by cell, CSV and
JSON-lines exports, and a newer or damaged file reported, never overwritten."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.core.evaluation_results import Cell, CellGrade
from playground.core.evaluation_spec import TestRow
from playground.core.variants import Variant
from playground.core.workspace import Message, Workspace
from playground.services.evaluation_store import (
    STORE_VERSION,
    EvaluationStore,
    EvaluationStoreUnavailable,
)

WS = Workspace(model="gpt-4.1-mini", messages=[Message(role="user", content="Say {{word}}")])
ROWS = [TestRow(id=f"r{i}", values={"word": f"w{i}"}, note="ünïcode") for i in range(3)]
VARIANTS = [Variant(key="a"), Variant(key="b", overrides={"model": "gpt-4.1"})]


def store_at(tmp_path: Path) -> EvaluationStore:
    s = EvaluationStore(tmp_path / "evaluations.sqlite3")
    return s


def cell(variant: str, row: str, outcome: str = "passed", **kw: object) -> Cell:
    grades = (CellGrade(outcome == "passed", "because", "contains"),)
    return Cell(variant, row, outcome, "an answer", grades, 1.0, 20.0, 5, 7, 0.001, **kw)  # type: ignore[arg-type]


def test_an_evaluation_and_its_cells_read_back_whole(tmp_path: Path) -> None:
    s = store_at(tmp_path)
    s.begin("e-1", WS, VARIANTS, ROWS, ["a", "b"])
    s.add_cell("e-1", cell("a", "r0"))
    s.add_cell("e-1", cell("b", "r2", "failed"))
    rec = s.get("e-1")
    assert rec is not None and rec.status == "running" and rec.columns == ["a", "b"]
    assert rec.workspace == WS and rec.variants == VARIANTS and rec.rows == ROWS
    assert rec.cells_done == 2 and rec.cells_left == 4
    assert s.cells("e-1") == [cell("a", "r0"), cell("b", "r2", "failed")]
    s.add_cell("e-1", cell("b", "r2"))  # a rerun replaces the cell
    assert [c.outcome for c in s.cells("e-1")] == ["passed", "passed"]
    s.close()


finite = st.floats(allow_nan=False, allow_infinity=False, min_value=0, max_value=1e9)
cells = st.builds(
    Cell,
    variant=st.text(min_size=1, max_size=8),
    row=st.text(min_size=1, max_size=8),
    outcome=st.sampled_from(["passed", "failed", "error"]),
    preview=st.text(max_size=200),
    grades=st.lists(st.builds(CellGrade, st.booleans(), st.text(), st.text()), max_size=3).map(
        tuple
    ),
    ttft_ms=st.none() | finite,
    total_ms=st.none() | finite,
    input_tokens=st.none() | st.integers(0, 2**40),
    output_tokens=st.none() | st.integers(0, 2**40),
    cost_usd=st.none() | finite,
    error_kind=st.none() | st.text(max_size=10),
    error_message=st.none() | st.text(),
    history_id=st.none() | st.integers(1, 2**40),
    attempts=st.integers(0, 9),
    cached=st.booleans(),
    saved_usd=st.none() | finite,
    saved_ms=st.none() | finite,
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(c=cells)
def test_any_cell_round_trips(tmp_path: Path, c: Cell) -> None:
    s = store_at(tmp_path)
    try:
        if s.get("e-p") is None:
            s.begin("e-p", WS, [], ROWS, ["base"])
        s.add_cell("e-p", c)
        assert next(x for x in s.cells("e-p") if x.key == c.key) == c
    finally:
        s.close()


def test_unfinished_lists_evaluations_with_cells_left(tmp_path: Path) -> None:
    s = store_at(tmp_path)
    s.begin("e-1", WS, [], ROWS, ["base"])
    s.begin("e-2", WS, [], ROWS[:1], ["base"])
    s.add_cell("e-2", cell("base", "r0"))
    s.add_cell("e-1", cell("base", "r0"))
    assert [(e.id, e.cells_left) for e in s.unfinished()] == [("e-1", 2)]
    s.set_status("e-2", "done")
    assert s.get("e-2").status == "done"  # type: ignore[union-attr]
    s.close()


def test_two_evaluations_compared_cell_by_cell(tmp_path: Path) -> None:
    s = store_at(tmp_path)
    for eid in ("e-old", "e-new"):
        s.begin(eid, WS, [], ROWS, ["base"])
    for row, old, new in (
        ("r0", "passed", "failed"),
        ("r1", "failed", "passed"),
        ("r2", "passed", "passed"),
    ):
        s.add_cell("e-old", cell("base", row, old))
        s.add_cell("e-new", cell("base", row, new))
    s.add_cell("e-new", cell("base", "r9", "error", error_kind="server"))
    changes = {c.row: c.change for c in s.compare("e-old", "e-new")}
    assert changes == {"r0": "regression", "r1": "improvement", "r2": "same", "r9": "new"}
    s.close()


def test_exports_have_a_line_per_cell_with_its_grades(tmp_path: Path) -> None:
    s = store_at(tmp_path)
    s.begin("e-1", WS, [], ROWS, ["base"])
    s.add_cell("e-1", cell("base", "r0"))
    s.add_cell("e-1", cell("base", "r1", "failed"))
    lines = [json.loads(x) for x in s.export_jsonl("e-1").splitlines()]
    assert [x["row"] for x in lines] == ["r0", "r1"]
    assert lines[1]["grades"] == [{"passed": False, "reason": "because", "grader": "contains"}]
    table = list(csv.DictReader(io.StringIO(s.export_csv("e-1"))))
    assert [r["outcome"] for r in table] == ["passed", "failed"]
    assert table[1]["grades"] == "contains: fail (because)" and table[0]["cost_usd"] == "0.001"
    s.close()


def test_a_newer_store_is_reported_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "evaluations.sqlite3"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {STORE_VERSION + 1}")
    db.close()
    before = path.read_bytes()
    s = EvaluationStore(path)
    with pytest.raises(EvaluationStoreUnavailable, match="newer Playground"):
        s.unfinished()
    assert path.read_bytes() == before


def test_a_damaged_store_is_reported_in_words(tmp_path: Path) -> None:
    path = tmp_path / "evaluations.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    s = EvaluationStore(path)
    with pytest.raises(EvaluationStoreUnavailable, match=r"damaged|cannot be used"):
        s.begin("e-1", WS, [], ROWS, ["base"])
