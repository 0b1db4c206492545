"""A big test set's rows in a sibling JSON-lines file (TestSet.rows_file), so the workspace
file stays small and diff-friendly.

Rules (services/files.py's load_workspace and save_workspace apply them):
- Saving a workspace the user named: when the test set has more than MAX_INLINE_ROWS rows, or
  already has a rows file, the rows go to that file (`<workspace stem>.rows.jsonl` beside the
  workspace when none is named), one TestRow a line, written atomically and only when changed;
  the workspace file then holds `rows: []` and `rows_file`. An autosave keeps its rows inline
  (two tabs' autosaves must not share a sibling file).
- A test set with no rows in memory never empties its rows file: a workspace read without its
  rows (a history record) must not erase them.
- Loading: a workspace with `rows_file` and no inline rows reads its rows from the file.
- A rows file that cannot be fully read (bad JSON, an unknown field written by a newer
  Playground, a repeated id) fails the load with RowsFileError naming its line, and is never
  overwritten.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from playground.core.evaluation_spec import MAX_INLINE_ROWS, TestRow, TestSet
from playground.core.test_sets import TestSetError, read_csv, read_jsonl, write_csv, write_jsonl
from playground.core.workspace import Workspace
from playground.services.files import WorkspaceFileError, atomic_write

ROWS_SUFFIX = ".rows.jsonl"


class RowsFileError(WorkspaceFileError):
    """A test set's rows file cannot be fully read: the message names the file and line."""


def rows_path(workspace_path: Path, rows_file: str) -> Path:
    """Where `rows_file` (relative to the workspace file, or absolute) is."""
    return workspace_path.parent / rows_file


def read_rows(path: Path) -> list[TestRow]:
    """Every TestRow of a rows file. Raises RowsFileError: unreadable, not UTF-8, a line that
    is not a TestRow (line number and field), or an id used twice."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RowsFileError(
            f"{path}: cannot read the test set's rows: {exc.strerror or exc}"
        ) from None
    except UnicodeDecodeError:
        raise RowsFileError(f"{path}: the test set's rows are not UTF-8 text") from None
    rows: list[TestRow] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.split("\n"), 1):  # JSON strings may hold U+2028
        if not line.strip():
            continue
        try:
            row = TestRow.model_validate_json(line)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            why = f"{where}: {first['msg']}" if where else first["msg"]
            raise RowsFileError(f"{path}:{number}: not a test row: {why}") from None
        if row.id in seen:
            raise RowsFileError(
                f"{path}:{number}: the id “{row.id}” is used on line {seen[row.id]} too"
            )
        seen[row.id] = number
        rows.append(row)
    return rows


def with_rows(workspace_path: Path, ws: Workspace) -> Workspace:
    """`ws` with its rows read from its rows file (as it is when it has none to read)."""
    ts = ws.test_set
    if ts.rows_file is None or ts.rows:
        return ws
    rows = read_rows(rows_path(workspace_path, ts.rows_file))
    return ws.model_copy(update={"test_set": ts.model_copy(update={"rows": rows})})


def split_rows(workspace_path: Path, ws: Workspace) -> tuple[Workspace, Path | None]:
    """The workspace to write at `workspace_path` and the rows file to write beside it (None:
    the rows stay inline, or there are none to write). See the module docstring."""
    ts = ws.test_set
    if not ts.rows:
        return ws, None
    if ts.rows_file is None and len(ts.rows) <= MAX_INLINE_ROWS:
        return ws, None
    name = ts.rows_file or workspace_path.stem + ROWS_SUFFIX
    kept = ts.model_copy(update={"rows": [], "rows_file": name})
    return ws.model_copy(update={"test_set": kept}), rows_path(workspace_path, name)


def write_rows(path: Path, rows: list[TestRow], *, private: bool = False) -> None:
    """Write `rows` to `path` atomically, one TestRow a line; nothing when the file holds them
    already. Raises RowsFileError when the file there cannot be fully read (never
    overwritten)."""
    text = "".join(row.model_dump_json() + "\n" for row in rows)
    if path.exists():
        try:
            read_rows(path)
        except RowsFileError as exc:
            raise RowsFileError(
                f"{exc}; it is not overwritten: fix it, or save elsewhere"
            ) from None
        if path.read_text(encoding="utf-8") == text:
            return
    atomic_write(path, text, private=private)


CSV_SUFFIXES = (".csv",)
TSV_SUFFIXES = (".tsv", ".tab")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
IMPORT_SUFFIXES = CSV_SUFFIXES + TSV_SUFFIXES + JSONL_SUFFIXES


def import_test_set(path: Path) -> TestSet:
    """A test set from a .csv, .tsv/.tab (tab-separated) or .jsonl/.ndjson file, UTF-8 (a
    byte-order mark is ignored). Raises core.test_sets.TestSetError: unreadable, not UTF-8,
    an unknown suffix, or what the reader says of a line."""
    suffix = path.suffix.lower()
    if suffix not in IMPORT_SUFFIXES:
        known = ", ".join(IMPORT_SUFFIXES)
        raise TestSetError(str(path), None, f"a test set file ends in one of {known}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise TestSetError(str(path), None, f"cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise TestSetError(str(path), None, "not a UTF-8 text file") from None
    if suffix in JSONL_SUFFIXES:
        return read_jsonl(text, str(path))
    return read_csv(text, str(path), delimiter="\t" if suffix in TSV_SUFFIXES else ",")


def export_test_set(path: Path, test_set: TestSet) -> None:
    """Write `test_set` atomically as JSON lines (.jsonl, .ndjson) or else CSV."""
    if path.suffix.lower() in JSONL_SUFFIXES:
        atomic_write(path, write_jsonl(test_set.rows))
    else:
        atomic_write(path, write_csv(test_set))
