"""Parity for conversation state: the exported Python of a chain and of a Conversation runs a
two-turn exchange against the simulator; its first request is the app's body, its second is
chained with previous_response_id or runs in the same Conversation with only the follow-up."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from playground.core import request
from playground.core.codegen_state import FOLLOW_UP
from playground.core.export import export
from playground.core.profiles import ProviderProfile
from playground.core.workspace import Message, Workspace
from playground.services.simulator import Simulator
from tests.e2e.test_export_parity import run_program

FOLLOW = [{"role": "user", "content": FOLLOW_UP}]


def _ws(state: str, stream: bool, **kw: Any) -> Workspace:
    return Workspace(
        model="gpt-6-luna",
        state=state,  # type: ignore[arg-type]
        stream=stream,
        instructions="Be brief.",
        messages=[Message(content="Tell me about Paris")],
        **kw,
    )


def _program(tmp_path: Path, ws: Workspace, fmt: str, sim: Simulator) -> Any:
    profile = ProviderProfile(name="sim", base_url=sim.base_url)
    script = tmp_path / f"{ws.state}_{fmt}_{ws.stream}.py"
    script.write_text(export(ws, fmt, profile))  # type: ignore[arg-type]
    proc = run_program([sys.executable, str(script)], sim)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


def _response_ids(stdout: str) -> list[str]:
    line = next(x for x in stdout.splitlines() if x.startswith("Responses:"))
    return line.split()[1:]


@pytest.mark.parametrize("stream", [True, False])
@pytest.mark.parametrize("fmt", ["python", "python-sync"])
def test_the_chain_program_chains_its_second_turn(
    simulator: Simulator, tmp_path: Path, fmt: str, stream: bool
) -> None:
    ws = _ws("chain", stream)
    proc = _program(tmp_path, ws, fmt, simulator)
    first, second = simulator.bodies()
    assert first == request.build(ws).body  # the app's body
    first_id, second_id = _response_ids(proc.stdout)
    assert first_id.startswith("resp_") and second_id.startswith("resp_")
    assert second["previous_response_id"] == first_id and second["input"] == FOLLOW
    assert second["instructions"] == "Be brief." and "conversation" not in second
    assert "Simulated answer" in proc.stdout and FOLLOW_UP in proc.stdout  # both answered


@pytest.mark.parametrize("stream", [True, False])
@pytest.mark.parametrize("fmt", ["python", "python-sync"])
def test_the_conversation_program_creates_one_and_runs_two_turns_in_it(
    simulator: Simulator, tmp_path: Path, fmt: str, stream: bool
) -> None:
    ws = _ws("conversation", stream)
    proc = _program(tmp_path, ws, fmt, simulator)
    posts = [q for q in simulator.requests if q.method == "POST"]
    assert [q.path for q in posts] == ["/v1/conversations", "/v1/responses", "/v1/responses"]
    conv = next(x for x in proc.stdout.splitlines() if x.startswith("Conversation:")).split()[1]
    first, second = (q.body for q in posts[1:])
    assert first == {**request.build(ws).body, "conversation": conv}
    assert second["conversation"] == conv and second["input"] == FOLLOW
    assert "previous_response_id" not in second
    kept = simulator.conversation(conv, "conversation").items
    users = [i for i in kept if i.get("role") == "user"]
    assert len(users) == 2 and len(kept) >= 4  # both turns' input and output were added


def test_a_conversation_the_workspace_names_is_used_not_created(
    simulator: Simulator, tmp_path: Path
) -> None:
    async def make() -> str:
        from playground.services import conversations
        from tests.services.sim_client import strict_client

        async with strict_client(simulator) as c:
            return (await conversations.create(c)).id

    from tests.conftest import run

    conv = run(make())
    before = len(simulator.requests)
    ws = _ws("conversation", False, conversation_id=conv)
    _program(tmp_path, ws, "python-sync", simulator)
    posts = [q for q in simulator.requests[before:] if q.method == "POST"]
    assert [q.path for q in posts] == ["/v1/responses", "/v1/responses"]
    assert posts[0].body == request.build(ws).body and posts[0].body["conversation"] == conv
    assert posts[1].body["conversation"] == conv
