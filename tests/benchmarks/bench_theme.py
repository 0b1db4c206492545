"""Theme switches and restored tabs with hosted-tool results open.

In the real window (offscreen), with N tabs each holding hosted-tool results (web search
sources, file search hits, code interpreter code, logs and an image, a generated image, an
answer with a code block): View > Theme > Dark then Light, each until the event loop turns
again; then showing another tab after a switch (what a switch left for the hidden tabs); then
a restart that restores the N tabs. The baselines, in the same run: a bare palette change
(QApplication.setPalette, the least a switch can do) in the same window, and the same steps
with N empty tabs.

Usage: python tests/benchmarks/bench_theme.py [--tabs N] [--switches K]
Last line: switch_ms=<..> switch_ratio=<.. against a bare palette change> (...) show_ratio=<..>
restore_ms=<..> restore_ratio=<.. against empty tabs>
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import isolate, playground, run

_HOME = isolate("bench-theme-")

from PySide6.QtCore import QBuffer, QIODevice  # noqa: E402
from PySide6.QtGui import QColor, QImage  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from playground.core.workspace import Message, Workspace  # noqa: E402
from playground.ui import theme  # noqa: E402


def png_b64(side: int = 512) -> str:
    image = QImage(side, side, QImage.Format.Format_RGB32)
    image.fill(QColor("#e07020"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return base64.b64encode(bytes(buffer.data().data())).decode()


def hosted_workspace() -> Workspace:
    """What a session with the hosted tools looks like: each tool's call and the answer."""
    png = png_b64()
    code = "```python\nsquares = [n * n for n in range(1, 6)]\nprint(sum(squares))\n```"
    calls = [
        {
            "type": "web_search_call", "id": "ws_1", "status": "completed",
            "action": {"type": "search", "query": "server-sent events", "sources": [
                {"type": "url", "url": f"https://example.com/sse/{i}"} for i in range(6)
            ]},
        },
        {
            "type": "file_search_call", "id": "fs_1", "status": "completed",
            "queries": ["retry policy"],
            "results": [
                {"file_id": f"file_{i}", "filename": f"doc{i}.txt", "score": 0.9 - i / 10,
                 "text": "Retries wait 1, 2, then 4 seconds. " * 5}
                for i in range(4)
            ],
        },
        {
            "type": "code_interpreter_call", "id": "ci_1", "status": "completed",
            "container_id": "cntr_1", "code": "import math\n" * 12,
            "outputs": [{"type": "logs", "logs": "55\n"},
                        {"type": "image", "url": f"data:image/png;base64,{png}"}],
        },
        {"type": "image_generation_call", "id": "ig_1", "status": "completed", "result": png},
    ]  # fmt: skip
    messages = []
    for item in calls:
        messages.append(Message(role="user", content=f"Use {item['type']}, please."))
        messages.append(Message(role="assistant", item=item))
        messages.append(Message(role="assistant", content=f"Done:\n\n{code}\n\nThat is all."))
    return Workspace(profile="Offline simulator", model="gpt-4o", messages=messages)


async def turn() -> None:
    """Until the event loop has run what the last step posted."""
    for _ in range(3):
        await asyncio.sleep(0)


async def timed(step) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    step()
    await turn()
    return (time.perf_counter() - t0) * 1000


async def measure(ws: Workspace, tabs: int, switches: int, name: str) -> dict[str, float]:
    data = _HOME / name
    pg = playground(data_dir=data)
    window = pg.open_window()
    window.show()
    docs = pg.documents
    assert docs is not None
    for i in range(tabs):
        docs.new(ws, title=f"{name} {i}")
        await asyncio.sleep(0.05)  # each tab shown once, as a user opening them would
    app = QApplication.instance()
    widgets = len(QApplication.allWidgets())
    times, shows, bare = [], [], []
    for k in range(switches):
        dark = k % 2 == 0
        pal = theme.dark_palette() if dark else theme.light_palette()
        bare.append(await timed(lambda p=pal: QApplication.setPalette(p)))
        QApplication.setPalette(theme.light_palette() if dark else theme.dark_palette())
        await turn()
        choice = "dark" if dark else "light"
        times.append(await timed(lambda c=choice: theme.apply_choice(app, c)))  # type: ignore[misc]
        # the next tab, hidden during the switch, is shown
        shows.append(await timed(lambda k=k: docs.select(1 + k % tabs)))
    theme.apply_choice(app, "light")  # type: ignore[arg-type]
    docs.autosave()
    await pg.aclose()
    window.hide()
    window.deleteLater()
    await turn()
    # a restart on the same data: the tabs come back
    again = playground(data_dir=data)
    t0 = time.perf_counter()
    window = again.open_window()
    window.show()
    await turn()
    restore = (time.perf_counter() - t0) * 1000
    await again.aclose()
    window.hide()
    window.deleteLater()
    await turn()
    print(
        f"{name}: {tabs} tabs, {widgets} widgets; switch {statistics.median(times):.0f} ms "
        f"(each: {', '.join(f'{t:.0f}' for t in times)}; a bare palette change "
        f"{statistics.median(bare):.0f}); show a hidden tab after it "
        f"{statistics.median(shows):.0f} ms; restore {restore:.0f} ms",
        flush=True,
    )
    return {
        "switch": statistics.median(times),
        "bare": statistics.median(bare),
        "show": statistics.median(shows),
        "restore": restore,
    }


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tabs", type=int, default=3)
    parser.add_argument("--switches", type=int, default=4)
    args = parser.parse_args()
    QApplication.instance().setQuitOnLastWindowClosed(False)  # type: ignore[union-attr]
    empty = Workspace(profile="Offline simulator")
    base = await measure(empty, args.tabs, args.switches, "empty")
    hosted = await measure(hosted_workspace(), args.tabs, args.switches, "hosted")
    ratio = {k: hosted[k] / max(base[k], 0.1) for k in base}
    print(
        f"switch_ms={hosted['switch']:.0f} "
        f"switch_ratio={hosted['switch'] / max(hosted['bare'], 0.1):.1f} "
        f"(against a bare palette change; against the same switch with empty tabs "
        f"{ratio['switch']:.2f}) "
        f"show_ratio={ratio['show']:.2f} restore_ms={hosted['restore']:.0f} "
        f"restore_ratio={ratio['restore']:.2f}"
    )


if __name__ == "__main__":
    run(main)
