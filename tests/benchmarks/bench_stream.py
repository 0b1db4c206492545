"""Streaming throughput and responsiveness: the app's whole path against the SDK alone.

A simulator in its own process streams N text deltas of realistic Markdown (paragraphs, lists,
tables, fenced code) as fast as it can. In one process, alternating, this measures
(a) a plain AsyncOpenAI consumer that only collects the text (the floor the SDK sets) and
(b) the app's full path: the window's Run, the backend, the run controller, the live card
    with its Markdown rendering, the raw-events log and the status figures,
while a 5 ms QTimer heartbeat records event-loop stalls during (b). Both APIs, at 10,000 and
100,000 deltas. The rendered document must equal a full render of the streamed text.

Usage: python tests/benchmarks/bench_stream.py [--rounds N] [--deltas N]
Last line: ratio=<app/raw, median> max_stall_ms=.. p99_stall_ms=.. deltas=.. per_delta_growth=..
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

isolate("bench-stream-")

import openai  # noqa: E402
from streamdata import SimulatorProcess, markdown_deltas  # noqa: E402

from playground.core.profiles import SIMULATOR  # noqa: E402
from playground.core.workspace import Message, Workspace  # noqa: E402
from playground.ui.app import Playground  # noqa: E402
from playground.ui.widgets.markdown_view import MarkdownView  # noqa: E402


def workspace(api: str) -> Workspace:
    return Workspace(
        profile=SIMULATOR,
        api=api,  # type: ignore[arg-type]
        model="gpt-4o",
        messages=[Message(role="user", content="Write a long technical answer.")],
    )


async def raw_run(sim: SimulatorProcess, client: openai.AsyncOpenAI, api: str, n: int) -> float:
    """Seconds for the SDK alone to deliver the whole stream, collecting its text."""
    sim.script(api, n)
    parts: list[str] = []
    t0 = time.perf_counter()
    if api == "chat":
        stream = await client.chat.completions.create(
            model="gpt-4o",
            messages=[{"role": "user", "content": "Write a long technical answer."}],
            stream=True,
        )
        async for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                parts.append(chunk.choices[0].delta.content)
    else:
        events = await client.responses.create(
            model="gpt-4o", input="Write a long technical answer.", stream=True
        )
        async for event in events:
            if event.type == "response.output_text.delta":
                parts.append(event.delta)
    elapsed = time.perf_counter() - t0
    assert len(parts) == n, (len(parts), n)
    return elapsed


async def app_run(pg: Playground, sim: SimulatorProcess, api: str, n: int, beat: Heartbeat):
    """Seconds for the app to run the stream to the end, everything rendered."""
    window = pg.window
    assert window is not None
    window.load(workspace(api))
    await asyncio.sleep(0.3)  # let the load settle (validation, autosave timers)
    sim.script(api, n)
    done = asyncio.Event()

    def on_busy(busy: bool) -> None:
        if not busy:
            done.set()

    pg.runs.busy_changed.connect(on_busy)
    beat.start(clear=False)  # the stalls of every app run count
    t0 = time.perf_counter()
    window.run()
    await done.wait()
    card = window.conversation.cards[-1]
    while card.view.rendering:  # the last update's last slices
        await asyncio.sleep(0.001)
    elapsed = time.perf_counter() - t0
    await asyncio.sleep(0.05)  # what the end of the run queued (revalidation, code refresh)
    beat.stop()
    pg.runs.busy_changed.disconnect(on_busy)
    expected = "".join(markdown_deltas(n))
    assert card.view.text == expected, "the streamed text was not all received"
    full = MarkdownView()
    full.set_markdown(expected)
    assert card.view.toPlainText() == full.toPlainText(), "incremental render != full render"
    full.deleteLater()
    return elapsed


async def main(
    rounds: int, big: int, apis: list[str], app_only: bool = False, why: float | None = None
) -> None:
    sim = SimulatorProcess()
    client = openai.AsyncOpenAI(api_key="sk-bench", base_url=sim.base_url, max_retries=0)
    pg = playground(simulator=sim)
    window = pg.open_window()
    window.show()
    await pg.warm_up()  # as the app does after start-up
    beat = Heartbeat(why)
    per_delta: dict[int, list[float]] = {}
    ratios: list[float] = []
    small = big // 10
    for api in apis:
        for n in (small, big):
            raws, apps = [], []
            for i in range(rounds):
                # raw-app, app-raw, ...: a machine that speeds up or slows down favours neither
                if i % 2 == 0 and not app_only:
                    raws.append(await raw_run(sim, client, api, n))
                apps.append(await app_run(pg, sim, api, n, beat))
                if i % 2 == 1 and not app_only:
                    raws.append(await raw_run(sim, client, api, n))
                if app_only:
                    raws.append(1.0)
            ratio = statistics.median(a / r for a, r in zip(apps, raws, strict=True))
            per_delta.setdefault(n, []).extend(a / n for a in apps)
            if n == big:
                ratios.append(ratio)
            print(
                f"{api:9} {n:>7} deltas: raw {statistics.median(raws):6.2f} s, "
                f"app {statistics.median(apps):6.2f} s, ratio {ratio:.3f}"
            )
    gaps = sorted(beat.gaps)
    p99 = gaps[int(len(gaps) * 0.99)] if gaps else 0.0
    growth = statistics.median(per_delta[big]) / statistics.median(per_delta[small])
    print(f"heartbeat: {len(gaps)} beats during app runs, max gap {gaps[-1]:.1f} ms")
    beat.report()
    print(
        f"ratio={max(ratios):.3f} max_stall_ms={gaps[-1]:.1f} p99_stall_ms={p99:.1f} "
        f"deltas={big} per_delta_growth={growth:.3f}"
    )
    await client.close()
    await pg.aclose()
    sim.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--deltas", type=int, default=100_000)
    parser.add_argument("--api", choices=("chat", "responses"), action="append")
    parser.add_argument("--app-only", action="store_true", help="skip the SDK runs (profiling)")
    parser.add_argument(
        "--why", type=float, metavar="MS", help="print where the GUI thread was in stalls > MS"
    )
    args = parser.parse_args()
    run(
        lambda: main(
            args.rounds, args.deltas, args.api or ["chat", "responses"], args.app_only, args.why
        )
    )
