"""Without a display the app says so and exits with its documented code (it used to abort with
134); `--self-test` says there is no display instead of Qt's generic plugin message."""

from __future__ import annotations

import os
import subprocess
import sys

from playground.core.qt_diagnosis import EXIT_NO_DISPLAY
from playground.ui.selftest import check_platform

HEADLESS = {
    k: v
    for k, v in os.environ.items()
    if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
}


def test_the_window_without_a_display_is_a_clear_message_and_exit_69() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "playground"],
        capture_output=True,
        text=True,
        timeout=60,
        env=HEADLESS,
    )
    assert proc.returncode == EXIT_NO_DISPLAY == 69
    assert "there is no display" in proc.stderr and "xvfb-run playground" in proc.stderr
    assert "Aborted" not in proc.stderr and "qt.qpa" not in proc.stderr


def test_the_self_test_names_the_missing_display() -> None:
    check = check_platform(dict(HEADLESS))
    assert not check.ok
    assert "no display" in check.detail and "DISPLAY" in check.detail
    assert "Reinstalling the application" not in check.detail
