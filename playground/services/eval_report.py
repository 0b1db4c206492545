"""Gathering an evaluation's report (core/eval_report.py) and writing it.

The exact bodies are built by the code the run uses: `prepare` (cli_eval_inputs.prepare: the
row's values become the workspace's variables) and core.request.build with the column's
target, as services/run_stream.py sends them. The first request of a cell is shown; a tool
loop's follow-up requests add the earlier turns to it.

How many: a body per row up to REQUEST_ROWS rows per variant. Past that, the variant's
template (core.request.build with the `{{name}}` placeholders kept) and a note: the other
rows' bodies differ only by their values, which the matrix shows. A JSON string longer than
LONG_STRING characters (an attached image's base64, say) is cut, and the body says so.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from playground.core import request
from playground.core.eval_report import ExactRequest, Report, ReportColumn, render
from playground.core.evaluation_results import Cell, VariantSummary
from playground.core.evaluation_spec import TestRow
from playground.core.variants import Variant
from playground.core.workspace import Workspace
from playground.services.evaluation import Column
from playground.services.files import atomic_write

REQUEST_ROWS = 25
"""Rows per variant whose exact body the report holds in full."""
LONG_STRING = 20_000
"""Characters of one JSON string kept in a body shown (the rest is cut, with a mark)."""
NO_CHARTS = "No charts: this report was written without a display to draw them on."

Prepare = Callable[[Workspace, Variant | None, TestRow], Workspace]


def report_columns(columns: Sequence[Column], titles: Mapping[str, str]) -> list[ReportColumn]:
    """Each column's title (`titles`, else its key), model, API and provider profile name."""
    return [
        ReportColumn(
            key=c.key,
            title=titles.get(c.key, c.key),
            model=c.workspace.model,
            api=c.workspace.api,
            provider=c.profile.name,
        )
        for c in columns
    ]


def _cut(value: Any) -> tuple[Any, int]:
    """`value` with each string over LONG_STRING characters cut; how many were cut."""
    if isinstance(value, str) and len(value) > LONG_STRING:
        more = len(value) - LONG_STRING
        return f"{value[:LONG_STRING]}… [{more:,} more characters not shown]", 1
    if isinstance(value, dict):
        out, n = {}, 0
        for key, item in value.items():
            out[key], k = _cut(item)
            n += k
        return out, n
    if isinstance(value, list):
        items = [_cut(item) for item in value]
        return [i for i, _ in items], sum(k for _, k in items)
    return value, 0


def _built(ws: Workspace, column: Column, row: str | None) -> ExactRequest:
    template = (lambda text: text) if row is None else None
    try:
        built = request.build(ws, target=column.target, template=template)
    except (OSError, ValueError) as exc:  # an attached file gone since the run, say
        return ExactRequest(row, "", problem=f"Could not build this request: {exc}")
    body, cut = _cut(built.body)
    texts = "1 long text" if cut == 1 else f"{cut} long texts"
    problem = f"{texts} cut short in this copy (the request sent them whole)" if cut else None
    return ExactRequest(row, built.path, body=body, problem=problem)


def exact_requests(
    columns: Sequence[Column],
    rows: Sequence[TestRow],
    prepare: Prepare,
    limit: int = REQUEST_ROWS,
) -> tuple[dict[str, list[ExactRequest]], str]:
    """Per column key, the exact bodies of its first `limit` rows (then its template); and
    the note that says what was left out ("" when nothing was)."""
    out: dict[str, list[ExactRequest]] = {}
    for column in columns:
        found = []
        for row in rows[:limit]:
            try:
                ws = prepare(column.workspace, column.variant, row)
            except ValueError as exc:  # the run refused this row too: nothing was sent
                found.append(ExactRequest(row.id, "", problem=f"Not sent: {exc}"))
                continue
            found.append(_built(ws, column, row.id))
        if len(rows) > limit:
            found.append(_built(column.workspace, column, None))
        out[column.key] = found
    note = ""
    if len(rows) > limit:
        note = (
            f"The bodies of the first {limit} of {len(rows)} rows are shown in full; the "
            "other rows' bodies are the template below each variant with the row's values "
            "filled in (the matrix shows each row's values)."
        )
    return out, note


def build_report(
    evaluation_id: str,
    workspace: str,
    columns: Sequence[Column],
    titles: Mapping[str, str],
    rows: Sequence[TestRow],
    cells: Iterable[Cell],
    summaries: Sequence[VariantSummary],
    prepare: Prepare,
    charts: Sequence[tuple[str, bytes]] = (),
    started_at: float | None = None,
    charts_note: str = NO_CHARTS,
) -> str:
    """The report page of an evaluation (UTF-8 HTML text). `charts`: (title, PNG bytes),
    such as the Evaluate view's; none: `charts_note` says why. Exported now."""
    requests, note = exact_requests(columns, rows, prepare)
    report = Report(
        evaluation_id=evaluation_id,
        workspace=workspace,
        columns=report_columns(columns, titles),
        rows=list(rows),
        cells=list(cells),
        summaries=list(summaries),
        charts=list(charts),
        requests=requests,
        requests_note=note,
        charts_note=charts_note,
        started_at=started_at,
        exported_at=time.time(),
    )
    return render(report)


def write_report(path: Path, page: str) -> None:
    """Write the page atomically (services.files.atomic_write). Raises OSError."""
    atomic_write(path, page)


def default_name(workspace: str, stamp: float | None = None) -> str:
    """ "my-prompt-eval-2026-12-01.html": the workspace's name (its file's stem, letters,
    digits, `-` and `_` kept) and the day, UTC."""
    stem = workspace.rsplit("/", 1)[-1].removesuffix(".json")
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in stem).strip("-")
    day = time.strftime("%Y-%m-%d", time.gmtime(stamp if stamp is not None else time.time()))
    return f"{safe or 'evaluation'}-eval-{day}.html"
