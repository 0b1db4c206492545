"""Graders (core/graders.py): each kind passes and fails with a reason a person can read, fills
the row's variables, and never raises on any answer or any settings."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.core.evaluation_spec import GraderSpec, TestRow
from playground.core.graders import Grade, GradeInput, grade, label
from playground.core.reducer import AssistantTurn, TurnToolCall
from playground.core.workspace import OutputFormat
from tests.user_words import problems

ROW = TestRow(
    id="r1", values={"city": "Paris", "note": ""}, expected={"answer": "Paris", "unit": "C"}
)
SCHEMA = {
    "type": "object",
    "properties": {"city": {"type": "string"}, "temp": {"type": "number"}},
    "required": ["city", "temp"],
}


def said(
    text: str = "", *, refusal: str = "", calls: tuple[tuple[str, str], ...] = (), **kw: Any
) -> GradeInput:
    tool_calls = tuple(TurnToolCall(f"c{i}", n, a) for i, (n, a) in enumerate(calls))
    return GradeInput(AssistantTurn(text=text, refusal=refusal, tool_calls=tool_calls), **kw)


def check(spec: GraderSpec, answer: GradeInput, row: TestRow = ROW) -> Grade:
    result = grade(spec, row, answer)
    assert result.grader == label(spec)
    assert result.reason and "GraderSpec" not in result.reason and not problems(result.reason)
    return result


# (spec, answer, passes, words the reason shows)
CASES: list[tuple[GraderSpec, GradeInput, bool, str]] = [
    (GraderSpec(kind="exact", value="{{expected}}"), said("Paris\n"), True, "“Paris”"),
    (GraderSpec(kind="exact", value="Paris"), said("paris"), False, "expected exactly “Paris”"),
    (GraderSpec(kind="exact", value="Paris", case_sensitive=False), said("paris"), True, ""),
    (GraderSpec(kind="contains", value="{{city}}"), said("It is Paris."), True, "contains"),
    (
        GraderSpec(kind="contains", value="paris"),
        said("It is Paris."),
        False,
        "expected the answer to contain “paris”",
    ),
    (GraderSpec(kind="contains", value="PARIS", case_sensitive=False), said("Paris"), True, ""),
    (GraderSpec(kind="not_contains", value="London"), said("Paris"), True, "does not contain"),
    (GraderSpec(kind="not_contains", value="Paris"), said("Paris"), False, "should not"),
    (GraderSpec(kind="regex", value=r"\d+ ?°C"), said("It is 21 °C"), True, "“21 °C”"),
    (GraderSpec(kind="regex", value=r"^\d+$"), said("twenty"), False, "does not match"),
    (GraderSpec(kind="regex", value="(unclosed"), said("x"), False, "not a valid regular"),
    (GraderSpec(kind="regex", value="(a|aa)+$"), said("a" * 60 + "b"), False, "took longer"),
    (GraderSpec(kind="regex", value="PARIS", case_sensitive=False), said("paris"), True, ""),
    (GraderSpec(kind="starts_with", value="Yes"), said("  Yes, it is."), True, "starts with"),
    (GraderSpec(kind="starts_with", value="Yes"), said("No."), False, "to start with “Yes”"),
    (GraderSpec(kind="valid_json"), said('{"a": 1}'), True, "valid JSON"),
    (GraderSpec(kind="valid_json"), said('{"a": 1'), False, "column 8: a comma was expected"),
    (GraderSpec(kind="valid_json"), said(""), False, "empty"),
    (
        GraderSpec(kind="json_schema", json_schema=SCHEMA),
        said('{"city": "Paris", "temp": 21}'),
        True,
        "matches the schema",
    ),
    (
        GraderSpec(kind="json_schema", json_schema=SCHEMA),
        said('{"city": "Paris", "temp": "warm"}'),
        False,
        "temp: 'warm' is not of type 'number'",
    ),
    (
        GraderSpec(kind="json_schema"),
        said(
            '{"city": "Paris"}', output_format=OutputFormat(type="json_schema", json_schema=SCHEMA)
        ),
        False,
        "'temp' is a required property",
    ),
    (GraderSpec(kind="json_schema"), said("{}"), False, "there is no schema"),
    (
        GraderSpec(kind="json_schema", json_schema={"type": "nonsense"}),
        said("{}"),
        False,
        "the schema cannot be used",
    ),
    (
        GraderSpec(kind="json_field", path="weather.city", value="{{expected.answer}}"),
        said('{"weather": {"city": "Paris"}}'),
        True,
        "weather.city is “Paris”",
    ),
    (
        GraderSpec(kind="json_field", path="items.1", value="2"),
        said('{"items": [1, 2.0]}'),
        True,
        "",
    ),
    (
        GraderSpec(kind="json_field", path="ok", value="1"),
        said('{"ok": true}'),
        False,
        "expected ok to be “1”, got “true”",
    ),
    (
        GraderSpec(kind="json_field", path="weather.town", value="Paris"),
        said('{"weather": {"city": "Paris"}}'),
        False,
        "has no field “weather.town”",
    ),
    (GraderSpec(kind="json_field", path="a", value="1"), said("nope"), False, "not valid JSON"),
    (
        GraderSpec(kind="tool_called", tool="get_weather", arguments={"city": "{{city}}"}),
        said(calls=(("get_weather", '{"city": "Paris", "unit": "C"}'),)),
        True,
        "called the tool “get_weather” with arguments",
    ),
    (
        GraderSpec(kind="tool_called", tool="get_weather", arguments={"city": "Rome"}),
        said(calls=(("get_weather", '{"city": "Paris"}'),)),
        False,
        "it called get_weather",
    ),
    (GraderSpec(kind="tool_called", tool="get_weather"), said("hi"), False, "called no tool"),
    (
        GraderSpec(kind="tool_called", tool="f", count=2),
        said(calls=(("f", "{}"), ("f", "{}"))),
        True,
        "2 times",
    ),
    (
        GraderSpec(kind="tool_called", tool="f", count=1),
        said(calls=(("f", "{}"), ("f", "{}"))),
        False,
        "once; it did 2 times",
    ),
    (GraderSpec(kind="refusal"), said(refusal="I can't help."), True, "refused"),
    (GraderSpec(kind="refusal"), said("Sure."), False, "expected the model to refuse"),
    (GraderSpec(kind="no_refusal"), said("Sure."), True, "did not refuse"),
    (GraderSpec(kind="no_refusal"), said(refusal="No."), False, "the model refused: “No.”"),
    (GraderSpec(kind="latency", limit=500), said(latency_ms=120.0), True, "120 ms, within 500"),
    (GraderSpec(kind="latency", limit=100), said(latency_ms=120.0), False, "over the limit"),
    (GraderSpec(kind="latency", limit=100), said(), False, "not known"),
    (GraderSpec(kind="latency"), said(latency_ms=1.0), False, "no limit is set"),
    (GraderSpec(kind="cost", limit=0.01), said(cost_usd=0.002), True, "$0.002000"),
    (GraderSpec(kind="cost", limit=0.001), said(cost_usd=0.002), False, "over the limit"),
    (GraderSpec(kind="output_tokens", limit=50), said(output_tokens=40), True, "40 tokens"),
    (GraderSpec(kind="output_tokens", limit=30), said(output_tokens=40), False, "over"),
    (GraderSpec(kind="model_graded", rubric="x"), said("a"), False, "grading model"),
    (GraderSpec(kind="contains", value="{{country}}"), said("a"), False, "{{country}}"),
    (GraderSpec(kind="contains"), said("a"), False, "nothing to look for: the grader has no"),
    (GraderSpec(kind="regex", value="{{note}}"), said("a"), False, "empty for this row"),
]


@pytest.mark.parametrize(("spec", "answer", "passes", "words"), CASES)
def test_each_kind_passes_or_fails_with_a_reason(
    spec: GraderSpec, answer: GradeInput, passes: bool, words: str
) -> None:
    result = check(spec, answer)
    assert result.passed is passes, result.reason
    assert words in result.reason


def test_every_kind_is_covered_both_ways() -> None:
    from typing import get_args

    from playground.core.evaluation_spec import GraderKind
    from playground.core.graders import LABELS, READS

    assert set(READS) == set(LABELS) == set(get_args(GraderKind))
    seen = {(spec.kind, passes) for spec, _, passes, _ in CASES}
    for kind in get_args(GraderKind):
        assert (kind, False) in seen, kind
        if kind != "model_graded":  # passes only with a grading run: tests/services
            assert (kind, True) in seen, kind


def test_expected_prefers_a_column_named_expected_and_names_show_in_the_matrix() -> None:
    row = TestRow(id="r", expected={"first": "A", "expected": "B"})
    assert grade(GraderSpec(kind="exact", value="{{expected}}"), row, said("B")).passed
    assert grade(GraderSpec(kind="exact", value="{{expected.first}}"), row, said("A")).passed
    named = grade(GraderSpec(kind="valid_json", name="parses"), row, said("1"))
    assert named.grader == "parses"
    assert grade(GraderSpec(kind="valid_json"), row, said("1")).grader == "valid JSON"


def test_a_value_that_holds_braces_is_not_filled_twice() -> None:
    row = TestRow(id="r", values={"a": "{{b}}", "b": "no"})
    assert grade(GraderSpec(kind="exact", value="{{a}}"), row, said("{{b}}")).passed


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
KINDS = ["exact", "contains", "not_contains", "regex", "starts_with", "valid_json"]
KINDS += ["json_schema", "json_field", "tool_called", "refusal", "no_refusal"]
KINDS += ["latency", "cost", "output_tokens", "model_graded"]


@settings(max_examples=300, deadline=None)
@given(
    kind=st.sampled_from(KINDS),
    value=st.text(max_size=40),
    text=st.one_of(st.text(max_size=200), json_values.map(json.dumps)),
    path=st.text(alphabet="ab.0123-", max_size=8),
    schema=st.one_of(
        st.none(),
        st.dictionaries(st.sampled_from(["type", "items", "$ref"]), json_values, max_size=2),
    ),
    arguments=st.dictionaries(st.text(max_size=5), json_values, max_size=3),
    call_args=st.text(max_size=40),
    limit=st.one_of(st.none(), st.floats(allow_nan=False)),
    case=st.booleans(),
)
def test_graders_never_raise(
    kind: str,
    value: str,
    text: str,
    path: str,
    schema: dict[str, Any] | None,
    arguments: dict[str, Any],
    call_args: str,
    limit: float | None,
    case: bool,
) -> None:
    spec = GraderSpec(
        kind=kind,  # type: ignore[arg-type]
        value=value,
        path=path,
        json_schema=schema,
        arguments=arguments,
        limit=limit,
        case_sensitive=case,
        tool="f",
    )
    answer = said(text, calls=(("f", call_args),), latency_ms=10.0, cost_usd=0.1, output_tokens=5)
    result = grade(spec, ROW, answer)
    assert isinstance(result.passed, bool) and result.reason and not problems(result.reason)


@pytest.mark.parametrize("kind", ["valid_json", "json_schema", "json_field", "tool_called"])
def test_json_nested_past_the_stack_is_a_failed_grade(kind: str) -> None:
    deep = "[" * 50_000 + "]" * 50_000
    spec = GraderSpec(
        kind=kind,  # type: ignore[arg-type]
        json_schema={"type": "array"},
        path="0",
        value="[]",
        arguments={"a": 1},
    )
    result = grade(spec, ROW, said(deep, calls=(("f", deep),)))
    assert not result.passed and result.reason
