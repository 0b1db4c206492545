"""`playground new`: a workspace file to start from, empty or one of the examples
(core/examples.py), written to a file or standard output."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playground.cli_settings import EXIT_INVALID, EXIT_OK, err


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    new = sub.add_parser(
        "new", help="write a new workspace file: empty, or one of the examples (--list)"
    )
    new.add_argument("--example", metavar="NAME", help="start from this example")
    new.add_argument("--list", action="store_true", help="list the examples and exit")
    new.add_argument("-o", "--output", type=Path, help="write the workspace here (else stdout)")


def new(args: argparse.Namespace) -> int:
    from playground.core import examples
    from playground.core.profiles import SIMULATOR
    from playground.core.workspace import Workspace
    from playground.services.files import atomic_write

    if args.list:
        width = max(len(n) for n in examples.names())
        for example in examples.EXAMPLES:
            print(f"{example.name:<{width}}  {example.title}")
        return EXIT_OK
    if args.example is None:
        ws = Workspace(profile=SIMULATOR)
    else:
        try:
            ws = examples.get(args.example).workspace()
        except KeyError:
            err(f"no example {args.example!r}; the examples are: {', '.join(examples.names())}")
            return EXIT_INVALID
    if args.output is None:
        sys.stdout.write(ws.to_json())
        return EXIT_OK
    try:
        atomic_write(args.output, ws.to_json())
    except OSError as exc:
        err(f"{args.output}: cannot write: {exc.strerror or 'no access'}")
        return EXIT_INVALID
    err(f"wrote {args.output}; open it with: playground open {args.output}")
    return EXIT_OK
