"""`playground new --example NAME`: each example as a workspace file, which `playground run`
sends to the simulator with the answer the example is about."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from playground.core import examples
from playground.services.simulator import Simulator
from tests.e2e.test_cli import cli


def test_new_lists_the_examples() -> None:
    proc = cli("new", "--list")
    assert proc.returncode == 0
    assert [line.split()[0] for line in proc.stdout.splitlines()] == list(examples.names())


def test_an_unknown_example_is_refused_with_the_known_names(tmp_path: Path) -> None:
    proc = cli("new", "--example", "nope", "-o", str(tmp_path / "x.json"))
    assert proc.returncode == 2
    assert "first-chat" in proc.stderr and not (tmp_path / "x.json").exists()


def test_new_without_an_example_is_an_empty_workspace_on_the_simulator() -> None:
    proc = cli("new")
    assert proc.returncode == 0
    data = json.loads(proc.stdout)
    assert data["profile"] == "Offline simulator" and data["messages"] == []


# what each example's answer (or pending tool call) must hold, and `run`'s exit status
EXPECTED = {
    "first-chat": ("process and a thread", 0),
    "streaming": ("transformer attention", 0),
    "stock-tool-loop": ("get_stock_price", 3),
    "job-posting": ('"required_skills"', 0),
    "previous-response": ("joke about computers", 0),
    "reasoning-summary": ("day trading strategy", 0),
    "model-routing": ('"route"', 0),
}


@pytest.mark.parametrize("name", examples.names())
def test_each_example_runs_from_the_command_line(
    simulator: Simulator, tmp_path: Path, name: str
) -> None:
    path = tmp_path / f"{name}.json"
    made = cli("new", "--example", name, "-o", str(path))
    assert made.returncode == 0, made.stderr
    proc = cli(
        "run",
        str(path),
        "--base-url",
        simulator.base_url,
        env={"OPENAI_API_KEY": "sk-examples"},
    )
    text, status = EXPECTED[name]
    assert proc.returncode == status, proc.stderr
    assert text in proc.stdout
