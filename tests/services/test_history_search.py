"""History search (version 3): an FTS5 index over prompt, instructions, answer and the rest;
words match as prefixes, whatever a user types never raises, older files migrate."""

from __future__ import annotations

import json
import sqlite3
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.core.reducer import AssistantTurn
from playground.core.workspace import Message, Workspace
from playground.services.history import (
    HISTORY_VERSION,
    SCHEMA,
    HistoryStore,
    HistoryUnavailable,
    RunRecord,
    record_of,
)
from playground.services.history_query import Query, match_expression
from tests.core.strategies import text as any_text


def run(prompt: str, answer: str = "", instructions: str = "", model: str = "gpt-4o") -> RunRecord:
    ws = Workspace(
        model=model,
        instructions=instructions,
        messages=[Message(content="an earlier question"), Message(content=prompt)],
    )
    return record_of(ws, {"model": model}, AssistantTurn(text=answer), False, "OpenAI")


def found(store: HistoryStore, text: str) -> set[str]:
    """The prompts of the runs a search for `text` finds."""
    return {r.prompt for r in store.rows(Query(text), 0, 1000)}


@pytest.fixture
def store(tmp_path: Path) -> HistoryStore:
    s = HistoryStore(tmp_path / "history.sqlite3")
    s.record(run("Where is Paris?", "Paris is the capital of France."))
    s.record(run("Explain WebSockets briefly.", "A WebSocket is a full-duplex channel."))
    s.record(run("What is the stock price?", "The price of the stock is 42.", "Be terse."))
    s.record(run("Tell me about Zürich", "Zurich lies on a lake.", model="o3"))
    return s


def test_words_match_as_prefixes_in_any_text_column(store: HistoryStore) -> None:
    assert found(store, "pari") == {"Where is Paris?"}  # prompt and answer, a prefix
    assert found(store, "websock") == {"Explain WebSockets briefly."}
    assert found(store, "FRANCE") == {"Where is Paris?"}  # the answer, any case
    assert found(store, "terse") == {"What is the stock price?"}  # the instructions
    assert found(store, "o3") == {"Tell me about Zürich"}  # the model
    assert found(store, "zurich") == {"Tell me about Zürich"}  # accents folded
    assert found(store, "paris capital") == {"Where is Paris?"}  # every word must match
    assert found(store, "paris websocket") == set()


def test_quoted_words_are_a_phrase(store: HistoryStore) -> None:
    assert found(store, '"stock price"') == {"What is the stock price?"}
    assert found(store, '"price stock"') == set()
    assert found(store, '"the cap"') == {"Where is Paris?"}  # the last word is a prefix


@pytest.mark.parametrize(
    "typed",
    [
        '"',
        "AND(",
        "*",
        "NEAR/",
        "NEAR(a b, 2)",
        "a OR",
        "NOT",
        "prompt:",
        "^x",
        "-x",
        "(",
        ")",
        '"unbalanced',
        'a"b',
        "''",
        "\x00",
        "{prompt}: x",
        "+",
        "AND",
        "   ",
        "?*!",
        "x:y",
    ],
)
def test_whatever_a_user_types_never_raises(store: HistoryStore, typed: str) -> None:
    rows = store.rows(Query(typed), 0, 100)
    assert store.count(Query(typed)) == len(rows)
    assert store.search(typed) is not None


def test_operators_are_plain_words(store: HistoryStore) -> None:
    """`OR` is the word "or", not FTS5's operator; `NEAR/` is "near"; `*` alone is no word."""
    assert found(store, "Paris OR WebSockets") == set()
    assert found(store, "AND(") == set()
    assert len(found(store, "*")) == 4  # nothing to search for: every run
    assert match_expression('say "hi" AND(x)') == '"say"* "hi"* "AND(x)"*'
    assert match_expression("*") is None


def test_the_count_and_the_filters_go_with_the_text(store: HistoryStore) -> None:
    assert store.count(Query("is")) == 3
    assert store.count(Query("is", model="o3")) == 0
    assert store.count(Query("lake", model="o3")) == 1
    assert [r.model for r in store.rows(Query("", model="o3"))] == ["o3"]


def test_the_list_sorts_in_sql_by_each_column(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3")
    for i, (cost, latency) in enumerate([(0.3, 900.0), (None, 100.0), (0.1, 500.0)]):
        record = run(f"run {i}", "x")
        record.cost, record.total_ms, record.input_tokens = cost, latency, 10 * (3 - i)
        store.record(record)

    def prompts(sort: str, descending: bool = True) -> list[str]:
        query = Query(sort=sort, descending=descending)  # type: ignore[arg-type]
        return [r.prompt for r in store.rows(query)]

    assert prompts("time") == ["run 2", "run 1", "run 0"]
    assert prompts("cost") == ["run 0", "run 2", "run 1"]  # an unknown cost last
    assert prompts("cost", descending=False) == ["run 2", "run 0", "run 1"]
    assert prompts("latency", descending=False) == ["run 1", "run 2", "run 0"]
    assert prompts("tokens") == ["run 0", "run 1", "run 2"]
    assert prompts("prompt", descending=False) == ["run 0", "run 1", "run 2"]
    assert store.rows(Query(), offset=1, limit=1)[0].prompt == "run 1"


def test_the_index_follows_deletes(store: HistoryStore) -> None:
    (paris,) = store.rows(Query("paris"))
    store.delete([paris.id])
    assert found(store, "paris") == set()
    assert found(store, "websockets") == {"Explain WebSockets briefly."}


# -- properties ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> HistoryStore:
    s = HistoryStore(tmp_path_factory.mktemp("h") / "history.sqlite3")
    s.record(run('say "hi" AND (x) NEAR/3 * ^col: -y', "OR NOT"))
    return s


@given(typed=any_text)
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_arbitrary_text_never_raises(shared: HistoryStore, typed: str) -> None:
    rows = shared.rows(Query(typed), 0, 10)
    assert shared.count(Query(typed)) >= len(rows)


def fold(word: str) -> str:
    """As the index compares words: case and accents folded (unicode61 remove_diacritics)."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if c.isalnum())


words = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzéüß0123456789"), min_size=1, max_size=12)


@given(
    texts=st.lists(st.lists(words, min_size=1, max_size=6), min_size=1, max_size=5),
    pick=st.integers(0, 100),
    cut=st.integers(1, 12),
)
@settings(max_examples=60, deadline=None)
def test_plain_words_find_the_runs_that_contain_them(
    texts: list[list[str]], pick: int, cut: int
) -> None:
    """Any word of a run's answer, or its start, finds that run (and every run found has a word
    that starts so)."""
    with tempfile.TemporaryDirectory() as home:
        store = HistoryStore(Path(home) / "h.sqlite3")
        ids = [store.record(run(f"prompt {i}", ", ".join(ws))) for i, ws in enumerate(texts)]
        all_words = [(i, w) for i, ws in zip(ids, texts, strict=True) for w in ws]
        owner, word = all_words[pick % len(all_words)]
        prefix = word[:cut]
        hits = {r.id for r in store.rows(Query(prefix), 0, 100)}
        assert owner in hits
        for i, ws in zip(ids, texts, strict=True):
            if i in hits and not prefix.isdigit():
                indexed = [*ws, "prompt", "gpt", "4o"]  # and its prompt and model
                assert any(fold(w).startswith(fold(prefix)) for w in indexed)
        store.close()


# -- migration ----------------------------------------------------------------------------------


def _version_2(path: Path, workspaces: list[object]) -> None:
    """A history as version 2 wrote it."""
    with sqlite3.connect(path) as db:
        db.executescript(SCHEMA)
        db.execute("ALTER TABLE runs ADD COLUMN group_id TEXT")
        for i, ws in enumerate(workspaces):
            db.execute(
                "INSERT INTO runs (started_at, profile, model, api, request, workspace, "
                "output_text, outcome) VALUES (?, 'p', 'gpt-4o', 'chat', '{}', ?, ?, 'completed')",
                (float(i), ws if isinstance(ws, str) else json.dumps(ws), f"answer {i}"),
            )
        db.execute("PRAGMA user_version = 2")


def test_a_version_2_history_is_indexed_and_keeps_its_runs(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    first = {
        "instructions": "Answer in French.",
        "messages": [
            {"role": "system", "content": "You are a geographer."},
            {"role": "user", "content": "old question"},
            {"role": "assistant", "content": "old answer"},
            {"role": "user", "content": [{"type": "text", "text": "Where is Lyon?\nBriefly."}]},
        ],
    }
    _version_2(path, [first, "{not json", {"messages": "odd"}])
    store = HistoryStore(path)
    assert [r.prompt for r in store.rows(Query())] == ["", "", "Where is Lyon?"]
    assert found(store, "lyon") == {"Where is Lyon?"}  # back-filled from the workspace
    assert found(store, "geograph") == {"Where is Lyon?"}  # a system message
    assert found(store, "french") == {"Where is Lyon?"}  # the instructions
    assert store.count(Query("answer")) == 3  # every run's answer is indexed
    assert found(store, "old") == set()  # earlier turns are not the prompt
    new = store.record(run("A new question about Lyon"))
    assert new in {r.id for r in store.rows(Query("lyon"))}
    store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == HISTORY_VERSION == 3
        assert db.execute("SELECT count(*) FROM runs").fetchone()[0] == 4


def test_a_migration_that_fails_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    """The whole step is one transaction: no half-migrated file, the runs as they were."""
    path = tmp_path / "history.sqlite3"
    _version_2(path, [{"messages": [{"role": "user", "content": "hello"}]}])
    with sqlite3.connect(path) as db:  # something else already took the index's name
        db.execute("CREATE TABLE runs_fts (x)")
    before = path.read_bytes()
    store = HistoryStore(path)
    with pytest.raises(HistoryUnavailable, match="cannot be used"):
        store.rows(Query())
    store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2
        columns = {row[1] for row in db.execute("PRAGMA table_info(runs)")}
        assert "prompt" not in columns
        assert db.execute("SELECT output_text FROM runs").fetchall() == [("answer 0",)]
    assert len(path.read_bytes()) == len(before)


def test_the_history_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    # it holds every prompt and answer: private as the session and autosaves are
    import os
    import stat

    old = os.umask(0o022)
    try:
        fresh = HistoryStore(tmp_path / "new.sqlite3")
        fresh.open()
        fresh.close()
        made_public = tmp_path / "old.sqlite3"
        made_public.touch(mode=0o644)
        made_public.chmod(0o644)
        older = HistoryStore(made_public)
        older.open()
        older.close()
    finally:
        os.umask(old)
    for path in (tmp_path / "new.sqlite3", made_public):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
