"""Parity for `export --format python --tool-loop` and conversation state: the exported loop
runs against the simulator to the final answer. Send everything appends the model's output
and sends it all each round; a chain sends only the tool outputs with previous_response_id =
the response that called the tools; a Conversation sends only the tool outputs with
`conversation` (the server holds the rest)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from playground.core import request
from playground.core.export import export
from playground.core.profiles import ProviderProfile
from playground.core.workspace import Message, Workspace
from playground.services import conversations
from playground.services.simulator import Simulator
from tests.conftest import run
from tests.e2e.test_export_parity import TOOLS_MODEL, WEATHER, run_program
from tests.services.sim_client import strict_client


def _ws(state: str, **kw: Any) -> Workspace:
    return Workspace(
        model=TOOLS_MODEL,
        state=state,  # type: ignore[arg-type]
        messages=[Message(content="Weather in Rome?")],
        tools=[WEATHER],
        **kw,
    )


def _loop(sim: Simulator, tmp_path: Path, ws: Workspace, fmt: str) -> tuple[str, list[Any]]:
    """Run the exported loop; (what it printed, the bodies of its POST /responses)."""
    profile = ProviderProfile(name="sim", base_url=sim.base_url)
    script = tmp_path / f"loop_{ws.state}_{fmt}.py"
    script.write_text(export(ws, fmt, profile, tool_loop=True))  # type: ignore[arg-type]
    proc = run_program([sys.executable, str(script)], sim)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "temp_c" in proc.stdout  # the final answer, from the stub's mock output
    assert "Stopped after" not in proc.stdout
    return proc.stdout, sim.bodies("/responses")


def _first(ws: Workspace, **extra: Any) -> dict[str, Any]:
    sent = request.build(ws).body.items()
    return {**{k: v for k, v in sent if k not in ("stream", "stream_options")}, **extra}


def _outputs_only(body: dict[str, Any]) -> list[str]:
    """The call ids of the input, which must be tool outputs and nothing else."""
    assert [i.get("type") for i in body["input"]] == ["function_call_output"] * len(body["input"])
    return [i["call_id"] for i in body["input"]]


async def _calls_of(sim: Simulator, response_id: str) -> list[str]:
    async with strict_client(sim) as c:
        made = await c.responses.retrieve(response_id)
    return [i.call_id for i in made.output if i.type == "function_call"]


@pytest.mark.parametrize("fmt", ["python", "python-sync"])
def test_send_everything_appends_the_output_and_sends_it_all(
    simulator: Simulator, tmp_path: Path, fmt: str
) -> None:
    ws = _ws("everything")
    _, (first, second) = _loop(simulator, tmp_path, ws, fmt)
    assert first == _first(ws)
    kinds = [i.get("type", "message") for i in second["input"]]
    assert kinds[0] == "message" and "function_call" in kinds
    assert kinds[-1] == "function_call_output"
    assert "previous_response_id" not in second and "conversation" not in second


@pytest.mark.parametrize("fmt", ["python", "python-sync"])
def test_a_chain_sends_only_the_tool_outputs_chained(
    simulator: Simulator, tmp_path: Path, fmt: str
) -> None:
    ws = _ws("chain")
    _, (first, second) = _loop(simulator, tmp_path, ws, fmt)
    assert first == _first(ws) and "previous_response_id" not in first  # the chain's start
    answered = _outputs_only(second)
    assert second["previous_response_id"].startswith("resp_")
    # chained to the response that made the calls it answers
    assert run(_calls_of(simulator, second["previous_response_id"])) == answered
    assert second["tools"] == first["tools"] and "conversation" not in second


def test_a_chain_that_has_answered_turns_starts_from_the_last(
    simulator: Simulator, tmp_path: Path
) -> None:
    async def earlier() -> str:
        async with strict_client(simulator) as c:
            return (await c.responses.create(model=TOOLS_MODEL, input="Hello")).id

    rid = run(earlier())
    ws = _ws("chain")
    ws = ws.model_copy(
        update={
            "messages": [
                Message(content="Hello"),
                Message(role="assistant", content="Hi.", response_id=rid),
                Message(content="Weather in Rome?"),
            ]
        }
    )
    _, (_, first, second) = _loop(simulator, tmp_path, ws, "python-sync")
    assert first == _first(ws) and first["previous_response_id"] == rid
    assert first["input"] == [{"role": "user", "content": "Weather in Rome?"}]
    _outputs_only(second)
    assert second["previous_response_id"] not in (rid, None)


@pytest.mark.parametrize("fmt", ["python", "python-sync"])
def test_a_conversation_sends_only_the_tool_outputs_in_it(
    simulator: Simulator, tmp_path: Path, fmt: str
) -> None:
    ws = _ws("conversation")
    out, (first, second) = _loop(simulator, tmp_path, ws, fmt)
    conv = next(x for x in out.splitlines() if x.startswith("Conversation:")).split()[1]
    assert first == _first(ws, conversation=conv)
    _outputs_only(second)
    assert second["conversation"] == conv and "previous_response_id" not in second
    kept = simulator.conversation(conv, "conversation").items
    kinds = [i.get("type") for i in kept]
    assert kinds.count("function_call") == 1 and kinds.count("function_call_output") == 1
    assert kinds[-1] == "message"  # the final answer was added last


def test_a_conversation_the_workspace_names_is_used(simulator: Simulator, tmp_path: Path) -> None:
    async def make() -> str:
        async with strict_client(simulator) as c:
            return (await conversations.create(c)).id

    conv = run(make())
    ws = _ws("conversation", conversation_id=conv)
    out, (first, second) = _loop(simulator, tmp_path, ws, "python")
    assert "Conversation:" not in out and first == _first(ws)
    assert first["conversation"] == conv == second["conversation"]
    _outputs_only(second)
