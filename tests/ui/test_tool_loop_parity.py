"""The window's mock loop and the exported --tool-loop program send the same tool outputs."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from playground.core.export import export
from playground.core.profiles import ProviderProfile
from playground.core.tool_loop import DEFAULT_MOCK_OUTPUT
from playground.core.workspace import (
    CustomFormat,
    CustomTool,
    FunctionTool,
    Message,
    ToolChoice,
    Workspace,
)
from playground.services.simulator import Scenario, ScriptedCall
from playground.ui.widgets.tool_step import ToolStep
from tests.e2e.test_export_parity import run_program
from tests.ui.conftest import App

UNITS = {"type": "object", "properties": {"units": {"type": "string"}}}
CITY = {
    "type": "object",
    "properties": {"city": {"type": "string"}},
    "required": ["city"],
    "additionalProperties": False,
}
# (arguments the model sends, the tool's parameters, its mock output, the output both send)
CASES = [
    ("", UNITS, '{"temp_c": 21}', '{"temp_c": 21}'),
    ("{}", UNITS, '{"temp_c": 21}', '{"temp_c": 21}'),
    ("  ", UNITS, '{"temp_c": 21}', '{"temp_c": 21}'),
    ('{"units": "C"}', UNITS, "", DEFAULT_MOCK_OUTPUT),
    ("", UNITS, None, DEFAULT_MOCK_OUTPUT),
    ("", CITY, '{"temp_c": 21}', None),  # an error result that names the tool
]


def tool_outputs(body: dict[str, Any]) -> list[str]:
    """The tool outputs a request sends (either API)."""
    if "messages" in body:
        return [m["content"] for m in body["messages"] if m.get("role") == "tool"]
    return [i["output"] for i in body["input"] if i.get("type") == "function_call_output"]


@pytest.mark.parametrize("api", ["chat", "responses"])
def test_mock_loop_and_exported_program_answer_calls_alike(
    app: App, tmp_path: Path, api: str
) -> None:
    for arguments, params, mock, expected in CASES:
        tool = FunctionTool(name="get_weather", parameters=params, mock_output=mock)
        ws = Workspace(
            api=api,
            model="gpt-5.4",  # takes function tools on both APIs with its default settings
            profile="Offline simulator",
            messages=[Message(content="Weather in Rome?")],
            tools=[tool],
        )
        app.sim.reset()
        app.sim.enqueue(Scenario(tool_calls=[ScriptedCall("get_weather", [arguments])]))
        app.window.load(ws)
        app.run()
        step = next(w for w in app.window.conversation.transient if isinstance(w, ToolStep))
        step.mocks.click()
        app.qtbot.waitUntil(lambda: len(app.sim.bodies()) >= 2, timeout=5000)
        app.wait_idle()
        window_sent = tool_outputs(app.sim.bodies()[1])

        app.sim.reset()
        app.sim.enqueue(Scenario(tool_calls=[ScriptedCall("get_weather", [arguments])]))
        script = tmp_path / f"loop_{api}.py"
        profile = ProviderProfile(name="sim", base_url=app.sim.base_url)
        script.write_text(export(ws, "python-sync", profile, tool_loop=True))
        proc = run_program([sys.executable, str(script)], app.sim)
        assert proc.returncode == 0, (arguments, proc.stderr[-2000:])
        program_sent = tool_outputs(app.sim.bodies()[1])

        assert window_sent == program_sent, (arguments, mock)
        if expected is None:
            assert "get_weather" in json.loads(window_sent[0])["error"]
        else:
            assert window_sent == [expected], (arguments, mock)


@pytest.mark.parametrize("api", ["chat", "responses"])
def test_custom_tool_calls_are_answered_alike(app: App, tmp_path: Path, api: str) -> None:
    """A custom tool with a grammar, called under allowed_tools: the window's mock loop and
    the exported program send the same custom tool output (its mock, variables filled)."""
    ws = Workspace(
        api=api,
        model="gpt-5.4",
        profile="Offline simulator",
        messages=[Message(content="Book set_date for me")],
        stream=False,  # a Chat stream carries function calls only
        tools=[FunctionTool(name="get_weather", parameters=UNITS, mock_output="sunny")],
        custom_tools=[
            CustomTool(
                name="set_date",
                format=CustomFormat(type="grammar", syntax="regex", definition=r"\d{4}-\d\d"),
                mock_output="booked for {{who}}",
            )
        ],
        tool_choice=ToolChoice(
            mode="allowed_tools",
            allowed_mode="required",
            allowed=[{"type": "custom", "name": "set_date"}],
        ),
        variables={"who": "Ada"},
    )
    app.sim.reset()
    app.window.load(ws)
    app.run()
    step = next(w for w in app.window.conversation.transient if isinstance(w, ToolStep))
    assert [c.call.kind for c in step.cards] == ["custom"]
    step.mocks.click()
    app.qtbot.waitUntil(lambda: len(app.sim.bodies()) >= 2, timeout=5000)
    app.wait_idle()
    window_sent = custom_outputs(app.sim.bodies()[1])

    app.sim.reset()
    script = tmp_path / f"custom_{api}.py"
    profile = ProviderProfile(name="sim", base_url=app.sim.base_url)
    script.write_text(export(ws, "python-sync", profile, tool_loop=True))
    proc = run_program([sys.executable, str(script)], app.sim)
    assert proc.returncode == 0, proc.stderr[-2000:]
    program_sent = custom_outputs(app.sim.bodies()[1])
    assert window_sent == program_sent == ["booked for Ada"]


def custom_outputs(body: dict[str, Any]) -> list[str]:
    """The custom tool outputs a request sends (Chat: its tool messages)."""
    if "messages" in body:
        return [m["content"] for m in body["messages"] if m.get("role") == "tool"]
    return [i["output"] for i in body["input"] if i.get("type") == "custom_tool_call_output"]
