"""Nothing lost: `playground eval` killed with SIGKILL mid-matrix keeps every cell that had
finished (each is committed as it finishes), the store lists the evaluation as unfinished,
and `--resume ID` runs only the cells left."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from playground.services.evaluation_store import EvaluationStore
from playground.services.history import HistoryStore
from playground.services.simulator import Simulator

ROWS = 10


def test_a_killed_evaluation_keeps_its_finished_cells_and_resumes_the_rest(
    tmp_path: Path,
) -> None:
    ws = tmp_path / "ws.json"
    rows = [{"id": f"r{i}", "values": {"word": f"w{i}"}} for i in range(ROWS)]
    ws.write_text(
        json.dumps(
            {
                "schema_version": 3,
                "api": "chat",
                "model": "gpt-4.1-mini",
                "messages": [{"role": "user", "content": "Say {{word}}"}],
                "test_set": {"columns": ["word"], "rows": rows},
                "graders": [{"kind": "contains", "value": "{{word}}"}],
            }
        )
    )
    data = tmp_path / "data"
    env = {**os.environ, "OPENAI_API_KEY": "sk-kill", "XDG_DATA_HOME": str(data)}
    store_path = data / "playground" / "evaluations.sqlite3"
    with Simulator(speed=150) as sim:  # slow answers: the kill lands mid-matrix
        args = [sys.executable, "-m", "playground", "eval", str(ws), "--base-url", sim.base_url]
        proc = subprocess.Popen(
            [*args, "--concurrency", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            seen = 0
            for _ in range(6000):  # until 3 cells were committed (at most a minute)
                seen = _cells(store_path)
                if seen >= 3 or proc.poll() is not None:
                    break
                time.sleep(0.01)
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            proc.wait(10)
        assert proc.returncode == -signal.SIGKILL
        assert 3 <= seen < ROWS

        store = EvaluationStore(store_path)
        (left,) = store.unfinished()
        kept = store.cells(left.id)
        assert len(kept) >= seen and left.cells_left == ROWS - len(kept) > 0
        assert len({c.row for c in kept}) == len(kept)  # no cell twice
        history = HistoryStore(data / "playground" / "history.sqlite3")
        for cell in kept:  # each kept cell is whole: graded, and its full answer in history
            assert cell.outcome == "passed" and cell.grades and cell.preview
            assert cell.history_id is not None
            record = history.get(cell.history_id)
            assert record is not None and record.group_id == left.id
            assert f"Say w{cell.row[1:]}" in record.output_text
        history.close()
        store.close()

        sim.speed = None
        sent_before = len(sim.requests)
        done = subprocess.run(
            [*args[:4], "--base-url", sim.base_url, "--resume", left.id, "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=90,
        )
        assert done.returncode == 0, done.stderr
        assert len(sim.requests) - sent_before == ROWS - len(kept)  # only the rest
        report = json.loads(done.stdout)
        assert report["evaluation"] == left.id and report["summary"][0]["passed"] == ROWS

    store = EvaluationStore(store_path)
    try:
        assert store.unfinished() == []
        assert sorted(c.row for c in store.cells(left.id)) == sorted(r["id"] for r in rows)
        assert {c.row: c for c in store.cells(left.id)}.keys() >= {c.row for c in kept}
        assert store.get(left.id) is not None and store.get(left.id).status == "done"  # type: ignore[union-attr]
    finally:
        store.close()


def _cells(path: Path) -> int:
    if not path.exists():
        return 0
    try:
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=0.1)
        try:
            return int(db.execute("SELECT COUNT(*) FROM cells").fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error:
        return 0
