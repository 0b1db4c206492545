"""The simulator's structured answer is valid for every schema strict mode accepts."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator

from playground.core.catalog import lookup
from playground.core.instances import instance
from playground.core.schema_rules import meta_errors, strict_issues
from playground.services.simulator.brain import plan, read_chat, read_responses
from tests.core.strict_schemas import strict_schemas

NODE = {
    "type": "object",
    "properties": {
        "value": {"type": "string"},
        "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}},
    },
    "required": ["value", "children"],
    "additionalProperties": False,
    "$defs": {
        "Node": {
            "type": "object",
            "properties": {
                "value": {"type": "string"},
                "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}},
            },
            "required": ["value", "children"],
            "additionalProperties": False,
        }
    },
}
ROOT_RECURSIVE = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "parent": {"anyOf": [{"$ref": "#"}, {"type": "null"}]},
    },
    "required": ["name", "parent"],
    "additionalProperties": False,
}
MUTUAL = {
    "type": "object",
    "properties": {"person": {"$ref": "#/$defs/Person"}},
    "required": ["person"],
    "additionalProperties": False,
    "$defs": {
        "Person": {
            "type": "object",
            "properties": {
                "name": {"type": "string", "pattern": "^[A-Z][a-z]+$"},
                "pets": {"type": "array", "items": {"$ref": "#/$defs/Pet"}, "minItems": 1},
            },
            "required": ["name", "pets"],
            "additionalProperties": False,
        },
        "Pet": {
            "type": "object",
            "properties": {
                "kind": {"enum": ["cat", "dog"]},
                "owner": {"anyOf": [{"$ref": "#/$defs/Person"}, {"type": "null"}]},
            },
            "required": ["kind", "owner"],
            "additionalProperties": False,
        },
    },
}


def answer(schema: dict[str, Any], api: str = "chat") -> Any:
    """The JSON the simulated model answers for a strict json_schema request."""
    info = lookup("gpt-4o-mini")
    if api == "chat":
        conv = read_chat(
            {
                "model": "gpt-4o-mini",
                "messages": [{"role": "user", "content": "Give me one"}],
                "response_format": {
                    "type": "json_schema",
                    "json_schema": {"name": "out", "strict": True, "schema": schema},
                },
            }
        )
    else:
        conv = read_responses(
            {
                "model": "gpt-4o-mini",
                "input": "Give me one",
                "text": {"format": {"type": "json_schema", "name": "out", "schema": schema}},
            },
            [],
        )
    return json.loads(plan(conv, info, api).text())


def errors(schema: dict[str, Any], value: Any) -> list[str]:
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [e.message for e in validator.iter_errors(value)]


def test_a_recursive_tree_gets_nodes_not_null() -> None:
    value = answer(NODE)
    assert errors(NODE, value) == []
    assert value["children"] and value["children"][0]["value"]  # a real subtree, then it ends


def test_root_recursion_and_mutual_recursion_end_in_valid_values() -> None:
    for schema in (ROOT_RECURSIVE, MUTUAL):
        for api in ("chat", "responses"):
            value = answer(schema, api)
            assert errors(schema, value) == [], value
    assert answer(MUTUAL)["person"]["pets"][0]["kind"] == "cat"


def test_formats_patterns_and_bounds_are_honoured() -> None:
    schema = {
        "type": "object",
        "properties": {
            "when": {"type": "string", "format": "date-time"},
            "ip": {"type": "string", "format": "ipv4"},
            "code": {"type": "string", "pattern": r"^[A-Z]{3}-\d{2}$"},
            "n": {"type": "integer", "minimum": 7, "multipleOf": 5},
            "x": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
            "tags": {"type": "array", "items": {"type": "string"}, "minItems": 3},
            "maybe": {"type": ["string", "null"]},
        },
        "required": ["when", "ip", "code", "n", "x", "tags", "maybe"],
        "additionalProperties": False,
    }
    value = answer(schema)
    assert errors(schema, value) == []
    assert value["code"] == "AAA-00" and value["n"] == 10 and len(value["tags"]) == 3


@settings(max_examples=100, deadline=None)
@given(strict_schemas())
def test_the_drawn_schemas_are_valid_json_schemas(schema: dict[str, Any]) -> None:
    assert meta_errors(schema) == []  # (checked apart: it costs more than the rest)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strict_schemas())
def test_every_strict_schema_gets_a_valid_instance(schema: dict[str, Any]) -> None:
    assert strict_issues(schema) == []  # strict mode accepts it
    value = answer(schema)
    assert errors(schema, value) == [], (json.dumps(schema), json.dumps(value))


def test_tool_schemas_outside_strict_mode_get_valid_arguments_too() -> None:
    """allOf-wrapped refs (as older pydantic writes them), draft-07 definitions, optional keys."""
    schema = {
        "definitions": {
            "N": {
                "type": "object",
                "properties": {
                    "v": {"type": "integer", "minimum": 3},
                    "next": {
                        "anyOf": [
                            {"allOf": [{"$ref": "#/definitions/N"}], "description": "d"},
                            {"type": "null"},
                        ]
                    },
                },
                "required": ["v"],
            }
        },
        "allOf": [
            {"$ref": "#/definitions/N"},
            {"properties": {"w": {"type": "string", "minLength": 9}}, "required": ["w"]},
        ],
    }
    value = instance(schema, "Paris")
    assert errors(schema, value) == []
    assert value["w"] == "Parisxxxx" and value["next"]["v"] == 3
