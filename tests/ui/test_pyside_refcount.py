"""Regression guard for the PySide6 6.12.0 None over-release on Python < 3.12 (STYLE.md 6)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_void_qt_method_called_50000_times_does_not_abort() -> None:
    code = textwrap.dedent("""
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtWidgets import QApplication, QLabel
        app = QApplication([])
        label = QLabel()
        for i in range(50_000):
            label.setText("x")          # returns None: each call touches None's refcount
            app.processEvents()
        print("survived", sys.getrefcount(None) > 0)
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "survived True" in proc.stdout


def test_installed_pyside_is_not_the_bad_combination() -> None:
    from importlib.metadata import version

    assert not (sys.version_info < (3, 12) and version("PySide6-Essentials") == "6.12.0")
