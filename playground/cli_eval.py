"""`playground eval WORKSPACE`: the workspace's variants (or the ones given with --variant) on
every row of its test set (or of --rows FILE), graded, summed up per variant.

stdout carries the summary table (or, with --json, one object: the summary and the cells);
stderr carries findings and a line per cell whose run failed. Each finished cell is saved at
once in the data folder's evaluations.sqlite3 (its run in the run history), so a killed
evaluation goes on with `--resume ID`, running only the cells left.

Exit codes: 0 every grader passed on every cell; 6 some grader failed (EXIT_GRADES); 4 a
cell's run failed (the API, the connection, or a rate limit that did not lift); 2 invalid
input, and then nothing is sent (or a --report that could not be written, said on stderr).

--report FILE.html writes the evaluation as one self-contained HTML page (services/
eval_report.py): the summary, the matrix and the exact request bodies; no charts, which need
a display to be drawn (the window's Export report… has them).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playground.cli_settings import EXIT_API, EXIT_INVALID, EXIT_OK, err, open_cli_settings

if TYPE_CHECKING:
    from playground.core.evaluation_results import Cell
    from playground.core.evaluation_spec import TestRow
    from playground.core.variants import Variant
    from playground.core.workspace import Workspace
    from playground.services.evaluation import CellHook
    from playground.services.runs import Run

EXIT_GRADES = 6
"""Every cell ran, and some grader failed."""
HELP = "run a workspace's variants on every row of a test set, graded, and sum them up"


def add_parser(sub: Any) -> None:
    """The `eval` subcommand, with `run`'s options."""
    from playground.cli_compare import VARIANT_HELP

    ev = sub.add_parser("eval", help=HELP, description=HELP)
    ev.add_argument("workspace", type=Path, nargs="?", help="the workspace (not with --resume)")
    ev.add_argument(
        "--rows",
        type=Path,
        default=None,
        metavar="FILE",
        help="a CSV or JSON-lines file of rows (its columns are the variables; `id`, `note` "
        "and `expected` / `expected.NAME` columns are kept as such) instead of the "
        "workspace's test set",
    )
    ev.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="KEY=VALUE[,KEY=VALUE...]",
        help=VARIANT_HELP,
    )
    ev.add_argument(
        "--concurrency",
        type=int,
        default=None,
        metavar="N",
        help="requests in flight at once per provider (default: the workspace's, 4)",
    )
    ev.add_argument("--cache", action="store_true", help="answer identical requests from the cache")
    ev.add_argument(
        "--resume",
        default=None,
        metavar="ID",
        help="run only the cells an interrupted evaluation ID has left (its workspace, variants "
        "and rows are the stored ones)",
    )
    ev.add_argument(
        "--base-url",
        default=None,
        help="send to this OpenAI-compatible endpoint (key: $OPENAI_API_KEY or --api-key-env)",
    )
    ev.add_argument("--profile", default=None, help="a provider profile from the settings")
    ev.add_argument(
        "--api-key-env",
        default=None,
        metavar="NAME",
        help="read the API key from this environment variable",
    )
    ev.add_argument("--no-stream", action="store_true")
    out = ev.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print one JSON object")
    out.add_argument(
        "--junit",
        type=Path,
        default=None,
        metavar="FILE",
        help="also write JUnit XML: a testsuite per variant, a testcase per row",
    )
    ev.add_argument(
        "--report",
        type=Path,
        default=None,
        metavar="FILE.html",
        help="also write the report: one self-contained HTML page with the summary, the "
        "matrix and the exact requests (no charts: they are drawn in the window)",
    )


def evaluate(args: argparse.Namespace) -> int:
    from playground.cli_compare import Planned, _plan, variants_of
    from playground.cli_eval_inputs import RowsError, read_rows, workspace_rows
    from playground.cli_settings import base_url_problem
    from playground.core.document import PathError
    from playground.core.evaluation_spec import MAX_CONCURRENCY
    from playground.core.variants import Variant
    from playground.services.files import WorkspaceFileError, load_workspace

    if args.base_url and (problem := base_url_problem(args.base_url)):
        err(problem)
        return EXIT_INVALID
    store = _store()
    finished = []
    try:
        if args.resume:
            record = store.get(args.resume)
            if record is None:
                err(f"--resume: no evaluation {args.resume} in {store.path}")
                return EXIT_INVALID
            if open_batches(store, record.id):
                return EXIT_INVALID
            ws, variants, rows = record.workspace, record.variants, record.rows
            finished = store.cells(record.id)
            started_at: float | None = record.started_at
        elif args.workspace is None:
            err("give a workspace file, or --resume ID")
            return EXIT_INVALID
        else:
            started_at = None
            ws = load_workspace(args.workspace)
            variants = variants_of(args.variant) if args.variant else list(ws.variants)
            rows = read_rows(args.rows) if args.rows else workspace_rows(ws, args.workspace)
    except (WorkspaceFileError, RowsError) as exc:
        err(str(exc))
        return EXIT_INVALID
    except PathError as exc:
        err(f"--variant: {exc}")
        return EXIT_INVALID
    if not rows:
        err(f"{args.workspace}: no rows to run: add a test set, or give --rows FILE")
        return EXIT_INVALID
    # as `run`: the response cache answers identical requests only with --cache, whatever the
    # workspace says (a CI run chooses)
    ws = ws.model_copy(update={"cache": bool(args.cache)})
    concurrency = ws.evaluate.concurrency if args.concurrency is None else args.concurrency
    if not 1 <= concurrency <= MAX_CONCURRENCY:
        err(f"--concurrency: from 1 to {MAX_CONCURRENCY}, not {concurrency}")
        return EXIT_INVALID
    ad_hoc = bool(args.base_url and not args.profile)
    settings = None if ad_hoc else open_cli_settings()
    planned: list[Planned] = []
    for variant in variants or [Variant(key="base")]:
        plan = _plan(args, ws, variant, settings, ad_hoc, rows_fill=True)
        if isinstance(plan, int):
            return plan
        planned.append(plan)
    import asyncio

    from playground.cli_run import log_to_file

    log_to_file()
    job = Job(ws, variants, rows, planned, concurrency, finished, args.resume)
    job.path, job.started_at = (None if args.resume else args.workspace), started_at
    return asyncio.run(_evaluate_async(job, store, args))


class Job:
    """What `eval` runs: the base workspace, its variants, the rows, the planned columns."""

    def __init__(
        self,
        ws: Workspace,
        variants: list[Variant],
        rows: list[TestRow],
        planned: list[Any],
        concurrency: int,
        finished: list[Any],
        resume: str | None,
    ) -> None:
        self.ws, self.variants, self.rows, self.planned = ws, variants, rows, planned
        self.concurrency, self.finished, self.resume = concurrency, finished, resume
        self.path: Path | None = None
        self.started_at: float | None = None


def _grading_profile(columns: list[Any], ws: Any) -> Any:
    """The profile model-graded graders run on: the workspace's own (as a column sends with
    it, the simulator's address filled in), else the first column's."""
    own = [c.profile for c in columns if c.profile.name == ws.profile]
    return own[0] if own else columns[0].profile


async def _evaluate_async(job: Job, store: Any, args: argparse.Namespace) -> int:
    from playground import paths
    from playground.cli_eval_inputs import grader, prepare
    from playground.cli_eval_report import print_summary, write_junit
    from playground.services.backend import OpenAIBackend
    from playground.services.connection import simulator_url
    from playground.services.evaluation import Column, Evaluation, new_evaluation_id
    from playground.services.evaluation_saving import persist
    from playground.services.evaluation_store import EvaluationStoreUnavailable
    from playground.services.history import HistoryStore
    from playground.services.mcp_secrets import headless_lookup

    sim = None
    if any(p.target.profile.kind == "simulator" for p in job.planned):
        from playground.services.connection import start_own_simulator

        sim = start_own_simulator()  # it keeps its state: the reasoning items a file sends
    keys, columns = {}, []
    for p in job.planned:
        profile = p.target.profile
        if sim is not None and profile.kind == "simulator":
            profile = profile.model_copy(update={"base_url": simulator_url(profile, sim.base_url)})
        keys[profile.name] = p.key
        real = p.variant if job.variants else None
        columns.append(Column(p.variant.key, real, p.ws, profile, p.where))

    async def resolve(profile: Any) -> tuple[Any, str | None]:
        return profile, keys.get(profile.name)

    history = HistoryStore(paths.data_dir() / "history.sqlite3")
    backend = OpenAIBackend()
    cache = None
    if args.cache:
        from playground.services.response_cache import FILE_NAME, ResponseCache

        cache = ResponseCache(paths.data_dir() / FILE_NAME)
    evaluation_id = job.resume or new_evaluation_id()
    started = job.started_at or time.time()
    ev = Evaluation(
        columns,
        job.rows,
        backend=backend,
        resolve=resolve,
        prepare=prepare,
        grade=grader(job.ws.graders, job.ws, _grading_profile(columns, job.ws), backend, resolve),
        concurrency=job.concurrency,
        finished=job.finished,
        evaluation_id=evaluation_id,
        owner="cli",
        on_cell=_saving(persist(store, evaluation_id, history)),
        cache=cache,
        header_secrets=headless_lookup(os.environ),  # MCP secret headers, on the wire only
    )
    if not job.resume:
        try:
            source = str(args.workspace.resolve()) if args.workspace else None
            order = [c.key for c in columns]
            store.begin(ev.id, job.ws, job.variants, job.rows, order, source)
        except EvaluationStoreUnavailable as exc:
            err(f"note: {exc}")
    try:
        await ev.run()
    finally:
        with contextlib.suppress(EvaluationStoreUnavailable):
            store.set_status(ev.id, "done" if ev.status == "done" else "stopped")
        await backend.aclose()
        history.close()
        if cache is not None:
            cache.close()
        store.close()
        if sim is not None:
            sim.stop()
    cells = list(ev.cells.values())
    for cell in cells:
        if cell.outcome == "error":
            err(f"[{cell.variant}] row {cell.row}: {cell.error_message}")
    print_summary(ev.id, ev.summary(), cells, as_json=args.json)
    if args.junit:
        write_junit(args.junit, ev.id, ev.summary(), cells, ev.rows)
    if args.report and not _write_report(args.report, job, ev, columns, started):
        return EXIT_INVALID
    if any(c.outcome == "error" for c in cells):
        return EXIT_API
    return EXIT_GRADES if any(c.outcome == "failed" for c in cells) else EXIT_OK


def _write_report(path: Path, job: Job, ev: Any, columns: list[Any], started: float) -> bool:
    """Write --report FILE.html (services.eval_report); False, said on stderr, when it
    cannot be written."""
    from playground.cli_eval_inputs import prepare
    from playground.services.eval_report import build_report, write_report

    titles = {c.key: (c.variant.name if c.variant and c.variant.name else c.key) for c in columns}
    name = job.path.name if job.path is not None else f"evaluation {ev.id}"
    page = build_report(
        ev.id, name, columns, titles, job.rows, ev.cells.values(), ev.summary(), prepare,
        started_at=started,
    )  # fmt: skip
    try:
        write_report(path, page)
    except OSError as exc:
        err(f"--report {path}: cannot write: {exc.strerror or 'no access'}")
        return False
    return True


def _saving(hook: CellHook) -> CellHook:
    """`hook`, until the store cannot be written: then a note, and the evaluation goes on
    unsaved (a CI machine with a read-only data folder still gets its report)."""
    from playground.services.evaluation_store import EvaluationStoreUnavailable

    broken = False

    async def on_cell(cell: Cell, run: Run | None) -> Cell:
        nonlocal broken
        if not broken:
            try:
                return await hook(cell, run)
            except EvaluationStoreUnavailable as exc:
                broken = True
                err(f"note: {exc}")
        return cell

    return on_cell


def open_batches(store: Any, evaluation_id: str) -> bool:
    """Whether the evaluation has Batch API batches not collected yet (said on stderr): its
    cells would be paid twice if they also ran here."""
    from playground.services.batch_store import BatchStore

    if all(b.collected for b in BatchStore(store).of_evaluation(evaluation_id)):
        return False
    err(
        f"--resume: evaluation {evaluation_id} has batches on the Batch API not collected yet; "
        f"collect them first: playground batch fetch {evaluation_id}"
    )
    return True


def _store() -> Any:
    from playground import paths
    from playground.services.evaluation_store import EvaluationStore

    return EvaluationStore(paths.data_dir() / "evaluations.sqlite3")
