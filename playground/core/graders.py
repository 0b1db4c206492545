"""Graders: pure functions that judge one run's answer to one test row.

`grade(spec, row, answer)` -> Grade(passed, reason, grader). It never raises on what the model
answered or what the user typed (a bad pattern or schema is a failed grade that says why) and
never runs code the user typed: patterns are regular expressions run with a time limit, schemas
are JSON Schema, values are literal text. The model-graded kind needs a run of its own: its
request and verdict are core/model_grading.py, the run is services/grading.py.

What each kind checks (READS says which GraderSpec settings it reads):
- exact: the answer, stripped of surrounding white space, is `value` (also stripped);
- contains / not_contains / starts_with (after leading white space): `value`; the
  `case_sensitive` option off compares case-folded text;
- regex: `value` is found anywhere in the answer (Python syntax, the `regex` package's
  VERSION0, which is `re`'s), with a REGEX_TIMEOUT_S time limit;
- valid_json; json_schema: against `json_schema`, else the request's own json_schema output
  format (JSON Schema draft 2020-12); json_field: the value at the dotted `path` is `value`,
  compared as text with a string and as JSON otherwise (`3` equals 3 and 3.0);
- tool_called: a call of `tool` (any tool when empty) whose arguments hold `arguments` (a
  subset, objects compared key by key), at least once, or exactly `count` times;
- refusal / no_refusal: the API's refusal field (a structured-output refusal), not prose;
- latency (ms), cost (USD), output_tokens: the run's figure is at most `limit`; unknown
  figures fail.

Variables in a grader's `value` (and tool_called's `arguments`, and a rubric) are filled per
row: `{{expected}}` (the row's `expected` value, else its first expected value: import and the
table keep a row's values in the table's column order), `{{expected.NAME}}`, and `{{NAME}}`
for the row's variables, by core/variables.py's fill (as requests are: `\\{{` is a literal
`{{`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import regex
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from referencing.exceptions import Unresolvable

from playground.core import variables
from playground.core.evaluation_spec import GraderKind, GraderSpec, TestRow
from playground.core.json_values import contains_subset, field_at, parse_json, same_json
from playground.core.reducer import AssistantTurn
from playground.core.workspace import OutputFormat

REGEX_TIMEOUT_S = 0.5
"""A regex grader's pattern gets this long per answer (the `regex` package's timeout: Python's
own `re` has none, and a pattern such as `(a|aa)+$` can backtrack for hours). The match
releases the GIL, so a caller that grades in a worker thread never stalls its event loop."""
SHOWN = 60
"""Characters of a value or answer quoted in a reason; longer ones are cut with an ellipsis."""

LABELS: dict[GraderKind, str] = {
    "exact": "exact match",
    "contains": "contains",
    "not_contains": "does not contain",
    "regex": "regex",
    "starts_with": "starts with",
    "valid_json": "valid JSON",
    "json_schema": "matches schema",
    "json_field": "JSON field",
    "tool_called": "tool called",
    "refusal": "refuses",
    "no_refusal": "does not refuse",
    "latency": "latency",
    "cost": "cost",
    "output_tokens": "output tokens",
    "model_graded": "model-graded",
}
"""A kind's label in the matrix, when the grader has no name of its own."""

READS: dict[GraderKind, tuple[str, ...]] = {
    "exact": ("value", "case_sensitive"),
    "contains": ("value", "case_sensitive"),
    "not_contains": ("value", "case_sensitive"),
    "regex": ("value", "case_sensitive"),
    "starts_with": ("value", "case_sensitive"),
    "valid_json": (),
    "json_schema": ("json_schema",),
    "json_field": ("path", "value"),
    "tool_called": ("tool", "arguments", "count"),
    "refusal": (),
    "no_refusal": (),
    "latency": ("limit",),
    "cost": ("limit",),
    "output_tokens": ("limit",),
    "model_graded": ("rubric", "model"),
}
"""The GraderSpec settings each kind reads (besides `name`); the others are kept, unused."""


@dataclass(frozen=True, slots=True)
class GradeInput:
    """What a grader sees of one run: the model's last turn and the run's figures.

    latency_ms: milliseconds from sending to the end of the answer (RunFigures.total_ms);
    cost_usd: US dollars (RunFigures.cost_usd); output_tokens: RunFigures.output_tokens; each
    None when unknown. output_format: the request's own, for json_schema without a schema.
    """

    turn: AssistantTurn
    latency_ms: float | None = None
    cost_usd: float | None = None
    output_tokens: int | None = None
    output_format: OutputFormat | None = None


@dataclass(frozen=True, slots=True)
class Grade:
    """A verdict: passed or not, why (a sentence for the user), the grader's label, and for a
    model-graded grade what its grading run cost (US dollars, None when unknown or none)."""

    passed: bool
    reason: str
    grader: str
    cost_usd: float | None = None


def label(spec: GraderSpec) -> str:
    """The grader's name, or its kind's label."""
    return spec.name.strip() or LABELS[spec.kind]


def quoted(text: str) -> str:
    """`text` in curly quotes, cut to SHOWN characters, one line."""
    flat = " ".join(text.split()) if "\n" in text else text
    return f"“{flat if len(flat) <= SHOWN else flat[: SHOWN - 1] + '…'}”"


# -- variables ----------------------------------------------------------------------------------


def row_values(row: TestRow, answer: str | None = None) -> dict[str, str]:
    """The names a grader's text may use for `row`: its variables, `expected.NAME`,
    `expected` (see the module docstring), and `answer` when given."""
    values = dict(row.values)
    for name, value in row.expected.items():
        values[f"expected.{name}"] = value
    if row.expected:
        values["expected"] = row.expected.get("expected", next(iter(row.expected.values())))
    if answer is not None:
        values["answer"] = answer
    return values


def _fill(text: str, values: dict[str, str]) -> tuple[str, list[str]]:
    # core/variables.py's fill, as requests are filled: literal, one pass, `\{{` a literal
    missing = [n for n in variables.names_in(text) if n not in values]
    return variables.fill_text(text, values, strict=False), missing


def fill_row(text: str, row: TestRow, answer: str | None = None) -> tuple[str, list[str]]:
    """`text` with each `{{name}}` replaced, literally, by `row_values(row, answer)`, and the
    names that have no value (left as they were)."""
    return _fill(text, row_values(row, answer))


def _fill_json(value: Any, values: dict[str, str], missing: list[str]) -> Any:
    if isinstance(value, str):
        text, lost = _fill(value, values)
        missing.extend(lost)
        return text
    if isinstance(value, dict):
        return {k: _fill_json(v, values, missing) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill_json(v, values, missing) for v in value]
    return value


# -- the graders --------------------------------------------------------------------------------


def grade(spec: GraderSpec, row: TestRow, answer: GradeInput) -> Grade:
    """Judge `answer` to `row` by `spec`. Never raises for any answer or any settings.

    A model_graded spec cannot be judged here (it needs a run): the grade fails and says so;
    callers run it with services.grading.grade_with_model instead.
    """
    name = label(spec)
    values = row_values(row)
    value, missing = _fill(spec.value, values)
    arguments = _fill_json(spec.arguments, values, missing)
    if missing:
        names = ", ".join("{{" + n + "}}" for n in dict.fromkeys(missing))
        return Grade(False, f"this row has no value for {names}", name)
    if not value and spec.kind in _NEEDS_VALUE:
        why = "the grader has no value" if not spec.value else "its value is empty for this row"
        return Grade(False, f"nothing to look for: {why}", name)
    try:
        passed, reason = _JUDGES[spec.kind](spec, value, arguments, answer)
    except RecursionError:  # JSON nested deeper than the interpreter's stack
        passed, reason = False, "the answer's JSON is nested too deeply to check"
    return Grade(passed, reason, name)


_Verdict = tuple[bool, str]
_NEEDS_VALUE = frozenset({"contains", "not_contains", "regex", "starts_with"})


def _fold(text: str, spec: GraderSpec) -> str:
    return text if spec.case_sensitive else text.casefold()


def _exact(spec: GraderSpec, value: str, _a: Any, answer: GradeInput) -> _Verdict:
    text = answer.turn.text.strip()
    if _fold(text, spec) == _fold(value.strip(), spec):
        return True, f"the answer is {quoted(value.strip())}"
    return False, f"expected exactly {quoted(value.strip())}, got {quoted(text)}"


def _contains(spec: GraderSpec, value: str, _a: Any, answer: GradeInput) -> _Verdict:
    found = _fold(value, spec) in _fold(answer.turn.text, spec)
    if spec.kind == "contains":
        if found:
            return True, f"the answer contains {quoted(value)}"
        return False, f"expected the answer to contain {quoted(value)}"
    if found:
        return False, f"the answer contains {quoted(value)}, which it should not"
    return True, f"the answer does not contain {quoted(value)}"


def _starts_with(spec: GraderSpec, value: str, _a: Any, answer: GradeInput) -> _Verdict:
    text = answer.turn.text.lstrip()
    if _fold(text, spec).startswith(_fold(value, spec)):
        return True, f"the answer starts with {quoted(value)}"
    return False, f"expected the answer to start with {quoted(value)}, got {quoted(text)}"


def _regex(spec: GraderSpec, value: str, _a: Any, answer: GradeInput) -> _Verdict:
    flags = 0 if spec.case_sensitive else regex.IGNORECASE
    try:
        pattern = regex.compile(value, flags)
    except (regex.error, ValueError, OverflowError, RecursionError) as exc:
        why = getattr(exc, "msg", None) or "it cannot be read"
        return False, f"the pattern {quoted(value)} is not a valid regular expression: {why}"
    try:
        found = pattern.search(answer.turn.text, timeout=REGEX_TIMEOUT_S, concurrent=True)
    except TimeoutError:
        return False, (
            f"the pattern {quoted(value)} took longer than {REGEX_TIMEOUT_S:g} s on this "
            "answer; simplify it (nested repeats such as (a+)+ backtrack without end)"
        )
    if found is not None:
        return True, f"the answer matches {quoted(value)} at {quoted(found.group(0))}"
    return False, f"the answer does not match {quoted(value)}"


def _valid_json(_s: GraderSpec, _v: str, _a: Any, answer: GradeInput) -> _Verdict:
    if not answer.turn.text.strip():
        return False, "the answer is empty, not JSON"
    _, why = parse_json(answer.turn.text)
    return (False, f"the answer: {why}") if why else (True, "the answer is valid JSON")


def _json_schema(spec: GraderSpec, _v: str, _a: Any, answer: GradeInput) -> _Verdict:
    schema = spec.json_schema
    fmt = answer.output_format
    if schema is None and fmt is not None and fmt.type == "json_schema":
        schema = fmt.json_schema
    if schema is None:
        return False, "there is no schema: give one, or set a JSON Schema output format"
    data, why = parse_json(answer.turn.text)
    if why:
        return False, f"the answer: {why}"
    try:
        Draft202012Validator.check_schema(schema)
        error = next(iter(Draft202012Validator(schema).iter_errors(data)), None)
    except SchemaError as exc:
        return False, f"the schema cannot be used: {exc.message}"
    except Unresolvable as exc:
        return False, f"the schema cannot be used: a $ref cannot be resolved ({exc.ref})"
    if error is None:
        return True, "the answer matches the schema"
    where = ".".join(map(str, error.path)) or "the answer"
    return False, f"{where}: {error.message}"


def _json_field(spec: GraderSpec, value: str, _a: Any, answer: GradeInput) -> _Verdict:
    data, why = parse_json(answer.turn.text)
    if why:
        return False, f"the answer: {why}"
    where = spec.path.strip() or "the answer"
    found, field = field_at(data, spec.path.strip())
    if not found:
        return False, f"the answer's JSON has no field {quoted(where)}"
    wanted, bad = parse_json(value)
    ok = (isinstance(field, str) and field == value) or (bad is None and same_json(field, wanted))
    shown = field if isinstance(field, str) else json.dumps(field, ensure_ascii=False)
    if ok:
        return True, f"{where} is {quoted(shown)}"
    return False, f"expected {where} to be {quoted(value)}, got {quoted(shown)}"


def _tool_called(spec: GraderSpec, _v: str, arguments: Any, answer: GradeInput) -> _Verdict:
    tool = spec.tool.strip()
    calls = [c for c in answer.turn.tool_calls if not tool or c.name == tool]
    what = f"the tool {quoted(tool)}" if tool else "a tool"
    if arguments:
        calls = [c for c in calls if contains_subset(c.parsed_arguments, arguments)]
        shown = json.dumps(arguments, ensure_ascii=False)
        what += f" with arguments {quoted(shown)}"
    n = len(calls)
    times = "once" if n == 1 else f"{n} times"
    if spec.count is None:
        if n:
            return True, f"the model called {what} {times}"
        called = ", ".join(dict.fromkeys(c.name for c in answer.turn.tool_calls))
        got = f"it called {called}" if called else "it called no tool"
        return False, f"expected the model to call {what}; {got}"
    want = "once" if spec.count == 1 else f"{spec.count} times"
    if n == spec.count:
        return True, f"the model called {what} {times}"
    return False, f"expected the model to call {what} {want}; it did {times}"


def _refusal(spec: GraderSpec, _v: str, _a: Any, answer: GradeInput) -> _Verdict:
    refusal = answer.turn.refusal.strip()
    if spec.kind == "refusal":
        if refusal:
            return True, f"the model refused: {quoted(refusal)}"
        return False, "expected the model to refuse; it answered"
    if refusal:
        return False, f"the model refused: {quoted(refusal)}"
    return True, "the model did not refuse"


_FIGURES = {
    "latency": ("latency_ms", "the latency", "{:,.0f} ms"),
    "cost": ("cost_usd", "the cost", "${:.6f}"),
    "output_tokens": ("output_tokens", "the output", "{:,.0f} tokens"),
}


def _within(spec: GraderSpec, _v: str, _a: Any, answer: GradeInput) -> _Verdict:
    attr, what, unit = _FIGURES[spec.kind]
    if spec.limit is None:
        return False, f"no limit is set for {what}"
    figure = getattr(answer, attr)
    if figure is None:
        return False, f"{what} of this run is not known, so it cannot be checked"
    shown, limit = unit.format(figure), unit.format(spec.limit)
    if figure <= spec.limit:
        return True, f"{what} was {shown}, within {limit}"
    return False, f"{what} was {shown}, over the limit of {limit}"


def _model_graded(_s: GraderSpec, _v: str, _a: Any, _answer: GradeInput) -> _Verdict:
    return False, "a model-graded grader needs a run of the grading model; it was not run"


_JUDGES = {
    "exact": _exact,
    "contains": _contains,
    "not_contains": _contains,
    "regex": _regex,
    "starts_with": _starts_with,
    "valid_json": _valid_json,
    "json_schema": _json_schema,
    "json_field": _json_field,
    "tool_called": _tool_called,
    "refusal": _refusal,
    "no_refusal": _refusal,
    "latency": _within,
    "cost": _within,
    "output_tokens": _within,
    "model_graded": _model_graded,
}
