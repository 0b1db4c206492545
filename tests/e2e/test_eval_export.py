"""The exported evaluation program (`playground export --format eval-python`): run against the
simulator, it sends for every variant and row the body the app sends for that row, grades the
answers with the graders written out, prints the table and exits as `playground eval` does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from playground.cli_eval_inputs import prepare
from playground.core import request
from playground.core.codegen_eval import eval_python
from playground.core.evaluation_spec import GraderSpec, TestRow, TestSet
from playground.core.profiles import ProviderProfile
from playground.core.variants import Variant, apply
from playground.core.workspace import Message, Parameters, Workspace
from playground.services.simulator import Simulator
from tests.core.test_export import ruff_clean

WS = Workspace(
    model="gpt-4.1-mini",
    profile="sim",
    instructions="Answer about {{city}}.",
    messages=[Message(content="Tell me about {{city}}")],
    params=Parameters(max_output_tokens=300),
)
VARIANTS = [
    Variant(key="resp"),
    Variant(key="chat", overrides={"api": "chat", "model": "gpt-4o", "stream": False}),
]
ROWS = [
    TestRow(id="paris", values={"city": "Paris"}, expected={"expected": "Paris"}),
    TestRow(id="rome", values={"city": "Rome"}, expected={"expected": "Milan"}),
]
GRADERS = [
    GraderSpec(kind="contains", name="names it", value="{{expected}}"),
    GraderSpec(kind="output_tokens", limit=100_000),
    GraderSpec(kind="model_graded", rubric="Is it right?"),
]


def run_program(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "evaluate.py"
    script.write_text(code)
    env = {**os.environ, "OPENAI_API_KEY": "sk-eval-export"}
    return subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, env=env
    )


def test_the_program_sends_the_apps_bodies_grades_and_exits_6_on_a_failed_grader(
    simulator: Simulator, tmp_path: Path
) -> None:
    profile = ProviderProfile(name="sim", kind="custom", base_url=simulator.base_url)
    code = eval_python(WS, VARIANTS, ROWS, GRADERS, {"sim": profile}, concurrency=2)
    assert "Not exported (they run in Playground only): model_graded." in code
    ruff_clean(tmp_path, {"evaluate": code})
    done = run_program(code, tmp_path)
    assert done.returncode == 6, done.stderr
    table = {line.split()[0]: line.split() for line in done.stdout.splitlines()[1:]}
    assert table["resp"][1:3] == ["1/2", "50%"] and table["chat"][1:3] == ["1/2", "50%"]
    assert "row rome failed: names it: contains 'Milan': no" in done.stderr
    sent = [r.body for r in simulator.requests if r.method == "POST"]
    expected = []
    for v in VARIANTS:
        for row in ROWS:
            ws = prepare(apply(WS, v), v, row)
            expected.append(request.build(ws, target=request.Target.for_profile(profile)).body)
    key = lambda b: json.dumps(b, sort_keys=True)  # noqa: E731
    assert sorted(map(key, sent)) == sorted(map(key, expected))


def test_the_cli_writes_the_program_for_the_workspaces_test_set(
    simulator: Simulator, tmp_path: Path
) -> None:
    ws = WS.model_copy(
        update={
            "profile": "Offline simulator",
            "test_set": TestSet(columns=["city"], rows=[ROWS[0]]),
            "graders": GRADERS[:1],
        }
    )
    path = tmp_path / "ws.json"
    path.write_text(ws.to_json())
    done = subprocess.run(
        [sys.executable, "-m", "playground", "export", str(path), "--format", "eval-python"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")},
    )
    assert done.returncode == 0, done.stderr
    assert "ROWS: list[dict[str, Any]] = " in done.stdout and "Paris" in done.stdout
    compile(done.stdout, "evaluate.py", "exec")


def test_the_variables_tabs_own_value_is_not_baked_into_the_program(
    simulator: Simulator, tmp_path: Path
) -> None:
    # the Variables tab's interactive value was filled in at export: every row sent "Lyon"
    profile = ProviderProfile(name="sim", kind="custom", base_url=simulator.base_url)
    ws = WS.model_copy(update={"variables": {"city": "Lyon"}})
    code = eval_python(ws, VARIANTS[:1], ROWS, GRADERS[:1], {"sim": profile}, concurrency=1)
    done = run_program(code, tmp_path)
    assert done.returncode == 6, done.stderr
    sent = json.dumps([r.body for r in simulator.requests if r.method == "POST"])
    assert "Paris" in sent and "Rome" in sent and "Lyon" not in sent
