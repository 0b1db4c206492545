"""`playground compare WORKSPACE`: the workspace's variants (or the ones given with --variant),
run at the same time, and their figures side by side.

stdout carries the table (or, with --json, one object with a `variants` list); stderr carries
findings and failures, each named by its variant. Exit codes are `playground run`'s, the worst
of the variants: 4 the API failed (or a run was stopped) > 5 stopped at the output-token limit
> 3 tool calls to answer > 0 done; 2 invalid input, and then nothing is sent.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playground.cli_settings import (
    EXIT_API,
    EXIT_INVALID,
    EXIT_LENGTH,
    EXIT_OK,
    EXIT_TOOL_CALLS,
    CliSettings,
    NoProfile,
    base_url_problem,
    choose_profile,
    err,
    open_cli_settings,
)

if TYPE_CHECKING:
    from playground.cli_run import Target
    from playground.core import request
    from playground.core.compare import Row, Table
    from playground.core.reducer import AssistantTurn
    from playground.core.request import BuiltRequest
    from playground.core.variants import Variant
    from playground.core.workspace import Workspace

HELP = "run a workspace's Compare variants at the same time and print their figures side by side"
VARIANT_HELP = (
    "a variant to run instead of the workspace's: one or more KEY=VALUE overrides separated by "
    "commas, e.g. --variant model=gpt-5.4,temperature=0.2 (KEY: model, api, profile, "
    "instructions, stream, extra_body, or a parameter such as temperature; VALUE is read as JSON "
    "when it is JSON, else as text). Repeat it for each variant."
)
NO_VARIANTS = (
    "{path}: the workspace has no Compare variants; add them in the window's Compare mode, or "
    "give each with --variant KEY=VALUE[,KEY=VALUE...], e.g. --variant model=gpt-5.4 "
    "--variant model=gpt-6-luna,temperature=0.2"
)
# A finished variant's outcome -> the exit code `playground run` gives it; the worst one wins.
EXIT_OF: dict[str, int] = {
    "done": EXIT_OK,
    "tool_calls": EXIT_TOOL_CALLS,
    "length": EXIT_LENGTH,
    "failed": EXIT_API,
    "stopped": EXIT_API,
    "running": EXIT_API,
}
SEVERITY = (EXIT_OK, EXIT_TOOL_CALLS, EXIT_LENGTH, EXIT_API)
ANSWER_WIDTH = 40
# A comma starts the next KEY=VALUE only when a key and "=" follow it: values keep commas.
_NEXT_PAIR = re.compile(r",(?=\s*[A-Za-z_][\w.]*\s*=)")


def add_parser(sub: Any) -> None:
    """The `compare` subcommand, with `run`'s options."""
    cmp = sub.add_parser("compare", help=HELP, description=HELP)
    cmp.add_argument("workspace", type=Path)
    cmp.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="KEY=VALUE[,KEY=VALUE...]",
        help=VARIANT_HELP,
    )
    cmp.add_argument(
        "--base-url",
        default=None,
        help="send to this OpenAI-compatible endpoint (key: $OPENAI_API_KEY or --api-key-env)",
    )
    cmp.add_argument("--profile", default=None, help="a provider profile from the settings")
    cmp.add_argument(
        "--api-key-env",
        default=None,
        metavar="NAME",
        help="read the API key from this environment variable",
    )
    cmp.add_argument("--no-stream", action="store_true")
    cmp.add_argument("--json", action="store_true", help="print one JSON object")


def variants_of(options: list[str]) -> list[Variant]:
    """One Variant per --variant option ("model=gpt-5.4,temperature=0.2"), keyed v1, v2, ...
    Raises PathError for an override that names no field."""
    from playground.core.variants import Variant, parse

    out = []
    for i, option in enumerate(options, 1):
        pairs = [parse(p) for p in _NEXT_PAIR.split(option)]
        out.append(Variant(key=f"v{i}", name=option, overrides=dict(pairs)))
    return out


@dataclass
class Planned:
    """One variant ready to send: its workspace, where it goes, and the request."""

    variant: Variant
    ws: Workspace
    target: Target
    key: str | None
    built: BuiltRequest
    where: request.Target


def compare(args: argparse.Namespace) -> int:
    from playground.core.document import PathError
    from playground.core.workspace import MAX_VARIANTS
    from playground.services.files import WorkspaceFileError, load_workspace

    if args.base_url and (problem := base_url_problem(args.base_url)):
        err(problem)
        return EXIT_INVALID
    try:
        ws = load_workspace(args.workspace)
        variants = variants_of(args.variant) if args.variant else list(ws.variants)
    except WorkspaceFileError as exc:
        err(str(exc))
        return EXIT_INVALID
    except PathError as exc:
        err(f"--variant: {exc}")
        return EXIT_INVALID
    if not variants:
        err(NO_VARIANTS.format(path=args.workspace))
        return EXIT_INVALID
    if len(variants) > MAX_VARIANTS:  # as the window and the workspace file keep them
        err(f"--variant: at most {MAX_VARIANTS} variants, not {len(variants)}")
        return EXIT_INVALID
    ad_hoc = bool(args.base_url and not args.profile)
    settings = None if ad_hoc else open_cli_settings()
    planned = []
    for variant in variants:
        plan = _plan(args, ws, variant, settings, ad_hoc)
        if isinstance(plan, int):
            return plan
        planned.append(plan)
    import asyncio

    from playground.cli_run import log_to_file

    log_to_file()
    return asyncio.run(_compare_async(ws, planned, args.json))


def _plan(
    args: argparse.Namespace,
    base: Workspace,
    variant: Variant,
    settings: CliSettings | None,
    ad_hoc: bool,
    rows_fill: bool = False,
) -> Planned | int:
    """The variant checked and built as `playground run` would, or the exit code. With
    `rows_fill` (playground eval) a variable without a value is no finding: each row fills it."""
    from playground.cli_run import Target
    from playground.core import request, validation
    from playground.core.compare import independent
    from playground.core.document import PathError
    from playground.core.findings import errors
    from playground.core.variables import MISSING as VARIABLE_MISSING
    from playground.core.variants import apply
    from playground.services import learned_rules
    from playground.services.connection import OPENAI_KEY_ENV, missing_key_message, resolve_key
    from playground.services.keystore import KeyStore

    # "[KEY] " names the variant a message is about; the workspace alone (no variants) has none
    name = "" if variant.key == "base" and not variant.overrides else f"[{variant.key}] "
    try:
        ws = apply(base, variant)
        if not rows_fill:  # a Compare column sends the whole conversation (core.compare)
            ws = independent(ws)
    except PathError as exc:
        err(f"{name}{exc}")
        return EXIT_INVALID
    if args.no_stream:
        ws = ws.model_copy(update={"stream": False})
    try:
        profile = choose_profile(args, ws.profile, settings)
    except NoProfile as exc:
        err(f"{name}{exc}")
        return EXIT_INVALID
    learned = () if ad_hoc else learned_rules.learned_for(profile.name, ws.model)
    where = request.Target.for_profile(profile, learned)
    findings = validation.validate(ws, target=where)
    if rows_fill:
        findings = [f for f in findings if f.code != VARIABLE_MISSING]
    for finding in findings:
        err(f"{name}{finding}")
    if errors(findings):
        return EXIT_INVALID
    key = resolve_key(profile, KeyStore(), os.environ, api_key_env=args.api_key_env, ad_hoc=ad_hoc)
    if profile.needs_key and not key:
        said = missing_key_message(profile, api_key_env=args.api_key_env, ad_hoc=ad_hoc)
        # about the variant only when it chose the profile; nothing was sent: invalid input
        err(f"{name}{said}" if "profile" in variant.overrides else said)
        return EXIT_INVALID
    key_from = None
    if key:
        if args.api_key_env:
            key_from = f"--api-key-env {args.api_key_env}"
        elif ad_hoc or (profile.kind == "openai" and key == os.environ.get(OPENAI_KEY_ENV)):
            key_from = OPENAI_KEY_ENV
        else:
            key_from = "the keyring"
    built = request.build(ws, target=where)
    return Planned(variant, ws, Target(profile, ad_hoc, key_from), key, built, where)


async def _compare_async(base: Workspace, planned: list[Planned], as_json: bool) -> int:
    import asyncio

    from playground.core.compare import row_of, table
    from playground.core.reducer import TurnAccumulator
    from playground.services.backend import OpenAIBackend
    from playground.services.mcp_secrets import headless_lookup
    from playground.services.runs import Limiter, Run, execute, fixed_key

    sim = None
    if any(p.target.profile.kind == "simulator" for p in planned):
        from playground.services.connection import start_own_simulator

        sim = start_own_simulator()  # it keeps its state: the reasoning items a file sends
    backend = OpenAIBackend()
    limiter = Limiter()
    secrets = headless_lookup(os.environ)  # MCP secret headers, on the wire only

    async def one(p: Planned) -> AssistantTurn:
        """The variant as a Run, streamed by the same code as the window's runs."""
        profile = p.target.profile
        if sim is not None and profile.kind == "simulator":
            from playground.services.connection import simulator_url

            profile = profile.model_copy(update={"base_url": simulator_url(profile, sim.base_url)})
        run = Run(p.ws, profile, owner="cli", variant=p.variant.key)
        turn = await execute(
            run, backend, fixed_key(p.key), limiter=limiter, target=p.where, header_secrets=secrets
        )
        return turn if turn is not None else TurnAccumulator().turn()

    try:
        turns = await asyncio.gather(*(one(p) for p in planned))
    finally:
        await backend.aclose()
        if sim is not None:
            sim.stop()
    rows = [
        row_of(p.variant.key, t, p.ws.model, streamed=p.ws.stream)
        for p, t in zip(planned, turns, strict=True)
    ]
    figures = table(rows)
    _reconfigure()
    if as_json:
        print(json.dumps(_json(base, planned, turns, figures), indent=2, ensure_ascii=False))
    else:
        print(_text(base, planned, turns, figures))
    _report_failures(planned, turns)
    return max((EXIT_OF[r.outcome] for r in rows), key=SEVERITY.index)


def _reconfigure() -> None:
    for stream in (sys.stdout, sys.stderr):  # a terminal that cannot show a character
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _report_failures(planned: list[Planned], turns: list[AssistantTurn]) -> None:
    """A line per failed variant, and what its server taught (as `playground run` does)."""
    from playground.cli_learned import learn
    from playground.cli_run import LENGTH_NOTE, describe

    for p, turn in zip(planned, turns, strict=True):
        if turn.failure is not None:
            err(f"[{p.variant.key}] {describe(turn.failure, p.target)}")
            if not p.target.ad_hoc:  # an ad-hoc URL is no profile to learn for
                line = learn(turn.failure, p.target.profile.name, p.ws.model, p.built.body)
                if line is not None:
                    err(f"[{p.variant.key}] {line}")
        elif turn.stopped_at_limit:
            err(f"[{p.variant.key}] {LENGTH_NOTE}")


def overrides_text(base: Workspace, variant: Variant) -> str:
    """What the variant changes, "model=gpt-5.4, temperature=0.2" ("(none)" when nothing)."""
    from playground.core.variants import differences

    parts = []
    for path, _, value in differences(base, variant):
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        parts.append(f"{path.removeprefix('params.')}={shown}")
    return ", ".join(parts) or "(none)"


def first_line(turn: AssistantTurn, width: int = ANSWER_WIDTH) -> str:
    """The answer's first non-empty line, elided to `width` characters; the calls it asks
    for (or the MCP approvals it waits for) when it has no text; "" when there is nothing."""
    text = turn.text or turn.refusal
    line = next((s.strip() for s in text.splitlines() if s.strip()), "")
    if not line and turn.tool_calls:
        line = "calls " + ", ".join(c.name for c in turn.tool_calls)
    asks = [i for i in turn.items if i.get("type") == "mcp_approval_request"]
    if not line and asks:  # an MCP server waits for approval
        line = "approve " + ", ".join(f"{i.get('name')} on {i.get('server_label')}" for i in asks)
    return line if len(line) <= width else line[: width - 1] + "…"


def _cells(row: Row, figures: Table, index: int) -> list[str]:
    def mark(text: str, figure: Any) -> str:
        return text + (" *" if figures.is_best(index, figure) else "")

    return [
        mark(f"{row.ttft_ms:.0f} ms", "ttft_ms") if row.ttft_ms is not None else "-",
        mark(f"{row.tokens_per_s:.1f}", "tokens_per_s") if row.tokens_per_s else "-",
        str(row.output_tokens) if row.output_tokens is not None else "-",
        mark(f"${row.cost_usd:.6f}", "cost_usd") if row.cost_usd is not None else "n/a",
        row.outcome.replace("_", " "),
    ]


def _text(base: Workspace, planned: list[Planned], turns: list[AssistantTurn], t: Table) -> str:
    head = ["variant", "overrides", "answer", "ttft", "tokens/s", "output", "cost", "outcome"]
    lines = [head]
    for i, (p, turn, row) in enumerate(zip(planned, turns, t.rows, strict=True)):
        name = p.variant.key + (f" ({p.variant.name})" if p.variant.name else "")
        lines.append([name, overrides_text(base, p.variant), first_line(turn), *_cells(row, t, i)])
    widths = [max(len(r[c]) for r in lines) for c in range(len(head))]
    out = [
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in lines
    ]
    out.append("* the best of its column (lowest ttft and cost, highest tokens/s)")
    return "\n".join(out)


def _json(
    base: Workspace, planned: list[Planned], turns: list[AssistantTurn], t: Table
) -> dict[str, Any]:
    variants = []
    for i, (p, turn, row) in enumerate(zip(planned, turns, t.rows, strict=True)):
        failure = turn.failure
        variants.append(
            {
                "key": p.variant.key,
                "name": p.variant.name,
                "overrides": p.variant.overrides,
                "model": turn.model or p.ws.model,
                "text": turn.text,
                "tool_calls": [
                    {"call_id": c.call_id, "name": c.name, "arguments": c.arguments}
                    for c in turn.tool_calls
                ],
                "response_id": turn.response_id,
                "ttft_ms": row.ttft_ms,
                "tokens_per_s": row.tokens_per_s,
                "output_tokens": row.output_tokens,
                "cost_usd": row.cost_usd,
                "outcome": row.outcome,
                "best": sorted(f for f in t.best if t.is_best(i, f)),
                "error": None
                if failure is None
                else {
                    "kind": failure.kind.value,
                    "message": failure.message,
                    "status": failure.status,
                    "param": failure.param,
                },
            }
        )
    return {"variants": variants}
