"""The run history: recorded in SQLite, searchable, and never in the way when it is broken."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest

from playground.core.errors import Failure, FailureKind
from playground.core.events import (
    Failed,
    Finished,
    TextDelta,
    Timing,
    ToolCallDone,
    ToolCallStarted,
    Usage,
)
from playground.core.reducer import reduce
from playground.core.workspace import Message, Workspace
from playground.services.history import HistoryStore, HistoryUnavailable, record_of


def ws(text: str, model: str = "gpt-4o") -> Workspace:
    return Workspace(model=model, messages=[Message(content=text)])


def test_record_search_filter_delete_export(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3")
    ok = reduce(
        [
            TextDelta("Paris is in France."),
            Usage(10, 0, 5, 0),
            Timing(40, 90, 50.0),
            Finished("stop"),
        ]
    )
    calls = reduce(
        [ToolCallStarted(0, "call_1", "lookup"), ToolCallDone(0, "{}"), Finished("tool_calls")]
    )
    failed = reduce([TextDelta("half"), Failed(Failure(FailureKind.SERVER, "boom"))])
    a = store.record(record_of(ws("Where is Paris?"), {"model": "gpt-4o"}, ok, False, "OpenAI"))
    b = store.record(record_of(ws("Look it up", "o3"), {"model": "o3"}, calls, False, "OpenAI"))
    c = store.record(record_of(ws("Again"), {"model": "gpt-4o"}, failed, False, "OpenAI"))
    d = store.record(record_of(ws("Stop me"), {"model": "gpt-4o"}, failed, True, "OpenAI"))
    assert [r.id for r in store.search()] == [d, c, b, a]
    assert [r.id for r in store.search("France")] == [a]
    assert [r.id for r in store.search(model="o3")] == [b]
    assert [r.outcome for r in store.search()] == ["stopped", "failed", "tool_calls", "completed"]
    assert [r.id for r in store.search(outcome="failed")] == [c]
    assert store.search(since=time.time() + 60) == []
    run = store.get(a)
    assert run is not None and run.ttft_ms == 40 and run.output_tokens == 5
    assert run.cost is not None and run.cost > 0
    assert store.get(b).tool_calls == [
        {
            "call_id": "call_1",
            "name": "lookup",  # type: ignore[union-attr]
            "arguments": "{}",
        }
    ]
    assert store.get(c).error_kind == "server"  # type: ignore[union-attr]
    lines = store.export_jsonl([a, b]).splitlines()
    assert [json.loads(line)["id"] for line in lines] == [a, b]
    store.delete([a])
    assert store.get(a) is None and store.models() == ["gpt-4o", "o3"]
    store.close()
    assert len(HistoryStore(tmp_path / "h.sqlite3").search()) == 3  # survives reopening


def test_a_damaged_database_says_so(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    store = HistoryStore(path)
    with pytest.raises(HistoryUnavailable, match="is damaged"):
        store.search()


def test_a_locked_database_says_so(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    first = HistoryStore(path)
    first.search()
    first.close()
    other = sqlite3.connect(path)
    other.execute("PRAGMA locking_mode=EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        store = HistoryStore(path)
        with pytest.raises(HistoryUnavailable, match="is locked by another program"):
            store.record(record_of(ws("x"), {}, reduce([Finished("stop")]), False, "p"))
    finally:
        other.rollback()
        other.close()


def test_an_answer_stopped_at_the_output_token_limit_is_its_own_outcome(tmp_path: Path) -> None:
    """Found again by the History tab's outcome filter, apart from whole answers."""
    store = HistoryStore(tmp_path / "h.sqlite3")
    cut = reduce([TextDelta("The first half"), Finished("length")])
    whole = reduce([TextDelta("All of it."), Finished("stop")])
    a = store.record(record_of(ws("Long"), {"model": "gpt-4o"}, cut, False, "OpenAI"))
    store.record(record_of(ws("Short"), {"model": "gpt-4o"}, whole, False, "OpenAI"))
    assert [r.id for r in store.search(outcome="length")] == [a]
    assert store.get(a).output_text == "The first half"
