"""`playground eval`, as a CI job runs it, against the simulator over HTTP: the summary table,
the exit codes (0 all passed, 6 a grader failed, 4 a run failed, 2 invalid input), the --json
shape, JUnit XML accepted by a JUnit schema, rows from CSV and JSON lines, and the store."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import xmlschema

from playground.services.simulator import HttpError, RateLimit, Scenario, Simulator
from tests.conftest import REFERENCE

KEY = {"OPENAI_API_KEY": "sk-eval"}
BASE: dict[str, Any] = {
    "schema_version": 3,
    "api": "chat",
    "model": "gpt-4o-mini",
    "messages": [{"role": "user", "content": "Say {{word}}"}],
    "graders": [{"kind": "contains", "name": "says it", "value": "{{expected}}"}],
}


def rows_of(*pairs: tuple[str, str]) -> dict[str, Any]:
    return {
        "columns": ["word"],
        "expected": ["expected"],
        "rows": [
            {"id": f"r{i}", "values": {"word": w}, "expected": {"expected": e}}
            for i, (w, e) in enumerate(pairs)
        ],
    }


def write(tmp_path: Path, **extra: Any) -> Path:
    path = tmp_path / "ws.json"
    path.write_text(json.dumps({**BASE, **extra}))
    return path


def cli(sim: Simulator, ws: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **KEY, "XDG_DATA_HOME": str(home / "data")}
    return subprocess.run(
        [sys.executable, "-m", "playground", "eval", str(ws), "--base-url", sim.base_url, *args],
        capture_output=True,
        text=True,
        timeout=90,
        env=env,
    )


def test_every_grader_passing_exits_0_with_a_table_per_variant(
    simulator: Simulator, tmp_path: Path
) -> None:
    ws = write(tmp_path, test_set=rows_of(("apple", "apple"), ("pear", "pear")))
    done = cli(
        simulator, ws, "--variant", "model=gpt-4.1", "--variant", "temperature=0.2", home=tmp_path
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split()[:3] == ["variant", "pass", "rate"]
    table = {line.split()[0]: line.split() for line in lines[1:3]}
    assert table["v1"][1:3] == ["2/2", "100%"] and table["v2"][1:3] == ["2/2", "100%"]
    models = sorted(b["model"] for b in simulator.bodies("/chat/completions"))
    assert models == ["gpt-4.1", "gpt-4.1", "gpt-4o-mini", "gpt-4o-mini"]
    sent = sorted(b["messages"][0]["content"] for b in simulator.bodies("/chat/completions"))
    assert sent == ["Say apple", "Say apple", "Say pear", "Say pear"]


def test_a_failing_grader_exits_6_and_json_names_the_cell_and_reason(
    simulator: Simulator, tmp_path: Path
) -> None:
    ws = write(tmp_path, test_set=rows_of(("apple", "apple"), ("pear", "plum")))
    done = cli(simulator, ws, "--json", home=tmp_path)
    assert done.returncode == 6, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == {"evaluation", "summary", "cells"}
    (s,) = data["summary"]
    assert s["variant"] == "base" and s["passed"] == 1 and s["failed"] == 1
    assert s["pass_rate"] == 0.5 and s["output_tokens"] > 0 and s["p95_ms"] > 0
    bad = next(c for c in data["cells"] if c["row"] == "r1")
    assert bad["outcome"] == "failed" and "plum" in bad["grades"][0]["reason"]
    assert bad["grades"][0]["grader"] == "says it" and bad["preview"].startswith("**Simulated")
    # the store in the data folder has the evaluation and both cells; history the full answers
    db = sqlite3.connect(tmp_path / "data" / "playground" / "evaluations.sqlite3")
    assert db.execute("SELECT status, row_count FROM evaluations").fetchall() == [("done", 2)]
    assert db.execute("SELECT COUNT(*) FROM cells").fetchone() == (2,)
    hist = sqlite3.connect(tmp_path / "data" / "playground" / "history.sqlite3")
    groups = hist.execute("SELECT group_id, output_text FROM runs").fetchall()
    assert {g for g, _ in groups} == {data["evaluation"]} and len(groups) == 2
    assert all("You asked" in text for _, text in groups)


def test_junit_output_is_accepted_by_a_junit_schema(simulator: Simulator, tmp_path: Path) -> None:
    simulator.enqueue(Scenario(http_error=HttpError(400, "bad", param="model")))
    ws = write(tmp_path, test_set=rows_of(("apple", "apple"), ("pear", "plum"), ("fig", "fig")))
    report = tmp_path / "report.xml"
    done = cli(simulator, ws, "--junit", str(report), "--concurrency", "1", home=tmp_path)
    assert done.returncode == 4, done.stderr  # a run failed: run's API code wins over 6
    schema = xmlschema.XMLSchema(REFERENCE / "junit.xsd")
    schema.validate(str(report))  # raises with the offending element when it is not valid
    doc = schema.to_dict(str(report))
    (suite,) = doc["testsuite"]
    assert suite["@name"] == "base" and suite["@tests"] == 3 and suite["@errors"] == 1
    cases = {c["@name"]: c for c in suite["testcase"]}
    assert len(cases) == 3
    # one at a time, in order: the 400 hit r0, r1 answered and failed its grader, r2 passed
    assert "error" in cases["r0"] and cases["r0"]["error"][0]["@type"] == "bad_request"
    reason = cases["r1"]["failure"][0]["$"]
    assert reason.startswith("says it:") and "expected the answer to contain “plum”" in reason
    assert "failure" not in cases["r2"] and "error" not in cases["r2"]
    assert "[base] row" in done.stderr


def test_rows_from_csv_and_jsonl_files_are_the_variables(
    simulator: Simulator, tmp_path: Path
) -> None:
    ws = write(tmp_path)
    csv_rows = tmp_path / "cases.csv"
    csv_rows.write_text("id,word,expected,note\nc1,kiwi,kiwi,a fruit\nc2,lime,lime,\n")
    done = cli(simulator, ws, "--rows", str(csv_rows), "--json", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(c["row"] for c in json.loads(done.stdout)["cells"]) == ["c1", "c2"]
    jsonl = tmp_path / "cases.jsonl"
    jsonl.write_text(json.dumps({"word": "date", "expected": "nope"}) + "\n")
    done = cli(simulator, ws, "--rows", str(jsonl), home=tmp_path)
    assert done.returncode == 6, done.stderr
    sent = [b["messages"][0]["content"] for b in simulator.bodies("/chat/completions")]
    assert sorted(sent) == ["Say date", "Say kiwi", "Say lime"]


@pytest.mark.parametrize(
    ("extra", "args", "says"),
    [
        ({}, (), "no rows"),
        ({"test_set": rows_of(("a", "a"))}, ("--concurrency", "0"), "--concurrency"),
        ({"test_set": rows_of(("a", "a"))}, ("--variant", "nonsense=1"), "--variant"),
    ],
)
def test_invalid_input_exits_2_and_sends_nothing(
    simulator: Simulator, tmp_path: Path, extra: dict[str, Any], args: tuple[str, ...], says: str
) -> None:
    done = cli(simulator, write(tmp_path, **extra), *args, home=tmp_path)
    assert done.returncode == 2 and says in done.stderr
    assert simulator.requests == []


def test_a_rate_limited_server_slows_the_run_and_every_cell_passes(
    simulator: Simulator, tmp_path: Path
) -> None:
    simulator.rate_limit = RateLimit(requests=2, window_s=0.2)
    pairs = [(f"w{i}", f"w{i}") for i in range(8)]
    done = cli(simulator, write(tmp_path, test_set=rows_of(*pairs)), "--json", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert simulator.limited > 0
    assert json.loads(done.stdout)["summary"][0]["passed"] == 8


def test_a_data_folder_that_cannot_be_written_still_gives_the_report(
    simulator: Simulator, tmp_path: Path
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "playground").write_text("a file where the data folder should be")
    ws = write(tmp_path, test_set=rows_of(("apple", "apple")))
    done = cli(simulator, ws, "--json", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "cannot be saved" in done.stderr
    assert json.loads(done.stdout)["summary"][0]["passed"] == 1


def test_the_real_graders_variables_and_cache_run_headless(
    simulator: Simulator, tmp_path: Path
) -> None:
    # core's graders (a JSON one and a model-graded rubric on the simulator), the rows filling
    # {{word}}, and --cache answering a second evaluation's cells from the response cache
    graders = [
        {"kind": "contains", "name": "says it", "value": "{{expected}}"},
        {"kind": "valid_json", "name": "is json"},
        {"kind": "model_graded", "name": "judge", "rubric": "The answer mentions “{{word}}”."},
    ]
    ws = write(tmp_path, test_set=rows_of(("apple", "apple")), graders=graders)
    first = cli(simulator, ws, "--json", "--cache", home=tmp_path)
    assert first.returncode == 6, first.stderr  # the answer is no JSON: a grader failed
    text = first.stdout
    for name in ("says it", "is json", "judge"):
        assert name in text
    graded = [b for b in simulator.bodies("/chat/completions") if "playground_grade" in str(b)]
    assert graded, "the model-graded grader sent its rubric"
    sent = len(simulator.bodies("/chat/completions"))
    cell = [
        b
        for b in simulator.bodies("/chat/completions")
        if b["messages"][-1]["content"] == "Say apple"
    ]
    assert len(cell) == 1  # the first evaluation sent the cell's request
    second = cli(simulator, ws, "--json", "--cache", home=tmp_path)
    assert second.returncode == 6, second.stderr
    later = simulator.bodies("/chat/completions")[sent:]
    asked = [b for b in later if b["messages"][-1]["content"] == "Say apple"]
    assert asked == [], "the cell's request was answered from the cache"
