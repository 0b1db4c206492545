"""`playground batch` as a person or a CI job runs it, against the simulator over HTTP: submit,
status ("412/1000"), fetch with `eval`'s summary and exit codes (0, 6, 4, 2, and 7 while not
finished), -o, --json, --wait, list and cancel; the data folder's files are owner-only and
hold no key."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from playground.services.simulator import Simulator

SECRET = "sk-batch-cli-secret-4242"
BASE: dict[str, Any] = {
    "schema_version": 3,
    "api": "chat",
    "model": "gpt-4o-mini",
    "messages": [{"role": "user", "content": "Say {{word}}"}],
    "graders": [{"kind": "contains", "name": "says it", "value": "{{expected}}"}],
}


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def workspace(tmp_path: Path, *pairs: tuple[str, str], **extra: Any) -> Path:
    rows = [
        {"id": f"r{i}", "values": {"word": w}, "expected": {"expected": e}}
        for i, (w, e) in enumerate(pairs)
    ]
    test_set = {"columns": ["word"], "expected": ["expected"], "rows": rows}
    path = tmp_path / "ws.json"
    path.write_text(json.dumps({**BASE, "test_set": test_set, **extra}))
    return path


def cli(sim: Simulator, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OPENAI_API_KEY": SECRET, "XDG_DATA_HOME": str(home / "data")}
    return subprocess.run(
        [sys.executable, "-m", "playground", "batch", *args, "--base-url", sim.base_url],
        capture_output=True,
        text=True,
        timeout=90,
        env=env,
    )


def bare(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`playground batch ...` without --base-url: the workspace's or the batch's own profile."""
    env = {**os.environ, "OPENAI_API_KEY": SECRET, "XDG_DATA_HOME": str(home / "data")}
    return subprocess.run(
        [sys.executable, "-m", "playground", "batch", *args],
        capture_output=True,
        text=True,
        timeout=90,
        env=env,
    )


def submitted(done: subprocess.CompletedProcess[str]) -> tuple[str, list[str]]:
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("evaluation e-")
    return lines[0].split()[1], [line.split()[0] for line in lines[1:] if line.startswith("batch")]


@pytest.fixture
def clock(simulator: Simulator) -> Clock:
    c = Clock()
    simulator.clock = c
    return c


def test_submit_status_and_fetch_exit_0_and_keep_private_files(
    simulator: Simulator, tmp_path: Path, clock: Clock
) -> None:
    simulator.batch_seconds = 100
    ws = workspace(tmp_path, *[(f"w{i}", f"w{i}") for i in range(10)])
    evaluation, batches = submitted(cli(simulator, tmp_path, "submit", str(ws)))
    assert len(batches) == 1
    clock.now += 50
    status = bare(tmp_path, "status", batches[0])  # the endpoint it was submitted to
    assert status.returncode == 0, status.stderr
    assert f"{batches[0]}  part 1/1  in_progress  5/10" in status.stdout
    waiting = cli(simulator, tmp_path, "fetch", evaluation)
    assert waiting.returncode == 7
    assert "not finished yet" in waiting.stdout and "in_progress" in waiting.stdout
    clock.now += 60
    raw = tmp_path / "raw.jsonl"
    done = cli(simulator, tmp_path, "fetch", evaluation, "-o", str(raw))
    assert done.returncode == 0, done.stderr
    head, line = done.stdout.splitlines()[:2]
    assert head.split()[:3] == ["variant", "pass", "rate"]
    assert line.split()[:3] == ["base", "10/10", "100%"]
    assert f"evaluation {evaluation}" in done.stdout
    assert len(raw.read_text().splitlines()) == 10
    listed = cli(simulator, tmp_path, "list")
    assert f"{evaluation}  {batches[0]}  1/1  completed  collected" in listed.stdout
    data = tmp_path / "data"
    kept = list((data / "playground" / "batches").iterdir())
    assert [p.name for p in kept] == [f"{batches[0]}-output.jsonl"]
    assert stat.S_IMODE(kept[0].stat().st_mode) == 0o600
    for p in data.rglob("*"):
        if p.is_file():
            assert SECRET.encode() not in p.read_bytes(), p


def test_a_failing_grader_exits_6_and_json_has_the_cells(
    simulator: Simulator, tmp_path: Path, clock: Clock
) -> None:
    ws = workspace(tmp_path, ("apple", "apple"), ("pear", "plum"))
    evaluation, _ = submitted(cli(simulator, tmp_path, "submit", str(ws)))
    done = cli(simulator, tmp_path, "fetch", evaluation, "--json")
    assert done.returncode == 6, done.stderr
    data = json.loads(done.stdout)
    assert data["evaluation"] == evaluation
    outcomes = {c["row"]: c["outcome"] for c in data["cells"]}
    assert outcomes == {"r0": "passed", "r1": "failed"}
    assert all(c["cost_usd"] for c in data["cells"])


def test_a_variant_with_an_unknown_model_exits_4_and_says_why(
    simulator: Simulator, tmp_path: Path, clock: Clock
) -> None:
    ws = workspace(tmp_path, ("apple", "apple"))
    sub = cli(
        simulator, tmp_path, "submit", str(ws), "--variant", "model=gpt-nonexistent-9",
        "--variant", "model=gpt-4o-mini",
    )  # fmt: skip
    evaluation, batches = submitted(sub)
    assert len(batches) == 2  # one model per file
    done = cli(simulator, tmp_path, "fetch", evaluation, "--wait")
    assert done.returncode == 4, done.stderr
    assert "[v1] row r0: The server does not know the model gpt-nonexistent-9" in done.stderr
    table = {line.split()[0]: line.split() for line in done.stdout.splitlines()[1:3]}
    assert table["v1"][1] == "0/1" and table["v2"][1] == "1/1"


def test_cancel_then_fetch_keeps_what_ran_and_exits_4(
    simulator: Simulator, tmp_path: Path, clock: Clock
) -> None:
    simulator.batch_seconds = 100
    ws = workspace(tmp_path, *[(f"w{i}", f"w{i}") for i in range(10)])
    evaluation, batches = submitted(cli(simulator, tmp_path, "submit", str(ws)))
    clock.now += 50
    cancelled = cli(simulator, tmp_path, "cancel", evaluation)
    assert cancelled.returncode == 0, cancelled.stderr
    assert f"{batches[0]}  part 1/1  cancelling" in cancelled.stdout
    clock.now += 10
    done = cli(simulator, tmp_path, "fetch", batches[0])
    assert done.returncode == 4, done.stderr
    assert f"playground eval --resume {evaluation}" in done.stderr


def test_invalid_input_exits_2_and_sends_nothing(
    simulator: Simulator, tmp_path: Path, clock: Clock
) -> None:
    ws = workspace(tmp_path, ("a", "a"), api="responses", model="gpt-daybreak-blue-latest")
    done = cli(simulator, tmp_path, "submit", str(ws))
    assert done.returncode == 2
    assert "does not offer the Batch API" in done.stderr
    offline = bare(tmp_path, "submit", str(workspace(tmp_path, ("a", "a"))))
    assert offline.returncode == 2 and "start `playground simulator`" in offline.stderr
    unknown = cli(simulator, tmp_path, "status", "batch_nope")
    assert unknown.returncode == 2 and "no evaluation or batch batch_nope" in unknown.stderr
    assert simulator.requests == []


def test_a_model_graded_grader_runs_interactively_on_the_batchs_provider(
    simulator: Simulator, tmp_path: Path, clock: Clock
) -> None:
    graders = [{"kind": "model_graded", "name": "judge", "rubric": "It mentions “{{word}}”."}]
    ws = workspace(tmp_path, ("apple", "apple"), graders=graders)
    evaluation, _ = submitted(cli(simulator, tmp_path, "submit", str(ws)))
    assert simulator.bodies("/chat/completions") == []  # the cell went in the batch
    done = cli(simulator, tmp_path, "fetch", evaluation, "--json")
    assert done.returncode in (0, 6), done.stderr
    graded = [b for b in simulator.bodies("/chat/completions") if "playground_grade" in str(b)]
    assert len(graded) == 1, "the rubric was sent as an interactive request"
    (cell,) = json.loads(done.stdout)["cells"]
    assert [g["grader"] for g in cell["grades"]] == ["judge"]


def test_eval_resume_waits_for_the_batches_then_runs_what_they_did_not(
    simulator: Simulator, tmp_path: Path, clock: Clock
) -> None:
    simulator.batch_seconds = 100
    ws = workspace(tmp_path, *[(f"w{i}", f"w{i}") for i in range(10)])
    evaluation, _ = submitted(cli(simulator, tmp_path, "submit", str(ws)))
    env = {**os.environ, "OPENAI_API_KEY": SECRET, "XDG_DATA_HOME": str(tmp_path / "data")}
    resume = [sys.executable, "-m", "playground", "eval", "--resume", evaluation,
              "--base-url", simulator.base_url, "--json"]  # fmt: skip
    early = subprocess.run(resume, capture_output=True, text=True, timeout=90, env=env)
    assert early.returncode == 2 and "not collected yet" in early.stderr
    assert simulator.bodies("/chat/completions") == []  # nothing paid twice
    clock.now += 50
    assert cli(simulator, tmp_path, "cancel", evaluation).returncode == 0
    clock.now += 10
    assert cli(simulator, tmp_path, "fetch", evaluation).returncode == 4
    later = subprocess.run(resume, capture_output=True, text=True, timeout=90, env=env)
    assert later.returncode == 0, later.stderr
    cells = json.loads(later.stdout)["cells"]
    assert len(cells) == 10 and all(c["outcome"] == "passed" for c in cells)
    ran_here = len(simulator.bodies("/chat/completions"))
    assert 0 < ran_here < 10  # only the requests the cancelled batch did not run


def test_a_missing_key_says_how_and_exits_2_and_a_lone_workspace_is_a_one_row_batch(
    simulator: Simulator, tmp_path: Path, clock: Clock
) -> None:
    ws = workspace(tmp_path, ("a", "a"))
    env = {k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    lone = tmp_path / "lone.json"
    lone.write_text(json.dumps({**BASE, "messages": [{"role": "user", "content": "Hi"}]}))
    compare = [str(lone), "--variant", "temperature=0.1"]
    for command, more in ((["batch", "submit", str(ws)], []), (["eval", str(ws)], []),
                          (["compare"], compare)):  # fmt: skip
        done = subprocess.run(
            [sys.executable, "-m", "playground", *command, *more, "--base-url",
             simulator.base_url],
            capture_output=True, text=True, timeout=90, env=env,
        )  # fmt: skip
        assert done.returncode == 2, (command, done.stderr, done.stdout)  # nothing sent
        said = next(line for line in done.stderr.splitlines() if "No API key" in line)
        assert said.startswith("No API key for custom endpoint"), said  # no "[base]"
        assert "[base]" not in done.stderr  # the workspace alone is no variant to name
        assert "set OPENAI_API_KEY" in done.stderr and "--api-key-env NAME" in done.stderr
        assert "simulator accepts any text" in done.stderr
    assert simulator.requests == []
    evaluation, batches = submitted(cli(simulator, tmp_path, "submit", str(lone)))
    assert len(batches) == 1
    status = cli(simulator, tmp_path, "status", evaluation)
    assert f"{batches[0]}  part 1/1" in status.stdout and "/1" in status.stdout
    keyless = subprocess.run(
        [sys.executable, "-m", "playground", "batch", "status", evaluation, "--base-url",
         simulator.base_url],
        capture_output=True, text=True, timeout=90, env=env,
    )  # fmt: skip
    assert keyless.returncode == 2, keyless.stderr
    assert keyless.stderr.startswith("No API key for custom endpoint")
