"""Compare's load: several runs streaming at once, the app's path against the SDK alone.

A simulator in its own process streams 4 answers of N text deltas each (realistic Markdown) as
fast as it can, all at the same time. In one process, alternating, this measures
(a) 4 plain AsyncOpenAI consumers running concurrently, each collecting its text (the floor
    the SDK sets), and
(b) 4 Runs started together through the app's RunController (its backend, the request
    process, the per-run frame batching), each shown live in its column of the window's
    Compare view (ui/views/compare_view.py: the streamed Markdown, the figures and best marks),
while a 5 ms QTimer heartbeat records event-loop stalls during (b). Each column's text must
equal its stream's text.

Usage: python tests/benchmarks/bench_compare.py [--rounds N] [--deltas N] [--runs N] [--api A]
Last line: ratio=<app/raw, median> max_stall_ms=.. p99_stall_ms=..
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Heartbeat, isolate, playground, run

isolate("bench-compare-")

import openai  # noqa: E402
from PySide6.QtWidgets import QHBoxLayout, QWidget  # noqa: E402
from streamdata import SimulatorProcess, markdown_deltas  # noqa: E402

from playground.core.document import Document  # noqa: E402
from playground.core.profiles import SIMULATOR, ProviderProfile  # noqa: E402
from playground.core.workspace import Message, Variant, Workspace  # noqa: E402
from playground.ui.app import Playground  # noqa: E402
from playground.ui.views.compare_view import CompareView  # noqa: E402

QUESTION = "Write a long technical answer."


def workspace(api: str) -> Workspace:
    return Workspace(
        profile=SIMULATOR,
        api=api,  # type: ignore[arg-type]
        model="gpt-4o",
        messages=[Message(role="user", content=QUESTION)],
    )


async def raw_one(client: openai.AsyncOpenAI, api: str) -> str:
    parts: list[str] = []
    if api == "chat":
        stream = await client.chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": QUESTION}], stream=True
        )
        async for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                parts.append(chunk.choices[0].delta.content)
    else:
        events = await client.responses.create(model="gpt-4o", input=QUESTION, stream=True)
        async for event in events:
            if event.type == "response.output_text.delta":
                parts.append(event.delta)
    return "".join(parts)


async def raw_run(
    sim: SimulatorProcess, client: openai.AsyncOpenAI, api: str, n: int, runs: int
) -> float:
    """Seconds for `runs` SDK consumers, concurrently, to receive their whole streams."""
    for _ in range(runs):
        sim.script(api, n)
    expected = "".join(markdown_deltas(n))
    t0 = time.perf_counter()
    texts = await asyncio.gather(*(raw_one(client, api) for _ in range(runs)))
    elapsed = time.perf_counter() - t0
    assert all(t == expected for t in texts), "a raw consumer missed part of its stream"
    return elapsed


def compare_view(host: QWidget, api: str, runs: int) -> CompareView:
    """The window's Compare view on a tab with `runs` variants, side by side in `host`."""
    variants = [Variant(key=str(i), name=f"Variant {i}") for i in range(runs)]
    ws = workspace(api).model_copy(update={"variants": variants, "mode": "compare"})
    view = CompareView(Document(ws))
    host.layout().addWidget(view)
    view.show()
    view.sync()
    return view


async def app_run(
    pg: Playground,
    sim: SimulatorProcess,
    api: str,
    n: int,
    runs: int,
    beat: Heartbeat,
    host: QWidget,
) -> float:
    """Seconds for `runs` Runs started together to end, every column's text in place."""
    for _ in range(runs):
        sim.script(api, n)
    profile = ProviderProfile(name=SIMULATOR, kind="simulator")
    done = asyncio.Event()
    view = compare_view(host, api, runs)  # the view is up before Run is pressed
    await asyncio.sleep(0.05)

    def on_busy(busy: bool) -> None:
        if not busy:
            done.set()

    pg.runs.busy_changed.connect(on_busy)
    beat.start(clear=False)  # the stalls of every app run count
    t0 = time.perf_counter()
    started = [
        pg.runs.start(workspace(api), profile, owner="bench", group="g", variant=str(i))
        for i in range(runs)
    ]
    for r in started:
        view.show_run(r)
    await done.wait()
    elapsed = time.perf_counter() - t0
    while any(c.answer.rendering for c in view.columns):  # its last slices count as stalls too
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)
    beat.stop()
    pg.runs.busy_changed.disconnect(on_busy)
    expected = "".join(markdown_deltas(n))
    for r, column in zip(started, view.columns, strict=True):
        assert r.outcome == "done", r.outcome
        assert column.run is r and column.text() == expected, "a column missed its stream"
        assert column.figures.outcome.text() == "done"
    view.detach()
    view.deleteLater()
    return elapsed


async def main(rounds: int, n: int, runs: int, api: str, why: float | None) -> None:
    sim = SimulatorProcess()
    client = openai.AsyncOpenAI(api_key="sk-bench", base_url=sim.base_url, max_retries=0)
    pg = playground(simulator=sim)
    await pg.warm_up()  # as the app does after start-up (the request process)
    host = QWidget()  # the Compare view's place: the columns side by side, 1366x768
    host.setLayout(QHBoxLayout())
    host.resize(1366, 768)
    host.show()
    beat = Heartbeat(why)
    raws, apps = [], []
    for i in range(rounds):
        # raw-app, app-raw, ...: a machine that speeds up or slows down favours neither
        if i % 2 == 0:
            raws.append(await raw_run(sim, client, api, n, runs))
        apps.append(await app_run(pg, sim, api, n, runs, beat, host))
        if i % 2 == 1:
            raws.append(await raw_run(sim, client, api, n, runs))
        print(f"round {i + 1}: raw {raws[-1]:6.2f} s, app {apps[-1]:6.2f} s", flush=True)
    ratio = statistics.median(a / r for a, r in zip(apps, raws, strict=True))
    gaps = sorted(beat.gaps)
    p99 = gaps[int(len(gaps) * 0.99)] if gaps else 0.0
    print(
        f"{api}: {runs} runs x {n} deltas at once: raw {statistics.median(raws):.2f} s, "
        f"app {statistics.median(apps):.2f} s; {len(gaps)} beats during app runs"
    )
    beat.report()
    print(f"ratio={ratio:.3f} max_stall_ms={gaps[-1]:.1f} p99_stall_ms={p99:.1f}")
    await client.close()
    await pg.aclose()
    sim.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--deltas", type=int, default=25_000)
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--api", choices=("chat", "responses"), default="chat")
    parser.add_argument(
        "--why", type=float, metavar="MS", help="print where the GUI thread was in stalls > MS"
    )
    args = parser.parse_args()
    run(lambda: main(args.rounds, args.deltas, args.runs, args.api, args.why))
