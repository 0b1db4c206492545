"""Conversation state in runs (services/runs.py and the mock loop) against the simulator: a
reasoning model calling a tool with store false gets its reasoning back (the simulator's own
check says so); chained runs send previous_response_id and only the new items; runs in a
Conversation send `conversation` and only the new items."""

from __future__ import annotations

from typing import Any

from playground.core.events import Finished
from playground.core.parameters import Parameters
from playground.core.profiles import ProviderProfile
from playground.core.reducer import append_turn
from playground.core.workspace import FunctionTool, Message, Workspace
from playground.services import conversations
from playground.services.backend import OpenAIBackend
from playground.services.runs import Run, execute, fixed_key
from playground.services.simulator import Simulator
from tests.conftest import run
from tests.services.sim_client import strict_client

KEY = fixed_key("sk-test-key")
WEATHER = FunctionTool(
    name="get_weather",
    parameters={
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
        "additionalProperties": False,
    },
    mock_output='{"temp_c": 18}',
)


def _ws(**kw: Any) -> Workspace:
    fields: dict[str, Any] = {
        "api": "responses",
        "model": "o4-mini",
        "messages": [Message(role="user", content="What is the weather in Paris?")],
        "tools": [WEATHER],
    }
    return Workspace(**{**fields, **kw})


def _loop(ws: Workspace, profile: ProviderProfile) -> tuple[Run, list[Any]]:
    backend = OpenAIBackend(strict=True)
    r = Run(ws, profile, owner="tab")
    bodies: list[Any] = []
    r.started.connect(lambda built: bodies.append(built.body))

    async def go() -> None:
        await execute(r, backend, KEY, mock_loop=3)
        await backend.aclose()

    run(go())
    return r, bodies


def _responses(sim: Simulator) -> list[Any]:
    return [q for q in sim.requests if q.method == "POST" and q.path.endswith("/responses")]


def test_a_reasoning_model_with_store_false_gets_its_reasoning_back_after_a_tool_call(
    profile: ProviderProfile, simulator: Simulator
) -> None:
    r, bodies = _loop(_ws(params=Parameters(store=False)), profile)
    assert r.outcome == "done" and r.turn is not None
    assert r.turn.text.startswith("(reasoning carried over)")
    first, second = bodies
    assert first["include"] == ["reasoning.encrypted_content"] and first["store"] is False
    kinds = [i.get("type", "message") for i in second["input"]]
    assert kinds == ["message", "reasoning", "function_call", "function_call_output"]
    reasoning = second["input"][1]
    assert reasoning["id"].startswith("rs_") and len(reasoning["encrypted_content"]) > 40
    assert second["include"] == ["reasoning.encrypted_content"]
    sent = _responses(simulator)
    assert [q.reasoning_carried for q in sent] == [None, True]


def test_without_the_reasoning_items_the_simulator_says_the_reasoning_was_lost(
    profile: ProviderProfile, simulator: Simulator
) -> None:
    # the same loop by hand, the reasoning item taken out: the check can fail
    _, bodies = _loop(_ws(params=Parameters(store=False)), profile)
    second = dict(bodies[1])
    second["input"] = [i for i in second["input"] if i.get("type") != "reasoning"]

    async def go() -> str:
        async with strict_client(simulator) as c:
            answer = await c.responses.create(**{**second, "stream": False})
            return answer.output_text

    assert run(go()).startswith("(reasoning lost")
    assert _responses(simulator)[-1].reasoning_carried is False


def test_a_chain_sends_previous_response_id_and_only_the_new_items(
    profile: ProviderProfile, simulator: Simulator
) -> None:
    r, bodies = _loop(_ws(state="chain"), profile)
    assert r.outcome == "done" and r.turn is not None and r.turn.text
    first, second = bodies
    assert "previous_response_id" not in first and len(first["input"]) == 1
    ids = [e.response_id for e, _ in r.events if isinstance(e, Finished)]
    assert second["previous_response_id"] == ids[0] and ids[0].startswith("resp_")
    assert [i["type"] for i in second["input"]] == ["function_call_output"]
    assert "include" not in second


def test_the_chain_goes_on_from_the_last_answer_recorded_in_the_workspace(
    profile: ProviderProfile, simulator: Simulator
) -> None:
    ws = _ws(state="chain", tools=[])
    r, _ = _loop(ws, profile)
    assert r.turn is not None
    after = append_turn(ws, r.turn)
    assert after.messages[-1].response_id == r.turn.response_id
    follow = after.model_copy(
        update={"messages": [*after.messages, Message(role="user", content="And Rome?")]}
    )
    _, bodies = _loop(follow, profile)
    assert bodies[0]["previous_response_id"] == r.turn.response_id
    assert bodies[0]["input"] == [{"role": "user", "content": "And Rome?"}]


def test_runs_in_a_conversation_send_it_and_only_the_new_items(
    profile: ProviderProfile, simulator: Simulator
) -> None:
    async def make() -> str:
        async with strict_client(simulator) as c:
            return (await conversations.create(c)).id

    conv = run(make())
    r, bodies = _loop(_ws(state="conversation", conversation_id=conv), profile)
    assert r.outcome == "done" and r.turn is not None and r.turn.text
    first, second = bodies
    assert first["conversation"] == conv and second["conversation"] == conv
    assert [i["type"] for i in second["input"]] == ["function_call_output"]
    assert "previous_response_id" not in second

    async def items() -> list[dict[str, Any]]:
        async with strict_client(simulator) as c:
            return await conversations.list_items(c, conv)

    kinds = [i["type"] for i in run(items())]
    assert kinds.count("function_call") == 1 and kinds.count("function_call_output") == 1
    assert kinds[0] == "message" and "reasoning" in kinds
