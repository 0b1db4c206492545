"""The exported compare program (the Code tab's export of a comparison, and `playground export
--format compare-python`): run against the simulator, it sends every variant's body at once, as
the app builds it, and prints the same figures `playground compare` does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from playground.core import request
from playground.core.codegen_compare import compare_python
from playground.core.profiles import ProviderProfile
from playground.core.variants import Variant, apply
from playground.core.workspace import Message, Parameters, Workspace
from playground.services.simulator import HttpError, Scenario, ScriptedCall, Simulator
from tests.core.test_export import ruff_clean

WS = Workspace(
    model="gpt-4o-mini",
    profile="sim",
    instructions="Be brief",
    messages=[Message(content="Tell me about Paris")],
    params=Parameters(max_output_tokens=300),
)
VARIANTS = [
    Variant(key="mini", name="the base"),
    Variant(key="warm", overrides={"model": "gpt-4.1-mini", "params.temperature": 0.2}),
    Variant(key="chat", overrides={"api": "chat", "model": "gpt-6-luna"}),
    Variant(key="whole", overrides={"stream": False}),
]


def run(code: str, tmp_path: Path, name: str = "compare.py") -> subprocess.CompletedProcess[str]:
    script = tmp_path / name
    script.write_text(code)
    env = {**os.environ, "OPENAI_API_KEY": "sk-compare-export"}
    return subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, env=env
    )


def table(stdout: str) -> dict[str, list[str]]:
    """The program's rows by variant, split into columns (two spaces or more apart)."""
    import re

    lines = stdout.splitlines()
    assert lines[0].split() == [
        "variant",
        "answer",
        "ttft",
        "tokens/s",
        "output",
        "cost",
        "outcome",
    ]
    return {
        cells[0]: cells
        for line in lines[1:]
        if not line.startswith("*")
        for cells in [re.split(r"\s{2,}", line.strip())]
    }


def test_the_program_runs_every_variant_and_prints_the_apps_figures(
    simulator: Simulator, tmp_path: Path
) -> None:
    profile = ProviderProfile(name="sim", base_url=simulator.base_url)
    code = compare_python(WS, VARIANTS, {"sim": profile})
    assert "asyncio.gather(" in code and "sk-" not in code
    proc = run(code, tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    expected = sorted(
        json.dumps(request.build(apply(WS, v)).body, sort_keys=True) for v in VARIANTS
    )
    assert sorted(json.dumps(b, sort_keys=True) for b in simulator.bodies()) == expected
    rows = table(proc.stdout)
    assert set(rows) == {"mini", "warm", "chat", "whole"}
    assert all(r[-1] == "done" for r in rows.values())
    assert "from `gpt-6-luna`" in rows["chat"][1]
    assert rows["whole"][2] == "-" and rows["whole"][3] == "-"  # not streamed: no ttft, no rate

    # the same comparison through `playground compare --json`: the same tokens and costs
    simulator.reset()
    ws_file = tmp_path / "ws.json"
    ws_file.write_text(WS.model_copy(update={"variants": VARIANTS}).to_json())
    args = ["compare", str(ws_file), "--json", "--base-url", simulator.base_url]
    cli = subprocess.run(
        [sys.executable, "-m", "playground", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "OPENAI_API_KEY": "sk-compare-export"},
    )
    assert cli.returncode == 0, cli.stderr
    for v in json.loads(cli.stdout)["variants"]:
        row = rows[v["key"]]
        assert row[4] == str(v["output_tokens"])
        cost = f"${v['cost_usd']:.6f}"
        assert row[5] == cost + (" *" if "cost_usd" in v["best"] else "")


def test_a_failed_variant_is_named_and_never_best(simulator: Simulator, tmp_path: Path) -> None:
    simulator.enqueue(Scenario(endpoint="chat", http_error=HttpError(400, "Bad temperature")))
    profile = ProviderProfile(name="sim", base_url=simulator.base_url)
    proc = run(compare_python(WS, VARIANTS[:3], {"sim": profile}), tmp_path)
    assert proc.returncode == 1
    rows = table(proc.stdout)
    assert rows["chat"][1:] == ["-", "-", "-", "-", "failed"]
    assert any(c.endswith(" *") for c in rows["mini"] + rows["warm"])
    assert "[chat]" in proc.stderr and "Bad temperature" in proc.stderr


def test_tool_calls_and_a_second_endpoint(simulator: Simulator, tmp_path: Path) -> None:
    simulator.enqueue(Scenario(endpoint="chat", tool_calls=[ScriptedCall("get_weather")]))
    other = ProviderProfile(name="other", base_url=simulator.base_url + "/")
    variants = [VARIANTS[0], Variant(key="tools", overrides={"api": "chat", "profile": "other"})]
    code = compare_python(
        WS,
        variants,
        {"sim": ProviderProfile(name="sim", base_url=simulator.base_url), "other": other},
    )
    assert "client_2 = AsyncOpenAI(" in code
    proc = run(code, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert table(proc.stdout)["tools"][-1] == "tool calls"


def test_the_program_is_ruff_clean_and_reads_keys_from_the_environment(tmp_path: Path) -> None:
    azure = ProviderProfile(
        name="az", base_url="https://x.openai.azure.com/openai/v1", auth="api-key"
    )
    sources = {
        "plain": compare_python(WS, VARIANTS),
        "azure": compare_python(WS, VARIANTS[:2], {"sim": azure}),
    }
    ruff_clean(tmp_path, sources)
    assert 'os.environ["AZURE_OPENAI_API_KEY"]' in sources["azure"]
    assert "AZURE_OPENAI_API_KEY" in sources["azure"].split('"""')[1]  # the docstring says so
    with pytest.raises(ValueError, match="at least one variant"):
        compare_python(WS, [])


def test_playground_export_format_compare_python(tmp_path: Path) -> None:
    ws_file = tmp_path / "ws.json"
    ws = WS.model_copy(update={"profile": "Offline simulator", "variants": VARIANTS[:2]})
    ws_file.write_text(ws.to_json())
    command = [sys.executable, "-m", "playground", "export", str(ws_file)]
    proc = subprocess.run(
        [*command, "--format", "compare-python"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith('"""Compare 2 variants') and "run_responses(" in proc.stdout
    ws_file.write_text(WS.model_copy(update={"profile": "Offline simulator"}).to_json())
    proc = subprocess.run(
        [*command, "--format", "compare-python"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2 and "no Compare variants" in proc.stderr and proc.stdout == ""
