"""The front door: the GUI by default, and headless commands (run, compare, eval, batch,
export, import, simulator)."""

from __future__ import annotations

import argparse
import errno
import os
import signal
import sys
import threading
from pathlib import Path

from playground import __version__
from playground.cli_settings import EXIT_INVALID, EXIT_OK, err

EXIT_PIPE = 128 + 13  # the reader of stdout went away (what a shell reports for SIGPIPE)


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
    sim.add_argument("--port", type=_port, default=0, help="0 for any free port (default)")
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
    sim.add_argument(
        "--batch-seconds",
        type=float,
        default=0.0,
        metavar="N",
        help="how long a batch takes, validating to completed (default 0: done at the first look)",
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
    run.add_argument(
        "--save",
        action="store_true",
        help="write the answer back into the workspace file (with its response id), so the "
        "next run continues the conversation, the chain or the Conversation",
    )
    run.add_argument(
        "--save-images",
        type=Path,
        default=None,
        metavar="DIR",
        help="write generated images (and a code interpreter's) into DIR as ITEM_ID.FORMAT",
    )
    run.add_argument(
        "--cache",
        action="store_true",
        help="answer an identical request from the response cache (in the data folder), and "
        "keep a new answer there; never for a request that asks the server to keep state",
    )

    from playground import cli_compare

    cli_compare.add_parser(sub)
    from playground import cli_eval

    cli_eval.add_parser(sub)
    from playground import cli_batch

    cli_batch.add_parser(sub)
    from playground import cli_examples

    cli_examples.add_parser(sub)

    exp = sub.add_parser("export", help="print a workspace's request as JSON, Python or curl")
    exp.add_argument("workspace", type=Path)
    exp.add_argument(
        "--format",
        choices=[
            "json",
            "python",
            "python-sync",
            "curl",
            "compare-python",
            "eval-python",
            "batch",
        ],
        default="python",
        help="compare-python: a program that runs the workspace's Compare variants at once "
        "and prints their figures; eval-python: one that runs them on every row of the test "
        "set, grades the answers and prints the results; batch: the Batch API's JSONL input, "
        "a request per variant and row",
    )
    exp.add_argument(
        "--profile",
        default=None,
        help="export for this stored provider profile (default: the workspace's)",
    )
    exp.add_argument("--tool-loop", action="store_true", help="a runnable tool loop (Python)")
    exp.add_argument(
        "--pydantic", action="store_true", help="Pydantic models for a json_schema output (Python)"
    )
    exp.add_argument(
        "--keep-variables",
        action="store_true",
        help="keep the {{variables}}: a variables dict and the fill function (Python)",
    )
    exp.add_argument(
        "--force",
        action="store_true",
        help="export even when the request has errors (what Run would refuse to send)",
    )

    from playground import cli_export_batch

    cli_export_batch.add_arguments(exp)

    imp = sub.add_parser("import", help="a workspace from a JSON body, curl command or Python")
    imp.add_argument("source", help="a file, or - for standard input")
    imp.add_argument("-o", "--output", type=Path, help="write the workspace here (else stdout)")
    imp.add_argument(
        "--add-profile",
        action="store_true",
        help="a request sent elsewhere (Azure, another base URL): add the provider profile it "
        "proposes to the settings (never a key) and make the workspace use it",
    )

    mod = sub.add_parser(
        "models", help="list the model catalog: lifecycle, prices, limits, efforts and rules"
    )
    mod.add_argument(
        "--profile",
        default=None,
        help="also list this provider profile's models (GET /v1/models) the catalog lacks",
    )
    mod.add_argument(
        "--api-key-env",
        default=None,
        metavar="NAME",
        help="with --profile: read the API key from this environment variable",
    )
    mod.add_argument("--json", action="store_true", help="print one JSON document")

    opn = sub.add_parser("open", help="open a workspace file in the window")
    opn.add_argument("workspace", type=Path)
    return parser


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (0 to 65535)")
    return port


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
    if args.command is not None:
        _load_user_catalog()
    if args.command == "simulator":
        return _simulator(args)
    if args.command == "models":
        from playground import cli_models

        return cli_models.models(args)
    if args.command == "run":
        from playground import cli_run

        return cli_run.run(args)
    if args.command == "new":
        from playground import cli_examples

        return cli_examples.new(args)
    if args.command == "compare":
        from playground import cli_compare

        return cli_compare.compare(args)
    if args.command == "eval":
        from playground import cli_eval

        return cli_eval.evaluate(args)
    if args.command == "batch":
        from playground import cli_batch

        return cli_batch.batch(args)
    if args.command in ("export", "import"):
        from playground import cli_files
        from playground.cli_run import log_to_file

        log_to_file()
        return cli_files.export(args) if args.command == "export" else cli_files.import_(args)
    workspace = args.workspace if args.command == "open" else None
    from playground.ui.launch import run_gui

    return int(run_gui(workspace))


def _load_user_catalog() -> None:
    """Merge <config dir>/models.json over the shipped catalog; a file that cannot be used is
    named on stderr with its line and column, and the shipped catalog is used."""
    from playground import paths
    from playground.services.user_catalog import load_user_catalog

    problem = load_user_catalog(paths.models_override_file())
    if problem:
        err(f"note: {problem}")


def _simulator(args: argparse.Namespace) -> int:
    from playground.services.simulator import Simulator

    sim = Simulator(
        args.host,
        args.port,
        api_key=args.api_key,
        speed=args.speed or None,
        auth=args.auth,
        batch_seconds=max(0.0, args.batch_seconds),
    )
    try:
        sim.start()
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            err(
                f"port {args.port} on {args.host} is in use; pick another with --port, "
                "or --port 0 for any free port"
            )
        else:
            code = exc.errno or 0  # < 0: a resolver error (socket.gaierror), not errno
            reason = os.strerror(code) if code > 0 else exc.strerror or "refused"
            err(f"cannot listen on {args.host} port {args.port}: {reason}")
        return EXIT_INVALID
    print(f"listening on {sim.base_url}", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    sim.stop()
    return EXIT_OK
