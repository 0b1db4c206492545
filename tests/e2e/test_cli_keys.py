"""The headless CLI: which key goes where, ad-hoc endpoints, and pipes that close early."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from playground.services.simulator import Simulator

WS = {"model": "gpt-6-luna", "messages": [{"role": "user", "content": "Tell me about Paris"}]}
AZURE_KEY = "0123456789abcdef0123456789abcdef"


def cli(
    home: Path, *args: str, env: dict[str, str] | None = None, **kw: object
) -> subprocess.CompletedProcess[str]:
    """`playground ARGS` with its own config/data dirs under `home` and no keyring."""
    base = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        base[var] = str(home / var.lower())
    base["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "playground", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**base, **(env or {})},
        **kw,
    )


def settings(home: Path, *profiles: dict[str, object]) -> None:
    path = home / "xdg_config_home" / "playground" / "settings.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"schema_version": 1, "profiles": list(profiles)}))


def workspace(tmp_path: Path, **fields: object) -> str:
    path = tmp_path / "ws.json"
    path.write_text(json.dumps({**WS, **fields}))
    return str(path)


def test_base_url_alone_runs_as_a_custom_endpoint(simulator: Simulator, tmp_path: Path) -> None:
    simulator.api_key = "sk-cli-adhoc"
    ws = workspace(tmp_path)  # its profile is the Offline simulator
    proc = cli(tmp_path, "run", ws, "--base-url", simulator.base_url)
    assert proc.returncode == 4
    assert f"custom endpoint {simulator.base_url}" in proc.stderr
    assert "offline simulator" not in proc.stderr.lower()  # not the workspace's profile
    assert simulator.requests == []
    proc = cli(
        tmp_path,
        "run",
        ws,
        "--base-url",
        simulator.base_url,
        env={"OPENAI_API_KEY": "sk-cli-adhoc"},
    )
    assert proc.returncode == 0, proc.stderr
    assert simulator.requests[-1].headers["authorization"] == "Bearer sk-cli-adhoc"


def test_openai_api_key_never_goes_to_a_named_third_party_profile(
    simulator: Simulator, tmp_path: Path
) -> None:
    simulator.api_key = AZURE_KEY
    simulator.auth = "api-key"
    settings(
        tmp_path,
        {"name": "Azure", "base_url": simulator.base_url, "auth": "api-key", "max_retries": 0},
    )
    ws = workspace(tmp_path, profile="Azure")
    proc = cli(tmp_path, "run", ws, env={"OPENAI_API_KEY": "sk-openai-must-stay-home"})
    assert proc.returncode == 4
    assert "Azure" in proc.stderr and "--api-key-env" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert simulator.requests == []  # nothing was sent, so no OpenAI key left the machine
    proc = cli(tmp_path, "run", ws, "--api-key-env", "AZURE_KEY", env={"AZURE_KEY": AZURE_KEY})
    assert proc.returncode == 0, proc.stderr
    sent = simulator.requests[-1]
    assert sent.headers["api-key"] == AZURE_KEY and "authorization" not in sent.headers


def test_api_key_env_names_an_unset_variable(tmp_path: Path) -> None:
    proc = cli(
        tmp_path,
        "run",
        workspace(tmp_path),
        "--base-url",
        "http://127.0.0.1:9/v1",
        "--api-key-env",
        "NOT_SET_ANYWHERE",
    )
    assert proc.returncode == 4
    assert "NOT_SET_ANYWHERE" in proc.stderr and "Traceback" not in proc.stderr


def test_a_profile_missing_from_the_settings_is_not_run_as_openai(tmp_path: Path) -> None:
    proc = cli(
        tmp_path,
        "run",
        workspace(tmp_path, profile="Gone"),
        env={"OPENAI_API_KEY": "sk-openai-must-stay-home"},
    )
    assert proc.returncode == 2
    assert "'Gone'" in proc.stderr and "--profile" in proc.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("run", "{ws}"),
        ("run", "{ws}", "--json"),
        ("export", "{ws}"),
        ("export", "{ws}", "--format", "curl"),
    ],
)
def test_a_reader_that_goes_away_ends_quietly(tmp_path: Path, args: tuple[str, ...]) -> None:
    ws = workspace(tmp_path, profile="Offline simulator")
    base = {k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        base[var] = str(tmp_path / var.lower())
    proc = subprocess.Popen(
        [sys.executable, "-m", "playground", *(a.format(ws=ws) for a in args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=base,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `| head` after it has read what it wanted
    err = proc.stderr.read()
    proc.stderr.close()
    proc.wait(60)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert "Exception ignored" not in err, err


def test_piping_into_head_ends_quietly(tmp_path: Path) -> None:
    ws = workspace(tmp_path, profile="Offline simulator")
    env = {k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[var] = str(tmp_path / var.lower())
    py = sys.executable
    for command in (
        f"{py} -m playground run {ws} | head -c 10",
        f"{py} -m playground export {ws} | head -1",
    ):
        proc = subprocess.run(
            command, shell=True, capture_output=True, text=True, timeout=60, env=env
        )
        assert proc.stdout, command
        assert "Traceback" not in proc.stderr and "Broken" not in proc.stderr, proc.stderr


def test_the_simulator_command_can_require_the_api_key_header(tmp_path: Path) -> None:
    base = {k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "playground",
            "simulator",
            "--speed",
            "0",
            "--api-key",
            AZURE_KEY,
            "--auth",
            "api-key",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=base,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().split()[-1]
        settings(tmp_path, {"name": "Azure", "base_url": url, "auth": "api-key", "max_retries": 0})
        ws = workspace(tmp_path, profile="Azure")
        ok = cli(tmp_path, "run", ws, "--api-key-env", "K", env={"K": AZURE_KEY})
        assert ok.returncode == 0, ok.stderr
        settings(tmp_path, {"name": "Azure", "base_url": url, "max_retries": 0})  # bearer
        refused = cli(tmp_path, "run", ws, "--api-key-env", "K", env={"K": AZURE_KEY})
        assert refused.returncode == 4 and "401" in refused.stderr
    finally:
        proc.terminate()
        proc.wait(10)
