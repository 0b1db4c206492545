"""Parity: exported Python (async and sync) and curl, run as programs against the simulator,
send exactly the body the app sends for the same workspace."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from playground.core import request
from playground.core.export import export
from playground.core.profiles import ProviderProfile
from playground.core.workspace import (
    CustomFormat,
    CustomTool,
    FunctionTool,
    ImagePart,
    Message,
    OutputFormat,
    Parameters,
    TextPart,
    ToolCall,
    ToolChoice,
    Workspace,
)
from playground.services.simulator import Simulator
from tests.core.test_hosted_options import FULL

# the options of every hosted tool, each tool switched off (a case switches one on)
HOSTED = FULL.model_copy(
    update={
        "web_search": False,
        "file_search": False,
        "code_interpreter": False,
        "image_generation": False,
    }
)

WEATHER = FunctionTool(
    name="get_weather",
    description="Weather for a city",
    strict=True,
    mock_output='{"temp_c": 21}',
    parameters={
        "type": "object",
        "additionalProperties": False,
        "required": ["city"],
        "properties": {"city": {"type": "string"}},
    },
)
CITY = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "tags"],
    "properties": {
        "name": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "string"}},
    },
}
MATH = CustomTool(
    name="calc",
    description="Adds numbers",
    format=CustomFormat(
        type="grammar",
        syntax="lark",
        definition='start: expr\nexpr: NUMBER ("+" NUMBER)*\nNUMBER: /[0-9]+/\n',
    ),
)
DATE = CustomTool(
    name="set_date",
    format=CustomFormat(type="grammar", syntax="regex", definition=r"\d{4}-\d{2}-\d{2}"),
)
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAE"
    "hQGAhKmMIQAAAABJRU5ErkJggg=="
)


TOOLS_MODEL = "gpt-5.4"


def _ws(**fields: object) -> Workspace:
    """A workspace on a current model that takes function tools on both APIs with its
    default settings, unless the case names its own model."""
    fields.setdefault("model", TOOLS_MODEL)
    return Workspace(**fields)  # type: ignore[arg-type]


def matrix(tmp: Path) -> list[tuple[str, Workspace]]:
    image = tmp / "dot.png"
    image.write_bytes(PNG)
    user = [Message(content="Weather in Rome?")]
    history = [
        Message(content="Weather in Rome?"),
        Message(
            role="assistant",
            tool_calls=[ToolCall(id="call_1", name="get_weather", arguments='{"city": "Rome"}')],
        ),
        Message(role="tool", tool_call_id="call_1", content='{"temp_c": 21}'),
        Message(content="And tomorrow?"),
    ]
    custom_history = [
        Message(content="When?"),
        Message(
            role="assistant",
            tool_calls=[
                ToolCall(id="call_2", name="set_date", arguments="2026-12-01", kind="custom")
            ],
        ),
        Message(role="tool", tool_call_id="call_2", content="booked"),
        Message(content="Thanks"),
    ]
    cases: list[tuple[str, Workspace]] = []
    for api in ("responses", "chat"):
        # a current model that takes function tools on both APIs with its default settings
        base = {"api": api}
        cases += [
            (f"{api}-text-stream", _ws(**base, instructions="Be brief.", messages=user)),
            (
                f"{api}-text",
                _ws(
                    **base,
                    messages=user,
                    stream=False,
                    params=Parameters(temperature=0.3, max_output_tokens=200),
                ),
            ),
            (
                f"{api}-tools-auto",
                _ws(**base, messages=user, tools=[WEATHER], tool_choice=ToolChoice(mode="auto")),
            ),
            (
                f"{api}-tools-none",
                _ws(
                    **base,
                    messages=user,
                    tools=[WEATHER],
                    tool_choice=ToolChoice(mode="none"),
                    stream=False,
                ),
            ),
            (
                f"{api}-tools-required",
                _ws(
                    **base, messages=user, tools=[WEATHER], tool_choice=ToolChoice(mode="required")
                ),
            ),
            (
                f"{api}-tools-named",
                _ws(
                    **base,
                    messages=user,
                    tools=[WEATHER],
                    tool_choice=ToolChoice(mode="function", name="get_weather"),
                ),
            ),
            (
                f"{api}-json-schema",
                _ws(
                    **base,
                    messages=[Message(content="A city")],
                    output_format=OutputFormat(type="json_schema", name="City", json_schema=CITY),
                ),
            ),
            (
                f"{api}-images",
                _ws(
                    **base,
                    model="gpt-4.1",
                    messages=[
                        Message(
                            content=[
                                TextPart(text="What is this?"),
                                ImagePart(path=str(image)),
                                ImagePart(url="https://example.com/cat.png", detail="low"),
                            ]
                        )
                    ],
                ),
            ),
            (
                f"{api}-reasoning",
                _ws(
                    **base,
                    model="o4-mini",
                    messages=user,
                    params=Parameters(reasoning_effort="low"),
                ),
            ),
            (f"{api}-multi-turn", _ws(**base, messages=history, tools=[WEATHER])),
            (
                f"{api}-custom-tools",
                _ws(
                    **base,
                    messages=user,
                    tools=[WEATHER],
                    custom_tools=[MATH, DATE],
                    tool_choice=ToolChoice(mode="custom", name="calc"),
                    stream=api == "responses",
                ),
            ),
            (
                f"{api}-allowed-tools",
                _ws(
                    **base,
                    messages=user,
                    tools=[WEATHER],
                    custom_tools=[MATH],
                    tool_choice=ToolChoice(
                        mode="allowed_tools",
                        allowed_mode="required",
                        allowed=[{"type": "custom", "name": "calc"}],
                    ),
                ),
            ),
            (f"{api}-custom-multi-turn", _ws(**base, messages=custom_history, custom_tools=[DATE])),
            (
                f"{api}-extra-body",
                _ws(
                    **base,
                    messages=user,
                    extra_body={"safety_identifier": "user-7"},
                    params=Parameters(metadata={"case": "parity"}),
                ),
            ),
        ]
    # each hosted tool with every option it has (Responses only), streamed and not
    cases += [
        (
            f"responses-hosted-{kind}",
            _ws(
                messages=user,
                builtin_tools=HOSTED.model_copy(update={kind: True}),
                tool_choice=ToolChoice(mode="hosted", hosted=kind),
                stream=kind in ("web_search", "code_interpreter"),
            ),
        )
        for kind in ("web_search", "file_search", "code_interpreter", "image_generation")
    ]
    cases.append(("responses-hosted-all", _ws(messages=user, builtin_tools=FULL)))
    return cases


def run_program(args: list[str], sim: Simulator) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OPENAI_API_KEY": "sk-parity"}
    return subprocess.run(args, capture_output=True, text=True, timeout=60, env=env)


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, Workspace]]:
    return matrix(tmp_path_factory.mktemp("parity"))


@pytest.mark.parametrize("fmt", ["python", "python-sync", "curl"])
def test_exported_programs_send_the_apps_body(
    simulator: Simulator, tmp_path: Path, cases: list[tuple[str, Workspace]], fmt: str
) -> None:
    if fmt == "curl" and shutil.which("curl") is None:
        pytest.fail("curl is not installed (.ci/run installs it)")
    profile = ProviderProfile(name="sim", base_url=simulator.base_url, headers={"X-Case": "1"})
    for name, ws in cases:
        simulator.reset()
        code = export(ws, fmt, profile)  # type: ignore[arg-type]
        if fmt == "curl":
            proc = run_program(["bash", "-c", code.replace("\\\n", " ")], simulator)
        else:
            script = tmp_path / f"{name}.py"
            script.write_text(code)
            proc = run_program([sys.executable, str(script)], simulator)
        assert proc.returncode == 0, f"{name}: {proc.stderr[-2000:]}"
        assert simulator.bodies() == [request.build(ws).body], name
        assert simulator.requests[-1].headers.get("x-case") == "1", name
        assert proc.stdout.strip(), f"{name}: printed nothing"


@pytest.mark.parametrize("api", ["responses", "chat"])
@pytest.mark.parametrize("fmt", ["python", "python-sync"])
def test_tool_loop_program_runs_to_an_answer(
    simulator: Simulator, tmp_path: Path, api: str, fmt: str
) -> None:
    ws = Workspace(
        api=api, model=TOOLS_MODEL, messages=[Message(content="Weather in Rome?")], tools=[WEATHER]
    )
    profile = ProviderProfile(name="sim", base_url=simulator.base_url)
    script = tmp_path / "loop.py"
    script.write_text(export(ws, fmt, profile, tool_loop=True))  # type: ignore[arg-type]
    proc = run_program([sys.executable, str(script)], simulator)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "temp_c" in proc.stdout  # the model answered from the stub's mock output
    bodies = simulator.bodies()
    assert len(bodies) == 2
    first = {
        k: v for k, v in request.build(ws).body.items() if k not in ("stream", "stream_options")
    }
    assert bodies[0] == first


@pytest.mark.parametrize("api", ["responses", "chat"])
def test_pydantic_program_parses_the_answer(simulator: Simulator, tmp_path: Path, api: str) -> None:
    ws = Workspace(
        api=api,
        messages=[Message(content="A city")],
        output_format=OutputFormat(type="json_schema", name="City", json_schema=CITY),
    )
    script = tmp_path / "parse.py"
    profile = ProviderProfile(name="sim", base_url=simulator.base_url)
    script.write_text(export(ws, "python", profile, pydantic=True))
    proc = run_program([sys.executable, str(script)], simulator)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "name=" in proc.stdout and "tags=" in proc.stdout  # a City instance was printed


@pytest.mark.parametrize("fmt", ["python", "python-sync", "curl"])
def test_exported_programs_send_the_key_as_the_profile_says(
    simulator: Simulator, tmp_path: Path, fmt: str
) -> None:
    """An Azure-style profile (key in the `api-key` header, api-version in the query): the
    exported program reads AZURE_OPENAI_API_KEY and is accepted by a server that wants that."""
    simulator.auth, simulator.api_key = "api-key", "azure-parity-key"
    profile = ProviderProfile(
        name="Azure sim",
        base_url=simulator.base_url,
        auth="api-key",
        query={"api-version": "2024-10-21"},
    )
    ws = Workspace(api="chat", model="gpt-4o-mini", messages=[Message(content="Hi")])
    code = export(ws, fmt, profile)  # type: ignore[arg-type]
    assert "azure-parity-key" not in code
    env = {**os.environ, "AZURE_OPENAI_API_KEY": "azure-parity-key"}
    env.pop("OPENAI_API_KEY", None)
    if fmt == "curl":
        args = ["bash", "-c", code.replace("\\\n", " ")]
    else:
        (tmp_path / "azure.py").write_text(code)
        args = [sys.executable, str(tmp_path / "azure.py")]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=60, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert simulator.bodies() == [request.build(ws).body]
    assert simulator.requests[-1].query == {"api-version": "2024-10-21"}
    assert simulator.requests[-1].headers.get("api-key") == "azure-parity-key"
