"""The run history, the evaluations and the response cache hold prompts and answers: each
database, the -wal and -shm files SQLite keeps beside it, and a folder the app makes for
them are readable by their owner only, whatever the umask."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from playground.core.evaluation_results import Cell
from playground.core.evaluation_spec import TestRow
from playground.core.events import Finished, TextDelta
from playground.core.reducer import reduce
from playground.core.workspace import Message, Workspace
from playground.services.evaluation_store import EvaluationStore
from playground.services.history import HistoryStore, record_of
from playground.services.response_cache import CachedAnswer, ResponseCache
from tests.services.test_file_modes import mode, umask

WS = Workspace(messages=[Message(content="a private prompt")])


def use_history(path: Path) -> Callable[[], None]:
    store = HistoryStore(path)
    turn = reduce([TextDelta("a private answer"), Finished("stop")])
    store.record(record_of(WS, {"model": "gpt-4o"}, turn, False, "p"))
    return store.close


def use_evaluations(path: Path) -> Callable[[], None]:
    store = EvaluationStore(path)
    key = f"e-{len(store.evaluations()) + 1}"
    store.begin(key, WS, [], [TestRow(id="r1", values={"x": "1"})], ["base"])
    store.add_cell(key, Cell(variant="base", row="r1", outcome="passed", preview="answer"))
    return store.close


def use_cache(path: Path) -> Callable[[], None]:
    store = ResponseCache(path)
    store.put("k", CachedAnswer((TextDelta("a private answer"), Finished("stop")), "gpt-4o"))
    assert store.get("k") is not None
    store.clear()
    store.put("k2", CachedAnswer((TextDelta("again"), Finished("stop")), "gpt-4o"))
    return store.close


STORES = {"history": use_history, "evaluations": use_evaluations, "cache": use_cache}


@pytest.mark.parametrize("use", STORES.values(), ids=STORES.keys())
def test_each_store_is_owner_only_under_umask_022(
    tmp_path: Path, use: Callable[[Path], Callable[[], None]]
) -> None:
    folder = tmp_path / "data" / "playground"
    path = folder / "store.sqlite3"
    with umask(0o022):
        close = use(path)
        open_files = sorted(p.name for p in folder.iterdir())
        modes_open = {p.name: mode(p) for p in folder.iterdir()}
        close()
    assert "store.sqlite3-wal" in open_files and "store.sqlite3-shm" in open_files
    assert modes_open == dict.fromkeys(open_files, 0o600)
    assert {p.name: mode(p) for p in folder.iterdir()} == {"store.sqlite3": 0o600}
    assert mode(folder) == 0o700 and mode(folder.parent) == 0o700  # made by the store


@pytest.mark.parametrize("use", STORES.values(), ids=STORES.keys())
def test_files_made_earlier_with_the_umask_are_tightened(
    tmp_path: Path, use: Callable[[Path], Callable[[], None]]
) -> None:
    path = tmp_path / "store.sqlite3"
    with umask(0o022):
        use(path)()  # made and closed; then loosened as an older version left them
        path.chmod(0o644)
        for side in ("-wal", "-shm", "-journal"):
            Path(f"{path}{side}").touch(mode=0o644)
        tmp_path.chmod(0o755)
        use(path)()
    for p in tmp_path.iterdir():
        assert mode(p) == 0o600, p.name
    assert mode(tmp_path) == 0o755  # a folder the app did not make is left as it is
