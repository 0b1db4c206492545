"""JSON mode: the simulated object has the keys the prompt asks for (real SDK, real HTTP)."""

from __future__ import annotations

import json
from typing import Any

import openai
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from playground.core.catalog import lookup
from playground.services.simulator import Simulator
from playground.services.simulator.brain import plan, read_chat
from tests.conftest import run
from tests.core.strict_schemas import strict_schemas
from tests.core.test_instances import errors

EXAMPLE = 'Reply in JSON like {"city": "Paris", "temp_c": 21.5, "tags": ["sunny"]}.'
SCHEMA = json.dumps(
    {
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "year": {"type": "integer", "minimum": 1900},
            "genres": {"type": "array", "items": {"enum": ["drama", "comedy"]}},
        },
        "required": ["title", "year", "genres"],
    }
)
# (where the prompt is, what it says, the keys expected in order)
CASES: list[tuple[str, str, list[str]]] = [
    ("system", EXAMPLE, ["city", "temp_c", "tags"]),
    (
        "system",
        f"Answer as json matching this JSON Schema:\n```json\n{SCHEMA}\n```",
        ["title", "year", "genres"],
    ),
    ("user", "Give me json with the keys `name`, `email` and `age`.", ["name", "email", "age"]),
    (
        "user",
        "Return json: {'sku': <string>, 'qty': <number>, 'in_stock': true}",
        ["sku", "qty", "in_stock"],
    ),
    # keys listed in prose without quotes, a remark in parentheses; backticks after "JSON"
    (
        "system",
        "Answer in JSON with the keys name, age and hobbies (a list).",
        ["name", "age", "hobbies"],
    ),
    ("user", "Respond in JSON with fields name, age, hobbies.", ["name", "age", "hobbies"]),
    ("user", "Reply with JSON containing `name` and `age`.", ["name", "age"]),
]


def client(sim: Simulator) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(
        base_url=sim.base_url, api_key="sk-test", max_retries=0, _strict_response_validation=True
    )


def messages(where: str, prompt: str) -> list[dict[str, Any]]:
    if where in ("system", "developer"):
        return [
            {"role": where, "content": prompt},
            {"role": "user", "content": "Today's json, please"},
        ]
    return [{"role": "user", "content": prompt}]


@pytest.mark.parametrize(("where", "prompt", "keys"), CASES)
def test_chat_json_mode_answers_with_the_keys_asked_for(
    simulator: Simulator, where: str, prompt: str, keys: list[str]
) -> None:
    async def go() -> None:
        async with client(simulator) as c:
            done = await c.chat.completions.create(
                model="gpt-4o-mini",
                messages=messages(where, prompt),  # type: ignore[arg-type]
                response_format={"type": "json_object"},
            )
            value = json.loads(done.choices[0].message.content or "")
            assert list(value) == keys
            stream = await c.chat.completions.create(
                model="gpt-4o-mini",
                messages=messages(where, prompt),  # type: ignore[arg-type]
                response_format={"type": "json_object"},
                stream=True,
            )
            text = "".join([ch.choices[0].delta.content or "" async for ch in stream if ch.choices])
            assert json.loads(text) == value

    run(go())


@pytest.mark.parametrize(("where", "prompt", "keys"), CASES)
def test_responses_json_mode_answers_with_the_keys_asked_for(
    simulator: Simulator, where: str, prompt: str, keys: list[str]
) -> None:
    async def go() -> None:
        async with client(simulator) as c:
            done = await c.responses.create(
                model="gpt-4o-mini",
                input=messages("developer" if where == "system" else where, prompt),  # type: ignore[arg-type]
                text={"format": {"type": "json_object"}},
            )
            assert list(json.loads(done.output_text)) == keys
            if where == "system":  # the same prompt as `instructions`
                done = await c.responses.create(
                    model="gpt-4o-mini",
                    instructions=prompt,
                    input="Today's json, please",
                    text={"format": {"type": "json_object"}},
                )
                assert list(json.loads(done.output_text)) == keys

    run(go())


def test_schema_in_the_prompt_gives_a_valid_instance(simulator: Simulator) -> None:
    async def go() -> None:
        async with client(simulator) as c:
            done = await c.chat.completions.create(
                model="gpt-4o-mini",
                messages=messages(*CASES[1][:2]),  # type: ignore[arg-type]
                response_format={"type": "json_object"},
            )
            value = json.loads(done.choices[0].message.content or "")
            assert value["year"] >= 1900 and value["genres"] == ["drama"]

    run(go())


@pytest.mark.parametrize(
    "prompt",
    ["Summarise the key points of the story in JSON.", "Give the key facts and dates as JSON."],
)
def test_prose_that_names_no_keys_is_not_read_as_keys(prompt: str) -> None:
    from playground.services.simulator.json_mode import requested_object

    assert requested_object([prompt]) is None


def test_a_prompt_that_names_no_keys_still_gets_an_object(simulator: Simulator) -> None:
    async def go() -> None:
        async with client(simulator) as c:
            done = await c.chat.completions.create(
                model="gpt-4o-mini",
                messages=[{"role": "user", "content": "Describe the key features of Rust in json"}],
                response_format={"type": "json_object"},
            )
            value = json.loads(done.choices[0].message.content or "")
            assert isinstance(value, dict) and value

    run(go())


KEYS = st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,10}", fullmatch=True)
VALUES = st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.lists(st.integers())
PROSE = st.sampled_from(["Answer in JSON like ", "Use this json format:\n", "Example: "])


def json_answer(body_messages: list[dict[str, Any]]) -> Any:
    conv = read_chat(
        {
            "model": "gpt-4o-mini",
            "messages": body_messages,
            "response_format": {"type": "json_object"},
        }
    )
    return json.loads(plan(conv, lookup("gpt-4o-mini"), "chat").text())


@settings(max_examples=200, deadline=None)
@given(PROSE, st.dictionaries(KEYS, VALUES, min_size=1, max_size=6), st.booleans())
@example("Answer in JSON like ", {"A": "\\"}, False)  # an escaped backslash before a quote
def test_any_example_object_in_the_prompt_gives_its_keys(
    prose: str, example: dict[str, Any], loose: bool
) -> None:
    written = json.dumps(example, indent=2 if loose else None)
    if loose:  # as people write them in prompts: single quotes
        written = "{" + ", ".join(f"'{k}': {json.dumps(v)}" for k, v in example.items()) + "}"
    value = json_answer(
        [{"role": "system", "content": prose + written}, {"role": "user", "content": "Go"}]
    )
    assert list(value) == list(example)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strict_schemas())
def test_any_schema_in_the_prompt_gives_a_valid_instance(schema: dict[str, Any]) -> None:
    prompt = "Reply with JSON that follows this JSON Schema: " + json.dumps(schema)
    value = json_answer([{"role": "user", "content": prompt}])
    assert errors(schema, value) == []
