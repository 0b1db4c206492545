"""The History tab with a big history: 100,000 runs (about 400 MB with the search index).

In the real window (offscreen), on the app's own history file:
- open: a History tab built on the file (the store opened, the first page read off the GUI
  thread, the table filled and painted), from nothing to the first paint of its rows;
- search: what typing sends once the typing pauses (HistoryController.search) until the list
  shows the new rows, for words a user types (one letter, a prefix, two words, a phrase, a word
  no run has, operators), sorted by time and by cost, with a model filter;
- the baseline: the same words through the LIKE query of history version 2, on the same file.

Usage: python tests/benchmarks/bench_history.py [--runs N] [--rounds N]
Last line: runs=<n> search_ms=<median> open_ms=<median>
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import isolate, playground, run

_HOME = isolate("bench-history-")

from historydata import fill  # noqa: E402
from PySide6.QtCore import QEvent, QObject  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from playground.services.history import HistoryStore  # noqa: E402
from playground.services.history_query import Query  # noqa: E402
from playground.ui.controllers.history_controller import HistoryController  # noqa: E402
from playground.ui.history_view import HistoryView  # noqa: E402

TYPED = [
    Query("w"),
    Query("webs"),
    Query("websocket paris"),
    Query('"stock price"'),
    Query("kubernetes deploy"),
    Query("xylophone"),
    Query("AND( NEAR/ *"),
    Query("price", sort="cost"),
    Query("to", model="o3"),
]
# history version 2's search, for the baseline
LIKE = (
    "SELECT * FROM runs WHERE (request LIKE ? OR output_text LIKE ? OR error_message LIKE ?) "
    "ORDER BY started_at DESC, id DESC LIMIT 500"
)


class Painted(QObject):
    """Notes a paint of a widget (the table's viewport)."""

    def __init__(self) -> None:
        super().__init__()
        self.target: QWidget | None = None
        self.painted = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and obj is self.target:
            self.painted = True
        return False


async def until(condition, limit_s: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.perf_counter() + limit_s
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the History tab did not answer within a minute")
        await asyncio.sleep(0.0005)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    data = _HOME / "data"
    path = data / "history.sqlite3"
    t0 = time.perf_counter()
    fill(path, args.runs)
    print(
        f"history: {args.runs:,} runs, {path.stat().st_size / 1e6:.0f} MB, "
        f"written in {time.perf_counter() - t0:.0f} s",
        flush=True,
    )
    pg = playground(data_dir=data)
    window = pg.open_window()
    window.resize(1366, 768)
    window.show()
    assert pg.documents is not None
    watch = Painted()
    QApplication.instance().installEventFilter(watch)

    opens = []
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        store = HistoryStore(path)
        controller = HistoryController(store)
        view = HistoryView(window, controller, pg.documents)
        panel = view.panel
        window.side.setCurrentWidget(panel)
        watch.target, watch.painted = panel.table.viewport(), False
        await until(lambda p=panel: p.listing.rowCount() > 0 and watch.painted)
        opens.append((time.perf_counter() - t0) * 1000)
        await controller.wait()
        window.side.removeTab(window.side.indexOf(panel))
        panel.deleteLater()
        await asyncio.to_thread(store.close)
    print(f"open to the first rows painted: {', '.join(f'{x:.0f}' for x in opens)} ms")

    assert pg.history_view is not None
    panel, controller = pg.history_view.panel, pg.history_controller
    window.side.setCurrentWidget(panel)
    resets: list[float] = []
    panel.listing.modelReset.connect(lambda: resets.append(time.perf_counter()))
    medians = []
    for query in TYPED:
        times = []
        for _ in range(args.rounds):
            controller.search(Query("__nothing__"))  # start from another list each time
            await controller.wait()
            resets.clear()
            t0 = time.perf_counter()
            controller.search(query)
            await until(lambda: bool(resets))
            times.append((resets[0] - t0) * 1000)
        medians.append(statistics.median(times))
        label = f"{query.text!r} by {query.sort}" + (f", {query.model}" if query.model else "")
        print(f"search {label:38} {medians[-1]:6.1f} ms  ({panel.status.text()})", flush=True)

    db = sqlite3.connect(path)
    for word in ("webs", "kubernetes"):
        t0 = time.perf_counter()
        db.execute(LIKE, [f"%{word}%"] * 3).fetchall()
        like_ms = (time.perf_counter() - t0) * 1000
        print(f"baseline: version 2's LIKE search for {word!r}: {like_ms:.0f} ms")
    db.close()
    await pg.aclose()
    print(
        f"runs={args.runs} search_ms={statistics.median(medians):.1f} "
        f"open_ms={statistics.median(opens):.0f}"
    )


if __name__ == "__main__":
    run(main)
