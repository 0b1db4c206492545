"""`playground export WORKSPACE --format compare-python`: the program that runs the workspace's
Compare variants at once and prints their figures (core/codegen_compare.py)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from playground.cli_settings import EXIT_INVALID, EXIT_OK, err, open_cli_settings

if TYPE_CHECKING:
    from playground.core.workspace import Workspace


def export_compare(args: argparse.Namespace, ws: Workspace) -> int:
    """`playground export WS --format compare-python`: the program that runs the workspace's
    variants at once and prints the figures table (core/codegen_compare.py). With --profile,
    every variant is exported for that stored profile."""
    from playground.core import validation
    from playground.core.codegen_compare import compare_python
    from playground.core.compare import independent
    from playground.core.document import PathError
    from playground.core.request import Target
    from playground.core.variants import apply

    if not ws.variants:
        err(
            f"{args.workspace}: the workspace has no Compare variants to export; add them in "
            "the window's Compare mode"
        )
        return EXIT_INVALID
    for option in ("tool_loop", "pydantic", "keep_variables"):
        if getattr(args, option, False):
            err(f"note: --{option.replace('_', '-')} is not part of a compare export; ignored")
    from playground.cli_files import FILE_NOTES, refuse_errors, refuse_files, refuse_unfilled

    variants = list(ws.variants)
    if args.profile:
        variants = [
            v.model_copy(update={"overrides": {**v.overrides, "profile": args.profile}})
            for v in variants
        ]
    settings = open_cli_settings()
    profiles = {}
    unfilled = False
    for variant in variants:
        try:
            vws = independent(apply(ws, variant))
        except PathError as exc:
            err(f"[{variant.key}] {exc}")
            return EXIT_INVALID
        profile = settings.opened.settings.profile(vws.profile)
        if profile is None:
            err(
                f"[{variant.key}] the provider profile '{vws.profile}' is not in this machine's "
                f"settings ({settings.path}), so the code would not know where to send the "
                "request. Add it (Providers in the window), or export for a stored one with "
                "--profile NAME."
            )
            return EXIT_INVALID
        profiles[vws.profile] = profile
        if refuse_unfilled(vws, f"[{variant.key}] ", python=False):
            unfilled = True  # the program would send the unfilled template: exit 2
            continue
        said = set()
        found = validation.validate(vws, target=Target.for_profile(profile))
        for finding in found:
            line = f"[{variant.key}] {finding}"
            if (finding.severity != "info" or finding.code in FILE_NOTES) and line not in said:
                said.add(line)  # each once
                err(line)
        force = bool(getattr(args, "force", False))
        unfilled |= refuse_files(found, f"[{variant.key}] ") or refuse_errors(
            found, f"[{variant.key}] ", force
        )
    if unfilled:
        return EXIT_INVALID
    sys.stdout.write(compare_python(ws, variants, profiles))
    return EXIT_OK
