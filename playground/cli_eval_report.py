"""What `playground eval` writes: the summary table, the --json object and JUnit XML.

JUnit XML follows the Ant/Jenkins form (tests/data/junit-10.xsd, its source named in
tests/data/README.md): a <testsuite> per variant, a <testcase> per row (classname
"eval.<variant>", time in seconds), a <failure> per failed cell whose text is each failing
grader's reason, an <error> per cell whose run failed. A suite's properties `cost_usd` (its
cells' runs and their graders' runs, US dollars) and `grading_cost_usd` (the graders' part)
are there when known; with cells answered from the response cache, `cached_cells` (how
many), `saved_usd` and `saved_ms` (what they saved), and each such case's system-out ends
with "(answered from the response cache)".
"""

from __future__ import annotations

import json
import socket
import time
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from playground.core.evaluation_results import Cell, VariantSummary, cache_words
from playground.core.evaluation_spec import TestRow


def summary_json(s: VariantSummary) -> dict[str, Any]:
    return asdict(s)


def print_summary(
    evaluation_id: str, summary: Sequence[VariantSummary], cells: Sequence[Cell], as_json: bool
) -> None:
    """The table on stdout, then a line for the cells the response cache answered (or, with
    `as_json`, {"evaluation", "summary", "cells"}: a cell's and a summary's `cached`,
    `saved_usd` and `saved_ms` say the same)."""
    if as_json:
        data = {
            "evaluation": evaluation_id,
            "summary": [summary_json(s) for s in summary],
            "cells": [asdict(c) for c in cells],
        }
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return
    head = ["variant", "pass", "rate", "errors", "mean", "median", "p95", "tokens in/out", "cost"]
    lines = [head]
    for s in summary:
        lines.append(
            [
                s.variant,
                f"{s.passed}/{s.finished}",
                f"{s.pass_rate:.0%}" if s.pass_rate is not None else "-",
                str(s.errors),
                f"{s.mean_ms:.0f} ms" if s.mean_ms is not None else "-",
                f"{s.median_ms:.0f} ms" if s.median_ms is not None else "-",
                f"{s.p95_ms:.0f} ms" if s.p95_ms is not None else "-",
                f"{s.input_tokens}/{s.output_tokens}",
                _cost(s),
            ]
        )
    widths = [max(len(r[c]) for r in lines) for c in range(len(head))]
    for r in lines:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip())
    if (words := cache_words(cells)) is not None:
        print(words)
    print(f"evaluation {evaluation_id}")


def _cost(s: VariantSummary) -> str:
    """ "$0.000150 (grading $0.000050)": everything the variant's cells cost, and the part
    their model-graded graders' runs cost."""
    if s.cost_usd is None:
        return "n/a"
    grading = f" (grading ${s.grading_cost_usd:.6f})" if s.grading_cost_usd is not None else ""
    return f"${s.cost_usd:.6f}{grading}"


def junit_xml(
    evaluation_id: str,
    summary: Sequence[VariantSummary],
    cells: Sequence[Cell],
    rows: Mapping[str, TestRow],
) -> bytes:
    """The JUnit XML document (UTF-8 bytes with its declaration)."""
    root = ET.Element("testsuites", name=f"playground eval {evaluation_id}")
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
    for sid, s in enumerate(summary):
        mine = [c for c in cells if c.variant == s.variant]
        seconds = sum((c.total_ms or 0) for c in mine) / 1000
        suite = ET.SubElement(
            root,
            "testsuite",
            name=s.variant,
            tests=str(len(mine)),
            failures=str(sum(c.outcome == "failed" for c in mine)),
            errors=str(sum(c.outcome == "error" for c in mine)),
            skipped=str(sum(not c.finished for c in mine)),
            time=f"{seconds:.3f}",
            timestamp=stamp,
            hostname=socket.gethostname() or "localhost",
            id=str(sid),
            package=f"eval.{s.variant}",
        )
        properties = ET.SubElement(suite, "properties")
        for name in ("cost_usd", "grading_cost_usd"):  # US dollars, the runs' and graders'
            if (value := getattr(s, name)) is not None:
                ET.SubElement(properties, "property", name=name, value=f"{value:.6f}")
        if s.cached:  # the cells answered from the response cache, and what they saved
            ET.SubElement(properties, "property", name="cached_cells", value=str(s.cached))
            for name, form in (("saved_usd", "{:.6f}"), ("saved_ms", "{:.0f}")):
                if (value := getattr(s, name)) is not None:
                    ET.SubElement(properties, "property", name=name, value=form.format(value))
        for c in mine:
            case = ET.SubElement(
                suite,
                "testcase",
                name=c.row,
                classname=f"eval.{s.variant}",
                time=f"{(c.total_ms or 0) / 1000:.3f}",
            )
            if c.outcome == "failed":
                bad = [g for g in c.grades if not g.passed]
                failure = ET.SubElement(
                    case,
                    "failure",
                    message="; ".join(g.grader for g in bad),
                    type="grader",
                )
                failure.text = "\n".join(f"{g.grader}: {g.reason}" for g in bad)
            elif c.outcome == "error":
                error = ET.SubElement(
                    case, "error", message=c.error_message or "", type=c.error_kind or "error"
                )
                error.text = c.error_message or ""
            elif not c.finished:
                ET.SubElement(case, "skipped")
            note = rows.get(c.row)
            out = ET.SubElement(case, "system-out")
            out.text = c.preview + (f"\n(note: {note.note})" if note and note.note else "")
            if c.cached:
                out.text += "\n(answered from the response cache)"
        ET.SubElement(suite, "system-out")
        ET.SubElement(suite, "system-err")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def write_junit(
    path: Path,
    evaluation_id: str,
    summary: Sequence[VariantSummary],
    cells: Sequence[Cell],
    rows: Mapping[str, TestRow],
) -> None:
    path.write_bytes(junit_xml(evaluation_id, summary, cells, rows))
