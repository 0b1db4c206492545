"""`playground export` and `playground import`: requests in and out of workspace files.

Notes go to stderr as `note: ...` lines; stdout carries only the program, the body or the
workspace. A request whose `{{variables}}` have no value is not exported (exit 2, the
findings on stderr, nothing on stdout), as `playground run` does not send it: the output
would be the unfilled template passed off as the request. `--keep-variables` (Python),
where the template is the point, exports it.

`import --add-profile` is the CLI's way to accept the provider profile an import proposes
(the window's Paste offers the same): it is added to the settings (never a key) and the
workspace uses it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from playground.cli_settings import EXIT_INVALID, EXIT_OK, CliSettings, err, open_cli_settings
from playground.core import file_inputs

if TYPE_CHECKING:
    from playground.core.findings import Finding
    from playground.core.profiles import ProviderProfile
    from playground.core.workspace import Workspace

PYTHON_FORMATS = ("python", "python-sync")


def export(args: argparse.Namespace) -> int:
    from playground.core.export import export as export_text
    from playground.services.files import WorkspaceFileError, load_workspace

    try:
        ws = load_workspace(args.workspace)
    except WorkspaceFileError as exc:
        err(str(exc))
        return EXIT_INVALID
    if args.format == "compare-python":  # every Compare variant at once
        from playground.cli_export_compare import export_compare

        return export_compare(args, ws)
    if args.format == "batch":  # every variant on every row, as Batch API input
        from playground.cli_export_batch import export_batch

        return export_batch(args, ws)
    if args.format == "eval-python":  # every variant on every row, graded
        from playground.cli_export_eval import export_eval

        return export_eval(args, ws)
    notes = ignored_options(ws, args.format, args.tool_loop, args.pydantic)
    keep = bool(getattr(args, "keep_variables", False))
    if keep and args.format not in PYTHON_FORMATS:
        notes.append(f"--keep-variables is for Python; {args.format} is filled in")
        keep = False
    for note in notes:
        err(f"note: {note}")
    if not keep and refuse_unfilled(ws, python=args.format in PYTHON_FORMATS):
        return EXIT_INVALID
    settings = open_cli_settings()
    name = args.profile or ws.profile
    profile = settings.opened.settings.profile(name)
    if profile is None and args.format != "json":  # the JSON body names no endpoint
        # Code for another endpoint than the workspace's would send its request elsewhere
        # (an Azure request to api.openai.com): say so instead of falling back to OpenAI.
        given = "given with --profile" if args.profile else f"of {args.workspace}"
        err(
            f"the provider profile '{name}' {given} is not in this machine's settings "
            f"({settings.path}), so the code would not know where to send the request. Add it "
            "(playground import --add-profile, or Providers in the window), or export for a "
            "stored one with --profile NAME."
        )
        return EXIT_INVALID
    force = bool(getattr(args, "force", False))
    if _say_findings(ws, profile, keep, python=args.format in PYTHON_FORMATS, force=force):
        return EXIT_INVALID
    sys.stdout.write(
        export_text(ws, args.format, profile, args.tool_loop, args.pydantic, keep_variables=keep)
    )
    return EXIT_OK


def refuse_unfilled(ws: Workspace, label: str = "", python: bool = True) -> bool:
    """Whether `ws` uses a `{{variable}}` without a value (core.variables.findings): then each
    finding (prefixed by `label`, e.g. "[v1] ") and what to do are said on stderr, and the
    caller exports nothing (exit 2). `python`: the format has --keep-variables to offer."""
    from playground.core import variables

    found = variables.findings(ws)
    for line in dict.fromkeys(f"{label}{finding}" for finding in found):
        err(line)
    if found:
        keep = ", or export the template with --keep-variables" if python else ""
        err(
            "nothing exported: the request would carry the unfilled {{variables}}; give them "
            f'values (the workspace\'s "variables", or Variables in the window){keep}'
        )
    return bool(found)


def _say_findings(
    ws: Workspace,
    profile: ProviderProfile | None,
    keep: bool = False,
    python: bool = False,
    force: bool = False,
) -> bool:
    """What `playground run` would say about this request before sending it (a shut-down
    model, a parameter left out, tools the model refuses, how each file is sent), on
    stderr: the export still prints exactly what would be sent. `keep`: the variables stay
    a template (a variable without a value is then no finding); `python`: a Python program,
    which creates the Conversation a workspace needs (cli_state.SETTLED_BY_CREATING). True
    when a file cannot be sent (see refuse_files), or, unless `force`, when an error is
    left that `playground run` refuses to send with: then nothing is exported."""
    from playground.cli_state import SETTLED_BY_CREATING, needs_conversation
    from playground.core import validation, variables
    from playground.core.request import Target

    target = Target.for_profile(profile) if profile is not None else Target()
    found = validation.validate(ws, target=target)
    if python and needs_conversation(ws):
        found = [f for f in found if f.code not in SETTLED_BY_CREATING]
    if keep:
        found = [f for f in found if f.code != variables.MISSING]
    for finding in found:
        if finding.severity != "info" or finding.code in FILE_NOTES:
            err(str(finding))
    return refuse_files(found) or refuse_errors(found, force=force)


def refuse_errors(findings: list[Finding], label: str = "", force: bool = False) -> bool:
    """Whether the request has an error finding (already said) that `playground run` and
    the window's Run refuse to send with, and `force` is off: then what to do is said on
    stderr, and the caller exports nothing (exit 2)."""
    if force or not any(f.severity == "error" for f in findings):
        return False
    err(
        f"{label}nothing exported: the request has errors (above) that `playground run` and "
        "the window's Run refuse to send with; fix them, or export it as it is with --force"
    )
    return True


FILE_NOTES = frozenset({file_inputs.FILE_SENT_INLINE, file_inputs.FILE_ID_STORED})
"""Codes of the info findings about files (core.file_inputs) that `run` and `export` both
say: a file marked for upload is sent inline, or by the id its upload gave."""


def refuse_files(findings: list[Finding], label: str = "") -> bool:
    """Whether a file of the request is missing, unreadable, or over the limits (an error
    finding with a core.file_inputs code, already said): then what to do is said on
    stderr, and the caller exports nothing (exit 2), as `playground run` sends nothing."""
    bad = [f for f in findings if f.severity == "error" and f.code in file_inputs.FILE_CODES]
    if bad:
        err(
            f"{label}nothing exported: the request would go without a file it names (see "
            "above); attach it again, remove it, or make the files smaller"
        )
    return bool(bad)


def ignored_options(ws: Workspace, fmt: str, tool_loop: bool, pydantic: bool) -> list[str]:
    """Why --tool-loop or --pydantic changes nothing in this export (one note each), if so."""
    notes = []
    python = fmt in PYTHON_FORMATS
    if pydantic:
        out = ws.output_format
        if not python:
            notes.append(
                f"--pydantic is for Python (--format python or python-sync); {fmt} ignores it"
            )
        elif out is None or out.type != "json_schema":
            notes.append("--pydantic: the workspace has no json_schema output format; ignored")
    if tool_loop:
        if not python:
            notes.append(
                f"--tool-loop is for Python (--format python or python-sync); {fmt} ignores it"
            )
        elif not (ws.enabled_tools() or ws.enabled_custom_tools() or ws.enabled_mcp_tools()):
            notes.append("--tool-loop: the workspace has no enabled tools; ignored")
    return notes


def import_(args: argparse.Namespace) -> int:
    from playground.core.import_sources import import_text
    from playground.core.importer import ImportRefused
    from playground.services.files import atomic_write

    try:
        text = sys.stdin.read() if args.source == "-" else Path(args.source).read_text("utf-8")
    except OSError as exc:
        err(f"{args.source}: cannot read: {exc.strerror or 'no access'}")
        return EXIT_INVALID
    except UnicodeDecodeError:
        err(f"{args.source}: cannot read: not UTF-8 text")
        return EXIT_INVALID
    try:
        result = import_text(text)
    except ImportRefused as exc:
        err(f"{args.source}: {exc}")
        return EXIT_INVALID
    for note in result.notes:
        err(f"note: {note}")
    ws = result.workspace
    if result.profile is not None:
        chosen = _take_proposal(result.profile, ws, args.add_profile)
        if chosen is None:
            return EXIT_INVALID
        ws = ws.model_copy(update={"profile": chosen})
    if args.output:
        try:
            atomic_write(args.output, ws.to_json())
        except OSError as exc:
            err(f"{args.output}: cannot write: {exc.strerror or 'no access'}")
            return EXIT_INVALID
    else:
        sys.stdout.write(ws.to_json())
    _say_lifecycle(ws, result.profile)
    return EXIT_OK


def _say_lifecycle(ws: Workspace, proposal: ProviderProfile | None) -> None:
    """A deprecated or shut-down model, judged for where the imported request was sent
    (OpenAI's endpoint unless the source named another)."""
    from datetime import date

    from playground.core import catalog
    from playground.core.lifecycle import lifecycle_finding

    openai = proposal.openai_endpoint if proposal is not None else True
    found = lifecycle_finding(catalog.lookup(ws.model), date.today(), openai)
    if found is not None:
        err(str(found))


def _take_proposal(proposal: ProviderProfile, ws: Workspace, add: bool) -> str | None:
    """The profile the imported workspace uses: a stored one with the same connection
    settings, else (with --add-profile) the proposal added to the settings under a free
    name, else the one the import chose. None: it could not be added (the reason is said)."""
    from playground.core.import_profile import placement, proposal_text

    settings = open_cli_settings()
    offer, new = placement(settings.opened.settings.profiles, proposal)
    if not new:
        err(
            f"note: it was sent to {proposal.effective_base_url}; the workspace uses the "
            f"provider profile '{offer.name}', which has the same connection settings"
        )
        return offer.name
    if not add:
        err(
            "note: "
            + proposal_text(
                offer,
                f"Re-run with --add-profile to add it to the settings and use it (or use Paste "
                f"in the window); until then the workspace uses '{ws.profile}'",
            )
        )
        return ws.profile
    problem = _add(settings, offer)
    if problem is not None:
        err(f"the provider profile '{offer.name}' was not added: {problem}")
        return None
    err(
        f"note: added the provider profile '{offer.name}' ({offer.effective_base_url}) to "
        f"{settings.path}; the workspace uses it. Its key: store it under Providers in the "
        "window (the OS keyring), or run with --api-key-env NAME"
    )
    return offer.name


def _add(settings: CliSettings, profile: ProviderProfile) -> str | None:
    """Add `profile` to the settings file; why not, or None when it was saved."""
    from playground.services.settings import Settings, SettingsReadOnly, save_settings

    opened = settings.opened
    if opened.found_keys:  # saving now would drop those keys before the window moves them
        return (
            "the settings file holds keys in extra headers (see the note above); open "
            "Playground's window once to move them to the keyring, then run this again"
        )
    if opened.read_only:
        return (
            f"the settings file {settings.path} is not changed by this version (see the note above)"
        )
    current = opened.settings
    updated = Settings(**{**current.model_dump(), "profiles": [*current.profiles, profile]})
    try:
        save_settings(settings.path, updated)
    except SettingsReadOnly as exc:
        return f"{exc}; it is not changed"
    except OSError as exc:
        return (
            f"the settings file {settings.path} cannot be written ({exc.strerror or 'no access'})"
        )
    return None
