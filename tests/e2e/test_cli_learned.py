"""`playground run` learns a server's refusal and says so in one line."""

from __future__ import annotations

import json
from pathlib import Path

from playground.services.learned_rules import all_rules
from playground.services.simulator import HttpError, Scenario, Simulator
from tests.e2e.test_cli_keys import cli, settings, workspace


def test_a_refusal_is_learned_and_said_once(simulator: Simulator, tmp_path: Path) -> None:
    settings(tmp_path, {"name": "Mine", "base_url": simulator.base_url})
    simulator.enqueue(
        Scenario(
            http_error=HttpError(
                400,
                "Unsupported value: 'temperature' does not support 0.7 with this model. "
                "Only the default (1) value is supported.",
                code="unsupported_value",
                param="temperature",
            )
        )
    )
    ws = workspace(
        tmp_path, model="gpt-4o-mini", api="chat", profile="Mine", params={"temperature": 0.7}
    )
    proc = cli(tmp_path, "run", ws, "--api-key-env", "MY_KEY", env={"MY_KEY": "sk-any"})
    assert proc.returncode == 4
    store = tmp_path / "xdg_data_home" / "playground" / "learned_rules.json"
    lines = [line for line in proc.stderr.splitlines() if line.startswith("learned:")]
    assert lines == [
        "learned: Mine refuses temperature for gpt-4o-mini (unsupported_value): later runs "
        f"leave it out (saved in {store}; forget it under Parameters in the window)"
    ]
    (rule,) = all_rules(store)
    assert (rule.provider, rule.model, rule.param, rule.value) == (
        "Mine",
        "gpt-4o-mini",
        "temperature",
        "0.7",
    )
    assert json.loads(store.read_text())["schema_version"] == 1


def test_other_failures_learn_nothing(simulator: Simulator, tmp_path: Path) -> None:
    settings(tmp_path, {"name": "Mine", "base_url": simulator.base_url})
    simulator.enqueue(Scenario(http_error=HttpError(400, "bad", code="invalid_type", param="n")))
    ws = workspace(tmp_path, profile="Mine")
    proc = cli(tmp_path, "run", ws, "--api-key-env", "MY_KEY", env={"MY_KEY": "sk-any"})
    assert proc.returncode == 4
    assert "learned:" not in proc.stderr
    assert not (tmp_path / "xdg_data_home" / "playground" / "learned_rules.json").exists()
