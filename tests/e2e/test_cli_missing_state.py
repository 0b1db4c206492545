"""`playground run` on a saved workspace whose server state is gone (its server forgot it, as
a simulator restarted without its memory does) names what is missing:
the reasoning item, the chain's previous response, the Conversation; never "does not know
the model"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from playground.services.simulator import Simulator
from tests.e2e.test_cli import cli
from tests.e2e.test_cli_state import ENV, TOOL, _add, _run, _write


@pytest.mark.parametrize(
    ("fields", "named", "todo"),
    [
        ({"tools": [TOOL]}, "the reasoning item rs_", "without that reasoning item"),
        ({"state": "chain"}, "the previous response resp_", "Send everything"),
    ],
    ids=["reasoning item", "previous response"],
)
def test_a_run_after_the_server_forgot_names_what_it_forgot(
    tmp_path: Path, simulator: Simulator, fields: dict[str, object], named: str, todo: str
) -> None:
    path = tmp_path / "ws.json"
    _write(path, **fields)
    first = _run(path, simulator)
    assert first.returncode in (0, 3), first.stderr
    saved = json.loads(path.read_text())
    last = saved["messages"][-1]
    if last.get("tool_calls"):
        call = last["tool_calls"][0]["id"]
        _add(path, {"role": "tool", "tool_call_id": call, "content": '{"temp_c": 18}'})
    else:
        _add(path, {"role": "user", "content": "And in Rome?"})
    # the same server, forgetting everything (a simulator restarted without its memory, a
    # response past its 30 days): another server's reasoning items are left out instead
    simulator.reset()
    second = _run(path, simulator)
    assert second.returncode != 0
    assert f"The server no longer holds {named}" in second.stderr, second.stderr
    assert todo in second.stderr
    assert "does not know the model" not in second.stderr


def test_a_conversation_the_server_does_not_hold_is_named(
    tmp_path: Path, simulator: Simulator
) -> None:
    path = tmp_path / "ws.json"
    _write(path, state="conversation", conversation_id="conv_0000000000000000000gone")
    done = cli("run", str(path), "--base-url", simulator.base_url, env=ENV)
    assert done.returncode != 0
    assert "The server no longer holds the conversation conv_0000000000000000000gone" in (
        done.stderr
    ), done.stderr
    assert "does not know the model" not in done.stderr
