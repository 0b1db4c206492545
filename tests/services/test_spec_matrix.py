"""Every body the core builds, for every catalog model and both APIs, validates against the
official OpenAPI spec and is accepted by the simulator; what a model rejects is never sent."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import openai
import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from playground.core import catalog, request
from playground.core.model_rules import refusals
from playground.core.params import read_body
from playground.core.workspace import (
    FunctionTool,
    ImagePart,
    Message,
    OutputFormat,
    Parameters,
    TextPart,
    ToolCall,
    ToolChoice,
    Workspace,
)
from playground.services.simulator import Simulator
from tests.conftest import REFERENCE, run

SCHEMAS = {"chat": "CreateChatCompletionRequest", "responses": "CreateResponse"}


def _rewrite(node: Any) -> Any:
    """OAS 3.0 leftovers -> 2020-12: nullable -> anyOf with null; oneOf -> anyOf (overlaps)."""
    if isinstance(node, list):
        return [_rewrite(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {
        ("anyOf" if k == "oneOf" else k): _rewrite(v) for k, v in node.items() if k != "nullable"
    }
    if node.get("nullable") is True:
        return {"anyOf": [out, {"type": "null"}]}
    return out


@cache
def validator(api: str) -> Draft202012Validator:
    spec = _rewrite(json.loads((REFERENCE / "openapi.json").read_text()))
    registry = Registry().with_resource("urn:spec", Resource(spec, specification=DRAFT202012))
    return Draft202012Validator(
        {"$ref": f"urn:spec#/components/schemas/{SCHEMAS[api]}"}, registry=registry
    )


STRICT = {
    "type": "object",
    "properties": {
        "city": {"type": "string"},
        "unit": {"type": ["string", "null"], "enum": ["c", "f", None]},
    },
    "required": ["city", "unit"],
    "additionalProperties": False,
}


def variants(model: str, api: str) -> list[Workspace]:
    base = {"model": model, "api": api}
    every_param = Parameters(
        temperature=0.4,
        top_p=0.9,
        max_output_tokens=300,
        presence_penalty=0.1,
        frequency_penalty=0.2,
        stop=["END"],
        seed=5,
        n=1,
        logprobs=True,
        top_logprobs=2,
        reasoning_effort="low",
        reasoning_summary="auto",
        verbosity="low",
        store=True,
        service_tier="auto",
        metadata={"run": "matrix"},
        parallel_tool_calls=True,
    )
    tool = FunctionTool(name="get_weather", description="Weather", parameters=STRICT, strict=True)
    history = [
        Message(role="developer", content="Be terse."),
        Message(
            role="user",
            content=[
                TextPart(text="What is this and the weather in Rome?"),
                ImagePart(url="https://example.com/cat.png", detail="low"),
            ],
        ),
        Message(
            role="assistant",
            content="",
            tool_calls=[
                ToolCall(id="call_1", name="get_weather", arguments='{"city":"Rome","unit":"c"}')
            ],
        ),
        Message(role="tool", tool_call_id="call_1", content='{"temp": 21}'),
        Message(role="user", content="Thanks. Answer in JSON."),
    ]
    return [
        Workspace(
            **base, instructions="You help.", messages=[Message(content="Hi")], params=every_param
        ),
        Workspace(
            **base,
            messages=history,
            tools=[tool],
            tool_choice=ToolChoice(mode="function", name="get_weather"),
            params=Parameters(parallel_tool_calls=False),
        ),
        Workspace(
            **base,
            messages=[Message(content="Weather?")],
            tools=[tool],
            tool_choice=ToolChoice(mode="required"),
            stream=False,
        ),
        Workspace(
            **base,
            messages=[Message(content="City as json")],
            output_format=OutputFormat(type="json_schema", name="City", json_schema=STRICT),
        ),
        Workspace(
            **base,
            messages=[Message(content="Reply in json")],
            output_format=OutputFormat(type="json_object"),
            extra_body={"safety_identifier": "user-1"},
        ),
    ]


CASES = [(m.id, api) for m in catalog.models() for api in m.apis if api in SCHEMAS]


@pytest.mark.parametrize(("model", "api"), CASES)
def test_built_bodies_follow_the_spec_and_are_accepted(
    simulator: Simulator, model: str, api: str
) -> None:
    info = catalog.lookup(model)
    built_all = [request.build(ws) for ws in variants(model, api)]
    for built in built_all:
        errors = sorted(validator(api).iter_errors(built.body), key=lambda e: list(e.path))
        assert not errors, f"{model}/{api}: {errors[0].message} at {list(errors[0].path)}"
        # nothing the catalog says this model refuses is sent
        sent = {name: value for name, (_, value) in read_body(api, built.body).items()}
        tools = any(t.get("type") == "function" for t in built.body.get("tools", []))
        refused = [r for r in refusals(info, api, sent, tools) if r.droppable]
        assert not refused, f"{model} refuses {refused[0].param}, but it was sent"
        dropped = {f.path.split(".")[-1] for f in built.findings if "not be sent" in f.message}
        for name in dropped:
            assert name not in built.body

    async def send_all() -> None:
        async with openai.AsyncOpenAI(
            base_url=simulator.base_url,
            api_key="sk-test",
            max_retries=0,
            _strict_response_validation=True,
            timeout=5,
        ) as c:
            for built in built_all:
                method = c.responses.create if api == "responses" else c.chat.completions.create
                blocked = [f for f in built.findings if f.severity == "error"]
                if blocked:
                    # what the window blocks (a model's conditional rule on tools) the
                    # simulator refuses as the API does
                    with pytest.raises(openai.BadRequestError):
                        await method(**built.kwargs)
                    continue
                result = await method(**built.kwargs)
                if built.kwargs.get("stream"):
                    async for _ in result:
                        pass

    run(send_all())
    # the SDK puts exactly the built body on the wire
    assert simulator.bodies() == [b.body for b in built_all]


def test_spec_validator_rejects_bad_bodies() -> None:
    chat = validator("chat")
    assert list(chat.iter_errors({"model": "gpt-4o"}))  # no messages
    assert list(
        chat.iter_errors({"model": "gpt-4o", "messages": [{"role": "boss", "content": "x"}]})
    )
    resp = validator("responses")
    assert list(resp.iter_errors({"model": "gpt-4o", "input": "x", "temperature": 3}))
    assert list(
        resp.iter_errors({"model": "gpt-4o", "input": "x", "text": {"format": {"type": "yaml"}}})
    )
