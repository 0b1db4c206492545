"""`playground batch fetch ID`: collect a finished evaluation's batches, grade the cells and
print `playground eval`'s summary (cli_eval_report), with `eval`'s exit codes.

Without --wait, an evaluation with a batch not finished is left as it is: each batch's status
is printed and the exit code is cli_batch.EXIT_NOT_FINISHED (7). With --wait it polls (2 s
doubling to 60 s) until every batch is finished. `-o FILE` writes the raw lines of the
batches' output and error files (BatchRequestOutput, one JSON object a line), output then
errors, batch by batch. Model-graded graders run their rubric interactively on the batch's
provider, as `eval` runs them.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playground.cli_settings import EXIT_API, EXIT_INVALID, EXIT_OK, err
from playground.core.counts import counted

if TYPE_CHECKING:
    from playground.core.profiles import ProviderProfile
    from playground.services.batch_store import BatchState
    from playground.services.evaluation_store import EvaluationStore


def add_arguments(fetch: argparse.ArgumentParser) -> None:
    fetch.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        metavar="FILE",
        help="also write the raw output and error lines of the batches (JSON lines)",
    )
    fetch.add_argument(
        "--wait", action="store_true", help="poll until every batch is finished, then fetch"
    )
    out = fetch.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print one JSON object, as eval --json")
    out.add_argument("--junit", type=Path, default=None, metavar="FILE", help="also write JUnit "
                     "XML: a testsuite per variant, a testcase per row")  # fmt: skip


async def fetch(
    args: argparse.Namespace,
    store: EvaluationStore,
    batches: list[BatchState],
    profile: ProviderProfile,
    key: str | None,
) -> int:
    """Collect and sum up the evaluation of `batches`; the exit code."""
    import openai

    from playground.cli_batch import EXIT_NOT_FINISHED, print_states, service
    from playground.cli_eval_inputs import grader
    from playground.services.backend import OpenAIBackend
    from playground.services.evaluation_store import EvaluationStoreUnavailable
    from playground.services.failures import failure_from_exception

    evaluation_id = batches[0].evaluation_id
    record = store.get(evaluation_id)
    if record is None:
        err(f"no evaluation {evaluation_id} in {store.path}")
        return EXIT_INVALID
    backend = OpenAIBackend()
    runs = service(store, backend.client(profile, key), profile)

    async def resolve(p: Any) -> tuple[Any, str | None]:
        return p, key

    grade = grader(record.workspace.graders, record.workspace, profile, backend, resolve)
    if args.wait:  # a line per look, on stderr: stdout keeps the summary alone
        runs.changed.connect(lambda s: err(f"{s.id}  {s.status}  {s.counts}"))
    try:
        states = await (runs.wait if args.wait else runs.status)(evaluation_id)
        if not all(s.finished for s in states):
            print(f"evaluation {evaluation_id}: not finished yet")
            print_states(states)
            return EXIT_NOT_FINISHED
        await runs.collect(evaluation_id, grade)
    except openai.APIError as exc:
        err(failure_from_exception(exc).describe())
        return EXIT_API
    except (EvaluationStoreUnavailable, OSError) as exc:
        err(str(exc))
        return EXIT_INVALID
    finally:
        await backend.aclose()
    if args.output is not None and not _write_raw(args.output, runs.data_dir, states):
        return EXIT_INVALID
    return _report(args, store, evaluation_id, record)


def _report(
    args: argparse.Namespace, store: EvaluationStore, evaluation_id: str, record: Any
) -> int:
    from playground.cli_eval import EXIT_GRADES
    from playground.cli_eval_report import print_summary, write_junit
    from playground.core.evaluation_results import Cell, summarize

    done = {c.key: c for c in store.cells(evaluation_id)}
    cells = [done.get((col, r.id), Cell(col, r.id)) for col in record.columns for r in record.rows]
    for cell in cells:
        if cell.outcome == "error":
            err(f"[{cell.variant}] row {cell.row}: {cell.error_message}")
    left = sum(not c.finished for c in cells)
    if left:
        err(f"{counted(left, 'request')} did not run (the batch was cancelled or expired): "
            f"`playground eval --resume {evaluation_id}` runs them")  # fmt: skip
    summary = summarize(cells, record.columns)
    print_summary(evaluation_id, summary, cells, as_json=args.json)
    if args.junit:
        try:
            write_junit(args.junit, evaluation_id, summary, cells, {r.id: r for r in record.rows})
        except OSError as exc:
            err(f"--junit {args.junit}: cannot write: {exc.strerror or exc}")
            return EXIT_INVALID
    if left or any(c.outcome == "error" for c in cells):
        return EXIT_API
    return EXIT_GRADES if any(c.outcome == "failed" for c in cells) else EXIT_OK


def _write_raw(path: Path, data_dir: Path, states: list[BatchState]) -> bool:
    from playground.services.batch_collect import kept_path

    parts = []
    for state in states:
        for kind in ("output", "error"):
            kept = kept_path(data_dir, state.id, kind)
            if kept.exists():
                parts.append(kept.read_bytes())
    try:
        path.write_bytes(b"".join(parts))
    except OSError as exc:
        err(f"-o {path}: cannot write: {exc.strerror or exc}")
        return False
    return True
