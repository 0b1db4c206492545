"""`playground eval --cache` on the built-in "Offline simulator" profile, as a user runs it
twice in a row: the in-process simulator listens on a new port each command, yet the second
evaluation answers every cell from the response cache and says so (the table's line, the
--json cells and summary, JUnit properties)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

WS: dict[str, Any] = {
    "schema_version": 3,
    "api": "chat",
    "model": "gpt-4o-mini",
    "profile": "Offline simulator",
    "messages": [{"role": "user", "content": "Say {{word}}"}],
    "graders": [{"kind": "contains", "name": "says it", "value": "{{expected}}"}],
    "test_set": {
        "columns": ["word"],
        "expected": ["expected"],
        "rows": [
            {"id": "a", "values": {"word": "apple"}, "expected": {"expected": "apple"}},
            {"id": "p", "values": {"word": "pear"}, "expected": {"expected": "pear"}},
        ],
    },
}


def cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    env.pop("OPENAI_BASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "playground", "eval", str(tmp_path / "ws.json"), *args],
        capture_output=True,
        text=True,
        timeout=90,
        env=env,
    )


def cache_entries(tmp_path: Path) -> int:
    (found,) = list((tmp_path / "data").rglob("response-cache.sqlite3"))
    with sqlite3.connect(found) as db:
        return int(db.execute("SELECT count(*) FROM entries").fetchone()[0])


def test_a_second_eval_on_the_offline_simulator_answers_every_cell_from_the_cache(
    tmp_path: Path,
) -> None:
    (tmp_path / "ws.json").write_text(json.dumps(WS))
    first = cli(tmp_path, "--cache", "--json")
    assert first.returncode == 0, first.stderr
    a = json.loads(first.stdout)
    assert [c["cached"] for c in a["cells"]] == [False, False]
    assert all(c["cost_usd"] > 0 for c in a["cells"])
    kept = cache_entries(tmp_path)
    assert kept == 2

    second = cli(tmp_path, "--cache", "--json")
    assert second.returncode == 0, second.stderr
    b = json.loads(second.stdout)
    assert [c["cached"] for c in b["cells"]] == [True, True], "every cell from the cache"
    for cell in b["cells"]:
        assert cell["cost_usd"] == 0.0  # nothing spent; what it saved is apart
        assert cell["saved_usd"] > 0 and cell["saved_ms"] > 0
        assert cell["ttft_ms"] is None  # nothing streamed
    (summary,) = b["summary"]
    assert summary["cached"] == 2 and summary["saved_usd"] > 0
    assert cache_entries(tmp_path) == kept, "no new entries that are never used"
    table = cli(tmp_path, "--cache", "--junit", str(tmp_path / "j.xml"))
    assert table.returncode == 0, table.stderr
    line = [x for x in table.stdout.splitlines() if "from the cache" in x]
    assert line and line[0].startswith("2 cells from the cache, saved $"), table.stdout
    assert line[0].endswith(" s")
    suite = ET.parse(tmp_path / "j.xml").getroot().find("testsuite")
    assert suite is not None
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["cached_cells"] == "2" and float(props["saved_usd"] or 0) > 0
    outs = [c.findtext("system-out") or "" for c in suite.iter("testcase")]
    assert all(o.endswith("(answered from the response cache)") for o in outs)


def test_without_cache_nothing_says_cached(tmp_path: Path) -> None:
    (tmp_path / "ws.json").write_text(json.dumps(WS))
    done = cli(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "from the cache" not in done.stdout
