"""The simulator answers bad requests the way the live API does (openai-protocol.md 3 and 4)."""

from __future__ import annotations

from typing import Any

import openai
import pytest

from playground.services.simulator import HttpError, Scenario, Simulator
from tests.conftest import run
from tests.services.test_simulator_sdk import client

USER = [{"role": "user", "content": "hi"}]


def chat_error(sim: Simulator, **kw: Any) -> openai.APIStatusError:
    async def go() -> None:
        async with client(sim) as c:
            await c.chat.completions.create(**{"model": "gpt-4o", "messages": USER, **kw})

    with pytest.raises(openai.APIStatusError) as info:
        run(go())
    return info.value


def responses_error(sim: Simulator, **kw: Any) -> openai.APIStatusError:
    async def go() -> None:
        async with client(sim) as c:
            await c.responses.create(**{"model": "gpt-4o", "input": "hi", **kw})

    with pytest.raises(openai.APIStatusError) as info:
        run(go())
    return info.value


def test_bad_key(simulator: Simulator) -> None:
    simulator.api_key = "sk-right-key-000"
    err = chat_error(simulator)
    assert isinstance(err, openai.AuthenticationError)
    assert err.code == "invalid_api_key"
    assert err.body["message"].startswith("Incorrect API key provided: sk-")


def test_reasoning_model_rejects_temperature_per_api(simulator: Simulator) -> None:
    chat = chat_error(simulator, model="o3-mini", temperature=0.7)
    assert chat.body["message"] == (
        "Unsupported value: 'temperature' does not support 0.7 with "
        "this model. Only the default (1) value is supported."
    )
    assert chat.param == "temperature" and chat.code == "unsupported_value"
    resp = responses_error(simulator, model="gpt-5", temperature=0.7)
    assert (
        resp.body["message"]
        == "Unsupported parameter: 'temperature' is not supported with this model."
    )
    assert resp.param == "temperature" and resp.code is None


def test_max_tokens_on_reasoning_chat(simulator: Simulator) -> None:
    err = chat_error(simulator, model="o3", max_tokens=10)
    assert err.param == "max_tokens" and err.code == "unsupported_parameter"
    assert "Use 'max_completion_tokens' instead." in err.body["message"]


def test_effort_rules(simulator: Simulator) -> None:
    err = responses_error(simulator, model="o3", reasoning={"effort": "minimal"})
    assert err.body["message"] == (
        "Unsupported value: 'minimal' is not supported with the 'o3' "
        "model. Supported values are: 'low', 'medium', and 'high'."
    )
    assert err.param == "reasoning.effort"
    non = responses_error(simulator, reasoning={"effort": "low"})
    assert (
        non.body["message"]
        == "Unsupported parameter: 'reasoning.effort' is not supported with this model."
    )
    chat = chat_error(simulator, reasoning_effort="low")
    assert chat.body["message"] == "Unrecognized request argument supplied: reasoning_effort"


def test_unknown_parameters(simulator: Simulator) -> None:
    err = responses_error(simulator, extra_body={"max_tokens": 5})
    assert err.body["message"] == "Unknown parameter: 'max_tokens'."
    assert err.code == "unknown_parameter" and err.param == "max_tokens"
    moved = responses_error(simulator, extra_body={"messages": USER})
    assert "has moved to 'input'" in moved.body["message"]
    chat = chat_error(simulator, extra_body={"bogus": 1})
    assert chat.body["message"] == "Unrecognized request argument supplied: bogus"


def test_types_ranges_and_minimums(simulator: Simulator) -> None:
    err = chat_error(simulator, extra_body={"temperature": "hot"})
    assert (
        err.body["message"]
        == "Invalid type for 'temperature': expected a decimal, but got a string instead."
    )
    high = chat_error(simulator, temperature=3)
    assert high.code == "decimal_above_max_value"
    low = responses_error(simulator, max_output_tokens=0)
    assert low.code == "integer_below_min_value"


def test_unknown_model_is_404(simulator: Simulator) -> None:
    err = chat_error(simulator, model="gpt-9")
    assert isinstance(err, openai.NotFoundError) and err.code == "model_not_found"
    assert (
        err.body["message"] == "The model `gpt-9` does not exist or you do not have access to it."
    )


def test_strict_schema_rules(simulator: Simulator) -> None:
    loose = {"type": "object", "properties": {"x": {"type": "string"}}, "required": ["x"]}
    err = chat_error(
        simulator,
        tools=[
            {"type": "function", "function": {"name": "f", "parameters": loose, "strict": True}}
        ],
    )
    assert err.body["message"] == (
        "Invalid schema for function 'f': In context=(), "
        "'additionalProperties' is required to be supplied and to be false."
    )
    assert err.code == "invalid_function_parameters"
    missing = {
        "type": "object",
        "properties": {"x": {"type": "string"}},
        "required": [],
        "additionalProperties": False,
    }
    err2 = responses_error(
        simulator,
        text={"format": {"type": "json_schema", "name": "W", "schema": missing, "strict": True}},
    )
    assert err2.body["message"].endswith("Missing 'x'.")


def test_tool_pairing_chat_and_responses(simulator: Simulator) -> None:
    orphan = chat_error(
        simulator, messages=[*USER, {"role": "tool", "tool_call_id": "c", "content": "x"}]
    )
    assert "must be a response to a preceeding message with 'tool_calls'" in orphan.body["message"]
    unanswered = chat_error(
        simulator,
        messages=[
            *USER,
            {
                "role": "assistant",
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "f", "arguments": "{}"},
                    }
                ],
            },
            {"role": "user", "content": "?"},
        ],
    )
    assert unanswered.body["message"].endswith("did not have response messages: call_1")
    err = responses_error(
        simulator, input=[{"type": "function_call_output", "call_id": "call_x", "output": "1"}]
    )
    assert err.body["message"] == "No tool call found for function call output with call_id call_x."
    prev = responses_error(simulator, previous_response_id="resp_missing")
    assert prev.code == "previous_response_not_found"


def test_fail_first_attempts_then_succeed(simulator: Simulator) -> None:
    simulator.enqueue(
        Scenario(http_error=HttpError(503, headers={"retry-after-ms": "1"}, attempts=2))
    )

    async def go() -> str:
        async with client(simulator).with_options(max_retries=2) as c:
            done = await c.chat.completions.create(model="gpt-4o", messages=USER)
            return done.choices[0].message.content or ""

    assert run(go())
    assert [r.retry_count for r in simulator.requests] == [0, 1, 2]


@pytest.mark.parametrize(("effort", "reasoning"), [("none", 0), ("low", 64), (None, 64)])
def test_effort_none_answers_without_reasoning(
    simulator: Simulator, effort: str | None, reasoning: int
) -> None:
    """gpt-6-luna reasons by default (effort medium); with effort none it does not, and the
    usage the window and the cost read says so."""

    async def go() -> int:
        async with client(simulator) as c:
            extra = {"reasoning": {"effort": effort}} if effort else {}
            r = await c.responses.create(model="gpt-6-luna", input="Hi", **extra)
            assert r.usage is not None
            return r.usage.output_tokens_details.reasoning_tokens

    assert run(go()) == reasoning
