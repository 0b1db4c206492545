"""Test sets in and out: CSV, JSON lines, and text pasted from a spreadsheet.

Columns (CSV headers, flat JSON-lines keys, pasted headers): `id` is the row's id (when
missing or blank, derived from the row's content: `new_row_id`, so the same file gives the
same ids on every read); `note` is its note; `expected` and `expected.NAME` (or `expected_NAME`,
as spreadsheets prefer) are expected values, `expected` being the one named "expected"; every
other column is a variable. Export writes `id`, the variables, `expected.NAME` (`expected` for
the one named so) and `note`, in the table's order. All values are text; a JSON number or
boolean in a flat JSON-lines row is read as its JSON text, null as "".

JSON lines: one object per line, either a TestRow (`{"id", "values", "expected", "note"}`, as
export and a workspace's rows file write) or a flat row of columns as above. Blank lines are
skipped. Every error names the line (TestSetError.line, 1-based) and says what is wrong.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from playground.core.evaluation_spec import VARIABLE_NAME, TestRow, TestSet
from playground.core.json_values import why

ID, NOTE, EXPECTED = "id", "note", "expected"


class TestSetError(ValueError):
    """A test set file or paste that cannot be read: `line` (1-based, None for the whole
    text) and a message that starts with "<source>:<line>: "."""

    __test__ = False

    def __init__(self, source: str, line: int | None, why: str) -> None:
        super().__init__(f"{source}:{line}: {why}" if line else f"{source}: {why}")
        self.line = line
        self.why = why


def content_row_id(values: dict[str, str], expected: dict[str, str]) -> str:
    """ "row-1a2b3c4d": "row-" and the first 8 hex digits of the SHA-256 of the row's values
    and expected values (canonical JSON, keys sorted, UTF-8), so the same row gets the same
    id on every read, whatever its columns' order (CI history and comparisons follow it)."""
    material = json.dumps(
        [values, expected], sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return "row-" + hashlib.sha256(material.encode("utf-8")).hexdigest()[:8]


def new_row_id(
    taken: Iterable[str] = (),
    values: dict[str, str] | None = None,
    expected: dict[str, str] | None = None,
) -> str:
    """An id not among `taken` for a row of these values and expected values:
    `content_row_id`, or it with "-2", "-3", ... when taken (duplicate rows, numbered in the
    order they are given an id)."""
    used = set(taken)
    base = content_row_id(values or {}, expected or {})
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def column_role(header: str) -> tuple[str, str]:
    """What a column holds: ("id"|"note", ""), ("expected", NAME) or ("variable", NAME)."""
    name = header.strip()
    if name in (ID, NOTE):
        return name, ""
    if name == EXPECTED:
        return EXPECTED, EXPECTED
    for prefix in ("expected.", "expected_"):
        if name.startswith(prefix) and len(name) > len(prefix):
            return EXPECTED, name[len(prefix) :]
    return "variable", name


def header_of(name: str, expected: bool) -> str:
    """The exported header of a variable or an expected column."""
    if not expected:
        return name
    return EXPECTED if name == EXPECTED else f"expected.{name}"


class _Builder:
    """Rows from records of named cells, checking names, ids and shapes as they come."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.columns: list[str] = []
        self.expected: list[str] = []
        self.rows: list[TestRow] = []
        self._ids: dict[str, int] = {}
        self._unnamed: list[int] = []  # rows without an id: given one when all are read

    def check_header(self, headers: list[str], line: int) -> list[tuple[str, str]]:
        roles = []
        seen: set[tuple[str, str]] = set()
        for header in headers:
            role = column_role(header)
            if not header.strip():
                raise TestSetError(self.source, line, "a column has no name")
            if role[1] and not VARIABLE_NAME.fullmatch(role[1]):
                raise TestSetError(
                    self.source,
                    line,
                    f"“{header.strip()}” is not a column name: use letters, digits, _, . or -, "
                    "starting with a letter or _",
                )
            if role in seen:
                raise TestSetError(
                    self.source, line, f"the column “{header.strip()}” is there twice"
                )
            seen.add(role)
            roles.append(role)
            self._add_column(role)
        return roles

    def _add_column(self, role: tuple[str, str]) -> None:
        kind, name = role
        if kind == "variable" and name not in self.columns:
            self.columns.append(name)
        elif kind == EXPECTED and name not in self.expected:
            self.expected.append(name)

    def add(self, cells: dict[tuple[str, str], str], line: int) -> None:
        row_id = cells.pop((ID, ""), "").strip()
        if row_id in self._ids:
            raise TestSetError(
                self.source, line, f"the id “{row_id}” is used on line {self._ids[row_id]} too"
            )
        if row_id:
            self._ids[row_id] = line
        else:
            self._unnamed.append(len(self.rows))
        values = {n: v for (k, n), v in cells.items() if k == "variable"}
        expected = {n: v for (k, n), v in cells.items() if k == EXPECTED}
        note = cells.get((NOTE, ""), "")
        # checked here; an unnamed row's id is set in test_set, after every given id is known
        TestRow(id=row_id or "-", values=values, expected=expected, note=note)
        self.rows.append(
            TestRow.model_construct(id=row_id, values=values, expected=expected, note=note)
        )

    def test_set(self) -> TestSet:
        taken = set(self._ids)
        for at in self._unnamed:  # in order, so duplicates are numbered as they come
            row = self.rows[at]
            row_id = new_row_id(taken, row.values, row.expected)
            taken.add(row_id)
            self.rows[at] = row.model_copy(update={"id": row_id})
        order_v, order_e = self.columns, self.expected
        rows = [
            r
            if _in_order(r.values, order_v) and _in_order(r.expected, order_e)
            else r.model_copy(
                update={
                    "values": {n: r.values[n] for n in order_v if n in r.values},
                    "expected": {n: r.expected[n] for n in order_e if n in r.expected},
                }
            )
            for r in self.rows
        ]
        return TestSet.model_construct(  # the rows and names are checked already
            columns=order_v, expected=order_e, rows=rows, rows_file=None
        )


def _in_order(cells: dict[str, str], order: list[str]) -> bool:
    """Whether the keys of `cells` come in the table's column order (so `{{expected}}` and
    exports see the columns as the table shows them)."""
    keys = list(cells)
    return keys == [n for n in order if n in cells]


def read_csv(text: str, source: str = "CSV", *, delimiter: str = ",") -> TestSet:
    """A test set from CSV text with a header line (a leading byte-order mark is ignored).
    Raises TestSetError: a bad or repeated column name, a row with more cells than headers,
    a repeated id, or broken quoting. Short rows are padded with empty cells."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=delimiter)
    build = _Builder(source)
    roles: list[tuple[str, str]] | None = None
    start = 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if roles is None:
                roles = build.check_header(record, line)
                continue
            if len(record) > len(roles):
                raise TestSetError(
                    source, line, f"{len(record)} cells, but the header names {len(roles)} columns"
                )
            padded = record + [""] * (len(roles) - len(record))
            build.add(dict(zip(roles, padded, strict=True)), line)
    except csv.Error as exc:
        raise TestSetError(source, reader.line_num, f"the CSV cannot be read: {exc}") from None
    if roles is None:
        raise TestSetError(source, None, "the file is empty: the first line must name the columns")
    return build.test_set()


def write_csv(test_set: TestSet) -> str:
    """The test set as CSV text: header `id`, variables, expected columns, `note`."""
    out = io.StringIO()
    writer = csv.writer(out)  # RFC 4180 line ends, so a cell's own \r is quoted too
    writer.writerow([ID, *test_set.columns, *(header_of(n, True) for n in test_set.expected), NOTE])
    for row in test_set.rows:
        writer.writerow(
            [
                row.id,
                *(row.values.get(n, "") for n in test_set.columns),
                *(row.expected.get(n, "") for n in test_set.expected),
                row.note,
            ]
        )
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def read_jsonl(text: str, source: str = "JSON lines") -> TestSet:
    """A test set from JSON lines (see the module docstring). Raises TestSetError naming the
    line: not JSON, not an object, a bad TestRow, a bad column name, or a repeated id."""
    build = _Builder(source)
    # split on line feeds only: str.splitlines would also split at U+2028 and other
    # separators that JSON strings may hold unescaped
    for number, raw in enumerate(text.removeprefix("\ufeff").split("\n"), 1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            where = f"not valid JSON at column {exc.colno}"
            raise TestSetError(source, number, f"{where}: {why(exc)}") from None
        except (ValueError, RecursionError):
            raise TestSetError(source, number, "not valid JSON") from None
        if not isinstance(data, dict):
            raise TestSetError(source, number, "each line must be a JSON object")
        if isinstance(data.get("values"), dict):
            try:
                row = TestRow.model_validate(data)
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"]) or "the row"
                raise TestSetError(source, number, f"{where}: {first['msg']}") from None
            data = {
                ID: row.id,
                NOTE: row.note,
                **row.values,
                **{header_of(n, True): v for n, v in row.expected.items()},
            }
        roles = build.check_header(list(data), number)
        build.add({r: _cell(v) for r, v in zip(roles, data.values(), strict=True)}, number)
    return build.test_set()


def write_jsonl(rows: Iterable[TestRow]) -> str:
    """Rows as JSON lines, one TestRow object a line (what read_jsonl and a rows file read)."""
    return "".join(row.model_dump_json() + "\n" for row in rows)


def _names_table(test_set: TestSet) -> set[str]:
    names = {ID, NOTE, *test_set.columns}
    for name in test_set.expected:
        names |= {header_of(name, True), f"expected_{name}"}
    return names


def read_paste(text: str, table: TestSet) -> TestSet:
    """Rows pasted from a spreadsheet (tab-separated, quoted as spreadsheets quote cells with
    tabs or line breaks) into `table`: the rows, and the columns they bring.

    The first line is a header when each of its cells is a column name (as CSV headers are)
    and one at least names a column of `table`, or when `table` has no columns yet; new
    names in it become new columns.
    Otherwise cells go by position: the variables, then the expected columns, then the note
    (extra cells are an error). Raises TestSetError naming the line."""
    lines = text.removesuffix("\n")
    try:
        first = next(csv.reader(io.StringIO(lines, newline=""), delimiter="\t"), [])
    except csv.Error:
        first = []
    known = _names_table(table)
    empty = not table.columns and not table.expected
    names = [column_role(c) for c in first]
    shaped = all(kind in (ID, NOTE) or VARIABLE_NAME.fullmatch(name) for kind, name in names)
    if first and shaped and (empty or any(c.strip() in known for c in first)):
        return read_csv(lines, "pasted text", delimiter="\t")
    headers = [*table.columns, *(header_of(n, True) for n in table.expected), NOTE]
    body = io.StringIO()
    csv.writer(body, delimiter="\t", lineterminator="\n").writerow(headers)
    try:
        return read_csv(body.getvalue() + lines, "pasted text", delimiter="\t")
    except TestSetError as exc:  # the added header is line 1: name the pasted line
        raise TestSetError("pasted text", (exc.line or 2) - 1, exc.why) from None


def merged(table: TestSet, incoming: TestSet, at: int | None = None) -> TestSet:
    """`table` with `incoming`'s new columns added and its rows inserted at `at` (the end when
    None); an incoming row whose id is taken gets a new one (`new_row_id` of its content)."""
    taken = {r.id for r in table.rows}
    rows = []
    for row in incoming.rows:
        if row.id in taken:
            row = row.model_copy(update={"id": new_row_id(taken, row.values, row.expected)})
        taken.add(row.id)
        rows.append(row)
    where = len(table.rows) if at is None else max(0, min(at, len(table.rows)))
    return table.model_copy(
        update={
            "columns": table.columns + [c for c in incoming.columns if c not in table.columns],
            "expected": table.expected + [e for e in incoming.expected if e not in table.expected],
            "rows": table.rows[:where] + rows + table.rows[where:],
        }
    )
