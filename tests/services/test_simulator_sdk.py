"""The simulator, read by the real SDK in strict mode: raw streams and the .stream() helpers."""

from __future__ import annotations

import json

import openai
import pytest
from pydantic import BaseModel

from playground.services.simulator import Scenario, ScriptedCall, Simulator
from tests.conftest import run

WEATHER_SCHEMA = {
    "type": "object",
    "properties": {"city": {"type": "string"}},
    "required": ["city"],
    "additionalProperties": False,
}
CHAT_TOOL = {
    "type": "function",
    "function": {"name": "get_weather", "parameters": WEATHER_SCHEMA, "strict": True},
}
RESP_TOOL = {
    "type": "function",
    "name": "get_weather",
    "parameters": WEATHER_SCHEMA,
    "strict": True,
}


class City(BaseModel):
    name: str
    population: int
    tags: list[str]


def client(sim: Simulator) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(
        base_url=sim.base_url,
        api_key="sk-test",
        max_retries=0,
        _strict_response_validation=True,
        timeout=5,
    )


def test_chat_text_raw_stream_and_non_stream(simulator: Simulator) -> None:
    async def go() -> None:
        async with client(simulator) as c:
            plain = await c.chat.completions.create(
                model="gpt-4o-mini", messages=[{"role": "user", "content": "Explain SSE"}]
            )
            assert "Explain SSE" in (plain.choices[0].message.content or "")
            assert plain.usage is not None and plain.usage.completion_tokens > 0
            stream = await c.chat.completions.create(
                model="gpt-4o-mini",
                messages=[{"role": "user", "content": "Explain SSE"}],
                stream=True,
                stream_options={"include_usage": True},
            )
            pieces, usage = [], None
            async for chunk in stream:
                pieces += [ch.delta.content or "" for ch in chunk.choices]
                usage = chunk.usage or usage
            assert len([p for p in pieces if p]) > 10
            assert "".join(pieces) == plain.choices[0].message.content
            assert (
                usage is not None
                and usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
            )

    run(go())


def test_chat_tool_call_helper(simulator: Simulator) -> None:
    async def go() -> None:
        async with (
            client(simulator) as c,
            c.chat.completions.stream(
                model="gpt-4o",
                messages=[{"role": "user", "content": "Weather in Paris?"}],
                tools=[CHAT_TOOL],
            ) as stream,
        ):
            kinds = {e.type async for e in stream}
            final = await stream.get_final_completion()
        assert "tool_calls.function.arguments.done" in kinds
        call = final.choices[0].message.tool_calls[0]
        assert call.function.name == "get_weather"
        assert call.function.parsed_arguments == {"city": "Paris"}
        assert final.choices[0].finish_reason == "tool_calls"

    run(go())


def test_chat_parallel_scripted_calls(simulator: Simulator) -> None:
    simulator.enqueue(
        Scenario(
            tool_calls=[
                ScriptedCall("get_weather", ['{"ci', 'ty": "Ro', 'me"}']),
                ScriptedCall("get_weather", ['{"city": "Oslo"}']),
            ]
        )
    )

    async def go() -> None:
        async with (
            client(simulator) as c,
            c.chat.completions.stream(
                model="gpt-4o",
                messages=[{"role": "user", "content": "Rome and Oslo"}],
                tools=[CHAT_TOOL],
            ) as stream,
        ):
            final = await stream.get_final_completion()
        calls = final.choices[0].message.tool_calls
        assert [c.function.parsed_arguments for c in calls] == [{"city": "Rome"}, {"city": "Oslo"}]
        assert calls[0].id != calls[1].id

    run(go())


def test_chat_structured_output_parse(simulator: Simulator) -> None:
    async def go() -> None:
        async with (
            client(simulator) as c,
            c.chat.completions.stream(
                model="gpt-4o-mini",
                messages=[{"role": "user", "content": "A city"}],
                response_format=City,
            ) as stream,
        ):
            final = await stream.get_final_completion()
        parsed = final.choices[0].message.parsed
        assert isinstance(parsed, City)

    run(go())


def test_chat_refusal(simulator: Simulator) -> None:
    simulator.enqueue(Scenario(refusal=["I'm", " sorry", ", I can't."]))

    async def go() -> None:
        async with (
            client(simulator) as c,
            c.chat.completions.stream(
                model="gpt-4o-mini", messages=[{"role": "user", "content": "x"}]
            ) as stream,
        ):
            kinds = [e.type async for e in stream]
            final = await stream.get_final_completion()
        assert "refusal.done" in kinds
        assert final.choices[0].message.refusal == "I'm sorry, I can't."

    run(go())


def test_responses_text_raw_and_helper(simulator: Simulator) -> None:
    async def go() -> None:
        async with client(simulator) as c:
            stream = await c.responses.create(model="gpt-4.1", input="Hello", stream=True)
            seqs, deltas = [], []
            async for event in stream:
                seqs.append(event.sequence_number)
                if event.type == "response.output_text.delta":
                    deltas.append(event.delta)
            assert seqs == list(range(len(seqs)))
            async with c.responses.stream(model="gpt-4.1", input="Hello") as helper:
                async for _ in helper:
                    pass
                final = await helper.get_final_response()
            assert final.output_text == "".join(deltas)
            assert final.status == "completed"

    run(go())


def test_responses_function_call_round_trip_with_previous_response_id(simulator: Simulator) -> None:
    async def go() -> None:
        async with client(simulator) as c:
            async with c.responses.stream(
                model="gpt-4o", input="Weather in Lisbon?", tools=[RESP_TOOL]
            ) as stream:
                first = await stream.get_final_response()
            call = first.output[0]
            assert call.type == "function_call" and call.id.startswith("fc_")
            assert call.call_id.startswith("call_")
            assert json.loads(call.arguments) == {"city": "Lisbon"}
            second = await c.responses.create(
                model="gpt-4o",
                previous_response_id=first.id,
                tools=[RESP_TOOL],
                input=[{"type": "function_call_output", "call_id": call.call_id, "output": "21 C"}],
            )
            assert "21 C" in second.output_text
            assert second.previous_response_id == first.id
            fetched = await c.responses.retrieve(second.id)
            assert fetched.output_text == second.output_text
            await c.responses.delete(second.id)
            with pytest.raises(openai.NotFoundError):
                await c.responses.retrieve(second.id)

    run(go())


def test_responses_reasoning_summary_and_structured_output(simulator: Simulator) -> None:
    async def go() -> None:
        async with client(simulator) as c:
            async with c.responses.stream(
                model="o4-mini",
                input="Plan a trip",
                reasoning={"effort": "low", "summary": "auto"},
                text_format=City,
            ) as stream:
                kinds = {e.type async for e in stream}
                final = await stream.get_final_response()
            assert "response.reasoning_summary_text.delta" in kinds
            assert final.output[0].type == "reasoning" and final.output[0].summary
            assert isinstance(final.output_parsed, City)
            assert (
                final.usage is not None and final.usage.output_tokens_details.reasoning_tokens > 0
            )

    run(go())


def test_responses_refusal(simulator: Simulator) -> None:
    simulator.enqueue(Scenario(refusal=["No", " can", " do."]))

    async def go() -> None:
        async with client(simulator) as c, c.responses.stream(model="gpt-4o", input="x") as stream:
            kinds = [e.type async for e in stream]
            final = await stream.get_final_response()
        assert "response.refusal.delta" in kinds
        assert final.output[0].content[0].refusal == "No can do."

    run(go())


def test_models_list_and_unknown_url(simulator: Simulator) -> None:
    async def go() -> None:
        async with client(simulator) as c:
            ids = [m.id async for m in c.models.list()]
            assert "gpt-4o" in ids and "o3-mini" in ids
            with pytest.raises(openai.NotFoundError) as info:
                await c.post("/nope", cast_to=object, body={})
            assert info.value.body["message"] == "Invalid URL (POST /v1/nope)"

    run(go())


def test_requests_are_recorded_with_retry_count(simulator: Simulator) -> None:
    async def go() -> None:
        async with client(simulator) as c:
            await c.chat.completions.create(
                model="gpt-4o", messages=[{"role": "user", "content": "hi"}], seed=3
            )

    run(go())
    rec = simulator.requests[-1]
    assert rec.body["seed"] == 3 and rec.retry_count == 0
    assert rec.headers["authorization"] == "Bearer sk-test"
