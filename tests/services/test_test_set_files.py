"""A big test set's rows in a sibling JSON-lines file (services/test_set_files.py), through the
workspace's own save and load (services/files.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from playground.core.evaluation_spec import MAX_INLINE_ROWS, TestRow, TestSet
from playground.core.test_sets import TestSetError
from playground.core.workspace import Workspace
from playground.services.files import load_workspace, save_workspace
from playground.services.session import SessionStore, TabRecord
from playground.services.test_set_files import (
    RowsFileError,
    export_test_set,
    import_test_set,
    read_rows,
)


def workspace(n: int, **kw: object) -> Workspace:
    rows = [
        TestRow(id=f"r{i}", values={"city": f"City {i}\u2028"}, expected={"answer": "x"})
        for i in range(n)
    ]
    ts = TestSet(columns=["city"], expected=["answer"], rows=rows, **kw)  # type: ignore[arg-type]
    return Workspace(test_set=ts)


def test_a_small_test_set_stays_inline(tmp_path: Path) -> None:
    path = tmp_path / "small.json"
    save_workspace(path, workspace(3))
    assert json.loads(path.read_text())["test_set"]["rows"][0]["id"] == "r0"
    assert not (tmp_path / "small.rows.jsonl").exists()
    assert load_workspace(path) == workspace(3)


def test_a_big_test_set_goes_to_a_sibling_file_and_comes_back(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    ws = workspace(MAX_INLINE_ROWS + 1)
    stored = save_workspace(path, ws, ws.to_json())  # the caller's text had the rows inline
    assert stored.test_set.rows == ws.test_set.rows  # what the tab should now hold
    assert stored.test_set.rows_file == "big.rows.jsonl"
    stored = json.loads(path.read_text())["test_set"]
    assert stored["rows"] == [] and stored["rows_file"] == "big.rows.jsonl"
    sibling = tmp_path / "big.rows.jsonl"
    assert len(sibling.read_text(encoding="utf-8").split("\n")) == MAX_INLINE_ROWS + 2
    loaded = load_workspace(path)
    assert loaded.test_set.rows == ws.test_set.rows
    assert loaded.test_set.rows_file == "big.rows.jsonl"
    before = sibling.stat().st_mtime_ns
    save_workspace(path, loaded)  # unchanged rows: the file is not rewritten
    assert sibling.stat().st_mtime_ns == before


def test_a_rows_file_keeps_being_used_and_is_never_emptied_by_a_rowless_copy(
    tmp_path: Path,
) -> None:
    path = tmp_path / "w.json"
    save_workspace(path, workspace(2, rows_file="cases.jsonl"))
    assert len(read_rows(tmp_path / "cases.jsonl")) == 2
    rowless = load_workspace(path, rows=False)
    assert rowless.test_set.rows == []
    save_workspace(path, rowless)
    assert len(read_rows(tmp_path / "cases.jsonl")) == 2


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ('{"id": "a", "values": {}}\n{"id": "b", "colour": "red"}\n', ":2: not a test row: colour"),
        ('{"id": "a"}\n\n{"id": "a"}\n', ":3: the id “a” is used on line 1 too"),
        ('{"id": "a"}\n{"id": \n', ":2: not a test row"),
    ],
)
def test_a_rows_file_that_cannot_be_fully_read_fails_the_load_and_is_not_overwritten(
    tmp_path: Path, line: str, words: str
) -> None:
    path = tmp_path / "w.json"
    save_workspace(path, workspace(1, rows_file="w.rows.jsonl"))
    sibling = tmp_path / "w.rows.jsonl"
    sibling.write_text(line, encoding="utf-8")
    with pytest.raises(RowsFileError) as caught:
        load_workspace(path)
    assert words in str(caught.value) and str(sibling) in str(caught.value)
    with pytest.raises(RowsFileError, match="it is not overwritten"):
        save_workspace(path, workspace(5, rows_file="w.rows.jsonl"))
    assert sibling.read_text(encoding="utf-8") == line


def test_a_newer_workspace_file_refuses_the_save_before_any_rows_are_written(
    tmp_path: Path,
) -> None:
    from playground.services.files import NewerWorkspaceError

    path = tmp_path / "w.json"
    path.write_text('{"schema_version": 999}', encoding="utf-8")
    with pytest.raises(NewerWorkspaceError):
        save_workspace(path, workspace(MAX_INLINE_ROWS + 1))
    assert not (tmp_path / "w.rows.jsonl").exists()


def test_a_missing_rows_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_text(workspace(0, rows_file="gone.jsonl").to_json(), encoding="utf-8")
    with pytest.raises(RowsFileError, match=r"gone\.jsonl: cannot read"):
        load_workspace(path)


def test_an_autosave_keeps_its_rows_inline(tmp_path: Path) -> None:
    session = SessionStore(tmp_path / "state")
    ws = workspace(MAX_INLINE_ROWS + 1, rows_file="mine.rows.jsonl")
    session.write_tab("t1", ws)
    assert not list((tmp_path / "state").rglob("*.rows.jsonl"))

    assert session.read_tab(TabRecord(id="t1")) == ws


@pytest.mark.parametrize("name", ["cases.csv", "cases.jsonl"])
def test_a_test_set_is_exported_and_imported_by_its_suffix(tmp_path: Path, name: str) -> None:
    ts = workspace(4).test_set
    export_test_set(tmp_path / name, ts)
    assert import_test_set(tmp_path / name).rows == ts.rows


def test_a_spreadsheet_export_with_a_bom_and_tabs_is_read(tmp_path: Path) -> None:
    path = tmp_path / "sheet.tsv"
    path.write_bytes("\ufeffcity\texpected\nParis\tParis\n".encode())
    ts = import_test_set(path)
    assert ts.columns == ["city"] and ts.rows[0].expected == {"expected": "Paris"}


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("cases.xlsx", b"PK", "ends in one of .csv"),
        ("cases.csv", b"q\n\xff\n", "not a UTF-8 text file"),
        ("missing.csv", None, "cannot read"),
        ("cases.csv", b"q\na,b\n", ":2: 2 cells"),
    ],
)
def test_a_file_that_cannot_be_imported_says_why(
    tmp_path: Path, name: str, data: bytes | None, words: str
) -> None:
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    with pytest.raises(TestSetError) as caught:
        import_test_set(path)
    assert words in str(caught.value) and str(path) in str(caught.value)
