"""What the in-process benchmarks share: a home of their own, the app with no key, the
heartbeat that records event-loop stalls, and the qasync loop that runs them.

Call `isolate()` before importing the app: paths and Qt read the environment it sets.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer

if TYPE_CHECKING:
    from playground.ui.app import Playground

ROOT = Path(__file__).resolve().parents[2]


def isolate(prefix: str) -> Path:
    """Offscreen Qt, fresh config/data/state/cache directories, the project importable."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = Path(tempfile.mkdtemp(prefix=prefix))
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = str(home / var.lower())
    sys.path.insert(0, str(ROOT))
    return home


def playground(**kwargs: Any) -> Playground:
    """The app's services with no key and no keyring (nothing of the machine leaks in)."""
    import keyring.backends.fail

    from playground import paths
    from playground.services.keystore import KeyStore
    from playground.ui.app import Playground

    return Playground(
        paths.settings_file(), keys=KeyStore(keyring.backends.fail.Keyring()), env={}, **kwargs
    )


def run(main: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run `main()` on a qasync loop over the app's QApplication."""
    import qasync

    from playground.ui.launch import make_application

    app = make_application()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(main())


class Heartbeat:
    """A 5 ms timer; the gaps between its beats are what a user feels as stalls.

    With `why_ms`, a watchdog thread notes where the GUI thread is while a beat is overdue by
    that much (its Python stack): `stalls` then says what the long stalls were doing.
    """

    def __init__(self, why_ms: float | None = None) -> None:
        self.gaps: list[float] = []
        self.last = time.perf_counter()
        self.timer = QTimer(interval=5)
        self.timer.timeout.connect(self._beat)
        self.stalls: list[tuple[float, str]] = []
        if why_ms is not None:
            self._gui = threading.get_ident()
            threading.Thread(target=self._watch, args=(why_ms / 1000,), daemon=True).start()

    def _watch(self, limit_s: float) -> None:
        noted = 0.0
        while threading.main_thread().is_alive():
            time.sleep(0.002)
            last = self.last
            overdue = time.perf_counter() - last
            if self.timer.isActive() and overdue > limit_s and noted != last:
                noted = last
                frame = sys._current_frames().get(self._gui)
                stack = "".join(traceback.format_stack(frame, limit=14)) if frame else "?"
                self.stalls.append((overdue * 1000, stack))

    def report(self, top: int = 5) -> None:
        """Print the stacks noted during stalls, the longest overdue first."""
        for overdue, stack in sorted(self.stalls, key=lambda s: -s[0])[:top]:
            print(f"--- GUI thread {overdue:.0f} ms into a stall:\n{stack}")

    def _beat(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self.last) * 1000)
        self.last = now

    def start(self, clear: bool = True) -> None:
        """Beat from now on; `clear=False` keeps the gaps of earlier stretches."""
        if clear:
            self.gaps.clear()
        self.last = time.perf_counter()
        self.timer.start()

    def stop(self) -> float:
        """Stop beating; the longest gap recorded."""
        self.timer.stop()
        return max(self.gaps, default=0.0)
