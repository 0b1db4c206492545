"""Learned rules: which refusals teach a rule, what the rule says, and what dropping it does."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from playground.core.errors import Failure, FailureKind
from playground.core.learned import (
    LEARNABLE_CODES,
    MODEL_DEPENDENT,
    LearnedRule,
    for_model,
    forget,
    forget_model,
    merge,
    remedy_label,
    rule_from_failure,
    without,
)
from playground.core.wire_names import FUNCTION_TOOLS, field_for_wire, fields
from playground.core.workspace import FunctionTool, Parameters, Workspace
from tests.core.strategies import text

TODAY = date(2026, 11, 30)
FUNCTIONS = [{"type": "function", "name": "a"}, {"type": "function", "name": "b"}]
# The server's names of request fields (openai-protocol.md sections 4 and 8), and the field.
WIRE = {
    "temperature": "temperature",
    "top_p": "top_p",
    "presence_penalty": "presence_penalty",
    "frequency_penalty": "frequency_penalty",
    "stop": "stop",
    "seed": "seed",
    "n": "n",
    "logprobs": "logprobs",
    "top_logprobs": "top_logprobs",
    "reasoning.effort": "reasoning_effort",
    "reasoning_effort": "reasoning_effort",
    "reasoning": "reasoning_effort",
    "reasoning.summary": "reasoning_summary",
    "text.verbosity": "verbosity",
    "verbosity": "verbosity",
    "max_tokens": "max_output_tokens",
    "max_completion_tokens": "max_output_tokens",
    "max_output_tokens": "max_output_tokens",
    "include": "include",
    "include[0]": "include",
    "tools": FUNCTION_TOOLS,
    "tools[0]": FUNCTION_TOOLS,
    "service_tier": "service_tier",
    "store": "store",
    "metadata": "metadata",
    "parallel_tool_calls": "parallel_tool_calls",
    "previous_response_id": "previous_response_id",
}


def _bad(param: str | None, code: str | None, status: int | None = 400) -> Failure:
    return Failure(FailureKind.BAD_REQUEST, "the server said no", status, code, param)


def _learn(failure: Failure, body: dict[str, Any] | None = None) -> LearnedRule | None:
    return rule_from_failure(failure, "OpenAI", "gpt-5.6-terra", body or {}, TODAY)


def test_an_unsupported_parameter_becomes_a_rule() -> None:
    rule = _learn(_bad("temperature", "unsupported_parameter"), {"temperature": 0.7})
    assert rule == LearnedRule(
        "OpenAI",
        "gpt-5.6-terra",
        "temperature",
        "temperature",
        None,
        "unsupported_parameter",
        "the server said no",
        "2026-11-30",
    )
    assert rule.describe() == (
        "Learned from OpenAI on 2026-11-30: the server refused temperature (unsupported_parameter)"
    )
    assert remedy_label(rule) == "Drop it and run again"


def test_an_unsupported_value_keeps_the_value_sent() -> None:
    body = {"model": "gpt-5.6-terra", "reasoning": {"effort": "minimal", "summary": "auto"}}
    rule = _learn(_bad("reasoning.effort", "unsupported_value"), body)
    assert rule is not None
    assert (rule.param, rule.wire, rule.value) == (
        "reasoning_effort",
        "reasoning.effort",
        '"minimal"',
    )
    assert rule.describe().endswith('refused reasoning.effort = "minimal" (unsupported_value)')
    assert rule.applies_to("minimal") and not rule.applies_to("low")


def test_a_null_code_teaches_only_model_dependent_parameters() -> None:
    # Responses refuses temperature on reasoning models with code null (protocol section 8)
    rule = _learn(_bad("temperature", None))
    assert rule is not None and rule.param == "temperature" and rule.code is None
    assert _learn(_bad("previous_response_id", None)) is None
    assert _learn(_bad("messages.[3].role", None)) is None


def test_other_failures_teach_nothing() -> None:
    assert _learn(_bad("temperature", "invalid_type")) is None
    assert _learn(_bad("temperature", "decimal_above_max_value")) is None
    assert _learn(_bad(None, "unsupported_parameter")) is None
    assert _learn(_bad("temperature", "unsupported_parameter", status=None)) is None
    assert _learn(_bad("temperature", "unsupported_parameter", status=404)) is None
    assert _learn(_bad("input", "unsupported_parameter")) is None


def test_merge_forget_and_for_model() -> None:
    a = _learn(_bad("temperature", "unsupported_parameter"))
    b = _learn(_bad("top_p", "unsupported_parameter"))
    assert a is not None and b is not None
    other = LearnedRule("Local", "m", "seed", "seed", None, None, "", "2026-11-01")
    rules = merge(merge(merge((), a), b), other)
    again = LearnedRule(**{**_fields(a), "learned_on": "2026-12-01"})
    assert merge(rules, again) == (b, other, again)  # the same refusal is one rule
    assert forget(rules, a) == (b, other)
    assert for_model(rules, "OpenAI", "gpt-5.6-terra") == (a, b)
    assert forget_model(rules, "OpenAI", "gpt-5.6-terra") == (other,)


def _fields(rule: LearnedRule) -> dict[str, Any]:
    return {k: getattr(rule, k) for k in LearnedRule.__dataclass_fields__}


def test_without_unsets_the_parameter_and_its_extra_body_copy() -> None:
    ws = Workspace(params=Parameters(temperature=0.7, top_p=0.5), extra_body={"temperature": 1})
    rule = _learn(_bad("temperature", "unsupported_value"), {"temperature": 0.7})
    assert rule is not None
    after = without(ws, rule)
    assert after.params == Parameters(top_p=0.5)
    assert after.extra_body is None


def test_without_switches_a_refused_token_name() -> None:
    ws = Workspace(
        api="chat", params=Parameters(max_output_tokens=500, max_tokens_name="max_tokens")
    )
    rule = _learn(_bad("max_tokens", "unsupported_parameter"))
    assert rule is not None and remedy_label(rule) == "Send max_completion_tokens and run again"
    after = without(ws, rule)
    assert after.params.max_output_tokens == 500
    assert after.params.max_tokens_name == "max_completion_tokens"


def test_without_disables_function_tools_for_refused_tools() -> None:
    ws = Workspace(tools=[FunctionTool(name="a"), FunctionTool(name="b")])
    rule = _learn(_bad("tools", "unsupported_parameter"), {"tools": FUNCTIONS})
    assert rule is not None
    assert [t.enabled for t in without(ws, rule).tools] == [False, False]


def test_a_refused_tools_with_other_tool_kinds_teaches_nothing() -> None:
    # the refusal may be about the custom, hosted or MCP tool: disabling every function
    # tool of the model in every tab would be wrong
    for other in ({"type": "custom", "name": "c"}, {"type": "web_search"}, {"type": "mcp"}):
        body = {"tools": [*FUNCTIONS, other]}
        assert _learn(_bad("tools", "unsupported_parameter"), body) is None
    assert _learn(_bad("tools", "unsupported_parameter"), {}) is None


def test_the_panel_names_match_the_old_highlight_table() -> None:
    assert field_for_wire("reasoning.effort") == "reasoning_effort"
    assert field_for_wire("reasoning.summary") == "reasoning_summary"
    assert field_for_wire("max_completion_tokens") == "max_output_tokens"
    assert field_for_wire("include") == "include"
    assert field_for_wire("messages.[3].role") is None
    assert field_for_wire("stream_options.include_usage") is None
    assert field_for_wire(None) is None


wire_names = st.sampled_from(sorted(WIRE))
values = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), text)
learnable = st.one_of(st.sampled_from(sorted(LEARNABLE_CODES)))


@given(wire=wire_names, code=learnable, value=values, message=text)
def test_any_refusal_of_a_wire_name_is_a_rule_on_a_parameter(
    wire: str, code: str, value: Any, message: str
) -> None:
    body: dict[str, Any] = {}
    top = wire.split(".")[0].split("[")[0]
    if top == "tools":  # a refused `tools` is learned when only function tools were sent
        value = FUNCTIONS
    body[top] = {"effort": value, "summary": value, "verbosity": value} if "." in wire else value
    failure = Failure(FailureKind.BAD_REQUEST, message, 400, code, wire)
    rule = rule_from_failure(failure, "P", "m", body, TODAY)
    assert rule is not None
    assert rule.param == WIRE[wire]
    assert rule.param in fields() | {FUNCTION_TOOLS}
    assert rule.param in Parameters.model_fields or rule.param == FUNCTION_TOOLS
    assert rule.wire == wire and rule.message == message and rule.learned_on == "2026-11-30"
    if code == "unsupported_value" and "[" not in wire:
        assert rule.value is not None and json.loads(rule.value) == value
    else:
        assert rule.value is None or code == "unsupported_value"


other_codes = text.filter(lambda c: c not in LEARNABLE_CODES)
not_400 = st.one_of(st.none(), st.integers(100, 599).filter(lambda s: s != 400))
not_a_field = st.one_of(
    st.none(),
    st.sampled_from(["input", "messages.[3].role", "model", "stream_options.include_usage"]),
    st.from_regex(r"zz[a-z_.]{0,12}", fullmatch=True),
)
always_sent = st.sampled_from(sorted(WIRE)).filter(lambda w: WIRE[w] not in MODEL_DEPENDENT)
other_failures = st.one_of(
    # not a 400
    st.tuples(not_400, st.one_of(st.none(), learnable, other_codes), wire_names),
    # a 400 with another code
    st.tuples(st.just(400), other_codes, wire_names),
    # a 400 about something that is no parameter
    st.tuples(st.just(400), st.one_of(st.none(), learnable), not_a_field),
    # a 400 without a code about a parameter every model takes
    st.tuples(st.just(400), st.none(), always_sent),
)


@given(case=other_failures, message=text)
def test_any_other_failure_teaches_nothing(
    case: tuple[int | None, str | None, str | None], message: str
) -> None:
    status, code, param = case
    failure = Failure(FailureKind.BAD_REQUEST, message, status, code, param)
    assert rule_from_failure(failure, "P", "m", {"temperature": 1}, TODAY) is None


@given(kind=st.sampled_from(list(FailureKind)), wire=wire_names, code=learnable)
def test_only_a_400_teaches(kind: FailureKind, wire: str, code: str) -> None:
    for status in (None, 401, 404, 409, 422, 429, 500):
        assert (
            rule_from_failure(Failure(kind, "m", status, code, wire), "P", "m", {}, TODAY) is None
        )


def test_a_refused_include_unsets_the_include_row_and_logprobs() -> None:
    ws = Workspace(params=Parameters(include=["reasoning.encrypted_content"], logprobs=True))
    rule = _learn(_bad("include[0]", "unsupported_parameter"), {"include": ["x"]})
    assert rule is not None and rule.param == "include"
    after = without(ws, rule).params
    assert after.include is None and after.logprobs is None
