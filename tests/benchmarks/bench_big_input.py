"""Responsiveness with big input: a 20 MB paste into a message and a 1 MB tool schema.

Runs the real window offscreen with a 5 ms QTimer heartbeat and reports the longest gap
between beats (an event-loop stall) while the app takes the input, validates and autosaves it.
Baseline: the same heartbeat with nothing happening, measured in the same run.
Last line: key=value pairs.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Heartbeat, isolate, playground, run

isolate("bench-")

from PySide6.QtCore import QMimeData  # noqa: E402


async def main() -> None:
    pg = playground()
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
    run(main)
