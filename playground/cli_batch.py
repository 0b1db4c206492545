"""`playground batch submit|status|fetch|list|cancel`: an evaluation run on the Batch API,
headless (services/batch_runs.py).

- submit WS.json [--rows FILE] [--variant ...]: every variant on every row as one or more
  batches; prints the evaluation id and a line per batch.
- status ID: one look at each batch of an evaluation (ID: the evaluation's or a batch's):
  its status and requests done of all ("412/1000").
- fetch ID [-o FILE] [--json | --junit FILE] [--wait]: collects a finished evaluation, grades
  it and prints `playground eval`'s summary, with its exit codes; without --wait, batches not
  finished yet are named and it exits EXIT_NOT_FINISHED (7).
- list: the batches this machine submitted (from the evaluations store; nothing is sent).
- cancel ID: cancel a batch, or every open batch of an evaluation.

Each takes --profile, --base-url and --api-key-env as `run` does; without them a command on
an ID uses the profile the batch was submitted with. The built-in simulator profile lives
only as long as one command, so a batch there needs `playground simulator` and --base-url.

Exit codes: 0 done (fetch: every grader passed); 6 fetch: some grader failed; 4 a request of
the evaluation failed or did not run (fetch), or the server refused a command; 2 invalid
input (nothing sent); 7 fetch: the batches are not finished yet; 130 fetch --wait stopped
with Ctrl+C (the batches go on).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playground.cli_settings import EXIT_API, EXIT_INVALID, EXIT_OK, err, open_cli_settings

if TYPE_CHECKING:
    from playground.core.profiles import ProviderProfile
    from playground.services.batch_runs import BatchRuns
    from playground.services.batch_store import BatchState
    from playground.services.evaluation_store import EvaluationStore

EXIT_NOT_FINISHED = 7
"""batch fetch: a batch of the evaluation is not finished yet (its status is printed)."""
EXIT_INTERRUPTED = 130
"""batch fetch --wait stopped with Ctrl+C (128 + SIGINT, as a shell reports it)."""
HELP = "run an evaluation on the Batch API: half the price, done within 24 hours"
NO_SIMULATOR = (
    "the built-in simulator keeps no batches from one command to the next: start "
    "`playground simulator` and give its address with --base-url URL"
)
AD_HOC = "custom endpoint "
"""The name `choose_profile` gives an ad-hoc --base-url profile (its URL follows)."""


def add_parser(sub: Any) -> None:
    """The `batch` subcommand and its five actions."""
    from playground import cli_batch_fetch
    from playground.cli_compare import VARIANT_HELP

    batch = sub.add_parser("batch", help=HELP, description=HELP)
    acts = batch.add_subparsers(dest="batch_command", required=True)
    submit = acts.add_parser("submit", help="submit a workspace's variants x rows as batches")
    submit.add_argument("workspace", type=Path)
    submit.add_argument("--rows", type=Path, default=None, metavar="FILE", help="a CSV or "
                        "JSON-lines file of rows instead of the workspace's test set")  # fmt: skip
    submit.add_argument(
        "--variant", action="append", default=[], metavar="KEY=VALUE[,...]", help=VARIANT_HELP
    )
    status = acts.add_parser("status", help="the status and progress of each batch")
    status.add_argument("id", help="an evaluation id (e-...) or a batch id")
    fetch = acts.add_parser("fetch", help="collect, grade and sum up a finished evaluation")
    fetch.add_argument("id", help="an evaluation id (e-...) or a batch id")
    cli_batch_fetch.add_arguments(fetch)
    listing = acts.add_parser("list", help="the batches submitted from this machine")
    listing.add_argument("--json", action="store_true", help="print one JSON array")
    cancel = acts.add_parser("cancel", help="cancel a batch, or every open one of an evaluation")
    cancel.add_argument("id", help="an evaluation id (e-...) or a batch id")
    for p in (submit, status, fetch, listing, cancel):
        p.add_argument("--profile", default=None, help="a provider profile from the settings")
        p.add_argument(
            "--base-url",
            default=None,
            help="an OpenAI-compatible endpoint (key: $OPENAI_API_KEY or --api-key-env)",
        )
        p.add_argument("--api-key-env", default=None, metavar="NAME",
                       help="read the API key from this environment variable")  # fmt: skip


def batch(args: argparse.Namespace) -> int:
    """Run `playground batch ...`; the exit code."""
    import asyncio

    from playground.cli_run import log_to_file
    from playground.cli_settings import base_url_problem

    if args.base_url and (problem := base_url_problem(args.base_url)):
        err(problem)
        return EXIT_INVALID
    log_to_file()
    store = _store()
    try:
        if args.batch_command == "list":
            return _list(store, args.json)
        if args.batch_command == "submit":
            return _submit(args, store)
        from playground.services.batch_store import BatchStore

        found = _batches_of(BatchStore(store), args.id)
        if found is None:
            err(f"no evaluation or batch {args.id} in {store.path}")
            return EXIT_INVALID
        connected = connect(args, found[0].profile)
        if isinstance(connected, int):
            return connected
        profile, key = connected
        if args.batch_command == "fetch":
            from playground import cli_batch_fetch

            try:
                return asyncio.run(cli_batch_fetch.fetch(args, store, found, profile, key))
            except KeyboardInterrupt:
                err(f"stopped waiting; the batches go on: playground batch fetch {args.id}")
                return EXIT_INTERRUPTED
        return asyncio.run(_look(args, store, found[0].evaluation_id, profile, key))
    finally:
        store.close()


def connect(args: argparse.Namespace, stored: str) -> tuple[ProviderProfile, str | None] | int:
    """The profile (and key) to talk to: --profile / --base-url as `run` reads them, else the
    profile the batch was submitted with (an ad-hoc endpoint's URL is in its name); or the
    exit code, said on stderr."""
    from playground.cli_settings import NoProfile, choose_profile
    from playground.services.connection import missing_key_message, resolve_key
    from playground.services.keystore import KeyStore

    if not args.profile and not args.base_url and stored.startswith(AD_HOC):
        args.base_url = stored[len(AD_HOC) :]
    ad_hoc = bool(args.base_url and not args.profile)
    args.workspace = f"batch {args.id}"  # named in choose_profile's messages
    try:
        profile = choose_profile(args, stored, None if ad_hoc else open_cli_settings())
    except NoProfile as exc:
        err(str(exc))
        return EXIT_INVALID
    if profile.kind == "simulator":
        err(NO_SIMULATOR)
        return EXIT_INVALID
    key = resolve_key(profile, KeyStore(), os.environ, api_key_env=args.api_key_env, ad_hoc=ad_hoc)
    if profile.needs_key and not key:
        err(missing_key_message(profile, api_key_env=args.api_key_env, ad_hoc=ad_hoc))
        return EXIT_INVALID  # nothing was sent
    return profile, key


def service(store: EvaluationStore, client: Any, profile: ProviderProfile) -> BatchRuns:
    from playground import paths
    from playground.services.batch_runs import BatchRuns

    return BatchRuns(store, client, paths.data_dir(), profile=profile.name)


def print_states(states: list[BatchState]) -> None:
    """A line per batch: id, part k/n, status, requests done/all, failed requests."""
    for s in states:
        failed = f"  {s.failed} failed" if s.failed else ""
        print(f"{s.id}  part {s.part}/{s.parts}  {s.status}  {s.counts}{failed}  {s.model}")
        for line in s.errors.splitlines():
            print(f"  {line}")


def _submit(args: argparse.Namespace, store: EvaluationStore) -> int:
    import asyncio

    from playground.cli_compare import _plan, variants_of
    from playground.cli_eval_inputs import RowsError, read_rows, workspace_rows
    from playground.core.batch_requests import rows_or_lone
    from playground.core.document import PathError
    from playground.core.variants import Variant
    from playground.services.files import WorkspaceFileError, load_workspace

    try:
        ws = load_workspace(args.workspace)
        variants = variants_of(args.variant) if args.variant else list(ws.variants)
        rows = read_rows(args.rows) if args.rows else workspace_rows(ws, args.workspace)
    except (WorkspaceFileError, RowsError) as exc:
        err(str(exc))
        return EXIT_INVALID
    except PathError as exc:
        err(f"--variant: {exc}")
        return EXIT_INVALID
    if not rows and args.rows:
        err(f"{args.rows}: no rows to submit")
        return EXIT_INVALID
    rows = rows_or_lone(rows)  # no test set: the workspace's one request, a one-row batch
    args.no_stream = True
    ad_hoc = bool(args.base_url and not args.profile)
    settings = None if ad_hoc else open_cli_settings()
    planned = []
    for variant in variants or [Variant(key="base")]:
        plan = _plan(args, ws, variant, settings, ad_hoc, rows_fill=True)
        if isinstance(plan, int):
            return plan
        planned.append(plan)
    names = {p.target.profile.name for p in planned}
    if len(names) > 1:
        err(f"the variants go to {len(names)} providers ({', '.join(sorted(names))}); a batch "
            "goes to one: give --profile or --base-url")  # fmt: skip
        return EXIT_INVALID
    profile = planned[0].target.profile
    if profile.kind == "simulator":
        err(NO_SIMULATOR)
        return EXIT_INVALID
    return asyncio.run(_submit_async(args, store, ws, variants, rows, planned[0]))


async def _submit_async(
    args: argparse.Namespace, store: EvaluationStore, ws: Any, variants: Any, rows: Any, plan: Any
) -> int:
    import openai

    from playground.core.batch_requests import CellError
    from playground.core.document import PathError
    from playground.services.backend import OpenAIBackend
    from playground.services.batch_runs import BatchRefused
    from playground.services.evaluation_store import EvaluationStoreUnavailable
    from playground.services.failures import failure_from_exception

    backend = OpenAIBackend()
    profile = plan.target.profile
    runs = service(store, backend.client(profile, plan.key), profile)
    try:
        done = await runs.submit(ws, variants, rows, workspace_name=args.workspace.name,
                                 target=plan.where)  # fmt: skip
    except (BatchRefused, CellError, PathError, EvaluationStoreUnavailable) as exc:
        err(str(exc))
        return EXIT_INVALID
    except openai.APIError as exc:
        err(failure_from_exception(exc).describe())
        return EXIT_API
    finally:
        await backend.aclose()
    for note in done.notes:
        err(f"note: {note}")
    print(f"evaluation {done.evaluation_id}")
    print_states(done.batches)
    return EXIT_OK


async def _look(
    args: argparse.Namespace,
    store: EvaluationStore,
    evaluation_id: str,
    profile: ProviderProfile,
    key: str | None,
) -> int:
    """status and cancel."""
    import openai

    from playground.services.backend import OpenAIBackend
    from playground.services.failures import failure_from_exception

    backend = OpenAIBackend()
    runs = service(store, backend.client(profile, key), profile)
    try:
        if args.batch_command == "cancel":
            states = await runs.cancel(args.id)
        else:
            states = await runs.status(evaluation_id)
    except openai.APIError as exc:
        err(failure_from_exception(exc).describe())
        return EXIT_API
    finally:
        await backend.aclose()
    print(f"evaluation {evaluation_id}")
    print_states(states)
    return EXIT_OK


def _list(store: EvaluationStore, as_json: bool) -> int:
    import json
    import time
    from dataclasses import asdict

    from playground.services.batch_store import BatchStore

    states = BatchStore(store).all()
    if as_json:
        print(json.dumps([asdict(s) for s in states], indent=2))
        return EXIT_OK
    for s in states:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(s.submitted_at))
        done = "collected" if s.collected else s.counts
        print(f"{when}  {s.evaluation_id}  {s.id}  {s.part}/{s.parts}  {s.status}  {done}  "
              f"{s.profile}")  # fmt: skip
    if not states:
        print("no batches yet (playground batch submit WS.json)")
    return EXIT_OK


def _batches_of(batches: Any, some_id: str) -> list[BatchState] | None:
    """The batches of the evaluation `some_id` names (itself, or one of its batches)."""
    found = batches.of_evaluation(some_id)
    if found:
        return list(found)
    one = batches.get(some_id)
    return list(batches.of_evaluation(one.evaluation_id)) if one is not None else None


def _store() -> EvaluationStore:
    from playground import paths
    from playground.services.evaluation_store import EvaluationStore

    return EvaluationStore(paths.data_dir() / "evaluations.sqlite3")
