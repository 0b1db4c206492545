"""What the spec marks on a parameter (deprecated, maxLength, the include values) is what its
one declaration says, and the settings people tune validate against the spec."""

from __future__ import annotations

from typing import Any

import pytest

from playground.core import request, validation
from playground.core.hosted_options import WEB_SOURCES
from playground.core.importer import from_body
from playground.core.params import INCLUDE_VALUES, LOGPROBS_INCLUDE, TOKEN_LIMIT, declarations
from playground.core.workspace import BuiltinTools, FunctionTool, Message, Parameters, Workspace
from tests.core.test_param_declarations import _enum, _spec, _spec_node
from tests.services.test_spec_matrix import validator

SPEC_WIRES = [
    (name, api, wire)
    for name, decl in declarations().items()
    for api, wire in decl.wire.items()
    if wire != TOKEN_LIMIT and not wire.startswith("include:")
]


def _marks(node: dict[str, Any]) -> dict[str, Any]:
    """deprecated and maxLength of a spec node, through $ref and anyOf branches."""
    out: dict[str, Any] = {}
    for part in [node, *node.get("anyOf", [])]:
        if "$ref" in part:
            part = _spec()[part["$ref"].split("/")[-1]]
        for key in ("deprecated", "maxLength"):
            if key in part:
                out.setdefault(key, part[key])
    return out


@pytest.mark.parametrize(("name", "api", "wire"), SPEC_WIRES)
def test_deprecated_and_length_limits_are_the_spec_marks(name: str, api: str, wire: str) -> None:
    node = _spec_node(api, wire)
    assert node is not None
    marks = _marks(node)
    decl = declarations()[name]
    deprecated = any(
        _marks(_spec_node(a, w) or {}).get("deprecated") is True for a, w in decl.wire.items()
    )
    assert decl.deprecated == deprecated, f"{name}: the spec's deprecated mark"
    if "maxLength" in marks:
        assert decl.max_length == marks["maxLength"], f"{name}: spec maxLength"
    elif decl.max_length is not None:
        assert "400" in decl.source, f"{name}: a limit the spec lacks names its source"


def test_the_deprecated_ones_are_labelled_so() -> None:
    decls = declarations()
    assert decls["seed"].shown_label() == "seed (deprecated)"
    assert decls["truncation"].shown_label() == "truncation (deprecated)"
    assert decls["temperature"].shown_label() == "temperature"


def test_include_offers_every_value_the_spec_lists() -> None:
    node = _spec_node("responses", "include")
    assert node is not None
    items = next(p["items"] for p in node["anyOf"] if p.get("type") == "array")
    assert list(declarations()["include"].choices) == _enum(items) == list(INCLUDE_VALUES)


def _ws(api: str = "responses", **params: Any) -> Workspace:
    return Workspace(
        api=api,  # type: ignore[arg-type]
        model="my-own-model",  # not in the catalog: no model refuses a parameter
        messages=[Message(content="hi")],
        tools=[FunctionTool(name="f", strict=False)],
        params=Parameters(**params),
    )


TUNED = {
    "prompt_cache_key": "docs-faq",
    "safety_identifier": "user-5f2a",
    "service_tier": "flex",
    "parallel_tool_calls": False,
    "max_tool_calls": 3,
    "truncation": "auto",
    "include": ["reasoning.encrypted_content", "message.input_image.image_url"],
}


def test_the_tuned_settings_are_sent_and_validate_against_the_spec() -> None:
    body = request.build(_ws(**TUNED)).body
    validator("responses").validate(body)
    for name in ("prompt_cache_key", "safety_identifier", "max_tool_calls", "truncation"):
        assert body[name] == TUNED[name]
    assert body["parallel_tool_calls"] is False
    assert body["include"] == TUNED["include"]
    chat = _ws("chat", prompt_cache_key="k", safety_identifier="u", service_tier="priority")
    chat_body = request.build(chat).body
    validator("chat").validate(chat_body)
    assert chat_body["safety_identifier"] == "u" and "include" not in chat_body


@pytest.mark.parametrize("name", ["prompt_cache_key", "safety_identifier"])
def test_a_key_over_64_characters_is_an_error_finding(name: str) -> None:
    found = [f for f in validation.validate(_ws(**{name: "k" * 65})) if f.path == f"params.{name}"]
    assert found and found[0].severity == "error"
    assert found[0].message == f"{name} must be at most 64 characters; it has 65"
    assert not [f for f in validation.validate(_ws(**{name: "k" * 64})) if name in f.path]


def test_an_include_value_the_spec_does_not_list_is_an_error_finding() -> None:
    ws = _ws().model_copy(update={"params": Parameters.model_construct(include=["everything"])})
    found = [f for f in validation.validate(ws) if f.path == "params.include"]
    assert found and "'everything'" in found[0].message


def test_logprobs_is_the_one_source_of_its_include_value() -> None:
    ws = _ws(logprobs=True, include=["reasoning.encrypted_content"])
    body = request.build(ws).body
    assert body["include"] == ["reasoning.encrypted_content", LOGPROBS_INCLUDE]
    back = from_body(body).workspace
    assert back.params.logprobs is True
    assert back.params.include == ["reasoning.encrypted_content"]  # not held twice
    assert request.build(back).body == body
    assert not back.extra_body


def test_a_hosted_tools_include_value_stays_with_its_option() -> None:
    ws = _ws(include=["reasoning.encrypted_content"]).model_copy(
        update={"builtin_tools": BuiltinTools(web_search=True)}
    )
    ws.builtin_tools.web_options.include_sources = True
    body = request.build(ws).body
    assert body["include"] == [WEB_SOURCES, "reasoning.encrypted_content"]
    back = from_body(body).workspace
    assert back.builtin_tools.web_options.include_sources
    assert back.params.include == ["reasoning.encrypted_content"]
    assert request.build(back).body == body


def test_the_new_settings_round_trip_through_import() -> None:
    body = request.build(_ws(**TUNED)).body
    back = from_body(body)
    for name, value in TUNED.items():
        assert getattr(back.workspace.params, name) == value, name
    assert request.build(back.workspace).body == body
    assert not back.workspace.extra_body


def test_output_logprobs_dropped_for_a_reasoning_model_is_said_at_the_include_row() -> None:
    """The include row's "output logprobs" box is the logprobs parameter: when the model does
    not take logprobs, the include row says so too, not only the logprobs row."""
    ws = _ws(logprobs=True).model_copy(update={"model": "gpt-6-luna"})
    built = request.build(ws)
    assert LOGPROBS_INCLUDE not in built.body.get("include", [])
    at_include = [f for f in built.findings if f.path == "params.include"]
    assert at_include and "output logprobs" in at_include[0].message
    assert "not sent" in at_include[0].message
    plain = request.build(_ws(logprobs=True).model_copy(update={"model": "gpt-4o-mini"}))
    assert LOGPROBS_INCLUDE in plain.body["include"]
    assert not [f for f in plain.findings if f.path == "params.include"]
