"""History version 2: each run of a Compare carries its group id; version-1 files migrate."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from playground.core.reducer import AssistantTurn
from playground.core.workspace import Workspace
from playground.services.history import (
    HISTORY_VERSION,
    SCHEMA,
    HistoryStore,
    RunRecord,
    record_of,
)


def _record(text: str, group: str | None = None) -> RunRecord:
    ws = Workspace(model="gpt-4o-mini")
    return record_of(ws, {"model": "gpt-4o-mini"}, AssistantTurn(text=text), False, "p", group)


def test_a_version_1_history_gains_the_group_column_and_keeps_its_runs(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with sqlite3.connect(path) as db:  # as version 1 wrote it
        db.executescript(SCHEMA)
        db.execute(
            "INSERT INTO runs (started_at, profile, model, api, request, workspace, outcome) "
            "VALUES (1.0, 'p', 'gpt-4o', 'chat', '{}', '{}', 'completed')"
        )
        db.execute("PRAGMA user_version = 1")
    store = HistoryStore(path)
    store.record(_record("left", "g-1"))
    store.record(_record("right", "g-1"))
    found = {(r.output_text, r.group_id) for r in store.search()}
    store.close()
    assert found == {("", None), ("left", "g-1"), ("right", "g-1")}
    assert HISTORY_VERSION >= 2
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == HISTORY_VERSION
    reopened = HistoryStore(path)  # opening again migrates nothing twice
    assert len(reopened.search()) == 3 and reopened.get(2) is not None
    assert reopened.export_jsonl().count('"group_id": "g-1"') == 2
    reopened.close()
