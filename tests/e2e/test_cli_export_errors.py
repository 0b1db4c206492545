"""`playground export` refuses, as `playground run` does, a request with errors (exit 2, nothing
on stdout) unless --force; warnings are said and the export goes on; a Python export of a
Conversation workspace without an id is no error (the program creates the Conversation)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_cli import cli


def _write(path: Path, **fields: Any) -> Path:
    ws = {"api": "responses", "model": "gpt-4o-mini", **fields}
    ws.setdefault("messages", [{"role": "user", "content": "Hello"}])
    path.write_text(json.dumps(ws))
    return path


@pytest.mark.parametrize("fmt", ["json", "curl", "python"])
def test_a_request_with_an_error_is_not_exported_unless_forced(tmp_path: Path, fmt: str) -> None:
    path = _write(tmp_path / "ws.json", params={"safety_identifier": "u" * 70})
    refused = cli("export", str(path), "--format", fmt)
    assert refused.returncode == 2 and refused.stdout == ""
    assert "safety_identifier must be at most 64 characters" in refused.stderr
    assert "nothing exported" in refused.stderr and "--force" in refused.stderr
    forced = cli("export", str(path), "--format", fmt, "--force")
    assert forced.returncode == 0, forced.stderr
    assert "u" * 70 in forced.stdout  # exactly what would be sent
    assert "nothing exported" not in forced.stderr


def test_a_pending_tool_call_is_an_error_for_export_too(tmp_path: Path) -> None:
    messages = [
        {"role": "user", "content": "Weather in Paris?"},
        {
            "role": "assistant",
            "tool_calls": [{"id": "call_1", "name": "get_weather", "arguments": "{}"}],
        },
    ]
    path = _write(
        tmp_path / "ws.json",
        messages=messages,
        tools=[{"name": "get_weather", "parameters": {"type": "object", "properties": {}}}],
    )
    refused = cli("export", str(path), "--format", "json")
    assert refused.returncode == 2 and "no tool result" in refused.stderr


def test_a_warning_is_said_and_the_export_goes_on(tmp_path: Path) -> None:
    path = _write(tmp_path / "ws.json", api="chat", params={"seed": 7})
    done = cli("export", str(path), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["seed"] == 7


def test_a_conversation_without_an_id_exports_as_python_but_not_as_json(tmp_path: Path) -> None:
    path = _write(tmp_path / "ws.json", state="conversation")
    program = cli("export", str(path), "--format", "python")
    assert program.returncode == 0, program.stderr
    assert "conversations.create" in program.stdout
    body = cli("export", str(path), "--format", "json")
    assert body.returncode == 2 and "Conversation" in body.stderr


@pytest.mark.parametrize("fmt", ["compare-python", "eval-python"])
def test_the_compare_and_evaluation_programs_refuse_errors_too(tmp_path: Path, fmt: str) -> None:
    path = _write(
        tmp_path / "ws.json",
        params={"safety_identifier": "u" * 70},
        variants=[{"key": "a"}, {"key": "b", "overrides": {"model": "gpt-4o"}}],
        test_set={"columns": ["q"], "rows": [{"id": "r1", "values": {"q": "hi"}}]},
    )
    refused = cli("export", str(path), "--format", fmt)
    assert refused.returncode == 2 and refused.stdout == "", refused.stderr
    assert "[a] " in refused.stderr and "nothing exported" in refused.stderr
    forced = cli("export", str(path), "--format", fmt, "--force")
    assert forced.returncode == 0, forced.stderr
    assert "AsyncOpenAI" in forced.stdout
