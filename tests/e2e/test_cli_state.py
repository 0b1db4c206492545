"""`playground run` honours the workspace's conversation state, as a user runs it twice with
--save: the reasoning items go back over a store-false tool loop, a chain sends
previous_response_id and only the new message, a Conversation is created and run in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playground.services.simulator import Simulator
from tests.e2e.test_cli import cli

ENV = {"OPENAI_API_KEY": "sk-cli-state"}
TOOL = {
    "name": "get_weather",
    "strict": True,
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
        "additionalProperties": False,
    },
}


def _write(path: Path, **fields: Any) -> None:
    ws = {
        "model": "gpt-6-luna",
        "messages": [{"role": "user", "content": "What is the weather in Paris?"}],
        **fields,
    }
    path.write_text(json.dumps(ws))


def _add(path: Path, message: dict[str, Any]) -> dict[str, Any]:
    """Add a message to the saved workspace, as a person editing the file would."""
    data = json.loads(path.read_text())
    data["messages"].append(message)
    path.write_text(json.dumps(data))
    return data


def _run(path: Path, sim: Simulator) -> Any:
    return cli("run", str(path), "--base-url", sim.base_url, "--save", env=ENV)


def _posts(sim: Simulator) -> list[Any]:
    return [q for q in sim.requests if q.method == "POST" and q.path.endswith("/responses")]


def test_reasoning_items_go_back_over_a_store_false_tool_loop(
    tmp_path: Path, simulator: Simulator
) -> None:
    path = tmp_path / "loop.json"
    _write(path, tools=[TOOL], params={"store": False})
    first = _run(path, simulator)
    assert first.returncode == 3, first.stderr  # a tool call to answer
    saved = json.loads(path.read_text())
    kinds = [(m.get("item") or {}).get("type") for m in saved["messages"]]
    assert kinds[1] == "reasoning" and saved["messages"][-1]["tool_calls"]
    call = saved["messages"][-1]["tool_calls"][0]["id"]
    _add(path, {"role": "tool", "tool_call_id": call, "content": '{"temp_c": 18}'})
    second = _run(path, simulator)
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith("(reasoning carried over)")
    body = simulator.bodies()[-1]
    assert body["include"] == ["reasoning.encrypted_content"]
    assert [i.get("type", "message") for i in body["input"]] == [
        "message",
        "reasoning",
        "function_call",
        "function_call_output",
    ]
    assert _posts(simulator)[-1].reasoning_carried is True


def test_a_chain_goes_on_from_the_saved_response(tmp_path: Path, simulator: Simulator) -> None:
    path = tmp_path / "chain.json"
    _write(path, state="chain")
    first = _run(path, simulator)
    assert first.returncode == 0, first.stderr
    rid = json.loads(path.read_text())["messages"][-1]["response_id"]
    assert rid.startswith("resp_") and f"response {rid}" in first.stderr
    _add(path, {"role": "user", "content": "And in Rome?"})
    second = _run(path, simulator)
    assert second.returncode == 0, second.stderr
    body = simulator.bodies()[-1]
    assert body["previous_response_id"] == rid
    assert body["input"] == [{"role": "user", "content": "And in Rome?"}]


def test_a_conversation_is_created_then_run_in(tmp_path: Path, simulator: Simulator) -> None:
    path = tmp_path / "conversation.json"
    _write(path, state="conversation")
    first = _run(path, simulator)
    assert first.returncode == 0, first.stderr
    conv = json.loads(path.read_text())["conversation_id"]
    assert conv.startswith("conv_") and f"created conversation {conv}" in first.stderr
    _add(path, {"role": "user", "content": "And in Rome?"})
    second = _run(path, simulator)
    assert second.returncode == 0, second.stderr
    bodies = simulator.bodies()
    assert bodies[-2]["conversation"] == conv and bodies[-1]["conversation"] == conv
    assert bodies[-1]["input"] == [{"role": "user", "content": "And in Rome?"}]
    assert "previous_response_id" not in bodies[-1]


def test_an_edit_before_the_saved_answer_is_a_warning_and_the_chain_still_runs(
    tmp_path: Path, simulator: Simulator
) -> None:
    path = tmp_path / "chain.json"
    _write(path, state="chain")
    assert _run(path, simulator).returncode == 0
    data = _add(path, {"role": "user", "content": "And in Rome?"})
    data["messages"][0]["content"] = "What is the weather in Madrid?"  # edited after it was sent
    path.write_text(json.dumps(data))
    second = _run(path, simulator)
    assert second.returncode == 0, second.stderr
    assert (
        "warning: messages[0]: message 1 (user) was edited after it was sent: the server still "
        "holds it as it was, so a chained run will not see the edit; switch to Send everything"
    ) in second.stderr
    assert simulator.bodies()[-1]["input"] == [{"role": "user", "content": "And in Rome?"}]
    # the saved answer keeps the record of what the server holds: the warning stays
    _add(path, {"role": "user", "content": "And in Oslo?"})
    assert "message 1 (user) was edited" in _run(path, simulator).stderr
    # sending everything once sends it as it is now, and the warning goes
    data = json.loads(path.read_text())
    path.write_text(json.dumps({**data, "state": "everything"}))
    assert _run(path, simulator).returncode == 0
    data = _add(path, {"role": "user", "content": "And in Lima?"})
    path.write_text(json.dumps({**data, "state": "chain"}))
    last = _run(path, simulator)
    assert last.returncode == 0 and "was edited" not in last.stderr, last.stderr


def test_a_new_conversation_holds_the_edited_turns_as_they_are(
    tmp_path: Path, simulator: Simulator
) -> None:
    path = tmp_path / "conversation.json"
    _write(path, state="chain")
    assert _run(path, simulator).returncode == 0
    data = _add(path, {"role": "user", "content": "And in Rome?"})
    data["messages"][0]["content"] = "What is the weather in Madrid?"
    path.write_text(json.dumps({**data, "state": "conversation"}))
    created = _run(path, simulator)  # no conversation id: one is created, seeded as it is now
    assert created.returncode == 0, created.stderr
    assert "created conversation" in created.stderr and "was edited" not in created.stderr
    _add(path, {"role": "user", "content": "And in Oslo?"})
    again = _run(path, simulator)
    assert again.returncode == 0 and "was edited" not in again.stderr, again.stderr


def test_a_chain_on_the_offline_simulator_outlives_each_run(tmp_path: Path) -> None:
    """No --base-url: each `playground run` starts the Offline simulator in its own process,
    and that simulator keeps its state in the data folder (as the window's does), so the
    second run's previous_response_id is one it still holds."""
    env = {**ENV, "XDG_DATA_HOME": str(tmp_path / "data")}
    path = tmp_path / "chain.json"
    _write(path, state="chain", params={"reasoning_effort": "none"})
    first = cli("run", str(path), "--save", env=env)
    assert first.returncode == 0, first.stderr
    _add(path, {"role": "user", "content": "And in Lyon?"})
    second = cli("run", str(path), "--save", env=env)
    assert second.returncode == 0, second.stderr
    assert "not found" not in second.stderr and "Lyon" in second.stdout
    saved = json.loads(path.read_text())
    ids = [m["response_id"] for m in saved["messages"] if m.get("response_id")]
    assert len(ids) == 2 and ids[0] != ids[1]
    assert (tmp_path / "data" / "playground" / "simulator").is_dir()
