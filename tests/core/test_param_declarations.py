"""Each parameter is declared once, and that one declaration is what every part reads.

The generic tests below run over every declaration: a parameter added as one annotated field
of Parameters (prompt_cache_key was added that way) is sent at its wire path, imported back
into the workspace, range-checked, and checked by the simulator with nothing else written."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from playground.core import request, validation
from playground.core.importer import from_body
from playground.core.params import TOKEN_LIMIT, declarations, get_path, read_body
from playground.core.workspace import FunctionTool, Message, Parameters, Workspace
from playground.services.simulator import checks
from playground.services.simulator.protocol import SimError
from tests.conftest import REFERENCE

SCHEMAS = {"chat": "CreateChatCompletionRequest", "responses": "CreateResponse"}
CUSTOM = "my-own-model"  # not in the catalog: no model rules apply


@cache
def _spec() -> dict[str, Any]:
    return dict(json.loads((REFERENCE / "openapi.json").read_text())["components"]["schemas"])


def _properties(node: dict[str, Any]) -> dict[str, Any]:
    """Properties of a schema node, through $ref, allOf and anyOf branches."""
    out: dict[str, Any] = {}
    if "$ref" in node:
        out.update(_properties(_spec()[node["$ref"].split("/")[-1]]))
    for part in node.get("allOf", []) + node.get("anyOf", []):
        out.update(_properties(part))
    out.update(node.get("properties", {}))
    return out


def _spec_node(api: str, path: str) -> dict[str, Any] | None:
    node: dict[str, Any] = {"$ref": f"#/components/schemas/{SCHEMAS[api]}"}
    for part in path.split("."):
        props = _properties(node)
        if part not in props:
            return None
        node = props[part]
    return node


def _bounds(node: dict[str, Any]) -> tuple[float | None, float | None]:
    for part in [node, *node.get("anyOf", [])]:
        if "$ref" in part:
            part = _spec()[part["$ref"].split("/")[-1]]
        if "minimum" in part or "maximum" in part:
            return part.get("minimum"), part.get("maximum")
    return None, None


WIRES = [
    (name, api, wire)
    for name, decl in declarations().items()
    for api, wire in decl.wire.items()
    if wire != TOKEN_LIMIT and not wire.startswith("include:")
]


def test_every_parameter_field_is_declared() -> None:
    undeclared = set(Parameters.model_fields) - set(declarations()) - {"max_tokens_name"}
    assert not undeclared
    assert "prompt_cache_key" in declarations()  # added as one declaration


@pytest.mark.parametrize(("name", "api", "wire"), WIRES)
def test_wire_paths_and_ranges_match_the_spec(name: str, api: str, wire: str) -> None:
    node = _spec_node(api, wire)
    assert node is not None, f"{name}: {api} has no {wire} in the spec"
    low, high = _bounds(node)
    decl = declarations()[name]
    if low is not None:
        assert decl.low_in(api) == pytest.approx(low), f"{name}: spec minimum {low} in {api}"
    if high is not None:
        assert decl.high == pytest.approx(high), f"{name}: spec maximum {high} in {api}"


def _sample(name: str, api: str = "responses") -> Any:
    decl = declarations()[name]
    choices = decl.choices_in(api)
    return {
        "float": decl.low if decl.low is not None else 0.5,
        "int": decl.default if decl.default is not None else 7,
        "bool": True,
        "choice": choices[-1] if choices else "x",
        "text": "abc-1",
        "strings": ["END"],
        "pairs": {"k": "v"},
        "flags": list(decl.choices[:1]),
    }[decl.kind]


def _workspace(api: str, name: str, value: Any) -> Workspace:
    values = {name: value}
    if name == "top_logprobs" and api == "chat":
        values["logprobs"] = True  # Chat sends top_logprobs only with logprobs on
    return Workspace(
        api=api,  # type: ignore[arg-type]
        model=CUSTOM,
        messages=[Message(content="hi")],
        tools=[FunctionTool(name="f")],
        params=Parameters(**values),
    )


CASES = [(name, api) for name, decl in declarations().items() for api in decl.wire]


@pytest.mark.parametrize(("name", "api"), CASES)
def test_one_declaration_is_sent_imported_and_checked(name: str, api: str) -> None:
    value = _sample(name, api)
    ws = _workspace(api, name, value)
    built = request.build(ws, target=request.Target(openai=False))
    # sent at its wire path
    assert read_body(api, built.body)[name][1] == value
    # imported back into the workspace (not left in extra_body)
    back = from_body(built.body).workspace
    assert getattr(back.params, name) == value
    assert not back.extra_body
    # the simulator takes it (with a model that takes anything)
    check = checks.check_chat if api == "chat" else checks.check_responses
    check(built.body, lambda _model: True)


@pytest.mark.parametrize(
    ("name", "api"),
    [
        (n, api)
        for n, d in declarations().items()
        for api in d.wire
        if d.kind in ("float", "int") and d.high is not None
    ],
)
def test_out_of_range_values_are_findings_and_simulator_400s(name: str, api: str) -> None:
    decl = declarations()[name]
    assert decl.high is not None
    too_big = decl.high + 1
    ws = _workspace(api, name, int(too_big) if decl.kind == "int" else too_big)
    found = [f for f in validation.validate(ws) if f.path == f"params.{name}"]
    assert found and found[0].severity == "error"
    body = request.build(ws, target=request.Target(openai=False)).body
    present, _ = get_path(body, decl.wire[api])
    if present and "." not in decl.wire[api]:
        check = checks.check_chat if api == "chat" else checks.check_responses
        with pytest.raises(SimError) as err:
            check(body, lambda _model: True)
        assert err.value.status == 400 and err.value.param == decl.wire[api]


def test_a_parameter_one_api_lacks_is_left_out_with_a_finding() -> None:
    for name, decl in declarations().items():
        only = decl.only_in()
        if only is None:
            continue
        other = "chat" if only == "responses" else "responses"
        built = request.build(_workspace(other, name, _sample(name, other)))
        assert name not in read_body(other, built.body)
        assert any(f.path == f"params.{name}" for f in built.findings)


def _enum(node: dict[str, Any]) -> list[str] | None:
    """The string enum of a spec node, through $ref and anyOf branches."""
    if "$ref" in node:
        return _enum(_spec()[node["$ref"].split("/")[-1]])
    if "enum" in node:
        return [v for v in node["enum"] if isinstance(v, str)]
    for part in node.get("anyOf", []):
        found = _enum(part)
        if found:
            return found
    return None


CHOICE_WIRES = [(n, api, w) for n, api, w in WIRES if declarations()[n].kind == "choice"]


@pytest.mark.parametrize(("name", "api", "wire"), CHOICE_WIRES)
def test_choices_are_every_value_the_spec_lists(name: str, api: str, wire: str) -> None:
    node = _spec_node(api, wire)
    assert node is not None
    listed = _enum(node)
    if listed is None:  # the spec states the values only in prose (ReasoningEffort)
        pytest.skip(f"{name}: no enum in the spec")
    assert list(declarations()[name].choices_in(api)) == listed


@pytest.mark.parametrize(("name", "api"), [(n, api) for n, api, _ in CHOICE_WIRES])
def test_an_unlisted_choice_is_a_finding_and_a_simulator_400(name: str, api: str) -> None:
    ws = _workspace(api, "temperature", None)
    # a value a typed field refuses still reaches the builder from a hand-edited file
    ws = ws.model_copy(update={"params": Parameters.model_construct(**{name: "turbo"})})
    found = [f for f in validation.validate(ws) if f.path == f"params.{name}"]
    assert found and found[0].severity == "error"
    body = request.build(ws, target=request.Target(openai=False)).body
    check = checks.check_chat if api == "chat" else checks.check_responses
    with pytest.raises(SimError) as err:
        check(body, lambda _model: True)
    wire = declarations()[name].wire[api]
    assert (err.value.status, err.value.param, err.value.code) == (400, wire, "invalid_value")
    assert "'turbo'" in err.value.message


def test_ultrafast_is_a_responses_tier_only() -> None:
    tier = declarations()["service_tier"]
    assert "ultrafast" in tier.choices_in("responses")
    assert "ultrafast" not in tier.choices_in("chat")
    with pytest.raises(SimError):
        checks.check_chat(
            request.build(_workspace("chat", "service_tier", "ultrafast")).body, lambda _: True
        )
