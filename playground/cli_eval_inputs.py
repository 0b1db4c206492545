"""What `playground eval` reads and the two stand-ins it runs with until the other parts of
issue 17 land: the rows file reader (core/test_sets.py replaces `read_rows`), the variables'
fill (core/variables.py `fill` replaces `prepare`) and the graders (core/graders.py replaces
`grader`). Each is small and private to the CLI so that it can be swapped at merge.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playground.core.evaluation_results import CellGrade
    from playground.core.evaluation_spec import GraderSpec, TestRow
    from playground.core.reducer import AssistantTurn
    from playground.core.variants import Variant
    from playground.core.workspace import Workspace
    from playground.services.evaluation import Grade
    from playground.services.runs import RunFigures


# -- rows ------------------------------------------------------------------------------------


class RowsError(ValueError):
    """A rows file that cannot be read; the message names the file and the line."""


def read_rows(path: Path) -> list[TestRow]:
    """Rows from CSV (a header line) or JSON lines (a TestRow, or a flat object per line).
    Private and small on purpose: core/test_sets.py's reader replaces it."""
    from pydantic import ValidationError

    from playground.core.evaluation_spec import TestRow

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RowsError(f"--rows {path}: cannot be read ({exc})") from None
    records: list[dict[str, Any]] = []
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    item = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise RowsError(f"{path}:{n}: not valid JSON: {exc.msg}") from None
                if not isinstance(item, dict):
                    raise RowsError(f"{path}:{n}: a row must be a JSON object")
                records.append(item)
    else:
        records = list(csv.DictReader(text.splitlines()))
    rows = []
    for n, item in enumerate(records, 1):
        if "values" not in item:
            item = _flat(item)
        item.setdefault("id", f"row-{n}")
        try:
            rows.append(TestRow.model_validate(item))
        except ValidationError as exc:
            raise RowsError(f"{path}: row {n}: {exc.errors()[0]['msg']}") from None
    return rows


def _flat(item: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"values": {}, "expected": {}}
    for key, value in item.items():
        text = "" if value is None else value if isinstance(value, str) else json.dumps(value)
        if key in ("id", "note"):
            out[key] = text
        elif key == "expected" or key.startswith("expected."):
            out["expected"][key.removeprefix("expected.")] = text
        else:
            out["values"][key] = text
    return out


def workspace_rows(ws: Workspace, path: Path) -> list[TestRow]:
    if ws.test_set.rows_file:
        return read_rows(path.parent / ws.test_set.rows_file)
    return list(ws.test_set.rows)


# -- placeholders the lead swaps for core/variables.py and core/graders.py --------------------

_NAME = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}")


def _fill(text: str, values: dict[str, str]) -> str:
    """PLACEHOLDER for core.variables.fill_text: literal `{{name}}` replacement (a name with
    no value is left as it is)."""
    return _NAME.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def _values(row: TestRow) -> dict[str, str]:
    out = dict(row.values)
    out.update({f"expected.{k}": v for k, v in row.expected.items()})
    if "expected" in row.expected:
        out["expected"] = row.expected["expected"]
    return out


def prepare(ws: Workspace, _variant: Variant | None, row: TestRow) -> Workspace:
    """PLACEHOLDER for core.variables.fill(ws, values): the row's values filled into the
    instructions and the messages' text."""
    values = _values(row)
    messages = [
        m.model_copy(update={"content": _fill(m.content, values)})
        if isinstance(m.content, str)
        else m
        for m in ws.messages
    ]
    return ws.model_copy(
        update={"instructions": _fill(ws.instructions, values), "messages": messages}
    )


def grader(specs: list[GraderSpec]) -> Grade:
    """PLACEHOLDER for core.graders: the text graders (exact, contains, not_contains,
    starts_with, regex); other kinds are left out until core/graders.py lands."""
    from playground.core.evaluation_results import CellGrade

    def grade(row: TestRow, turn: AssistantTurn, _figures: RunFigures) -> list[CellGrade]:
        out = []
        for spec in specs:
            want = _fill(spec.value, _values(row))
            text = turn.text
            if not spec.case_sensitive:
                want, text = want.lower(), text.lower()
            ok = _check(spec.kind, want, text)
            if ok is not None:
                why = f"{spec.kind.replace('_', ' ')} {want!r}: {'yes' if ok else 'no'}"
                out.append(CellGrade(ok, why, spec.name or spec.kind))
        return out

    return grade


def _check(kind: str, want: str, text: str) -> bool | None:
    if kind == "exact":
        return text.strip() == want.strip()
    if kind == "contains":
        return want in text
    if kind == "not_contains":
        return want not in text
    if kind == "starts_with":
        return text.startswith(want)
    if kind == "regex":
        try:
            return re.search(want, text) is not None
        except re.error:
            return False
    return None
