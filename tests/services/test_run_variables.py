"""A run with prompt variables: every turn of the mock loop sends the filled texts, the mock
outputs are filled, and the conversation the run keeps is still the template."""

from __future__ import annotations

from playground.core.profiles import ProviderProfile
from playground.core.workspace import FunctionTool, Message, Workspace
from playground.services.backend import OpenAIBackend
from playground.services.runs import Run, execute
from playground.services.simulator import Scenario, ScriptedCall, Simulator
from tests.conftest import run
from tests.services.test_runs import KEY


def test_the_mock_loop_sends_filled_texts_and_filled_mock_outputs(
    profile: ProviderProfile, simulator: Simulator
) -> None:
    backend = OpenAIBackend(strict=True)
    tool = FunctionTool(name="get_weather", mock_output='{"temp_c": "{{temp}}"}')
    ws = Workspace(
        api="chat",
        model="gpt-4o-mini",
        instructions="Answer for {{city}}.",
        messages=[Message(content="Weather in {{ city }}?")],
        tools=[tool],
        variables={"city": "Lyon", "temp": "{{city}} 18"},
    )
    simulator.enqueue(
        Scenario(tool_calls=[ScriptedCall("get_weather", ["{}"])]),
        Scenario(text=["Mild."]),
    )
    r = Run(ws, profile, owner="tab")
    answered: list[dict[str, str]] = []
    r.tool_results_added.connect(answered.append)

    async def go() -> None:
        await execute(r, backend, KEY, mock_loop=3)
        await backend.aclose()

    run(go())
    assert r.outcome == "done"
    first, second = simulator.bodies()
    for body in (first, second):
        assert body["messages"][0]["content"] == "Answer for Lyon."
        assert body["messages"][1]["content"] == "Weather in Lyon?"
    assert list(answered[0].values()) == ['{"temp_c": "{{city}} 18"}']  # filled once only
    assert second["messages"][-1]["content"] == '{"temp_c": "{{city}} 18"}'
    assert r.workspace.messages[0].content == "Weather in {{ city }}?"
