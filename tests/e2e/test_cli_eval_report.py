"""`playground eval --report FILE.html` (issue 17, item 5) from a shell: the page is written
beside the other outputs, says it has no charts, holds no key; a place that cannot be written is
said on stderr and exits 2 (after the evaluation ran and was saved)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from playground.services.simulator import Simulator
from tests.e2e.test_cli_eval import BASE, rows_of


def evaluate(sim: Simulator, tmp_path: Path, report: Path) -> subprocess.CompletedProcess[str]:
    ws = tmp_path / "fruit.json"
    ws.write_text(json.dumps({**BASE, "test_set": rows_of(("apple", "apple"))}))
    env = {**os.environ, "OPENAI_API_KEY": "sk-cli-secret", "XDG_DATA_HOME": str(tmp_path / "d")}
    return subprocess.run(
        [sys.executable, "-m", "playground", "eval", str(ws), "--base-url", sim.base_url,
         "--report", str(report)],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip


def test_the_report_is_written_with_the_table_and_says_it_has_no_charts(
    simulator: Simulator, tmp_path: Path
) -> None:
    report = tmp_path / "reports" / "fruit.html"
    done = evaluate(simulator, tmp_path, report)
    assert done.returncode == 0, done.stderr
    page = report.read_text(encoding="utf-8")
    assert "<h1>fruit.json</h1>" in page and 'data-figure="pass_rate">100%<' in page
    assert "No charts: this report was written without a display" in page
    assert "sk-cli-secret" not in page and "Say apple" in page


def test_a_report_that_cannot_be_written_exits_2_and_says_why(
    simulator: Simulator, tmp_path: Path
) -> None:
    (tmp_path / "afile").write_text("")
    report = tmp_path / "afile" / "fruit.html"  # a file stands where the folder should be
    done = evaluate(simulator, tmp_path, report)
    assert done.returncode == 2
    assert f"--report {report}: cannot write:" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout.splitlines()[0].split()[:2] == ["variant", "pass"]  # the table still
