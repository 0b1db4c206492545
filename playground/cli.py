"""The front door: the GUI by default, and headless subcommands (run, simulator)."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playground import __version__

if TYPE_CHECKING:
    from playground.core.profiles import ProviderProfile
    from playground.core.reducer import AssistantTurn

EXIT_OK, EXIT_INVALID, EXIT_TOOL_CALLS, EXIT_API, EXIT_LENGTH = 0, 2, 3, 4, 5
EXIT_PIPE = 128 + 13  # the reader of stdout went away (what a shell reports for SIGPIPE)
LENGTH_NOTE = (
    "stopped at the output-token limit: the answer is partial (raise the limit, or continue)"
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="playground", description="A desktop playground for the OpenAI API."
    )
    parser.add_argument("--version", action="version", version=f"playground {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check Qt, the keyring, the simulator, one request and one window paint; "
        "exit 0 when all is well",
    )
    parser.add_argument("--probe-qt", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command")

    sim = sub.add_parser("simulator", help="serve the offline OpenAI simulator")
    sim.add_argument("--host", default="127.0.0.1")
    sim.add_argument("--port", type=int, default=0)
    sim.add_argument("--api-key", default=None, help="require this key (default: accept any)")
    sim.add_argument(
        "--auth",
        choices=["bearer", "api-key"],
        default="bearer",
        help="where --api-key is expected: Authorization: Bearer (default) or the api-key "
        "header (as Azure OpenAI)",
    )
    sim.add_argument(
        "--speed",
        type=float,
        default=60.0,
        help="tokens per second when streaming; 0 for unlimited (default 60)",
    )

    run = sub.add_parser("run", help="run a workspace file headless")
    run.add_argument("workspace", type=Path)
    run.add_argument(
        "--base-url",
        default=None,
        help="send to this OpenAI-compatible endpoint (key: $OPENAI_API_KEY or --api-key-env)",
    )
    run.add_argument("--profile", default=None, help="a provider profile from the settings")
    run.add_argument(
        "--api-key-env",
        default=None,
        metavar="NAME",
        help="read the API key from this environment variable",
    )
    run.add_argument("--no-stream", action="store_true")
    run.add_argument("--json", action="store_true", help="print the final turn as JSON")

    exp = sub.add_parser("export", help="print a workspace's request as JSON, Python or curl")
    exp.add_argument("workspace", type=Path)
    exp.add_argument(
        "--format", choices=["json", "python", "python-sync", "curl"], default="python"
    )
    exp.add_argument("--tool-loop", action="store_true", help="a runnable tool loop (Python)")
    exp.add_argument(
        "--pydantic", action="store_true", help="Pydantic models for a json_schema output (Python)"
    )

    imp = sub.add_parser("import", help="a workspace from a JSON body, curl command or Python")
    imp.add_argument("source", help="a file, or - for standard input")
    imp.add_argument("-o", "--output", type=Path, help="write the workspace here (else stdout)")

    opn = sub.add_parser("open", help="open a workspace file in the window")
    opn.add_argument("workspace", type=Path)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        code = _main(argv)
        sys.stdout.flush()  # here, where a closed pipe can still be caught
        return code
    except BrokenPipeError:
        # The reader (`| head`) has gone: end quietly, and keep Python's exit-time flush of
        # stdout from failing again (docs.python.org, signal module, "Note on SIGPIPE").
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_PIPE


def _main(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    if args.probe_qt or args.self_test:
        from playground.ui import selftest

        return selftest.probe_qt() if args.probe_qt else selftest.run_self_test()
    if args.command == "simulator":
        return _simulator(args)
    if args.command == "run":
        return _run(args)
    if args.command == "export":
        return _export(args)
    if args.command == "import":
        return _import(args)
    workspace = args.workspace if args.command == "open" else None
    from playground.ui.launch import run_gui

    return int(run_gui(workspace))


def _simulator(args: argparse.Namespace) -> int:
    from playground.services.simulator import Simulator

    sim = Simulator(
        args.host, args.port, api_key=args.api_key, speed=args.speed or None, auth=args.auth
    )
    sim.start()
    print(f"listening on {sim.base_url}", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    sim.stop()
    return EXIT_OK


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


class _NoProfile(Exception):
    """The profile the run names is not in this machine's settings."""


def _choose_profile(args: argparse.Namespace, ws_profile: str) -> ProviderProfile:
    """The profile to run on: --profile, else the workspace's; --base-url alone is an ad-hoc
    "custom endpoint <url>" (never the simulator, never a stored profile's key)."""
    from playground import paths
    from playground.core.profiles import ProviderProfile
    from playground.services.settings import load_settings

    if args.base_url and not args.profile:
        return ProviderProfile(name=f"custom endpoint {args.base_url}", base_url=args.base_url)
    name = args.profile or ws_profile
    profile = load_settings(paths.settings_file()).profile(name)
    if profile is None:
        raise _NoProfile(
            f"the provider profile {name!r} is not in this machine's settings; "
            "name one with --profile, or send to an endpoint with --base-url URL"
        )
    if args.base_url:
        kind = "custom" if profile.kind == "simulator" else profile.kind
        profile = profile.model_copy(update={"base_url": args.base_url, "kind": kind})
    return profile


def _export(args: argparse.Namespace) -> int:
    from playground import paths
    from playground.core.export import export
    from playground.services.files import WorkspaceFileError, load_workspace
    from playground.services.settings import load_settings

    try:
        ws = load_workspace(args.workspace)
    except WorkspaceFileError as exc:
        _err(str(exc))
        return EXIT_INVALID
    profile = load_settings(paths.settings_file()).profile(ws.profile)
    sys.stdout.write(export(ws, args.format, profile, args.tool_loop, args.pydantic))
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from playground.core.import_profile import proposal_text
    from playground.core.import_sources import import_text
    from playground.core.importer import ImportRefused
    from playground.services.files import atomic_write

    try:
        text = sys.stdin.read() if args.source == "-" else Path(args.source).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _err(f"{args.source}: cannot read: {exc}")
        return EXIT_INVALID
    try:
        result = import_text(text)
    except ImportRefused as exc:
        _err(f"{args.source}: {exc}")
        return EXIT_INVALID
    for note in result.notes:
        _err(f"note: {note}")
    if result.profile is not None:
        _err(f"note: {proposal_text(result.profile)}")
    if args.output:
        atomic_write(args.output, result.workspace.to_json())
    else:
        sys.stdout.write(result.workspace.to_json())
    return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    from playground.core import validation
    from playground.core.findings import errors
    from playground.services.files import WorkspaceFileError, load_workspace

    try:
        ws = load_workspace(args.workspace)
    except WorkspaceFileError as exc:
        _err(str(exc))
        return EXIT_INVALID
    if args.no_stream:
        ws = ws.model_copy(update={"stream": False})
    findings = validation.validate(ws)
    for finding in findings:
        _err(str(finding))
    if errors(findings):
        return EXIT_INVALID
    try:
        profile = _choose_profile(args, ws.profile)
    except _NoProfile as exc:
        _err(f"{args.workspace}: {exc}")
        return EXIT_INVALID
    from playground.services.connection import missing_key_message, resolve_key
    from playground.services.keystore import KeyStore

    ad_hoc = bool(args.base_url and not args.profile)
    key = resolve_key(profile, KeyStore(), os.environ, api_key_env=args.api_key_env, ad_hoc=ad_hoc)
    if profile.needs_key and not key:
        _err(missing_key_message(profile, api_key_env=args.api_key_env, ad_hoc=ad_hoc))
        return EXIT_API
    import asyncio

    return asyncio.run(_run_async(ws, profile, key, args.json))


async def _run_async(ws: Any, profile: ProviderProfile, key: str | None, as_json: bool) -> int:
    from playground.core.events import TextDelta
    from playground.core.reducer import TurnAccumulator
    from playground.services.backend import OpenAIBackend

    sim = None
    if profile.kind == "simulator":
        from playground.services.simulator import Simulator

        sim = Simulator(speed=None).start()
        profile = profile.model_copy(update={"base_url": sim.base_url})
    backend = OpenAIBackend()
    acc = TurnAccumulator()
    for stream in (sys.stdout, sys.stderr):  # a terminal that cannot show a character
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    try:
        async for event in backend.run(ws, profile, key):
            acc.apply(event)
            if not as_json and isinstance(event, TextDelta) and event.choice == 0:
                sys.stdout.write(event.text)
                sys.stdout.flush()
    finally:
        await backend.aclose()
        if sim is not None:
            sim.stop()
    return _report(acc.turn(), as_json)


def _report(turn: AssistantTurn, as_json: bool) -> int:
    from playground.core import catalog

    if as_json:
        print(json.dumps(_turn_json(turn), indent=2))
    elif turn.text:
        print()
    if turn.refusal and not as_json:
        _err(f"refusal: {turn.refusal}")
    if turn.usage:
        u = turn.usage
        cost = catalog.cost_usd(turn.model or "", u.input_tokens, u.cached_tokens, u.output_tokens)
        _err(
            f"usage: input {u.input_tokens} (cached {u.cached_tokens}), output {u.output_tokens} "
            f"(reasoning {u.reasoning_tokens}), cost "
            + (f"${cost:.6f}" if cost is not None else "n/a")
        )
    if turn.timing:
        t = turn.timing
        ttft = f"{t.ttft_ms:.0f} ms" if t.ttft_ms is not None else "n/a"
        rate = f"{t.tokens_per_s:.1f} tokens/s" if t.tokens_per_s else "n/a"
        _err(f"timing: first token {ttft}, total {t.total_ms:.0f} ms, {rate}")
    if turn.failure is not None:
        _err(turn.failure.describe())
        return EXIT_API
    if turn.stopped_at_limit:  # Chat "length" and Responses incomplete: one outcome
        _err(LENGTH_NOTE)
        return EXIT_LENGTH
    if turn.tool_calls:
        if not as_json:
            print(
                json.dumps(
                    [
                        {"call_id": c.call_id, "name": c.name, "arguments": c.arguments}
                        for c in turn.tool_calls
                    ],
                    indent=2,
                )
            )
        return EXIT_TOOL_CALLS
    return EXIT_OK


def _turn_json(turn: AssistantTurn) -> dict[str, Any]:
    return {
        "text": turn.text,
        "refusal": turn.refusal or None,
        "reasoning_summary": turn.reasoning_summary or None,
        "tool_calls": [
            {"call_id": c.call_id, "name": c.name, "arguments": c.arguments}
            for c in turn.tool_calls
        ],
        "finish_reason": turn.finish_reason,
        "response_id": turn.response_id,
        "usage": None
        if turn.usage is None
        else {
            "input_tokens": turn.usage.input_tokens,
            "cached_tokens": turn.usage.cached_tokens,
            "output_tokens": turn.usage.output_tokens,
            "reasoning_tokens": turn.usage.reasoning_tokens,
        },
        "error": None
        if turn.failure is None
        else {
            "kind": turn.failure.kind.value,
            "message": turn.failure.message,
            "status": turn.failure.status,
            "param": turn.failure.param,
        },
    }
