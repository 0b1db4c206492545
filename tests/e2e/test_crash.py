"""The app killed with SIGKILL mid-stream comes back with everything but the unfinished run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

DRIVER = Path(__file__).with_name("crash_driver.py")


def test_sigkill_mid_stream_loses_nothing_but_the_run(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(DRIVER.parents[2])}
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[var] = str(tmp_path / var.lower())
    proc = subprocess.Popen(
        [sys.executable, str(DRIVER), "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if line != "STREAMING":
        proc.kill()
        raise AssertionError(f"the app did not start streaming: {line!r} {proc.stderr.read()}")
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert proc.returncode == -signal.SIGKILL
    again = subprocess.run(
        [sys.executable, str(DRIVER), "inspect"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 0, again.stderr[-2000:]
    tabs = json.loads(again.stdout.strip().splitlines()[-1])
    assert len(tabs) == 1
    assert tabs[0][0] == {"role": "user", "text": "An unsaved edit made before the crash"}
    assert all(m["role"] != "assistant" for m in tabs[0])  # only the unfinished run is gone
