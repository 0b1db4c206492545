"""`playground export WORKSPACE --format batch`: the Batch API input file(s) for every variant
on every row, for people who submit it themselves (platform.openai.com/docs/guides/batch).

One JSONL line per cell (core/batch_requests.py), checked as the API checks a file and split
when the API would refuse it whole (core/batch_check.py: 50,000 requests, 200 MB, one
endpoint; this project also keeps one model per file). One file goes to stdout, or to -o
FILE. Several need -o FILE and are named FILE's stem + "-1", "-2", ... + its suffix
("cells.jsonl" -> "cells-1.jsonl", "cells-2.jsonl"). Each custom_id is
"EVALUATION|VARIANT|ROW" (core.batch_requests.cell_id); the evaluation id is new unless
given with --evaluation-id, and stderr names it and each file written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from playground.cli_settings import EXIT_INVALID, EXIT_OK, err, open_cli_settings

if TYPE_CHECKING:
    from playground.core.batch_requests import BatchLine
    from playground.core.workspace import Workspace


def add_arguments(exp: argparse.ArgumentParser) -> None:
    """The options only --format batch reads."""
    from playground.cli_compare import VARIANT_HELP

    exp.add_argument(
        "--rows",
        type=Path,
        default=None,
        metavar="FILE",
        help="batch: a CSV or JSON-lines file of rows instead of the workspace's test set",
    )
    exp.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="KEY=VALUE[,KEY=VALUE...]",
        help="batch: " + VARIANT_HELP,
    )
    exp.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        metavar="FILE",
        help="batch: write the JSONL here (needed when it is split: FILE-1, FILE-2, ...)",
    )
    exp.add_argument(
        "--evaluation-id",
        default=None,
        metavar="ID",
        help="batch: the evaluation id the custom_ids start with (default: a new one)",
    )


def file_names(output: Path, count: int) -> list[Path]:
    """Where `count` files go: `output` alone, or its stem + "-N" + its suffix each."""
    if count == 1:
        return [output]
    return [output.with_name(f"{output.stem}-{n}{output.suffix}") for n in range(1, count + 1)]


def export_batch(args: argparse.Namespace, ws: Workspace) -> int:
    """Write the batch file(s); 2 for no rows, a row without a variable's value, an override
    that does not fit, a model without the Batch API, or a split without -o."""
    from playground.cli_compare import variants_of
    from playground.cli_eval_inputs import RowsError, read_rows, workspace_rows
    from playground.core.batch_check import SplitError, split
    from playground.core.batch_requests import CellError, jsonl, lines_for, rows_or_lone
    from playground.core.counts import counted
    from playground.core.document import PathError
    from playground.core.request import Target
    from playground.services.evaluation import new_evaluation_id
    from playground.services.files import WorkspaceFileError

    try:
        variants = variants_of(args.variant) if args.variant else list(ws.variants)
        rows = read_rows(args.rows) if args.rows else workspace_rows(ws, args.workspace)
        if not rows and args.rows:
            err(f"{args.rows}: no rows to export")
            return EXIT_INVALID
        rows = rows_or_lone(rows)  # no test set: the workspace's one request, one line
        profile = open_cli_settings().opened.settings.profile(args.profile or ws.profile)
        target = Target.for_profile(profile) if profile is not None else Target()
        evaluation_id = args.evaluation_id or new_evaluation_id()
        lines = lines_for(ws, variants, rows, evaluation_id, target)
        files = split(lines)
    except (WorkspaceFileError, RowsError, CellError, SplitError, ValueError) as exc:
        err(str(exc))
        return EXIT_INVALID
    except PathError as exc:
        err(f"--variant: {exc}")
        return EXIT_INVALID
    if not _checked(files):
        return EXIT_INVALID
    if len(files) > 1 and args.output is None:
        err(
            f"{counted(len(lines), 'request')} make {len(files)} batch files (one endpoint "
            "and model each, at most 50,000 requests and 200 MB): give -o FILE to write them"
        )
        return EXIT_INVALID
    err(f"note: custom_id = {evaluation_id}|VARIANT|ROW")
    if args.output is None:
        sys.stdout.buffer.write(jsonl(files[0]))
        return EXIT_OK
    for path, lines_in in zip(file_names(args.output, len(files)), files, strict=True):
        try:
            path.write_bytes(jsonl(lines_in))
        except OSError as exc:
            err(f"cannot write {path}: {exc.strerror or exc}")
            return EXIT_INVALID
        first = lines_in[0]
        err(f"wrote {path}: {counted(len(lines_in), 'request')}, {first.url}, {first.model}")
    return EXIT_OK


def _checked(files: list[list[BatchLine]]) -> bool:
    """Say each file's problems (errors and notes, once each); False when one would be
    refused."""
    from playground.core.batch_check import check

    said: set[str] = set()
    ok = True
    for lines in files:
        for problem in check(lines):
            ok = ok and problem.severity != "error"
            text = problem.message if problem.severity == "error" else f"note: {problem.message}"
            if text not in said:
                said.add(text)
                err(text)
    return ok
