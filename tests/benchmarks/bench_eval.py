"""An evaluation's load: 4 variants x 250 rows = 1,000 cells at concurrency 16, the app's runner
against a bare asyncio + AsyncOpenAI program doing the same 1,000 requests.

A simulator in its own process answers at unlimited speed. In one process, alternating, this
measures
(a) the bare program: 1,000 streamed requests under an asyncio.Semaphore(16), each answer
    collected and checked to contain its row's word, and
(b) services.evaluation.Evaluation over the app's own services (its request process, the
    Connections resolver, the run history, the evaluations store: each cell committed as it
    finishes), with the same rows filled in and the same check as a grader,
while the app's main window is open (offscreen) and a 5 ms QTimer heartbeat records
event-loop stalls during (b). The main process's resident memory is read before the first
app round and after the last one.

Usage: python tests/benchmarks/bench_eval.py [--rounds N] [--rows N] [--concurrency N]
       [--why MS]
Last line: ratio=<app/bare, median> max_stall_ms=<..> rss_growth_mb=<..> cells=<..>
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Heartbeat, isolate, playground, run

isolate("bench-eval-")

import openai  # noqa: E402
from streamdata import SimulatorProcess  # noqa: E402

from playground.core.evaluation_results import CellGrade  # noqa: E402
from playground.core.evaluation_spec import TestRow  # noqa: E402
from playground.core.profiles import SIMULATOR, ProviderProfile  # noqa: E402
from playground.core.reducer import AssistantTurn  # noqa: E402
from playground.core.variants import Variant  # noqa: E402
from playground.core.workspace import Message, Workspace  # noqa: E402
from playground.services.evaluation import Evaluation, columns_of, new_evaluation_id  # noqa: E402
from playground.services.evaluation_saving import persist  # noqa: E402
from playground.services.evaluation_store import EvaluationStore  # noqa: E402
from playground.services.runs import Limiter, RunFigures  # noqa: E402
from playground.ui.app import Playground  # noqa: E402

MODELS = ("gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini")
PROMPT = "Give one sentence about the word {{word}}."


def rss_mb() -> float:
    """This process's resident set size (Linux /proc), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class GcPauses:
    """The garbage collector's passes and how long each took (ms), to tell its pauses from
    the machine's (other processes on the same cores) when a stall is long."""

    def __init__(self) -> None:
        self.ms: list[float] = []
        self._t0 = 0.0
        gc.callbacks.append(self._on_gc)

    def _on_gc(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._t0 = time.perf_counter()
        else:
            self.ms.append((time.perf_counter() - self._t0) * 1000)


def rows(n: int) -> list[TestRow]:
    return [TestRow(id=f"r{i}", values={"word": f"word{i}"}) for i in range(n)]


def fill(ws: Workspace, _variant: Variant | None, row: TestRow) -> Workspace:
    text = PROMPT.replace("{{word}}", row.values["word"])
    return ws.model_copy(update={"messages": [Message(role="user", content=text)]})


def grade(row: TestRow, turn: AssistantTurn, _f: RunFigures) -> Sequence[CellGrade]:
    ok = row.values["word"] in turn.text
    return [CellGrade(ok, "contains the word" if ok else "no word", "contains")]


async def bare_run(client: openai.AsyncOpenAI, n_rows: int, concurrency: int) -> float:
    """Seconds for the bare program to run every (model, row) and check each answer."""
    gate = asyncio.Semaphore(concurrency)

    async def one(model: str, row: TestRow) -> bool:
        async with gate:
            text = PROMPT.replace("{{word}}", row.values["word"])
            stream = await client.chat.completions.create(
                model=model,
                messages=[{"role": "user", "content": text}],
                stream=True,
                stream_options={"include_usage": True},
            )
            parts = [
                c.choices[0].delta.content
                async for c in stream
                if c.choices and c.choices[0].delta.content
            ]
            return row.values["word"] in "".join(parts)

    t0 = time.perf_counter()
    passed = await asyncio.gather(*(one(m, r) for m in MODELS for r in rows(n_rows)))
    elapsed = time.perf_counter() - t0
    assert all(passed), "a bare request missed its answer"
    return elapsed


async def app_run(
    pg: Playground, store: EvaluationStore, n_rows: int, concurrency: int, beat: Heartbeat
) -> float:
    """Seconds for the app's runner to finish the matrix, every cell passed and stored."""
    base = Workspace(
        profile=SIMULATOR, api="chat", model=MODELS[0], messages=[Message(role="user", content="")]
    )
    variants = [Variant(key=f"v{i}", overrides={"model": m}) for i, m in enumerate(MODELS)]
    profile = ProviderProfile(name=SIMULATOR, kind="simulator")
    cols = columns_of(base, variants, lambda _ws: profile)
    the_rows = rows(n_rows)
    eid = new_evaluation_id()
    ev = Evaluation(
        cols,
        the_rows,
        backend=pg.backend,
        resolve=pg.connections.resolve,
        prepare=fill,
        grade=grade,
        concurrency=concurrency,
        limiter=Limiter(concurrency),
        on_cell=persist(store, eid, pg.history),
        evaluation_id=eid,
    )
    store.begin(ev.id, base, variants, the_rows, [c.key for c in cols])
    beat.start(clear=False)
    t0 = time.perf_counter()
    await ev.run()
    elapsed = time.perf_counter() - t0
    await asyncio.sleep(0.05)
    beat.stop()
    store.set_status(ev.id, "done")
    assert all(c.outcome == "passed" for c in ev.cells.values()), "a cell did not pass"
    assert len(store.cells(ev.id)) == len(cols) * n_rows, "a cell was not stored"
    return elapsed


async def main(rounds: int, n_rows: int, concurrency: int, why: float | None) -> None:
    sim = SimulatorProcess()
    client = openai.AsyncOpenAI(api_key="sk-bench", base_url=sim.base_url, max_retries=0)
    pg = playground(simulator=sim)
    window = pg.open_window()
    window.resize(1366, 768)
    window.show()
    await pg.warm_up()
    store = EvaluationStore(pg.data_dir / "evaluations.sqlite3")
    beat = Heartbeat(why)
    await bare_run(client, 25, concurrency)  # warm both paths up: connections, imports
    await app_run(pg, store, 25, concurrency, beat)
    beat.gaps.clear()
    gc.collect()
    pauses = GcPauses()
    rss_before = rss_mb()
    bares, apps = [], []
    for i in range(rounds):
        # bare-app, app-bare, ...: a machine that speeds up or slows down favours neither
        if i % 2 == 0:
            bares.append(await bare_run(client, n_rows, concurrency))
        apps.append(await app_run(pg, store, n_rows, concurrency, beat))
        if i % 2 == 1:
            bares.append(await bare_run(client, n_rows, concurrency))
        print(f"round {i + 1}: bare {bares[-1]:6.2f} s, app {apps[-1]:6.2f} s", flush=True)
    gc.collect()
    growth = rss_mb() - rss_before
    cells = len(MODELS) * n_rows
    ratio = statistics.median(a / b for a, b in zip(apps, bares, strict=True))
    gaps = sorted(beat.gaps)
    beat.report()
    print(
        f"{cells} cells at concurrency {concurrency}: bare {statistics.median(bares):.2f} s, "
        f"app {statistics.median(apps):.2f} s; {len(gaps)} beats during app runs; "
        f"rss before {rss_before:.0f} MB; longest gc pass {max(pauses.ms, default=0):.1f} ms"
    )
    print(f"ratio={ratio:.3f} max_stall_ms={gaps[-1]:.1f} rss_growth_mb={growth:.1f} cells={cells}")
    await client.close()
    store.close()
    await pg.aclose()
    sim.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rows", type=int, default=250)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument(
        "--why", type=float, metavar="MS", help="print where the GUI thread was in stalls > MS"
    )
    args = parser.parse_args()
    run(lambda: main(args.rounds, args.rows, args.concurrency, args.why))
