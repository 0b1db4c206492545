"""An evaluation as one self-contained HTML page, to share with a team: the header (workspace,
dates, each variant's model and provider, the pass-rate headline), the summary per variant,
the charts, the matrix rows x variants and the exact request bodies.

Self-contained: inline CSS only, the charts as `data:image/png` URIs, no script, no font or
URL fetched; a Content-Security-Policy (`default-src 'none'`) makes a browser refuse any load
anyway. Everything that comes from the user or a model (names, variables, answers, reasons,
request bodies) goes through `html.escape` in `_t` and nowhere else. The page holds request
bodies only: never a header, a key or a base URL (a base URL may carry a key in its query).

`render(report)` is pure; services/eval_report.py gathers a Report from an evaluation.
"""

from __future__ import annotations

import base64
import html
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from playground.core.evaluation_results import PREVIEW_CHARS, Cell, VariantSummary
from playground.core.evaluation_spec import TestRow
from playground.core.report_style import CSS

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
"""No script, no fetch: images only from data: URIs, styles only inline."""


@dataclass(frozen=True, slots=True)
class ReportColumn:
    """A variant as the report names it: its key, title, model, API and provider profile."""

    key: str
    title: str
    model: str
    api: str
    provider: str


@dataclass(frozen=True, slots=True)
class ExactRequest:
    """One request body as it is sent (`body`, the JSON object), for `row` (None: the
    template, its `{{name}}` placeholders unfilled), or why it could not be built."""

    row: str | None
    endpoint: str
    body: dict[str, Any] | None = None
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class Report:
    """What the page shows. `started_at` and `exported_at` are Unix times (seconds, shown in
    UTC); `charts` are (title, PNG bytes); `requests` maps a column key to its requests (a
    body per row up to a cap, then the template: `requests_note` says so); `charts_note`
    stands in for the charts when there are none (say why)."""

    evaluation_id: str
    workspace: str
    columns: Sequence[ReportColumn]
    rows: Sequence[TestRow]
    cells: Sequence[Cell]
    summaries: Sequence[VariantSummary]
    charts: Sequence[tuple[str, bytes]] = ()
    requests: Mapping[str, Sequence[ExactRequest]] = field(default_factory=dict)
    requests_note: str = ""
    charts_note: str = "No charts in this report."
    started_at: float | None = None
    exported_at: float | None = None


def _t(value: object) -> str:
    """The one escape: any text from the user, a model or a server, as HTML text or an
    attribute value (quotes escaped too)."""
    return html.escape(str(value), quote=True)


def when(stamp: float | None) -> str:
    """ "2026-12-01 05:07 UTC", or "unknown"."""
    if stamp is None or not math.isfinite(stamp):
        return "unknown"
    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d %H:%M UTC")


def rate(value: float | None) -> str:
    """ "67%" (as the window's summary shows it), "–" before any cell finished."""
    return "–" if value is None else f"{value:.0%}"


def ms(value: float | None) -> str:
    """ "17 ms" under a second, "1.20 s" from one on, "–" when unknown."""
    if value is None:
        return "–"
    return f"{value:.0f} ms" if value < 1000 else f"{value / 1000:.2f} s"


def usd(value: float | None) -> str:
    """ "$0.000123" (six decimals, as `playground eval` prints it), "n/a" without a price."""
    return "n/a" if value is None else f"${value:.6f}"


def render(report: Report) -> str:
    """The whole page, UTF-8 text."""
    title = f"Evaluation {report.evaluation_id} · {report.workspace}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="color-scheme" content="light dark">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_t(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        _header(report),
        _summary(report),
        _charts(report),
        _matrix(report),
        _requests(report),
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _titles(report: Report) -> dict[str, str]:
    return {c.key: c.title for c in report.columns}


def _header(report: Report) -> str:
    done = [c for c in report.cells if c.finished]
    passed = sum(c.outcome == "passed" for c in done)
    headline = (
        f"{passed} of {len(done)} finished cells passed ({rate(passed / len(done))})"
        if done
        else "No cell has finished."
    )
    left = len(report.cells) - len(done)
    if left:
        headline += f"; {left} not run"
    variants = "".join(
        f"<li><b>{_t(c.title)}</b>: {_t(c.model)} · {_t(_api(c.api))} · "
        f"provider {_t(c.provider)}</li>"
        for c in report.columns
    )
    started = f"started {_t(when(report.started_at))} · " if report.started_at else ""
    return (
        "<header>"
        f"<h1>{_t(report.workspace)}</h1>"
        f'<p class="meta">Evaluation <code>{_t(report.evaluation_id)}</code> · '
        f"{started}exported {_t(when(report.exported_at))} · "
        f"{len(report.columns)} variant(s) × {len(report.rows)} row(s)</p>"
        f'<p class="headline" id="headline">{_t(headline)}</p>'
        f'<ul class="variants">{variants}</ul>'
        "</header>"
    )


def _api(api: str) -> str:
    return "Chat Completions" if api == "chat" else "Responses" if api == "responses" else api


SUMMARY_HEAD = (
    ("variant", "Variant"),
    ("pass_rate", "Pass rate"),
    ("passed", "Passed"),
    ("failed", "Failed"),
    ("errors", "Errors"),
    ("finished", "Finished"),
    ("mean_ms", "Mean"),
    ("median_ms", "Median"),
    ("p95_ms", "p95"),
    ("tokens", "Tokens in / out"),
    ("cost_usd", "Cost"),
)


def summary_figures(s: VariantSummary) -> dict[str, str]:
    """A summary row's texts by figure name (the keys of SUMMARY_HEAD but the variant)."""
    return {
        "pass_rate": rate(s.pass_rate),
        "passed": str(s.passed),
        "failed": str(s.failed),
        "errors": str(s.errors),
        "finished": f"{s.finished} of {s.cells}",
        "mean_ms": ms(s.mean_ms),
        # median_ms: added by the charts work; an older VariantSummary has none
        "median_ms": ms(getattr(s, "median_ms", None)),
        "p95_ms": ms(s.p95_ms),
        "tokens": f"{s.input_tokens:,} / {s.output_tokens:,}",
        "cost_usd": usd(s.cost_usd),
    }


def _summary(report: Report) -> str:
    titles = _titles(report)
    shown = [
        (name, label)
        for name, label in SUMMARY_HEAD
        if name != "median_ms" or any(hasattr(s, "median_ms") for s in report.summaries)
    ]
    head = "".join(f'<th scope="col">{_t(label)}</th>' for _, label in shown)
    body = []
    for s in report.summaries:
        figures = summary_figures(s)
        cells = "".join(
            f'<td data-figure="{name}">{_t(figures[name])}</td>' for name, _ in shown[1:]
        )
        body.append(
            f'<tr data-variant="{_t(s.variant)}">'
            f'<th scope="row">{_t(titles.get(s.variant, s.variant))}</th>{cells}</tr>'
        )
    graders = sorted({g for s in report.summaries for g in s.per_grader})
    per_grader = ""
    if graders:
        ghead = "".join(f'<th scope="col">{_t(g)}</th>' for g in graders)
        grows = "".join(
            f'<tr><th scope="row">{_t(titles.get(s.variant, s.variant))}</th>'
            + "".join(f"<td>{_t(rate(s.per_grader.get(g)))}</td>" for g in graders)
            + "</tr>"
            for s in report.summaries
        )
        per_grader = (
            "<h3>Pass rate per grader</h3>"
            f'<table class="figures"><thead><tr><th scope="col">Variant</th>{ghead}</tr>'
            f"</thead><tbody>{grows}</tbody></table>"
        )
    return (
        '<section id="summary"><h2>Summary per variant</h2>'
        '<table class="figures" id="summary-table">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        '<p class="note">Latency is each answered cell\'s total time; p95 by the nearest-rank '
        "method. Cost is estimated from the catalog's prices.</p>"
        f"{per_grader}</section>"
    )


def _charts(report: Report) -> str:
    figures = []
    for title, png in report.charts:
        if not png.startswith(PNG_SIGNATURE):
            continue  # only PNG goes in: a data: URI of anything else is not ours to embed
        data = base64.b64encode(png).decode("ascii")
        figures.append(
            f'<figure><img src="data:image/png;base64,{data}" alt="{_t(title)}">'
            f"<figcaption>{_t(title)}</figcaption></figure>"
        )
    inner = "".join(figures) or f'<p class="note">{_t(report.charts_note)}</p>'
    return f'<section id="charts"><h2>Charts</h2><div class="charts">{inner}</div></section>'


MARKS = {"passed": "✓ passed", "failed": "✗ FAILED", "error": "⚠ ERROR", "pending": "… not run"}


def _cell(cell: Cell | None) -> str:
    if cell is None:
        return '<td class="cell pending"><span class="outcome">… not run</span></td>'
    lines = [f'<span class="outcome">{_t(MARKS.get(cell.outcome, cell.outcome))}</span>']
    if cell.outcome == "error":
        lines.append(
            f'<p class="error">{_t(cell.error_message or cell.error_kind or "no answer")}</p>'
        )
    if cell.grades:
        grades = "".join(
            f'<li class="{"ok" if g.passed else "bad"}">{"✓" if g.passed else "✗"} '
            f"<b>{_t(g.grader)}</b>: {_t(g.reason)}</li>"
            for g in cell.grades
        )
        lines.append(f'<ul class="grades">{grades}</ul>')
    if cell.finished and cell.outcome != "error":
        shown = cell.preview or "(no text)"
        if len(cell.preview) >= PREVIEW_CHARS:
            shown += " …"  # the cell keeps the start of the answer; the history has it all
        lines.append(f'<blockquote class="answer">{_t(shown)}</blockquote>')
    figures = _figures(cell)
    if figures:
        lines.append(f'<p class="cellfig">{_t(figures)}</p>')
    return f'<td class="cell {_t(cell.outcome)}">{"".join(lines)}</td>'


def _figures(cell: Cell) -> str:
    parts = ["cached"] if cell.cached else []  # as the matrix says: nothing spent, the saving
    if cell.total_ms is not None:
        parts.append(ms(cell.total_ms))
    if cell.input_tokens is not None or cell.output_tokens is not None:
        parts.append(f"{cell.input_tokens or 0} in / {cell.output_tokens or 0} out tokens")
    if cell.cached:
        if cell.saved_usd is not None:
            parts.append(f"saved {usd(cell.saved_usd)}")
    elif cell.cost_usd is not None:
        parts.append(usd(cell.cost_usd))
    if cell.grading_cost_usd is not None:  # a model-graded grader's run, as the matrix says
        parts.append(f"grading {usd(cell.grading_cost_usd)}")
    if cell.attempts > 1:
        parts.append(f"{cell.attempts} sends")
    return " · ".join(parts)


def _row_head(row: TestRow) -> str:
    def pairs(values: Mapping[str, str], cls: str) -> str:
        return "".join(
            f'<div class="{cls}"><span class="name">{_t(k)}</span> {_t(v)}</div>'
            for k, v in values.items()
        )

    note = f'<div class="rownote">{_t(row.note)}</div>' if row.note else ""
    return (
        f'<th scope="row" class="rowhead"><div class="rowid">{_t(row.id)}</div>'
        f"{pairs(row.values, 'var')}{pairs(row.expected, 'expected')}{note}</th>"
    )


def _matrix(report: Report) -> str:
    by = {c.key: c for c in report.cells}
    head = "".join(f'<th scope="col">{_t(c.title)}</th>' for c in report.columns)
    rows = "".join(
        f"<tr>{_row_head(row)}"
        + "".join(_cell(by.get((c.key, row.id))) for c in report.columns)
        + "</tr>"
        for row in report.rows
    )
    return (
        '<section id="matrix"><h2>Matrix</h2>'
        '<p class="note">A row per test case (its variables, its <i>expected</i> values and '
        "its note), a column per variant. Each cell: the outcome, "
        "each grader's verdict and reason, the first 200 characters of the answer, the "
        "time, tokens and cost.</p>"
        f'<table class="matrix"><thead><tr><th scope="col">Row</th>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table></section>"
    )


def _requests(report: Report) -> str:
    out = []
    for column in report.columns:
        items = []
        for n, req in enumerate(report.requests.get(column.key, ())):
            label = "template (placeholders unfilled)" if req.row is None else f"row {req.row}"
            if req.body is not None:
                text = json.dumps(req.body, indent=2, ensure_ascii=False)
                inner = f"<pre>{_t(text)}</pre>"
                if req.problem:
                    inner += f'<p class="note">{_t(req.problem)}</p>'
            else:
                inner = f'<p class="error">{_t(req.problem or "not built")}</p>'
            shown = " open" if n == 0 else ""  # one body in view (and on paper) per variant
            items.append(
                f"<details{shown}><summary>{_t(label)} · <code>POST {_t(req.endpoint)}</code>"
                f"</summary>{inner}</details>"
            )
        body = "".join(items) or '<p class="note">No request was built.</p>'
        out.append(f"<h3>{_t(column.title)}</h3>{body}")
    note = f'<p class="note">{_t(report.requests_note)}</p>' if report.requests_note else ""
    return (
        '<section id="requests"><h2>Exact requests</h2>'
        '<p class="note">The JSON body each variant sends, as built by the app for that row. '
        "Request bodies only: no header, key or server address.</p>"
        f"{note}{''.join(out)}</section>"
    )
