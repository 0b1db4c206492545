"""`playground eval`'s rows as CI sees them: rows without an `id` column keep the same JUnit
test names run after run; an expected value written `expected.NAME` in a workspace file (its
inline rows or its rows file) is the value `{{expected.NAME}}` reads; a row without a value
for a variable is that cell's error (exit 4) while the other cells run."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from playground.services.simulator import Simulator
from tests.e2e.test_cli_eval import BASE, cli


def junit_names(path: Path) -> list[str]:
    return [c.get("name") or "" for c in ET.parse(path).getroot().iter("testcase")]


def test_junit_names_are_the_same_every_run_of_a_rows_file_without_ids(
    simulator: Simulator, tmp_path: Path
) -> None:
    ws = tmp_path / "ws.json"
    ws.write_text(json.dumps(BASE))
    rows = tmp_path / "rows.csv"
    rows.write_text("word,expected\napple,apple\npear,pear\napple,apple\n")
    names = []
    for i in range(2):
        out = tmp_path / f"j{i}.xml"
        done = cli(simulator, ws, "--rows", str(rows), "--junit", str(out), home=tmp_path)
        assert done.returncode == 0, done.stderr
        names.append(junit_names(out))
    assert names[0] == names[1], "CI history can follow each row"
    assert len(set(names[0])) == 3 and all(n.startswith("row-") for n in names[0])
    assert names[0][2] == names[0][0] + "-2"  # the repeated row is numbered


CUR: dict[str, Any] = {
    **BASE,
    "messages": [{"role": "user", "content": "Say {{word}}"}],
    "graders": [{"kind": "contains", "name": "currency", "value": "{{expected.cur}}"}],
}
ROW = {"id": "r1", "values": {"word": "USD"}, "expected": {"expected.cur": "USD"}}


def test_expected_dot_name_in_the_workspace_rows_is_matched(
    simulator: Simulator, tmp_path: Path
) -> None:
    ws = tmp_path / "ws.json"
    test_set = {"columns": ["word"], "expected": ["expected.cur"], "rows": [ROW]}
    ws.write_text(json.dumps({**CUR, "test_set": test_set}))
    done = cli(simulator, ws, "--json", home=tmp_path)
    assert done.returncode == 0, done.stderr + done.stdout
    [cell] = json.loads(done.stdout)["cells"]
    assert cell["outcome"] == "passed" and "has no value" not in done.stdout


def test_expected_dot_name_in_a_rows_file_is_matched(simulator: Simulator, tmp_path: Path) -> None:
    ws = tmp_path / "ws.json"
    (tmp_path / "ws.rows.jsonl").write_text(json.dumps(ROW) + "\n")
    test_set = {"columns": ["word"], "expected": ["cur"], "rows_file": "ws.rows.jsonl"}
    ws.write_text(json.dumps({**CUR, "test_set": test_set}))
    done = cli(simulator, ws, "--json", home=tmp_path)
    assert done.returncode == 0, done.stderr + done.stdout
    assert json.loads(done.stdout)["cells"][0]["outcome"] == "passed"


def test_a_row_without_a_value_is_its_cells_error_and_exits_4(
    simulator: Simulator, tmp_path: Path
) -> None:
    ws = tmp_path / "ws.json"
    rows = [
        {"id": "ok", "values": {"word": "apple"}, "expected": {"expected": "apple"}},
        {"id": "bare", "values": {}, "expected": {"expected": "pear"}},
    ]
    ws.write_text(json.dumps({**BASE, "test_set": {"columns": ["word"], "rows": rows}}))
    done = cli(simulator, ws, "--json", home=tmp_path)
    assert done.returncode == 4, done.stderr
    cells = {c["row"]: c for c in json.loads(done.stdout)["cells"]}
    assert cells["ok"]["outcome"] == "passed"  # the other cells ran
    assert cells["bare"]["outcome"] == "error" and "{{word}}" in cells["bare"]["error_message"]
    assert "row bare" in done.stderr
