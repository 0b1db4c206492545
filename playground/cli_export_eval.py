"""`playground export WORKSPACE --format eval-python`: the program that runs the workspace's
variants on every row of its test set, grades the answers and prints the results
(core/codegen_eval.py)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from playground.cli_settings import EXIT_INVALID, EXIT_OK, err, open_cli_settings

if TYPE_CHECKING:
    from playground.core.workspace import Workspace


def export_eval(args: argparse.Namespace, ws: Workspace) -> int:
    """The evaluation program on stdout; 2 when there are no rows, an override does not fit,
    a profile is not in the settings (the code would not know where to send) or a row has no
    value for a variable a variant uses (its cell could only fail; `export --format batch`
    refuses the same, core.batch_requests.cell_workspace)."""
    from playground.cli_eval_inputs import RowsError, workspace_rows
    from playground.core.codegen_eval import eval_python
    from playground.core.document import PathError
    from playground.core.variants import apply

    try:
        rows = workspace_rows(ws, args.workspace)
    except RowsError as exc:
        err(str(exc))
        return EXIT_INVALID
    if not rows:
        err(f"{args.workspace}: the workspace has no test set rows to export")
        return EXIT_INVALID
    variants = list(ws.variants)
    if args.profile:
        variants = [
            v.model_copy(update={"overrides": {**v.overrides, "profile": args.profile}})
            for v in variants
        ]
        ws = ws.model_copy(update={"profile": args.profile})
    settings = open_cli_settings()
    profiles = {}
    for variant_ws in [apply(ws, v) for v in variants] if variants else [ws]:
        profile = settings.opened.settings.profile(variant_ws.profile)
        if profile is None:
            err(
                f"the provider profile '{variant_ws.profile}' is not in this machine's settings "
                f"({settings.path}); export for a stored one with --profile NAME"
            )
            return EXIT_INVALID
        profiles[variant_ws.profile] = profile
    from playground.core.batch_requests import CellError, cell_workspace

    try:
        for key, applied in [(v.key, apply(ws, v)) for v in variants] or [("base", ws)]:
            for row in rows:
                try:
                    cell_workspace(applied, row)
                except CellError as exc:
                    err(f"[{key}] row {row.id}: {exc}; nothing exported")
                    return EXIT_INVALID
        text = eval_python(ws, variants, rows, ws.graders, profiles)
    except PathError as exc:
        err(str(exc))
        return EXIT_INVALID
    sys.stdout.write(text)
    return EXIT_OK
