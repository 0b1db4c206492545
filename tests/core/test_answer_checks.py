"""What a model sent, checked against its schema: tool-call arguments and structured answers."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from playground.core.answer_checks import MAX_PROBLEMS, argument_problems, structured_badge
from playground.core.tool_loop import call_arguments
from playground.core.workspace import FunctionTool, OutputFormat
from tests.core.strategies import schemas

WEATHER = FunctionTool(
    name="weather",
    parameters={
        "type": "object",
        "properties": {"city": {"type": "string"}, "days": {"type": "integer"}},
        "required": ["city"],
        "additionalProperties": False,
    },
)
CITY = OutputFormat(
    type="json_schema",
    json_schema={
        "type": "object",
        "properties": {"city": {"type": "string"}, "population": {"type": "integer"}},
        "required": ["city", "population"],
        "additionalProperties": False,
    },
)


def test_arguments_that_fit_have_no_problems() -> None:
    assert argument_problems('{"city": "Oslo", "days": 3}', WEATHER) == []


def test_arguments_that_miss_the_schema_say_where() -> None:
    assert argument_problems('{"days": "3"}', WEATHER) == [
        "days: '3' is not of type 'integer'",
        "arguments: 'city' is a required property",
    ]


def test_arguments_that_are_not_an_object() -> None:
    assert argument_problems("{bad", WEATHER)[0].startswith("arguments are not valid JSON: ")
    assert argument_problems("[1]", WEATHER) == ["arguments are not a JSON object"]
    assert argument_problems("", WEATHER) == ["arguments: 'city' is a required property"]


def test_a_call_of_no_tool_and_an_unusable_schema() -> None:
    assert argument_problems("{}", None) == ["no tool of this name is defined"]
    broken = FunctionTool(name="x", parameters={"type": 5})
    assert argument_problems("{}", broken)[0].startswith("the tool's schema cannot be used: ")
    dangling = FunctionTool(name="x", parameters={"$ref": "#/$defs/missing"})
    assert argument_problems("{}", dangling) == [
        "the tool's schema cannot be used: a $ref cannot be resolved (/$defs/missing)"
    ]


def test_at_most_five_problems() -> None:
    many = FunctionTool(
        name="m",
        parameters={"type": "object", "properties": {k: {"type": "integer"} for k in "abcdefg"}},
    )
    problems = argument_problems(json.dumps(dict.fromkeys("abcdefg", "x")), many)
    assert len(problems) == MAX_PROBLEMS


ARGUMENTS = st.one_of(
    st.sampled_from(["", " ", "null", "[]", "1", "{bad", '"x"']),
    st.dictionaries(
        st.sampled_from(["city", "days", "x"]),
        st.integers() | st.text(max_size=4) | st.none(),
        max_size=3,
    ).map(json.dumps),
)


@settings(max_examples=200)
@given(arguments=ARGUMENTS, schema=schemas | st.just(WEATHER.parameters))
def test_no_problems_exactly_when_the_schema_accepts(arguments: str, schema: Any) -> None:
    tool = FunctionTool(name="t", parameters=schema)
    problems = argument_problems(arguments, tool)
    value = call_arguments(arguments)
    fits = value is not None and Draft202012Validator(schema).is_valid(value)
    assert (problems == []) == fits
    assert len(problems) <= MAX_PROBLEMS
    assert all(isinstance(p, str) and p for p in problems)


def test_badges_of_structured_answers() -> None:
    ok = structured_badge(CITY, '{"city": "Oslo", "population": 709000}')
    assert ok is not None and (ok.text, ok.tone) == ("✓ matches schema", "ok")
    assert ok.pretty == '{\n  "city": "Oslo",\n  "population": 709000\n}'
    missing = structured_badge(CITY, '{"city": "Oslo"}')
    assert missing is not None
    assert (missing.text, missing.tone) == ("✗ 'population' is a required property", "error")
    not_json = structured_badge(CITY, "Oslo has 709000 people")
    assert not_json is not None and not_json.tone == "error" and not_json.pretty is None
    assert not_json.text.startswith("✗ not JSON: ")
    anything = structured_badge(OutputFormat(type="json_object"), "[1, 2]")
    assert anything is not None and anything.text == "✓ valid JSON"


def test_no_badge_without_a_json_format_or_text() -> None:
    assert structured_badge(None, '{"a": 1}') is None
    assert structured_badge(OutputFormat(type="text"), '{"a": 1}') is None
    assert structured_badge(CITY, "") is None


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=8,
)


@settings(max_examples=200)
@given(value=JSON, schema=schemas)
def test_a_badge_is_ok_exactly_when_the_answer_matches(value: Any, schema: Any) -> None:
    fmt = OutputFormat(type="json_schema", json_schema=schema)
    badge = structured_badge(fmt, json.dumps(value))
    assert badge is not None
    assert (badge.tone == "ok") == Draft202012Validator(schema).is_valid(value)
    assert badge.text.startswith("✓" if badge.tone == "ok" else "✗")
    assert badge.pretty is not None and json.loads(badge.pretty) == value
