"""Recorded streams (live API and verified transcripts) replayed through the backend.

Each .sse file is served byte for byte by the simulator, read by the strict SDK and folded by
the backend's stream consumer; the reduced turn must match what the recording says.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from playground.core.errors import FailureKind
from playground.core.profiles import ProviderProfile
from playground.core.reducer import AssistantTurn, TurnAccumulator
from playground.core.workspace import Message, Workspace
from playground.services.backend import OpenAIBackend
from playground.services.simulator import Scenario, Simulator
from tests.conftest import REFERENCE, run


def replay(
    backend: OpenAIBackend, profile: ProviderProfile, sim: Simulator, path: Path
) -> AssistantTurn:
    api = "responses" if path.name.startswith("responses") else "chat"
    sim.enqueue(Scenario(raw_sse=path.read_bytes()))
    ws = Workspace(api=api, model="gpt-4o", messages=[Message(role="user", content="replay")])

    async def go() -> AssistantTurn:
        acc = TurnAccumulator()
        async for event in backend.run(ws, profile, "sk-test"):
            acc.apply(event)
        await backend.aclose()
        return acc.turn()

    return run(go())


def independent_chat_reading(path: Path) -> dict[str, Any]:
    """What the file says, read with json alone (an oracle separate from the SDK path)."""
    text: dict[int, str] = {}
    reasons: dict[int, str] = {}
    usage = None
    for line in path.read_text().splitlines():
        if not line.startswith("data: ") or line == "data: [DONE]":
            continue
        chunk = json.loads(line[6:])
        usage = chunk.get("usage") or usage
        for choice in chunk.get("choices", []):
            text[choice["index"]] = text.get(choice["index"], "") + (
                choice["delta"].get("content") or ""
            )
            if choice.get("finish_reason"):
                reasons[choice["index"]] = choice["finish_reason"]
    return {"text": text, "reasons": reasons, "usage": usage}


LIVE = sorted((REFERENCE / "live-sse").glob("*.sse"))


@pytest.mark.parametrize("path", LIVE, ids=lambda p: p.stem)
def test_live_chat_streams_reduce_to_their_text(
    backend: OpenAIBackend, profile: ProviderProfile, simulator: Simulator, path: Path
) -> None:
    turn = replay(backend, profile, simulator, path)
    expected = independent_chat_reading(path)
    assert turn.failure is None
    assert turn.choices == {k: v for k, v in expected["text"].items() if v} or not turn.text
    assert turn.choice_reasons == expected["reasons"]
    assert turn.usage is not None
    assert turn.usage.output_tokens == expected["usage"]["completion_tokens"]
    assert turn.usage.input_tokens == expected["usage"]["prompt_tokens"]


def test_live_parallel_tool_calls(
    backend: OpenAIBackend, profile: ProviderProfile, simulator: Simulator
) -> None:
    turn = replay(backend, profile, simulator, REFERENCE / "live-sse/chat_parallel_tool_calls.sse")
    assert turn.finish_reason == "tool_calls"
    assert [c.name for c in turn.tool_calls] == ["GetWeatherArgs", "get_stock_price"]
    assert turn.tool_calls[0].parsed_arguments == {
        "city": "Edinburgh",
        "country": "GB",
        "units": "c",
    }
    assert turn.tool_calls[1].parsed_arguments == {"ticker": "AAPL", "exchange": "NASDAQ"}
    assert turn.tool_calls[0].call_id != turn.tool_calls[1].call_id


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("chat_tool_call_a", {"city": "New York City"}),
        ("chat_tool_call_b", {"city": "San Francisco", "state": "CA"}),
        ("chat_tool_call_c", {"city": "Edinburgh", "country": "UK", "units": "c"}),
    ],
)
def test_live_single_tool_calls(
    backend: OpenAIBackend,
    profile: ProviderProfile,
    simulator: Simulator,
    name: str,
    args: dict[str, str],
) -> None:
    turn = replay(backend, profile, simulator, REFERENCE / f"live-sse/{name}.sse")
    assert len(turn.tool_calls) == 1 and turn.tool_calls[0].parsed_arguments == args
    assert turn.tool_calls[0].call_id.startswith("call_")


@pytest.mark.parametrize("name", ["chat_refusal_a", "chat_refusal_b"])
def test_live_refusals(
    backend: OpenAIBackend, profile: ProviderProfile, simulator: Simulator, name: str
) -> None:
    turn = replay(backend, profile, simulator, REFERENCE / f"live-sse/{name}.sse")
    assert turn.refusal.startswith("I'm") and "assist with" in turn.refusal
    assert turn.text == "" and turn.finish_reason == "stop"


def test_live_logprobs(
    backend: OpenAIBackend, profile: ProviderProfile, simulator: Simulator
) -> None:
    turn = replay(backend, profile, simulator, REFERENCE / "live-sse/chat_text_logprobs.sse")
    assert turn.text == "Foo!"
    assert [lp.token for lp in turn.logprobs] == ["Foo", "!"]
    assert all(lp.logprob <= 0 for lp in turn.logprobs)


def test_live_n3_and_length_cut(
    backend: OpenAIBackend, profile: ProviderProfile, simulator: Simulator
) -> None:
    n3 = replay(backend, profile, simulator, REFERENCE / "live-sse/chat_text_n3.sse")
    assert sorted(n3.choices) == [0, 1, 2]
    assert all(json.loads(t)["city"] == "San Francisco" for t in n3.choices.values())
    cut = replay(backend, profile, simulator, REFERENCE / "live-sse/chat_text_length_cut.sse")
    assert cut.finish_reason == "length" and cut.text == '{"'


def test_repeated_ids_do_not_corrupt_the_call(
    backend: OpenAIBackend, profile: ProviderProfile, simulator: Simulator
) -> None:
    turn = replay(backend, profile, simulator, REFERENCE / "sse/bad_repeated_ids.sse")
    assert [(c.call_id, c.name) for c in turn.tool_calls] == [("call_Q7x9aZ", "get_weather")]
    assert turn.tool_calls[0].parsed_arguments == {"city": "Paris"}


@pytest.mark.parametrize("suffix", ["", ".compact"])
def test_verified_responses_transcripts(
    backend: OpenAIBackend, profile: ProviderProfile, simulator: Simulator, suffix: str
) -> None:
    ref = REFERENCE / "sse"
    text = replay(backend, profile, simulator, ref / f"responses_text{suffix}.sse")
    assert text.text == "Hello there!" and text.finish_reason == "stop"
    assert text.usage is not None and text.usage.output_tokens == 3
    call = replay(backend, profile, simulator, ref / f"responses_function_call{suffix}.sse")
    assert call.tool_calls[0].parsed_arguments == {"city": "Paris"}
    assert call.tool_calls[0].call_id == "call_Zk3Tq0vYw2"
    assert call.tool_calls[0].item_id.startswith("fc_")
    reasoning = replay(backend, profile, simulator, ref / f"responses_reasoning{suffix}.sse")
    assert reasoning.reasoning_summary == "**Greeting** The user says hi."
    assert reasoning.text == "Hi!"


def test_verified_chat_transcripts(
    backend: OpenAIBackend, profile: ProviderProfile, simulator: Simulator
) -> None:
    ref = REFERENCE / "sse"
    text = replay(backend, profile, simulator, ref / "chat_text.sse")
    assert text.text == "Hello there!" and text.usage is not None
    tool = replay(backend, profile, simulator, ref / "chat_tool.sse")
    assert tool.tool_calls[0].parsed_arguments == {"city": "Paris"}


def test_a_stream_cut_before_its_end_is_a_failure(
    backend: OpenAIBackend, profile: ProviderProfile, simulator: Simulator, tmp_path: Path
) -> None:
    src = (REFERENCE / "sse/responses_text.sse").read_text().split("\n\n")
    cut = tmp_path / "responses_cut.sse"
    # created, in_progress, item added, part added, the first text delta; then the body ends
    cut.write_text("\n\n".join(src[:5]) + "\n\n")
    turn = replay(backend, profile, simulator, cut)
    assert turn.failure is not None and turn.failure.kind == FailureKind.INVALID_RESPONSE
    assert turn.text == "Hello"
