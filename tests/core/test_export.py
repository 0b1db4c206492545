"""Exported code: ruff-clean, deterministic, no key literal, correct shell quoting."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from playground.core import request
from playground.core.export import FORMATS, export
from playground.core.profiles import ProviderProfile
from playground.core.workspace import (
    FunctionTool,
    Message,
    OutputFormat,
    Parameters,
    Workspace,
)
from tests.core.strategies import workspaces

RUFF = str(Path(sys.executable).parent / "ruff")
PROFILE = ProviderProfile(
    name="p", base_url="http://127.0.0.1:9/v1", organization="org-1", headers={"X-Team": "it's"}
)
SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["city", "unit", "days"],
    "properties": {
        "city": {"type": "string"},
        "unit": {"type": ["string", "null"], "enum": ["c", "f", None]},
        "days": {"type": "array", "items": {"$ref": "#/$defs/day"}},
    },
    "$defs": {
        "day": {
            "type": "object",
            "additionalProperties": False,
            "required": ["date"],
            "properties": {"date": {"type": "string"}},
        }
    },
}


def sample(api: str, stream: bool) -> Workspace:
    return Workspace(
        api=api,
        stream=stream,
        instructions="Be brief",
        messages=[Message(content="What's the weather in Paris? " * 4)],
        tools=[
            FunctionTool(
                name="get_weather",
                description="Weather",
                parameters=SCHEMA,
                strict=True,
                mock_output='{"temp": 21}',
            )
        ],
        output_format=OutputFormat(type="json_schema", name="forecast", json_schema=SCHEMA),
        params=Parameters(temperature=0.2, max_output_tokens=400),
        extra_body={"safety_identifier": "user-1"},
    )


def ruff_clean(tmp_path: Path, sources: dict[str, str]) -> None:
    for name, text in sources.items():
        (tmp_path / f"{name}.py").write_text(text)
    lint = subprocess.run(
        [RUFF, "check", "--isolated", str(tmp_path)], capture_output=True, text=True
    )
    assert lint.returncode == 0, lint.stdout
    fmt = subprocess.run(
        [RUFF, "format", "--isolated", "--check", "--diff", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_generated_python_passes_ruff(tmp_path: Path) -> None:
    sources = {}
    for api in ("responses", "chat"):
        for stream in (True, False):
            ws = sample(api, stream)
            for fmt in ("python", "python-sync"):
                for loop, pyd in ((False, False), (True, False), (False, True)):
                    for profile in (None, PROFILE):
                        key = f"{api}_{stream}_{fmt}_{loop}_{pyd}_{profile is None}".replace(
                            "-", "_"
                        )
                        sources[key] = export(ws, fmt, profile, loop, pyd)  # type: ignore[arg-type]
    ruff_clean(tmp_path, sources)
    assert "class Day(BaseModel):" in sources["chat_True_python_False_True_True"]
    assert "def get_weather(" in sources["responses_False_python_sync_True_False_True"]


@settings(
    max_examples=25,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    deadline=None,
)
@given(workspaces())
def test_generated_python_passes_ruff_for_any_workspace(tmp_path: Path, ws: Workspace) -> None:
    ruff_clean(
        tmp_path,
        {
            "a": export(ws, "python", PROFILE),
            "s": export(ws, "python-sync"),
            "t": export(ws, "python", tool_loop=True),
        },
    )


def test_export_is_deterministic_and_has_no_key() -> None:
    ws = sample("chat", True)
    for fmt in FORMATS:
        text = export(ws, fmt, PROFILE)
        assert text == export(ws, fmt, PROFILE)
        assert "api_key" not in text and "sk-" not in text
    assert "Bearer $OPENAI_API_KEY" in export(ws, "curl")


def test_curl_body_survives_the_shell() -> None:
    ws = sample("responses", True)
    cmd = export(ws, "curl", PROFILE)
    tokens = shlex.split(cmd.replace("\\\n", " "))
    assert tokens[:3] == ["curl", "-N", "http://127.0.0.1:9/v1/responses"]
    assert json.loads(tokens[tokens.index("-d") + 1]) == request.build(ws).body
    assert "X-Team: it's" in tokens and "OpenAI-Organization: org-1" in tokens


def test_json_is_the_exact_body() -> None:
    ws = sample("chat", False)
    assert json.loads(export(ws, "json")) == request.build(ws).body


@pytest.mark.parametrize("api", ["responses", "chat"])
def test_streaming_code_prints_text_deltas(api: str) -> None:
    code = export(sample(api, True), "python")
    expected = (
        'event.type == "response.output_text.delta"'
        if api == "responses"
        else 'print(delta.content, end="", flush=True)'
    )
    assert expected in code and "asyncio.run(main())" in code
