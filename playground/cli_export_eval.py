"""`playground export WORKSPACE --format eval-python`: the program that runs the workspace's
variants on every row of its test set, grades the answers and prints the results
(core/codegen_eval.py)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from playground.cli_settings import EXIT_INVALID, EXIT_OK, err, open_cli_settings

if TYPE_CHECKING:
    from playground.core.profiles import ProviderProfile
    from playground.core.workspace import Workspace


def export_eval(args: argparse.Namespace, ws: Workspace) -> int:
    """The evaluation program on stdout; 2 when there are no rows, an override does not fit,
    a profile is not in the settings (the code would not know where to send), a row has no
    value for a variable a variant uses (its cell could only fail; `export --format batch`
    refuses the same, core.batch_requests.cell_workspace), or a variant's file is missing or
    too large (cli_files.refuse_files, as the other export formats refuse it)."""
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
        refused = False
        for key, applied in [(v.key, apply(ws, v)) for v in variants] or [("base", ws)]:
            for row in rows:
                try:
                    cell_workspace(applied, row)
                except CellError as exc:
                    err(f"[{key}] row {row.id}: {exc}; nothing exported")
                    return EXIT_INVALID
            # file parts are the same in every row: one filled cell says what each sends
            first = cell_workspace(applied, rows[0])
            force = bool(getattr(args, "force", False))
            refused |= _refuse_files(first, profiles, f"[{key}] ", force)
        if refused:
            return EXIT_INVALID
        text = eval_python(ws, variants, rows, ws.graders, profiles)
    except PathError as exc:
        err(str(exc))
        return EXIT_INVALID
    sys.stdout.write(text)
    return EXIT_OK


def _refuse_files(
    cell: Workspace, profiles: dict[str, ProviderProfile], label: str, force: bool = False
) -> bool:
    """What `run` and `export` say of the cell's files and errors (on stderr, prefixed by
    `label`), and whether nothing is exported: a file cannot be sent (missing, unreadable,
    too large), or an error is left and `force` is off (cli_files.refuse_errors)."""
    from playground.cli_files import refuse_errors, refuse_files
    from playground.core import file_inputs, validation
    from playground.core.request import Target

    found = validation.validate(cell, target=Target.for_profile(profiles[cell.profile]))
    said = [f for f in found if f.code in file_inputs.FILE_CODES or f.severity == "error"]
    for finding in dict.fromkeys(said):
        err(f"{label}{finding}")
    files = [f for f in said if f.code in file_inputs.FILE_CODES]
    return refuse_files(files, label) or refuse_errors(said, label, force)
