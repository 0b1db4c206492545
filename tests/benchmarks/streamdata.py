"""Benchmark material: realistic streamed Markdown, and a simulator in a process of its own.

The simulator runs in a child process so that producing 100,000 SSE frames does not compete
with the measured process for its interpreter lock, as a real server would not.
"""

from __future__ import annotations

import multiprocessing
import random
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

WORDS = [
    "the",
    "request",
    "stream",
    "server",
    "client",
    "token",
    "model",
    "response",
    "event",
    "handler",
    "buffer",
    "retry",
    "latency",
    "schema",
    "field",
    "value",
    "parser",
    "render",
    "block",
    "cursor",
    "document",
    "queue",
    "worker",
    "timeout",
    "header",
    "payload",
    "batch",
    "cache",
    "index",
    "commit",
    "branch",
    "deploy",
    "config",
    "async",
    "await",
    "future",
    "task",
    "loop",
    "frame",
    "delta",
    "chunk",
    "socket",
    "session",
]
_TOKEN = re.compile(r"\n|[ \t]*[^\s]{1,4}|[ \t]+")


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 18))]
    if rng.random() < 0.3:
        words[rng.randrange(len(words))] = f"`{rng.choice(WORDS)}()`"
    if rng.random() < 0.3:
        words[rng.randrange(len(words))] = f"**{rng.choice(WORDS)}**"
    return " ".join(words).capitalize() + rng.choice(".!?.")


def _code(rng: random.Random) -> str:
    lines = ["```python", f"async def {rng.choice(WORDS)}_{rng.choice(WORDS)}(client):"]
    for i in range(rng.randint(3, 12)):
        a, b = rng.choice(WORDS), rng.choice(WORDS)
        lines.append(f"    {a}_{i} = await client.{b}({i}, name={a!r})")
    lines += ["    return None", "```"]
    return "\n".join(lines)


def _table(rng: random.Random) -> str:
    cols = rng.randint(2, 4)
    rows = ["| " + " | ".join(rng.choice(WORDS).title() for _ in range(cols)) + " |"]
    rows.append("|" + "---|" * cols)
    for _ in range(rng.randint(2, 6)):
        rows.append("| " + " | ".join(str(rng.randint(1, 999)) for _ in range(cols)) + " |")
    return "\n".join(rows)


def _block(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.1:
        return "#" * rng.randint(1, 3) + " " + _sentence(rng).rstrip(".!?")
    if kind < 0.45:
        return " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))
    if kind < 0.6:
        return "\n".join(f"- {_sentence(rng)}" for _ in range(rng.randint(2, 6)))
    if kind < 0.7:
        return "\n".join(f"{i + 1}. {_sentence(rng)}" for i in range(rng.randint(2, 5)))
    if kind < 0.85:
        return _table(rng)
    return _code(rng)


def markdown_deltas(count: int, seed: int = 7) -> list[str]:
    """`count` token-sized pieces of a Markdown answer (paragraphs, lists, tables, code)."""
    rng = random.Random(seed)
    pieces: list[str] = []
    while len(pieces) < count:
        pieces += _TOKEN.findall(_block(rng) + "\n\n")
    return pieces[:count]


def _serve(conn: Any) -> None:
    from playground.services.simulator import Simulator
    from playground.services.simulator.scenarios import Scenario

    sim = Simulator(speed=None).start()
    conn.send(sim.base_url)
    while True:
        message = conn.recv()
        if message is None:
            break
        endpoint, count = message
        sim.enqueue(Scenario(endpoint=endpoint, text=markdown_deltas(count), delay=0))
        conn.send("ok")
    sim.stop()


class SimulatorProcess:
    """A simulator in a child process; `script(endpoint, n)` queues an n-delta answer."""

    def __init__(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(child,), daemon=True)
        self._proc.start()
        self.base_url: str = self._conn.recv()

    def script(self, endpoint: str, count: int) -> None:
        self._conn.send((endpoint, count))
        self._conn.recv()

    def stop(self) -> None:
        self._conn.send(None)
        self._proc.join(10)
