"""Responsiveness with big input: a 20 MB paste into a message and a 1 MB tool schema.

Runs the real window offscreen with a 5 ms QTimer heartbeat and reports the longest gap
between beats (an event-loop stall) while the app takes the input, validates and autosaves it.
Baseline: the same heartbeat with nothing happening, measured in the same run.
Last line: key=value pairs.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_HOME = Path(tempfile.mkdtemp(prefix="bench-"))
for _v in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
    os.environ[_v] = str(_HOME / _v.lower())
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import keyring.backends.fail  # noqa: E402
import qasync  # noqa: E402
from PySide6.QtCore import QMimeData, QTimer  # noqa: E402

from playground import paths  # noqa: E402
from playground.services.keystore import KeyStore  # noqa: E402
from playground.ui.app import Playground, make_application  # noqa: E402


class Heartbeat:
    def __init__(self) -> None:
        self.gaps: list[float] = []
        self.last = time.perf_counter()
        self.timer = QTimer(interval=5)
        self.timer.timeout.connect(self._beat)

    def _beat(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self.last) * 1000)
        self.last = now

    def start(self) -> None:
        self.gaps.clear()
        self.last = time.perf_counter()
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        return max(self.gaps, default=0.0)


async def main() -> None:
    pg = Playground(paths.settings_file(), keys=KeyStore(keyring.backends.fail.Keyring()), env={})
    window = pg.open_window()
    window.show()
    beat = Heartbeat()
    await asyncio.sleep(0.5)
    beat.start()
    await asyncio.sleep(2.0)
    idle = beat.stop()

    line = "Lorem ipsum dolor sit amet, ```code``` and | table | cells | 0123456789.\n"
    big = line * (20_000_000 // len(line))
    mime = QMimeData()
    mime.setText(big)
    beat.start()
    t0 = time.perf_counter()
    editor = window.conversation.cards[0].editor
    editor.insertFromMimeData(mime)
    paste_ms = (time.perf_counter() - t0) * 1000
    while editor.pasting:
        await asyncio.sleep(0.05)
    inserted_ms = (time.perf_counter() - t0) * 1000
    assert len(editor.toPlainText()) == len(big) + len(
        "Explain server-sent events in three bullet points."
    )
    await asyncio.sleep(3.0)  # validation, autosave
    paste_stall = beat.stop()

    schema = {
        "type": "object",
        "properties": {
            f"field_{i}": {"type": "string", "description": "x" * 40} for i in range(9_000)
        },
    }
    text = json.dumps(schema, indent=2)
    window.tools.add_tool("huge")
    beat.start()
    window.tools.schema.edit.setPlainText(text)
    await asyncio.sleep(3.0)
    schema_stall = beat.stop()
    print(f"paste size: {len(big) / 1e6:.1f} MB, schema size: {len(text) / 1e6:.1f} MB")
    print(f"idle heartbeat max gap: {idle:.0f} ms")
    print(
        f"paste call: {paste_ms:.0f} ms, all text in after {inserted_ms:.0f} ms; "
        f"longest stall during and after the paste: {paste_stall:.0f} ms"
    )
    print(f"longest stall after the schema: {schema_stall:.0f} ms")
    print(
        f"paste_stall_ms={paste_stall:.0f} schema_stall_ms={schema_stall:.0f} "
        f"idle_ms={idle:.0f} paste_call_ms={paste_ms:.0f}"
    )
    await pg.aclose()


if __name__ == "__main__":
    app = make_application()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(main())
