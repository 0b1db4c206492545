"""The command line, as a user runs it: `playground simulator` and `playground run`."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

WS = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Tell me about Paris"}]}
TOOL_WS = {
    "api": "chat",
    "model": "gpt-4o-mini",
    "messages": [{"role": "user", "content": "Weather in Paris?"}],
    "tools": [
        {
            "name": "get_weather",
            "strict": True,
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string"}},
                "required": ["city"],
                "additionalProperties": False,
            },
        }
    ],
}


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "playground", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, subprocess.Popen[str]]]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "playground",
            "simulator",
            "--speed",
            "0",
            "--api-key",
            "sk-cli-right",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    yield line, proc
    proc.terminate()
    proc.wait(10)


def write(tmp_path: Path, data: object, name: str = "ws.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def test_simulator_prints_exactly_its_address(server: tuple[str, subprocess.Popen[str]]) -> None:
    line, _ = server
    assert line.startswith("listening on http://127.0.0.1:") and line.endswith("/v1")


def test_run_streams_markdown(server: tuple[str, subprocess.Popen[str]], tmp_path: Path) -> None:
    url = server[0].split()[-1]
    proc = cli(
        "run", str(write(tmp_path, WS)), "--base-url", url, env={"OPENAI_API_KEY": "sk-cli-right"}
    )
    assert proc.returncode == 0, proc.stderr
    assert "**Simulated answer**" in proc.stdout and "> Tell me about Paris" in proc.stdout
    assert "usage: input" in proc.stderr and "timing: first token" in proc.stderr


def test_run_json_output(server: tuple[str, subprocess.Popen[str]], tmp_path: Path) -> None:
    url = server[0].split()[-1]
    proc = cli(
        "run",
        str(write(tmp_path, WS)),
        "--base-url",
        url,
        "--json",
        "--no-stream",
        env={"OPENAI_API_KEY": "sk-cli-right"},
    )
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["finish_reason"] == "stop"


def test_run_exits_3_on_a_tool_call(
    server: tuple[str, subprocess.Popen[str]], tmp_path: Path
) -> None:
    url = server[0].split()[-1]
    proc = cli(
        "run",
        str(write(tmp_path, TOOL_WS)),
        "--base-url",
        url,
        env={"OPENAI_API_KEY": "sk-cli-right"},
    )
    assert proc.returncode == 3, proc.stderr
    calls = json.loads(proc.stdout)
    assert calls[0]["name"] == "get_weather" and json.loads(calls[0]["arguments"]) == {
        "city": "Paris"
    }


def test_run_exits_4_for_a_wrong_key(
    server: tuple[str, subprocess.Popen[str]], tmp_path: Path
) -> None:
    url = server[0].split()[-1]
    proc = cli(
        "run",
        str(write(tmp_path, WS)),
        "--base-url",
        url,
        env={"OPENAI_API_KEY": "sk-cli-wrong-123"},
    )
    assert proc.returncode == 4
    assert "Authentication failed (401): The server did not accept the API key." in proc.stderr
    assert "\n  the server said: Incorrect API key provided" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert "sk-cli-wrong-123" not in proc.stderr  # the key is shown masked


def test_run_exits_4_when_the_connection_is_refused(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = cli(
        "run",
        str(write(tmp_path, WS)),
        "--base-url",
        f"http://127.0.0.1:{port}/v1",
        env={"OPENAI_API_KEY": "sk-x"},
    )
    assert proc.returncode == 4
    assert "Connection failed" in proc.stderr and "Traceback" not in proc.stderr


def test_run_on_the_offline_simulator_profile_needs_no_key(tmp_path: Path) -> None:
    proc = cli("run", str(write(tmp_path, {**WS, "profile": "Offline simulator"})))
    assert proc.returncode == 0, proc.stderr
    assert "Simulated answer" in proc.stdout


def test_run_exits_2_for_a_broken_file_and_leaves_it_alone(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "model": "gpt-4o",\n  "messages": [,]\n}\n')
    before = path.read_bytes()
    proc = cli("run", str(path))
    assert proc.returncode == 2
    assert f"{path}:3:16: not valid JSON" in proc.stderr
    assert path.read_bytes() == before


def test_run_exits_2_for_an_invalid_workspace(tmp_path: Path) -> None:
    bad = cli("run", str(write(tmp_path, {**WS, "messages": [{"role": "boss"}]})))
    assert bad.returncode == 2 and "messages.0.role" in bad.stderr
    findings = cli("run", str(write(tmp_path, {**WS, "params": {"temperature": 5}})))
    assert findings.returncode == 2
    assert "temperature must be from 0 to 2; it is 5" in findings.stderr


def test_version() -> None:
    from playground import __version__

    proc = cli("--version")
    assert proc.stdout.strip() == f"playground {__version__}"


def test_gui_starts_and_keeps_running(tmp_path: Path) -> None:
    """`playground open FILE` opens the window (offscreen) and runs until it is closed."""
    path = write(tmp_path, WS)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "playground", "open", str(path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            proc.wait(4)  # still running: the window is up
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert "Traceback" not in err


def test_open_refuses_a_broken_workspace(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{")
    proc = cli("open", str(path))
    assert proc.returncode == 2 and "not valid JSON" in proc.stderr


def test_export_and_import_on_the_command_line(tmp_path: Path) -> None:
    path = write(tmp_path, {**TOOL_WS, "stream": False})
    body = cli("export", str(path), "--format", "json")
    assert body.returncode == 0
    sent = json.loads(body.stdout)
    assert sent["tools"][0]["function"]["name"] == "get_weather"
    for fmt in ("python", "python-sync", "curl"):
        proc = cli("export", str(path), "--format", fmt)
        assert proc.returncode == 0
        assert "api_key" not in proc.stdout  # the key always comes from the environment
    loop = cli("export", str(path), "--format", "python", "--tool-loop")
    assert "TOOLS = {" in loop.stdout and "def get_weather(city: str) -> str:" in loop.stdout
    out = tmp_path / "imported.json"
    imp = subprocess.run(
        [sys.executable, "-m", "playground", "import", "-", "-o", str(out)],
        input=body.stdout,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert imp.returncode == 0, imp.stderr
    again = cli("export", str(out), "--format", "json")
    assert json.loads(again.stdout) == sent


def test_import_names_what_it_left_out(tmp_path: Path) -> None:
    src = tmp_path / "snippet.py"
    src.write_text("client.responses.create(model='gpt-4.1', input=question, max_tokens=5)\n")
    proc = cli("import", str(src))
    assert proc.returncode == 0
    assert "note: input=question is not a literal value; not imported" in proc.stderr
    assert json.loads(proc.stdout)["params"]["max_output_tokens"] == 5
    bad = cli("import", str(write(tmp_path, {"model": "x"}, "bad.json")))
    assert bad.returncode == 2 and "neither 'messages'" in bad.stderr


def test_self_test_passes_offscreen(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[var] = str(tmp_path / var.lower())
    proc = cli("--self-test", env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("Playground 0.")
    assert any(line.startswith("[ok  ] Qt") and "offscreen" in line for line in lines)
    assert any(line.startswith(("[ok  ] keyring", "[warn] keyring")) for line in lines)
    assert any(
        line.startswith("[ok  ] request")
        and "Simulated answer" in line
        and "request process" in line
        for line in lines
    )
    assert any(line.startswith("[ok  ] window") and "painted" in line for line in lines)
    assert any(line.startswith("[ok  ] charts") and "pyqtgraph" in line for line in lines)
    assert lines[-1] == "all checks passed"
    assert not list(tmp_path.rglob("session.json"))  # the user's folders were not touched


def test_self_test_names_a_broken_platform_plugin(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="no-such-platform", HOME=str(tmp_path))
    proc = cli("--self-test", env=env)
    assert proc.returncode == 1
    assert "[FAIL] Qt         the platform plugin did not load: " in proc.stdout
    assert "no-such-platform" in proc.stdout
    assert "offscreen works" in proc.stdout  # and the rest of the report still ran
    assert "[ok  ] request" in proc.stdout
    assert proc.stdout.splitlines()[-1] == "1 check(s) failed"
