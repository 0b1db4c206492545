"""`playground run --cache`, as a user runs it: the second identical run is answered from the
response cache even with the server gone, says so, and keeps run's exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.e2e.test_cli import TOOL_WS, WS, cli, write

KEY = {"OPENAI_API_KEY": "sk-cli-cache-secret-98765"}


def start_server() -> tuple[str, subprocess.Popen[str]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "playground", "simulator", "--speed", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    return proc.stdout.readline().strip().split()[-1], proc


def stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    proc.wait(10)
    if proc.stdout is not None:
        proc.stdout.close()


def test_a_second_run_is_answered_from_the_cache_without_the_server(tmp_path: Path) -> None:
    env = {**KEY, "XDG_DATA_HOME": str(tmp_path / "data")}
    ws = write(tmp_path, WS)
    url, server = start_server()
    try:
        first = cli("run", str(ws), "--base-url", url, "--cache", env=env)
    finally:
        stop(server)
    assert first.returncode == 0, first.stderr
    assert "cached:" not in first.stderr and first.stdout.strip()
    second = cli("run", str(ws), "--base-url", url, "--cache", env=env)  # nothing listens
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout  # the same answer, printed the same way
    assert "cached: the answer came from the response cache (no request sent)" in second.stderr
    assert "saved $" in second.stderr and "cost $0 (from the response cache)" in second.stderr
    stored = b"".join(p.read_bytes() for p in (tmp_path / "data").rglob("response-cache*"))
    assert stored and KEY["OPENAI_API_KEY"].encode() not in stored
    without = cli("run", str(ws), "--base-url", url, env=env)  # no --cache: to the server
    assert without.returncode == 4 and "cached" not in without.stderr


def test_json_output_says_cached_and_the_tool_call_exit_code_is_kept(tmp_path: Path) -> None:
    env = {**KEY, "XDG_DATA_HOME": str(tmp_path / "data")}
    ws = write(tmp_path, TOOL_WS)
    url, server = start_server()
    try:
        first = cli("run", str(ws), "--base-url", url, "--cache", "--json", env=env)
        second = cli("run", str(ws), "--base-url", url, "--cache", "--json", env=env)
    finally:
        stop(server)
    assert first.returncode == second.returncode == 3  # tool calls to answer, both times
    a, b = json.loads(first.stdout), json.loads(second.stdout)
    assert a["cache"]["hit"] is False and b["cache"]["hit"] is True
    assert b["cache"]["saved_ms"] > 0 and a["tool_calls"] == b["tool_calls"]


def test_a_request_that_asks_to_store_is_not_cached_and_says_why(tmp_path: Path) -> None:
    env = {**KEY, "XDG_DATA_HOME": str(tmp_path / "data")}
    ws = write(tmp_path, {**WS, "params": {"store": True}})
    url, server = start_server()
    try:
        runs = [cli("run", str(ws), "--base-url", url, "--cache", env=env) for _ in range(2)]
    finally:
        stop(server)
    for proc in runs:
        assert proc.returncode == 0, proc.stderr
        assert "not cached: the request asks the server to keep state (store)" in proc.stderr
        assert "cached: the answer came" not in proc.stderr
