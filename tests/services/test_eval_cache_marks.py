"""A cell answered from the response cache says so: the cache key of the built-in simulator
does not hold its ephemeral URL (so a second command hits), the cell keeps `cached` and what
it saved through the evaluations store (version 5, older cells read as not cached), the
summary and the window's matrix say it."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from playground.core.cache_rules import cache_key
from playground.core.evaluation_results import Cell, CellGrade, cache_words, summarize
from playground.core.evaluation_spec import TestRow
from playground.core.profiles import ProviderProfile
from playground.core.workspace import Message, Workspace
from playground.services.cache_use import cache_base_url
from playground.services.connection import simulator_url
from playground.services.evaluation_store import MIGRATIONS, STORE_VERSION, EvaluationStore
from playground.services.sqlite_store import migrate

WS = Workspace(model="gpt-4.1-mini", messages=[Message(role="user", content="hi")])
BODY = {"model": "gpt-4.1-mini", "messages": [{"role": "user", "content": "hi"}]}


@given(port=st.integers(1024, 65535), other=st.integers(1024, 65535), permissive=st.booleans())
def test_the_simulator_key_is_the_same_whatever_port_it_listens_on(
    port: int, other: int, permissive: bool
) -> None:
    # eval and compare fill the in-process simulator's URL into the profile itself; the
    # window and run resolve it apart: every one of them keys alike, on no port
    sim = ProviderProfile(name="Offline simulator", kind="simulator", permissive=permissive)
    keys = set()
    for p in (port, other):
        url = simulator_url(sim, f"http://127.0.0.1:{p}/v1")
        filled = sim.model_copy(update={"base_url": url})
        keys.add(cache_key(cache_base_url(filled, filled), "/chat/completions", BODY))
        keys.add(cache_key(cache_base_url(sim, filled), "/chat/completions", BODY))
        keys.add(cache_key(cache_base_url(sim, sim), "/chat/completions", BODY))
    assert len(keys) == 1
    strict = sim.model_copy(update={"permissive": not permissive})
    assert cache_key(cache_base_url(strict, strict), "/chat/completions", BODY) not in keys


def test_a_server_profile_is_still_keyed_by_its_url() -> None:
    a = ProviderProfile(name="local", kind="custom", base_url="http://127.0.0.1:8765/v1")
    b = a.model_copy(update={"base_url": "http://127.0.0.1:8766/v1"})
    assert cache_base_url(a, a) != cache_base_url(b, b)


def hit(row: str, usd: float | None = 0.001, ms: float | None = 1500.0) -> Cell:
    grades = (CellGrade(True, "ok", "contains"),)
    return Cell(
        "base", row, "passed", "answer", grades, None, 12.0, 3, 9, 0.0,
        cached=True, saved_usd=usd, saved_ms=ms,
    )  # fmt: skip


def test_the_summary_counts_cached_cells_and_what_they_saved() -> None:
    cells = [hit("a"), hit("b", 0.002, 500.0), Cell("base", "c", "passed", cost_usd=0.003)]
    [s] = summarize(cells)
    assert s.cached == 2 and s.saved_usd == 0.003 and s.saved_ms == 2000.0
    assert s.cost_usd == 0.003  # only the money spent
    assert cache_words(cells) == "2 cells from the cache, saved $0.003000 and 2.0 s"
    assert cache_words([hit("a", None, None)]) == (
        "1 cell from the cache, saved an unknown cost and an unknown time"
    )
    assert cache_words(cells[2:]) is None


def test_a_cached_cell_is_kept_and_an_older_store_reads_as_not_cached(tmp_path: Path) -> None:
    path = tmp_path / "e.sqlite3"
    rows = json.dumps([TestRow(id="a").model_dump(mode="json")])
    with sqlite3.connect(path) as db:  # as version 4 left it: no cached column
        migrate(db, MIGRATIONS[:4])
        db.execute(
            "INSERT INTO evaluations VALUES ('e-1', 1.0, ?, '[]', ?, 1, '[\"base\"]', 'done', "
            "NULL)",
            (WS.to_json(), rows),
        )
        db.execute(
            "INSERT INTO cells (evaluation_id, variant, row_id, outcome, cost, finished_at) "
            "VALUES ('e-1', 'base', 'a', 'passed', 0.001, 1.0)"
        )
    store = EvaluationStore(path)
    try:
        [old] = store.cells("e-1")
        assert not old.cached and old.saved_usd is None and old.cost_usd == 0.001
        store.add_cell("e-1", hit("a"))
        [new] = store.cells("e-1")
        assert new == hit("a")
        assert '"cached": true' in store.export_jsonl("e-1")
    finally:
        store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == STORE_VERSION == 5


def test_the_matrix_cell_says_cached_and_what_it_saved() -> None:
    from playground.ui.views.evaluate_model import cell_text

    text = cell_text(hit("a"))
    assert "cached" in text.splitlines()[1] and "saved $0.00100" in text
    assert "$0.00000" not in text  # not a cost of nothing beside the saving
    assert "cached" not in cell_text(Cell("base", "a", "passed", cost_usd=0.001))


def test_the_html_report_says_a_cell_was_cached_and_what_it_saved() -> None:
    from playground.core.eval_report import render
    from tests.core.test_eval_report import report

    cells = [dataclasses.replace(hit("r1"), variant="a")]  # the report's column "a"
    rows = [TestRow(id="r1", values={"v": "x"})]
    page = render(report("x", rows=rows, cells=cells, summaries=summarize(cells, ["a"])))
    assert "cached · 12 ms" in page and "saved $0.001000" in page
