"""`playground run WORKSPACE`: one request, streamed to stdout, summed up on stderr.

stdout carries the answer and a summary of its hosted tools' results (or, with --json, the
final turn); stderr carries findings, the summary (where it ran and the response id, usage,
timing) and at most one failure line (cli_run_report.py prints the end of a run).
Exit codes: 0 done, 2 invalid input, 3 tool calls or MCP approval requests to answer, 4 the
API failed, 5 stopped at the output-token limit. With --cache, an identical request's answer
comes from the response cache (services/response_cache.py) with the same exit code, and
stderr says it was cached.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playground.cli_settings import (
    EXIT_API,
    EXIT_INVALID,
    NoProfile,
    base_url_problem,
    choose_profile,
    err,
    open_cli_settings,
)
from playground.cli_state import (
    SETTLED_BY_CREATING,
    needs_conversation,
    save_turn,
    with_conversation,
)

if TYPE_CHECKING:
    from playground.core import request
    from playground.core.errors import Failure
    from playground.core.profiles import ProviderProfile
    from playground.core.workspace import Workspace

# The CLI has no Continue button: say what a person at a terminal can do.
LIMIT_HINT = "raise max_output_tokens in the workspace, or use Continue in the window"
LENGTH_NOTE = f"stopped at the output-token limit: the answer is partial ({LIMIT_HINT})"


@dataclass(frozen=True)
class Target:
    """Where a run went, and where its key came from (for the summary and for a 401)."""

    profile: ProviderProfile
    ad_hoc: bool
    key_from: str | None  # "OPENAI_API_KEY", "--api-key-env NAME", "the keyring", None

    def where(self) -> str:
        p = self.profile
        if self.ad_hoc:
            return p.name  # "custom endpoint <url>"
        if p.kind == "simulator":
            return f"profile '{p.name}' (in-process)"
        return f"profile '{p.name}' at {p.effective_base_url}"


def log_to_file() -> None:
    """Log lines go to the log file, never to stderr (without a handler, Python's last-resort
    handler would print every warning, such as "run failed", next to the failure line)."""
    import logging

    from playground import paths
    from playground.services.logs import setup_logging

    try:
        setup_logging(paths.log_dir())
    except OSError:  # no writable log folder: drop log lines rather than print them
        logging.getLogger().addHandler(logging.NullHandler())


def run(args: argparse.Namespace) -> int:
    from playground.core import validation
    from playground.core.findings import errors
    from playground.services.files import WorkspaceFileError, load_workspace

    if args.base_url and (problem := base_url_problem(args.base_url)):
        err(problem)
        return EXIT_INVALID
    try:
        ws = load_workspace(args.workspace)
    except WorkspaceFileError as exc:
        err(str(exc))
        return EXIT_INVALID
    if args.no_stream:
        ws = ws.model_copy(update={"stream": False})
    ad_hoc = bool(args.base_url and not args.profile)
    try:
        settings = None if ad_hoc else open_cli_settings()
        profile = choose_profile(args, ws.profile, settings)
    except NoProfile as exc:
        err(str(exc))
        return EXIT_INVALID
    findings = validation.validate(ws, target=_request_target(ws, profile, ad_hoc))
    if needs_conversation(ws):  # one is created before the run (cli_state.py)
        findings = [f for f in findings if f.code not in SETTLED_BY_CREATING]
    for finding in findings:
        err(str(finding))
    if errors(findings):
        return EXIT_INVALID
    from playground.services.connection import OPENAI_KEY_ENV, missing_key_message, resolve_key
    from playground.services.keystore import KeyStore

    key = resolve_key(profile, KeyStore(), os.environ, api_key_env=args.api_key_env, ad_hoc=ad_hoc)
    if profile.needs_key and not key:
        err(missing_key_message(profile, api_key_env=args.api_key_env, ad_hoc=ad_hoc))
        return EXIT_API
    key_from = None
    if key:
        if args.api_key_env:
            key_from = f"--api-key-env {args.api_key_env}"
        elif ad_hoc or (profile.kind == "openai" and key == os.environ.get(OPENAI_KEY_ENV)):
            key_from = OPENAI_KEY_ENV
        else:
            key_from = "the keyring"
    import asyncio

    log_to_file()
    target = Target(profile, ad_hoc, key_from)
    save = args.workspace if getattr(args, "save", False) else None
    cache = getattr(args, "cache", False)
    images = getattr(args, "save_images", None)
    return asyncio.run(_run_async(ws, target, key, args.json, cache, save, images))


def _request_target(ws: Workspace, profile: ProviderProfile, ad_hoc: bool) -> request.Target:
    """Where the request goes, with the rules learned from that profile's server for the
    model (an ad-hoc --base-url run has no profile to have learned them under)."""
    from playground.core import request
    from playground.services import learned_rules

    learned = () if ad_hoc else learned_rules.learned_for(profile.name, ws.model)
    return request.Target.for_profile(profile, learned)


async def _run_async(
    ws: Workspace,
    target: Target,
    key: str | None,
    as_json: bool,
    use_cache: bool = False,
    save: Path | None = None,
    images_to: Path | None = None,
    strict: bool = False,
) -> int:
    """Run `ws` and report it; the exit code. `strict`: the SDK checks every response shape
    (the tests' setting)."""
    from playground import paths
    from playground.core import file_inputs, request
    from playground.core.event_text import background_step
    from playground.core.events import BackgroundStatus, TextDelta
    from playground.core.findings import errors
    from playground.core.reducer import TurnAccumulator
    from playground.services.backend import OpenAIBackend
    from playground.services.cache_use import CacheUse, cache_base_url
    from playground.services.response_cache import FILE_NAME, ResponseCache

    sim = None
    profile = target.profile
    backend = OpenAIBackend(strict=strict)
    if needs_conversation(ws):
        from playground.services.conversations import ConversationError

        sim, profile = _in_process(profile)
        try:
            ws = await with_conversation(ws, backend.client(profile, key), save)
        except ConversationError as exc:
            err(describe(exc.failure, target))
            await backend.aclose()
            if sim is not None:
                sim.stop()
            return EXIT_API
    built = request.build(ws, target=_request_target(ws, target.profile, target.ad_hoc))
    # a file that went missing or grew since the check above
    if refused := [f for f in errors(built.findings) if f.code in file_inputs.FILE_CODES]:
        for finding in refused:
            err(str(finding))
        await backend.aclose()
        if sim is not None:
            sim.stop()
        return EXIT_INVALID
    cache = ResponseCache(paths.data_dir() / FILE_NAME) if use_cache else None
    use = await CacheUse.consult(cache, cache_base_url(profile, profile), built)
    if sim is None and not use.hit:
        sim, profile = _in_process(profile)
    acc = TurnAccumulator()
    for stream in (sys.stdout, sys.stderr):  # a terminal that cannot show a character
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    from dataclasses import replace

    from playground.services.mcp_secrets import filled, headless_lookup, missing

    # MCP secret headers: from MCP_LABEL_HEADER or the keyring, on the wire only
    secrets = headless_lookup(os.environ)
    for label, header in [] if use.hit else await missing(built.kwargs, secrets):
        err(no_secret_line(label, header))
    wire = replace(built, kwargs=await filled(built.kwargs, secrets))
    try:
        events = use.replay() if use.hit else backend.run(ws, profile, key, wire)
        async for event in events:
            acc.apply(event)
            use.saw(event)
            if not as_json and isinstance(event, TextDelta) and event.choice == 0:
                sys.stdout.write(event.text)
                sys.stdout.flush()
            elif isinstance(event, BackgroundStatus):  # queued, in progress, resumed
                err(background_step(event))
        await use.keep(acc.turn(), False, ws.model)
    finally:
        await backend.aclose()
        if sim is not None:
            sim.stop()
        if cache is not None:
            cache.close()
    turn = acc.turn()
    from playground.cli_run_report import report

    code = report(turn, ws, target, as_json, use.note if use_cache else None, images_to)
    if save is not None and turn.failure is None:
        save_turn(save, ws, turn, file_inputs.origin_of(target.profile))
    if turn.failure is not None and not target.ad_hoc:  # an ad-hoc URL is no profile to learn for
        from playground.cli_learned import learn

        if (line := learn(turn.failure, target.profile.name, ws.model, built.body)) is not None:
            err(line)
    return code


def no_secret_line(label: str, header: str) -> str:
    """The warning for an MCP secret header without a value (sent without it)."""
    from playground.core.mcp_tools import env_name, secret_entry

    return (
        f"warning: MCP server {label}: its secret header {header} has no value, so it is sent "
        f"without it (the server may refuse); set {env_name(label, header)} in the "
        f"environment, or store it in the keyring (entry {secret_entry(label, header)}: in the "
        "window, the Tools panel's secret field and Store in keyring)"
    )


def _in_process(profile: ProviderProfile) -> tuple[Any, ProviderProfile]:
    """(the simulator started for a simulator profile, or None; the profile to send to)."""
    if profile.kind != "simulator":
        return None, profile
    from playground.services.connection import simulator_url, start_own_simulator

    sim = start_own_simulator()  # it keeps its state, as the window's does
    return sim, profile.model_copy(update={"base_url": simulator_url(profile, sim.base_url)})


def cli_hint(failure: Failure, target: Target) -> str:
    """What a person at a terminal can do about `failure` (the window's hints name its
    buttons and its profile settings; this names flags, variables and the workspace)."""
    from playground.core.errors import FailureKind
    from playground.services.connection import OPENAI_KEY_ENV

    kind = failure.kind
    if kind is FailureKind.AUTHENTICATION:
        if target.key_from is None:
            return "The server wants a key: set OPENAI_API_KEY, or use --api-key-env NAME."
        if target.key_from == "the keyring":
            return (
                f"The key stored for the profile '{target.profile.name}' (OS keyring) was "
                "refused; store another under Providers in the window, or name a variable "
                "with --api-key-env NAME."
            )
        if target.key_from == OPENAI_KEY_ENV:
            return (
                f"The key from {OPENAI_KEY_ENV} was refused; set another, or name another "
                "variable with --api-key-env NAME."
            )
        return f"The key from {target.key_from} was refused; set another in that variable."
    if kind is FailureKind.INCOMPLETE:  # stopped early for another reason than the limit
        at_limit = failure.code in ("max_output_tokens", "max_tokens")
        return f"To get the rest: {LIMIT_HINT}." if at_limit else ""
    if kind is FailureKind.UNREADABLE_STREAM:
        return "Run again, or run with --no-stream."
    if kind is FailureKind.TIMEOUT:
        if target.ad_hoc:
            return "The server did not answer in time; run again."
        return (
            "The server did not answer in time; run again, or raise the profile's timeout "
            "under Providers in the window."
        )
    if kind is FailureKind.MISSING_KEY:
        return "Set OPENAI_API_KEY, or name a variable with --api-key-env NAME."
    return failure.hint


def describe(failure: Failure, target: Target) -> str:
    """`failure` in one line for the terminal: what happened, and what the CLI user can do."""
    head = failure.title + (f" ({failure.status})" if failure.status else "")
    text = f"{head}: {failure.message}"
    if failure.param and failure.param not in failure.message:
        text += f" [parameter: {failure.param}]"
    hint = cli_hint(failure, target)
    text = f"{text} {hint}" if hint else text
    if failure.detail:  # the window folds it under "Details"; a terminal has one more line
        text += f"\n  the server said: {failure.detail}"
    return text
