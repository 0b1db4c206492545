"""Responses conversation state: continuing from a stored response with the outputs of its calls
(the documented function-calling pattern), from the CLI against the simulator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playground.services.simulator import Simulator
from tests.e2e.test_cli import cli, write

WEATHER = {
    "name": "get_weather",
    "strict": True,
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
        "additionalProperties": False,
    },
}
FIRST = {
    "api": "responses",
    "model": "gpt-4o-mini",
    "messages": [{"role": "user", "content": "Weather in Paris?"}],
    "tools": [WEATHER],
}


def run_json(sim: Simulator, ws: dict[str, Any], tmp_path: Path, name: str) -> tuple[int, Any]:
    proc = cli(
        "run",
        str(write(tmp_path, ws, name)),
        "--base-url",
        sim.base_url,
        "--json",
        env={"OPENAI_API_KEY": "sk-state"},
    )
    assert proc.stdout.strip(), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def continuation(previous: str, call_id: str) -> dict[str, Any]:
    """A workspace that starts with the output of a call made in `previous`."""
    return {
        "api": "responses",
        "model": "gpt-4o-mini",
        "params": {"previous_response_id": previous},
        "messages": [{"role": "tool", "tool_call_id": call_id, "content": '{"temp_c": 18}'}],
        "tools": [WEATHER],
    }


def test_continuing_from_a_stored_call_runs(simulator: Simulator, tmp_path: Path) -> None:
    code, first = run_json(simulator, FIRST, tmp_path, "first.json")
    assert code == 3 and first["response_id"], first  # the model called get_weather
    call_id = first["tool_calls"][0]["call_id"]
    code, second = run_json(
        simulator, continuation(first["response_id"], call_id), tmp_path, "second.json"
    )
    assert code == 0, second
    assert '{"temp_c": 18}' in second["text"]  # answered from this turn's tool output
    body = simulator.bodies()[-1]
    assert body["previous_response_id"] == first["response_id"]
    assert body["input"][0] == {
        "type": "function_call_output",
        "call_id": call_id,
        "output": '{"temp_c": 18}',
    }


def test_a_call_id_the_previous_response_did_not_make_is_a_typed_400(
    simulator: Simulator, tmp_path: Path
) -> None:
    _, first = run_json(simulator, FIRST, tmp_path, "first.json")
    code, wrong = run_json(
        simulator, continuation(first["response_id"], "call_wrong"), tmp_path, "wrong.json"
    )
    assert code == 4, wrong
    assert wrong["error"] == {
        "kind": "bad_request",
        "message": "The server refused the request: it does not accept the parameter input "
        "as sent.",
        "detail": "No tool call found for function call output with call_id call_wrong.",
        "status": 400,
        "param": "input",
    }
    code, unknown = run_json(
        simulator, continuation("resp_unknown", "call_wrong"), tmp_path, "unknown.json"
    )
    assert code == 4, unknown
    assert unknown["error"]["status"] == 400
    assert unknown["error"]["param"] == "previous_response_id"
    assert "resp_unknown" in unknown["error"]["detail"]
