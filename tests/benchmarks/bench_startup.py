"""Start-up: process start to the main window's first paint, against a bare PySide6 window.

Each run is a fresh interpreter (offscreen, a fresh data directory, no key). The app starts
through its real entry point (playground.cli.main); the baseline process imports PySide6 and
shows an empty QMainWindow. The project's modules run from bytecode, as in an installed app
(the first, unmeasured, runs write it). Both report the monotonic clock at their window's first
paint (the app also when its panels are built: "ready"); the parent subtracts its own clock at
the moment it started them. Runs alternate.

Usage: python tests/benchmarks/bench_startup.py [--runs N]
Last line: first_paint_ms=<median> baseline_ms=<median> ratio=<median of paired ratios>
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

APP = """
import os, sys, time
from playground.ui import main_window

class Probe(main_window.MainWindow):
    seen = set()

    def note(self, what):
        if what not in self.seen:
            self.seen.add(what)
            print(f"{what} {time.monotonic()!r}", flush=True)
        if len(self.seen) == 2:
            os._exit(0)

    def paintEvent(self, event):
        super().paintEvent(event)
        self.note("painted")

    def setup(self, *args, **kwargs):
        super().setup(*args, **kwargs)
        self.note("ready")

main_window.MainWindow = Probe
from playground import cli
sys.exit(cli.main([]))
"""

BASELINE = """
import os, sys, time
from PySide6.QtWidgets import QApplication, QMainWindow

class Probe(QMainWindow):
    def paintEvent(self, event):
        super().paintEvent(event)
        print(f"painted {time.monotonic()!r}", flush=True)
        os._exit(0)

app = QApplication(sys.argv[:1])
window = Probe()
window.resize(1360, 860)
window.show()
app.exec()
"""


def first_paint_ms(code: str) -> float:
    return timings(code)["painted"]


def timings(code: str) -> dict[str, float]:
    """Milliseconds from the process start to each event it reports (first paint, ready)."""
    home = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[var] = str(home / var.lower())
    env.pop("OPENAI_API_KEY", None)
    # as installed (pip compiles a wheel's modules): the warm-up run writes the bytecode
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    found = {}
    for line in proc.stdout.splitlines():
        what, _, when = line.partition(" ")
        if what in ("painted", "ready"):
            found[what] = (float(when) - start) * 1000
    if "painted" not in found:
        raise RuntimeError(f"no first paint (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    first_paint_ms(BASELINE)  # warm the file cache for both
    first_paint_ms(APP)
    apps, bases, ratios, readies = [], [], [], []
    for i in range(args.runs):
        if i % 2 == 0:
            base = first_paint_ms(BASELINE)
            app_times = timings(APP)
        else:
            app_times = timings(APP)
            base = first_paint_ms(BASELINE)
        app = app_times["painted"]
        readies.append(app_times["ready"])
        apps.append(app)
        bases.append(base)
        ratios.append(app / base)
        print(
            f"run {i + 1}: app {app:6.0f} ms (ready {readies[-1]:6.0f} ms), "
            f"bare PySide6 {base:6.0f} ms, ratio {app / base:.2f}"
        )
    print(f"ready (panels built, workspace shown): median {statistics.median(readies):.0f} ms")
    print(
        f"first_paint_ms={statistics.median(apps):.0f} baseline_ms={statistics.median(bases):.0f} "
        f"ratio={statistics.median(ratios):.2f}"
    )


if __name__ == "__main__":
    main()
