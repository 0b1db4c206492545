"""Streams as real servers send them, served byte for byte by the simulator and read by the
real AsyncOpenAI client, lenient as the app's client is (strict validation would refuse an
Ollama tool call without `index` before the app sees it). Each test runs here and in the
request process."""

from __future__ import annotations

import json
from typing import Any

import pytest

from playground.core import catalog
from playground.core.errors import FailureKind
from playground.core.profiles import ProviderProfile
from playground.core.reducer import AssistantTurn, TurnAccumulator
from playground.core.workspace import Message, Parameters, Workspace
from playground.services.backend import Backend, OpenAIBackend
from playground.services.simulator import Scenario, Simulator
from tests.conftest import run
from tests.services.sse_builders import (
    USAGE,
    azure_preamble,
    chat_chunk,
    delta,
    response_obj,
    sse,
)


@pytest.fixture(params=["here", "worker"])
def lenient(request: pytest.FixtureRequest) -> Backend:
    """The backend as the app builds it (no strict response validation), in both places."""
    if request.param == "worker":
        from playground.services.worker import WorkerBackend

        return WorkerBackend()
    return OpenAIBackend()


def turn_of(backend: Backend, profile: ProviderProfile, ws: Workspace) -> AssistantTurn:
    async def go() -> AssistantTurn:
        acc = TurnAccumulator()
        try:
            async for event in backend.run(ws, profile, "sk-test"):
                acc.apply(event)
        finally:
            await backend.aclose()
        return acc.turn()

    return run(go())


def served(
    backend: Backend, profile: ProviderProfile, sim: Simulator, raw: bytes, api: str = "chat"
) -> AssistantTurn:
    sim.enqueue(Scenario(raw_sse=raw))
    ws = Workspace(api=api, model="gpt-4o", messages=[Message(role="user", content="hi")])
    return turn_of(backend, profile, ws)


def call(
    id: str | None, name: str | None, arguments: str | None, index: int | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "function", "function": {}}
    if id is not None:
        out["id"] = id
    if name is not None:
        out["function"]["name"] = name
    if arguments is not None:
        out["function"]["arguments"] = arguments
    if index is not None:
        out["index"] = index
    return out


def test_whole_calls_without_index_are_separate_calls(
    lenient: Backend, profile: ProviderProfile, simulator: Simulator
) -> None:
    # Ollama: each call whole, in its own delta, with no index
    raw = sse(
        [
            chat_chunk([delta(role="assistant", content="")]),
            chat_chunk([delta(tool_calls=[call("call_a", "get_weather", '{"city":"Paris"}')])]),
            chat_chunk([delta(tool_calls=[call("call_b", "get_time", '{"tz":"Europe/Paris"}')])]),
            chat_chunk([delta("tool_calls")]),
        ]
    )
    turn = served(lenient, profile, simulator, raw)
    assert [(c.call_id, c.name, c.parsed_arguments) for c in turn.tool_calls] == [
        ("call_a", "get_weather", {"city": "Paris"}),
        ("call_b", "get_time", {"tz": "Europe/Paris"}),
    ]


def test_calls_without_ids_and_with_blank_later_fragments(
    lenient: Backend, profile: ProviderProfile, simulator: Simulator
) -> None:
    raw = sse(
        [
            # no id at all, two calls of one function, then one fragmented call with "" fields
            chat_chunk([delta(tool_calls=[call(None, "lookup", '{"q":"a"}')])]),
            chat_chunk([delta(tool_calls=[call(None, "lookup", '{"q":"b"}')])]),
            chat_chunk([delta(tool_calls=[call("call_z", "add", None)])]),
            chat_chunk([delta(tool_calls=[call("", "", '{"x":')])]),
            chat_chunk([delta(tool_calls=[call("", "", "")])]),
            chat_chunk([delta(tool_calls=[call(None, None, " 1}")])]),
            chat_chunk([delta("tool_calls")]),
        ]
    )
    turn = served(lenient, profile, simulator, raw)
    assert [(c.name, c.parsed_arguments) for c in turn.tool_calls] == [
        ("lookup", {"q": "a"}),
        ("lookup", {"q": "b"}),
        ("add", {"x": 1}),
    ]
    ids = [c.call_id for c in turn.tool_calls]
    assert ids[2] == "call_z" and len(set(ids)) == 3 and all(ids)


def test_empty_preamble_and_usage_chunks_keep_the_model_and_cost(
    lenient: Backend, profile: ProviderProfile, simulator: Simulator
) -> None:
    raw = sse(
        [
            azure_preamble(),
            chat_chunk([delta(role="assistant", content="Bonjour")]),
            chat_chunk([delta(content=" !")]),
            chat_chunk([delta("stop")]),
            chat_chunk([], id="", model="", usage=USAGE),  # usage-only, fields left empty
        ]
    )
    turn = served(lenient, profile, simulator, raw)
    assert turn.text == "Bonjour !" and turn.failure is None
    assert turn.model == "gpt-4o" and turn.response_id == "chatcmpl-real"
    assert turn.usage is not None and turn.usage.output_tokens == 7
    assert catalog.cost_usd(turn.model, 12, 0, 7) is not None


def test_a_surrogate_pair_split_across_deltas_is_one_character(
    lenient: Backend, profile: ProviderProfile, simulator: Simulator
) -> None:
    raw = sse(
        [
            chat_chunk([delta(content="Smile \ud83d")]),
            chat_chunk([delta(content="\ude00 e")]),
            chat_chunk([delta(content="\u0301 fin \ud83d")]),  # a lone half at the very end
            chat_chunk([delta("stop")]),
        ]
    )
    assert b"\\ud83d" in raw  # sent as JSON escapes, as servers do
    turn = served(lenient, profile, simulator, raw)
    assert turn.text == "Smile 😀 e\u0301 fin \ufffd"
    turn.text.encode("utf-8")  # never raises


def test_responses_events_without_item_ids_or_output_index(
    lenient: Backend, profile: ProviderProfile, simulator: Simulator
) -> None:
    fc = {"type": "function_call", "call_id": "call_r1", "name": "get_weather", "arguments": ""}
    events = [
        {
            "type": "response.created",
            "sequence_number": 0,
            "response": response_obj("in_progress", model="", id=""),
        },
        {"type": "response.output_item.added", "sequence_number": 1, "output_index": 0, "item": fc},
        {
            "type": "response.function_call_arguments.delta",
            "sequence_number": 2,
            "delta": '{"city":',
        },
        {
            "type": "response.function_call_arguments.delta",
            "sequence_number": 3,
            "delta": '"Oslo"}',
        },
        # a second call never announced: only its done item says what it is
        {
            "type": "response.output_item.done",
            "sequence_number": 4,
            "output_index": 1,
            "item": {
                "type": "function_call",
                "call_id": "call_r2",
                "name": "get_time",
                "arguments": '{"tz":"UTC"}',
            },
        },
        {
            "type": "response.output_text.delta",
            "sequence_number": 5,
            "output_index": 2,
            "content_index": 0,
            "delta": "ok \ud83d",
        },
        {
            "type": "response.output_text.delta",
            "sequence_number": 6,
            "output_index": 2,
            "content_index": 0,
            "delta": "\ude00",
        },
        {"type": "response.completed", "sequence_number": 7, "response": response_obj()},
    ]
    turn = served(lenient, profile, simulator, sse(events, done=False, named=True), "responses")
    assert [(c.call_id, c.name, c.parsed_arguments) for c in turn.tool_calls] == [
        ("call_r1", "get_weather", {"city": "Oslo"}),
        ("call_r2", "get_time", {"tz": "UTC"}),
    ]
    assert turn.text == "ok 😀" and turn.model == "gpt-4o" and turn.response_id == "resp_real"


@pytest.mark.parametrize("api", ["chat", "responses"])
def test_the_output_token_limit_is_one_outcome_for_both_apis(
    lenient: Backend, profile: ProviderProfile, simulator: Simulator, api: str
) -> None:
    ws = Workspace(
        api=api,
        model="gpt-4o-mini",
        messages=[Message(role="user", content="Explain SSE briefly.")],
        params=Parameters(max_output_tokens=16),
    )
    turn = turn_of(lenient, profile, ws)
    assert turn.failure is None and turn.stopped_at_limit and turn.finish_reason == "length"
    assert turn.text  # the partial answer is the turn


def keep_alive_stream() -> bytes:
    """`id:` lines with `: keep-alive` comments between events (a proxy's heartbeat): the
    SDK's decoder keeps the last id, so the comment's blank line closes an event with no data."""
    first = chat_chunk([delta(role="assistant", content="Partial ")])
    second = chat_chunk([delta(content="answer")])
    return (
        f"id: 1\ndata: {json.dumps(first)}\n\n: keep-alive\n\nid: 2\ndata: {json.dumps(second)}\n\n"
    ).encode()


def test_a_stream_the_sdk_cannot_parse_is_a_typed_failure_naming_the_server(
    lenient: Backend, profile: ProviderProfile, simulator: Simulator
) -> None:
    turn = served(lenient, profile, simulator, keep_alive_stream())
    assert turn.failure is not None and turn.failure.kind == FailureKind.UNREADABLE_STREAM
    host = profile.base_url.split("//")[1].split("/")[0]  # type: ignore[union-attr]
    assert host in turn.failure.message and "could not be read" in turn.failure.describe()
    assert "Expecting value" not in turn.failure.describe()  # no Python message
    assert turn.text == "Partial "


def test_invalid_utf8_is_the_same_failure(
    lenient: Backend, profile: ProviderProfile, simulator: Simulator
) -> None:
    good = chat_chunk([delta(content="Before")])
    raw = f"data: {json.dumps(good)}\n\n".encode() + b'data: {"bad": "\xff\xfe"}\n\n'
    turn = served(lenient, profile, simulator, raw)
    assert turn.failure is not None and turn.failure.kind == FailureKind.UNREADABLE_STREAM
    assert turn.text == "Before"


@pytest.mark.parametrize("api", ["chat", "responses"])
def test_tokens_per_second_only_for_streamed_output(
    lenient: Backend, profile: ProviderProfile, simulator: Simulator, api: str
) -> None:
    base = Workspace(api=api, model="gpt-4o-mini", messages=[Message(role="user", content="hi")])
    still = turn_of(lenient, profile, base.model_copy(update={"stream": False}))
    assert still.timing is not None and still.timing.tokens_per_s is None
    streamed = turn_of(lenient, profile, base)
    assert streamed.timing is not None and streamed.timing.tokens_per_s is not None


@pytest.mark.parametrize("field", ["reasoning_content", "reasoning"])
def test_reasoning_text_of_compatible_servers_is_the_reasoning_not_the_answer(
    lenient: Backend, profile: ProviderProfile, simulator: Simulator, field: str
) -> None:
    # vLLM and DeepSeek send `reasoning_content`, OpenRouter and Ollama `reasoning`, in deltas
    # beside `content`; a surrogate pair split across two of them is joined too.
    think = [{field: "Paris is \ud83d"}, {field: "\ude00 the capital."}]
    raw = sse(
        [
            chat_chunk([delta(role="assistant", content="")]),
            *(chat_chunk([delta(**d)]) for d in think),
            chat_chunk([delta(content="Paris.")]),
            chat_chunk([delta("stop")]),
        ]
    )
    turn = served(lenient, profile, simulator, raw)
    assert turn.text == "Paris."
    assert turn.reasoning_summary == "Paris is \U0001f600 the capital."
