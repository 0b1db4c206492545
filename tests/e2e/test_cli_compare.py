"""`playground compare`, as a user runs it, against the simulator over HTTP: the variants run at
the same time, the table marks the best figures, and the exit code is the worst variant's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from playground.services.simulator import HttpError, Scenario, ScriptedCall, Simulator

BASE: dict[str, Any] = {
    "schema_version": 2,
    "model": "gpt-4o-mini",
    "messages": [{"role": "user", "content": "Tell me about Paris"}],
}
VARIANTS = [
    {"key": "a", "name": "mini"},
    {"key": "b", "overrides": {"model": "gpt-4.1-mini", "params.temperature": 0.2}},
]
KEY = {"OPENAI_API_KEY": "sk-compare"}


def command(sim: Simulator, ws: Path, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "playground",
        "compare",
        str(ws),
        "--base-url",
        sim.base_url,
        *args,
    ]


def cli(sim: Simulator, ws: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(sim, ws, *args),
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **KEY},
    )


def write(tmp_path: Path, **extra: Any) -> Path:
    path = tmp_path / "ws.json"
    path.write_text(json.dumps({**BASE, **extra}))
    return path


def rows(stdout: str) -> dict[str, str]:
    """The table's lines by their variant key."""
    return {line.split()[0]: line for line in stdout.splitlines()[1:] if line[:1] != "*"}


def test_the_workspaces_variants_run_side_by_side(simulator: Simulator, tmp_path: Path) -> None:
    proc = cli(simulator, write(tmp_path, mode="compare", variants=VARIANTS))
    assert proc.returncode == 0, proc.stderr
    head, *_ = proc.stdout.splitlines()
    assert head.split() == [
        "variant", "overrides", "answer", "ttft", "tokens/s", "output", "cost", "outcome"
    ]  # fmt: skip
    table = rows(proc.stdout)
    assert "(none)" in table["a"] and "from `gpt-4o-mini`" in table["a"]
    assert "model=gpt-4.1-mini, temperature=0.2" in table["b"]
    assert table["a"].endswith("done") and table["b"].endswith("done")
    # gpt-4o-mini is the cheaper of the two (0.60 vs 1.60 USD per 1M output tokens)
    cost_a = next(c for c in table["a"].split("  ") if c.strip().startswith("$"))
    assert cost_a.strip().endswith("*")
    assert proc.stdout.rstrip().endswith("highest tokens/s)")
    sent = simulator.bodies("/responses")
    assert sorted((b["model"], b.get("temperature")) for b in sent) == [
        ("gpt-4.1-mini", 0.2),
        ("gpt-4o-mini", None),
    ]


def test_variants_given_on_the_command_line_as_json(simulator: Simulator, tmp_path: Path) -> None:
    proc = cli(
        simulator,
        write(tmp_path, variants=VARIANTS),  # ignored: --variant given
        "--variant",
        "model=gpt-6-luna,temperature=0.5",
        "--variant",
        "instructions=Be brief, please,model=gpt-4.1-mini",
        "--variant",
        "max_output_tokens=300",
        "--json",
        "--no-stream",
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)["variants"]
    assert [v["key"] for v in out] == ["v1", "v2", "v3"]
    assert out[0]["overrides"] == {"model": "gpt-6-luna", "params.temperature": 0.5}
    assert out[1]["overrides"] == {"instructions": "Be brief, please", "model": "gpt-4.1-mini"}
    assert out[2]["overrides"] == {"params.max_output_tokens": 300}
    assert "Be brief, please" in out[1]["text"] and "`gpt-6-luna`" in out[0]["text"]
    assert all(v["outcome"] == "done" and v["output_tokens"] > 0 for v in out)
    cheapest = min(v["cost_usd"] for v in out)
    assert {v["key"] for v in out if "cost_usd" in v["best"]} == {
        v["key"] for v in out if v["cost_usd"] == cheapest
    }
    assert all(v["ttft_ms"] is None for v in out)  # --no-stream: no first token to time
    sent = simulator.bodies("/responses")
    assert len(sent) == 3 and all(b.get("stream") is not True for b in sent)


def test_all_variants_are_in_flight_at_once(simulator: Simulator, tmp_path: Path) -> None:
    gate = threading.Event()
    simulator.enqueue(*(Scenario(gate_after=1, gate=gate) for _ in range(3)))
    variants = [*VARIANTS, {"key": "c", "overrides": {"model": "gpt-6-luna"}}]
    proc = subprocess.Popen(
        command(simulator, write(tmp_path, variants=variants)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **KEY},
    )
    try:
        deadline = time.monotonic() + 30
        # every stream is held after its first event: only concurrent runs all get here
        while len(simulator.bodies("/responses")) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(simulator.bodies("/responses")) == 3
        assert proc.poll() is None  # nothing finished while the gate is shut
    finally:
        gate.set()
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr
    assert set(rows(stdout)) == {"a", "b", "c"}


def test_the_exit_code_is_the_worst_variants(simulator: Simulator, tmp_path: Path) -> None:
    chat = {"key": "tools", "overrides": {"api": "chat"}}
    simulator.enqueue(
        Scenario(endpoint="chat", tool_calls=[ScriptedCall("get_weather", ['{"city":"Paris"}'])])
    )
    proc = cli(simulator, write(tmp_path, variants=[VARIANTS[0], chat]))
    assert proc.returncode == 3, proc.stderr  # tool calls to answer, as `run` says
    assert rows(proc.stdout)["tools"].endswith("tool calls")
    assert "calls get_weather" in rows(proc.stdout)["tools"]

    simulator.enqueue(
        Scenario(
            endpoint="chat",
            http_error=HttpError(400, "Unsupported value: 'temperature'", param="temperature"),
        )
    )
    proc = cli(simulator, write(tmp_path, variants=[VARIANTS[0], chat]))
    assert proc.returncode == 4, proc.stderr  # the API failed for one: the worst
    table = rows(proc.stdout)
    assert table["tools"].endswith("failed") and table["a"].endswith("done")
    assert "ms *" in table["a"] and "*" not in table["tools"]  # a failure is never best
    failed = [line for line in proc.stderr.splitlines() if line.startswith("[tools] Bad")]
    assert len(failed) == 1 and "(400)" in failed[0] and "the parameter temperature" in failed[0]


def test_no_variants_is_a_usage_error(simulator: Simulator, tmp_path: Path) -> None:
    proc = cli(simulator, write(tmp_path))
    assert proc.returncode == 2 and proc.stdout == ""
    assert "has no Compare variants" in proc.stderr and "--variant KEY=VALUE" in proc.stderr
    proc = cli(simulator, write(tmp_path), "--variant", "colour=red")
    assert proc.returncode == 2 and "--variant: colour: not a parameter" in proc.stderr
    proc = cli(simulator, write(tmp_path), "--variant", "temperature=warm")
    assert proc.returncode == 2 and "[v1]" in proc.stderr and "temperature" in proc.stderr
    assert "Input should be a valid number" in proc.stderr
    assert "validation error" not in proc.stderr and "nullable[" not in proc.stderr
    seven = [arg for i in range(7) for arg in ("--variant", f"temperature=0.{i}")]
    proc = cli(simulator, write(tmp_path), *seven)
    assert proc.returncode == 2 and "at most 6 variants, not 7" in proc.stderr
    assert simulator.bodies() == []  # nothing was sent


def test_the_help_shows_the_comma_form() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "playground", "compare", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0
    assert "model=gpt-5.4,temperature=0.2" in " ".join(proc.stdout.split())
    for option in ("--base-url", "--profile", "--no-stream", "--json", "--variant"):
        assert option in proc.stdout


def test_a_variant_waiting_for_an_mcp_approval_says_what_it_waits_for(tmp_path: Path) -> None:
    """The table's answer cell names the approval (tool and server) and the outcome is tool
    calls, exit 3, as `playground run` gives for a pending approval."""
    ws = {
        "api": "responses",
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": "Use delete_page on the intro page"}],
        "extra_tools": [
            {"type": "mcp", "server_label": "docs", "server_url": "https://mcp.example.com/docs"}
        ],
    }
    path = tmp_path / "mcp.json"
    path.write_text(json.dumps(ws))
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    done = subprocess.run(
        [sys.executable, "-m", "playground", "compare", str(path), "--variant", "model=gpt-4o"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == 3, done.stderr
    assert "approve delete_page on docs" in done.stdout and "tool calls" in done.stdout
