"""A huge workspace: 2,000 messages (about 5 MB, with code blocks) and 50 tools.

In the real window (offscreen): open the file into a new tab until the conversation is painted,
switch between two such tabs, scroll the conversation to the end, and the peak resident memory
of the process.

Usage: python tests/benchmarks/bench_workspace.py
Last line: open_ms=<..> tab_switch_ms=<..> rss_mb=<..>
"""

from __future__ import annotations

import asyncio
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import isolate, playground, run

_HOME = isolate("bench-workspace-")

from PySide6.QtCore import QEvent, QObject  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from streamdata import markdown_deltas  # noqa: E402

from playground.core.workspace import FunctionTool, Message, Workspace  # noqa: E402
from playground.services import worker  # noqa: E402
from playground.services.files import save_workspace  # noqa: E402


def huge_workspace() -> Workspace:
    answer = "".join(markdown_deltas(1300))  # about 5 KB of Markdown with code and tables
    messages = []
    for i in range(1000):
        messages.append(Message(role="user", content=f"Question {i}: explain part {i}."))
        messages.append(Message(role="assistant", content=f"Answer {i}.\n\n{answer}"))
    tools = [
        FunctionTool(
            name=f"tool_{i}",
            description=f"Tool number {i}",
            parameters={
                "type": "object",
                "properties": {f"arg_{k}": {"type": "string"} for k in range(8)},
                "required": [f"arg_{k}" for k in range(8)],
                "additionalProperties": False,
            },
        )
        for i in range(50)
    ]
    return Workspace(model="gpt-4o", messages=messages, tools=tools)


class PaintWatch(QObject):
    """Notes a paint of the current tab's conversation or of anything in it (an application
    event filter: a card painting over the list does not repaint the list's viewport). Each tab
    has its own conversation view, so the area is looked up at each paint."""

    def __init__(self, area: Callable[[], QWidget]) -> None:
        super().__init__()
        self.area = area
        self.painted = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Paint or not isinstance(obj, QWidget):
            return False
        area = self.area()
        if obj is area or area.isAncestorOf(obj):
            self.painted = True
        return False


async def until_painted(watch: PaintWatch, limit_s: float = 300.0) -> None:
    watch.painted = False
    deadline = time.perf_counter() + limit_s
    while not watch.painted:
        if time.perf_counter() > deadline:
            raise TimeoutError(f"no paint within {limit_s:.0f} s")
        await asyncio.sleep(0.001)


def peak_rss_mb(pid: int | None) -> float:
    """A process's peak resident memory (Linux /proc), 0 when it is not running."""
    if pid is None:
        return 0.0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def main() -> None:
    ws = huge_workspace()
    path = _HOME / "huge.json"
    save_workspace(path, ws)
    print(
        f"workspace: {len(ws.messages)} messages, {len(ws.tools)} tools, "
        f"{path.stat().st_size / 1e6:.1f} MB"
    )
    pg = playground()
    window = pg.open_window()
    window.show()
    await pg.warm_up()  # as the app does after start-up: the request process runs too
    assert pg.documents is not None
    watch = PaintWatch(lambda: window.conversation.scroller)
    QApplication.instance().installEventFilter(watch)
    opens = []
    for copy in (path, path.with_name("huge-2.json")):  # two files: two tabs
        copy.write_bytes(path.read_bytes())
        t0 = time.perf_counter()
        pg.documents.open_path(copy)
        await until_painted(watch)
        opens.append((time.perf_counter() - t0) * 1000)
        print(f"opened in {opens[-1]:.0f} ms", flush=True)
    switches = []
    for i in range(6):
        t0 = time.perf_counter()
        pg.documents.select(1 + i % 2)
        await until_painted(watch)
        switches.append((time.perf_counter() - t0) * 1000)
    bar = window.conversation.scroller.verticalScrollBar()
    t0 = time.perf_counter()
    bar.setValue(bar.maximum())
    await until_painted(watch)
    scroll_ms = (time.perf_counter() - t0) * 1000
    window_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_mb = peak_rss_mb(worker.worker_pid())
    rss_mb = window_mb + worker_mb
    print(f"open to first paint: {', '.join(f'{x:.0f}' for x in opens)} ms")
    print(f"tab switches: {', '.join(f'{x:.0f}' for x in switches)} ms")
    print(
        f"scroll to the end: {scroll_ms:.0f} ms; peak RSS {rss_mb:.0f} MB "
        f"(window's process {window_mb:.0f}, request process {worker_mb:.0f})"
    )
    print(
        f"open_ms={max(opens):.0f} tab_switch_ms={statistics.median(switches):.0f} "
        f"rss_mb={rss_mb:.0f}"
    )
    await pg.aclose()


if __name__ == "__main__":
    run(main)
