"""A history of many runs, written straight into a HistoryStore's database (as the app's own
writer would leave it: its triggers keep the search index), for bench_history.py.

Texts are drawn from a fixed vocabulary with a fixed seed, so the figures repeat."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

from playground.services.history import HistoryStore

VOCABULARY = (  # noqa: SIM905
    "explain summarize translate compare list write refactor review describe outline "
    "websocket stream token latency cache model prompt answer function schema json python "
    "javascript rust database index query search history compare migrate backup restore "
    "paris london tokyo berlin madrid rome weather stock price forecast report invoice "
    "customer order shipping refund policy contract clause summary bullet table chart "
    "kubernetes docker container cluster node pod deployment service ingress secret volume "
    "reasoning effort temperature sampling nucleus penalty frequency presence seed logit"
).split()
MODELS = ("gpt-4o", "gpt-4o-mini", "gpt-6-luna", "o3", "o4-mini", "gpt-4.1")
OUTCOMES = ("completed", "completed", "completed", "tool_calls", "length", "stopped", "failed")


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(words)).capitalize() + "."


def fill(path: Path, runs: int, seed: int = 16) -> None:
    """Add `runs` runs, one a minute back from now, to the history at `path`."""
    store = HistoryStore(path)
    store.open()
    store.close()  # created and migrated by the app's own code
    rng = random.Random(seed)
    now = time.time() - runs * 60
    import sqlite3

    db = sqlite3.connect(path)
    rows = []
    for i in range(runs):
        model = rng.choice(MODELS)
        api = rng.choice(("responses", "chat"))
        prompt = f"{sentence(rng, rng.randint(6, 25))}\n{sentence(rng, 10)}"
        answer = " ".join(sentence(rng, rng.randint(8, 20)) for _ in range(rng.randint(3, 12)))
        instructions = sentence(rng, 12)
        ws = {
            "api": api,
            "model": model,
            "instructions": instructions,
            "messages": [{"role": "user", "content": prompt}],
            "params": {"temperature": round(rng.random(), 2)},
            "schema_version": 2,
        }
        request = {"model": model, "input": prompt, "instructions": instructions}
        outcome = rng.choice(OUTCOMES)
        inp, out = rng.randint(20, 4000), rng.randint(5, 2000)
        rows.append(
            (
                now + i * 60,
                "OpenAI",
                model,
                api,
                json.dumps(request),
                json.dumps(ws),
                answer if outcome != "failed" else "",
                outcome,
                rng.uniform(80, 900),
                rng.uniform(300, 30000),
                inp,
                out,
                round((inp * 2.5 + out * 10) / 1e6, 6),
                "Server error: try again." if outcome == "failed" else None,
                prompt,
                instructions,
            )
        )
    with db:
        db.executemany(
            "INSERT INTO runs (started_at, profile, model, api, request, workspace, "
            "output_text, outcome, ttft_ms, total_ms, input_tokens, output_tokens, cost, "
            "error_message, prompt, instructions) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    db.close()
