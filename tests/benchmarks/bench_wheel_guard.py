"""What the wheel guard costs while an answer streams.

The wheel guard (ui/widgets/wheel_guard.py) is an application event filter: Python code sees
every Qt event of the process. This runs the window's whole streaming path (bench_stream's
app_run: Run, backend, live card with Markdown, raw events, status figures) in one process,
alternating rounds with the guard installed and removed, and prints the ratio of the medians
(guarded / unguarded) and the worst event-loop stall of each.

Usage: python tests/benchmarks/bench_wheel_guard.py [--rounds N] [--deltas N]
Last line: ratio=<guarded/unguarded, median> max_stall_guarded_ms=.. max_stall_unguarded_ms=..
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Heartbeat, isolate, playground, run

isolate("bench-wheel-guard-")

from bench_stream import app_run  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from streamdata import SimulatorProcess  # noqa: E402

from playground.ui.widgets.wheel_guard import WheelGuard  # noqa: E402


async def main(rounds: int, deltas: int, api: str) -> None:
    sim = SimulatorProcess()
    pg = playground(simulator=sim)
    window = pg.open_window()
    window.show()
    await pg.warm_up()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    guard = app.findChild(WheelGuard)
    assert guard is not None, "the window installs the wheel guard"
    times: dict[bool, list[float]] = {True: [], False: []}
    stalls: dict[bool, float] = {True: 0.0, False: 0.0}
    await app_run(pg, sim, api, deltas // 10, Heartbeat())  # warm-up, not counted
    for i in range(rounds * 2):
        guarded = (i % 4) in (0, 3)  # on-off, off-on, ...: a drifting machine favours neither
        if guarded:
            app.installEventFilter(guard)
        else:
            app.removeEventFilter(guard)
        beat = Heartbeat()
        times[guarded].append(await app_run(pg, sim, api, deltas, beat))
        stalls[guarded] = max(stalls[guarded], max(beat.gaps, default=0.0))
    app.installEventFilter(guard)
    on, off = statistics.median(times[True]), statistics.median(times[False])
    print(f"{api} {deltas} deltas: guarded {on:.2f} s, unguarded {off:.2f} s")
    print(
        f"ratio={on / off:.3f} max_stall_guarded_ms={stalls[True]:.1f} "
        f"max_stall_unguarded_ms={stalls[False]:.1f}"
    )
    await pg.aclose()
    sim.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--deltas", type=int, default=20_000)
    parser.add_argument("--api", choices=("chat", "responses"), default="responses")
    args = parser.parse_args()
    run(lambda: main(args.rounds, args.deltas, args.api))
