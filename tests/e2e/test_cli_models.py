"""`playground models`, the catalog override at CLI start, and `playground run` on a model that
is going away."""

from __future__ import annotations

import json
from pathlib import Path

from playground.services.simulator import Simulator
from tests.e2e.test_cli_keys import cli, settings, workspace


def _life(shutdown: str | None, replacement: str | None = None) -> dict[str, object]:
    return {
        "announced": None,
        "shutdown": shutdown,
        "replacement": replacement,
        "replacement_note": None,
    }


OVERRIDE = {
    "models": [
        {"id": "o1", "lifecycle": _life("2026-10-23", "gpt-5.6-sol")},
        {"id": "gpt-4o", "lifecycle": _life("2099-01-14", "gpt-6-luna")},
        {
            "id": "acme-1",
            "family": "Acme",
            "reasoning": True,
            "efforts": ["low", "high"],
            "default_effort": "low",
            "apis": ["responses", "chat"],
            "context_window": 64000,
            "max_output": 8000,
            "prices": [
                {
                    "since": "2026-01-01",
                    "input": 1.5,
                    "cached_input": 0.15,
                    "cache_write": None,
                    "output": 6,
                }
            ],
            "rules": [
                {
                    "params": ["temperature"],
                    "only_when": {"reasoning_effort": ["none"]},
                    "error": {"message": "no", "code": "unsupported_parameter", "param": None},
                    "source": "S",
                }
            ],
            "lifecycle": _life(None),
        },
    ]
}


def override(home: Path, content: object) -> Path:
    path = home / "xdg_config_home" / "playground" / "models.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else json.dumps(content, indent=2))
    return path


def test_models_lists_lifecycle_prices_limits_efforts_and_rules(tmp_path: Path) -> None:
    override(tmp_path, OVERRIDE)
    proc = cli(tmp_path, "models")
    assert proc.returncode == 0, proc.stderr
    blocks = {b.split()[0]: b for b in proc.stdout.split("\n") if b and not b.startswith(" ")}
    assert blocks["o1"].endswith("shut down 2026-10-23 -> gpt-5.6-sol")
    assert blocks["gpt-4o"].endswith("deprecated, shuts down 2099-01-14 -> gpt-6-luna")
    assert blocks["acme-1"] == "acme-1  [Acme]  active"
    acme = proc.stdout.split("acme-1  [Acme]  active\n")[1].split("\n\n")[0].splitlines()
    assert acme[:4] == [
        "  price per 1M: in $1.5 / cached $0.15 / write - / out $6",
        "  context 64,000 / max output 8,000",
        "  efforts: low (default), high",
        "  rule: temperature only with reasoning_effort none",
    ]
    assert proc.stderr == ""


def test_models_json_is_one_document(tmp_path: Path) -> None:
    override(tmp_path, OVERRIDE)
    proc = cli(tmp_path, "models", "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    entries = {m["id"]: m for m in doc["models"]}
    assert entries["o1"]["lifecycle"] == {
        "status": "shut_down",
        "shutdown": "2026-10-23",
        "replacement": "gpt-5.6-sol",
        "text": "shut down 2026-10-23 -> gpt-5.6-sol",
    }
    acme = entries["acme-1"]
    assert acme["price_per_1m"] == {
        "since": "2026-01-01",
        "input": 1.5,
        "cached_input": 0.15,
        "cache_write": None,
        "output": 6,
    }
    assert acme["rules"] == [
        {
            "params": ["temperature"],
            "values": None,
            "condition": "only with reasoning_effort none",
        }
    ]
    assert "server_models" not in doc


def test_models_with_a_profile_adds_what_its_server_lists(
    simulator: Simulator, tmp_path: Path
) -> None:
    settings(tmp_path, {"name": "Local", "kind": "custom", "base_url": simulator.base_url})
    proc = cli(
        tmp_path,
        "models",
        "--profile",
        "Local",
        "--api-key-env",
        "LOCAL_KEY",
        "--json",
        env={"LOCAL_KEY": "sk-local"},
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["profile"] == "Local"
    assert doc["server_models"] == [
        {"id": "my-local-model", "shutdown_date": None, "badges": ["new"]}
    ]
    assert doc["learned_rules"] == []
    text = cli(
        tmp_path,
        "models",
        "--profile",
        "Local",
        "--api-key-env",
        "LOCAL_KEY",
        env={"LOCAL_KEY": "sk-local"},
    ).stdout
    assert "from the server of 'Local', not in the catalog:\n  my-local-model  (new)" in text


def test_models_exit_codes(tmp_path: Path) -> None:
    settings(tmp_path, {"name": "Nowhere", "kind": "custom", "base_url": "http://127.0.0.1:9/v1"})
    proc = cli(tmp_path, "models", "--profile", "Missing")
    assert proc.returncode == 2
    assert "'Missing' given with --profile is not in this machine's settings" in proc.stderr
    proc = cli(tmp_path, "models", "--profile", "Nowhere")  # no key for it
    assert proc.returncode == 4
    assert "No API key for the profile Nowhere" in proc.stderr
    proc = cli(tmp_path, "models", "--profile", "Nowhere", "--api-key-env", "K", env={"K": "k"})
    assert proc.returncode == 4
    assert "could not list the models of 'Nowhere'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_broken_override_is_named_on_stderr_and_the_shipped_catalog_used(
    tmp_path: Path,
) -> None:
    path = override(tmp_path, '{\n  "models": [\n    {"id": "acme-1",, }\n  ]\n}\n')
    proc = cli(tmp_path, "models", "--json")
    assert proc.returncode == 0
    assert f"{path}:3:" in proc.stderr
    assert "the shipped catalog is" in proc.stderr
    assert "acme-1" not in {m["id"] for m in json.loads(proc.stdout)["models"]}


def test_run_prints_the_lifecycle_finding(simulator: Simulator, tmp_path: Path) -> None:
    override(tmp_path, OVERRIDE)
    ws = workspace(tmp_path, model="o1")
    proc = cli(tmp_path, "run", ws)  # on the simulator: it still answers
    assert proc.returncode == 0, proc.stderr
    assert (
        "warning: model: o1 was shut down on 2026-10-23; suggested replacement: gpt-5.6-sol; "
        "other servers may still serve this id"
    ) in proc.stderr
    proc = cli(
        tmp_path,
        "run",
        ws,
        "--base-url",
        "https://api.openai.com/v1",
        env={"OPENAI_API_KEY": "sk-x"},
    )
    assert proc.returncode == 2  # OpenAI's endpoint no longer serves it: nothing is sent
    assert (
        "error: model: o1 was shut down on 2026-10-23; suggested replacement: gpt-5.6-sol\n"
    ) in proc.stderr
    deprecated = cli(tmp_path, "run", workspace(tmp_path, model="gpt-4o"))
    assert deprecated.returncode == 0
    assert "warning: model: gpt-4o shuts down on 2099-01-14; suggested replacement: gpt-6-luna" in (
        deprecated.stderr
    )


def test_a_guide_snippet_on_a_shut_down_model_says_so_and_runs(tmp_path: Path) -> None:
    """The guides' code (o1 with max_tokens, for OpenAI): the import names the shutdown and
    the replacement, and the workspace sends the token limit under the name o1 takes."""
    snippet = tmp_path / "guide.py"
    snippet.write_text(
        "from openai import OpenAI\nclient = OpenAI()\n"
        'client.chat.completions.create(model="o1", '
        'messages=[{"role": "user", "content": "hi"}], max_tokens=300)\n'
    )
    out = tmp_path / "guide.json"
    proc = cli(tmp_path, "import", str(snippet), "-o", str(out))
    assert proc.returncode == 0
    assert (
        "error: model: o1 was shut down on 2026-10-23; suggested replacement: gpt-5.6-sol"
        in proc.stderr
    )
    body = json.loads(cli(tmp_path, "export", str(out), "--format", "json").stdout)
    assert body["max_completion_tokens"] == 300 and "max_tokens" not in body
    run = cli(tmp_path, "run", str(out))  # the Offline simulator still serves the id
    assert run.returncode == 0, run.stderr
    assert "other servers may still serve this id" in run.stderr


def test_export_says_what_run_would_say(tmp_path: Path) -> None:
    ws = workspace(
        tmp_path,
        model="gpt-6-luna",
        params={"reasoning_effort": "low", "temperature": 0.3},
    )
    proc = cli(tmp_path, "export", ws, "--format", "json")
    assert proc.returncode == 0
    assert "temperature" not in json.loads(proc.stdout)
    assert (
        "warning: params.temperature: gpt-6-luna takes temperature only with "
        "reasoning_effort none; it will not be sent" in proc.stderr
    )
