"""What a workspace stores for evaluations (schema_version 3): its prompt variables, its test
set, its graders and its evaluate settings, as plain pydantic data.

Filling the variables is core/variables.py; running the graders is core/graders.py; running
the matrix of variants x rows is services/evaluation.py. This module only says what is saved.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
"""A variable's name: a letter or underscore, then letters, digits, `_`, `.` or `-`."""

MAX_INLINE_ROWS = 500
"""A test set with more rows than this is saved in a sibling `.jsonl` file (TestSet.rows_file)
so that the workspace file stays small and diff-friendly."""

DEFAULT_CONCURRENCY = 4
MAX_CONCURRENCY = 64


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")


EXPECTED_PREFIX = "expected."
"""How a grader names an expected value (`{{expected.NAME}}`); written in a row's `expected`
or a set's `expected` columns, the prefix is dropped (`expected.cur` is `cur`), as the CSV
and JSON-lines import do (core/test_sets.py)."""


def _expected_name(name: Any) -> Any:
    """`name` without a leading "expected." (when something is left after it)."""
    if (
        isinstance(name, str)
        and name.startswith(EXPECTED_PREFIX)
        and len(name) > len(EXPECTED_PREFIX)
    ):
        return name[len(EXPECTED_PREFIX) :]
    return name


class TestRow(_Spec):
    """One case: a value per variable, the expected values graders can use (as
    `{{expected}}` or `{{expected.NAME}}`), and a free note."""

    __test__ = False  # not a pytest class

    id: str = Field(min_length=1)
    """Stable across edits and reorders: an evaluation's cells are keyed by it."""
    values: dict[str, str] = Field(default_factory=dict)
    expected: dict[str, str] = Field(default_factory=dict)
    """By name, without the "expected." prefix (`EXPECTED_PREFIX`: dropped when given)."""
    note: str = ""

    @field_validator("expected", mode="before")
    @classmethod
    def _expected_names(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        out: dict[Any, Any] = {}
        for key, item in value.items():
            name = _expected_name(key)
            if name in out:
                raise ValueError(f"the expected value {name!r} is there twice (as {key!r})")
            out[name] = item
        return out


class TestSet(_Spec):
    """A table of rows: `columns` are the variables' names in the order shown, `expected` the
    expected-value columns. Rows live here, or (when `rows_file` is set) in that JSON-lines
    file beside the workspace, one TestRow per line; `rows` is then empty in the file."""

    __test__ = False

    columns: list[str] = Field(default_factory=list)
    expected: list[str] = Field(default_factory=list)
    rows: list[TestRow] = Field(default_factory=list)
    rows_file: str | None = None
    """A path relative to the workspace file (a sibling `NAME.rows.jsonl`)."""

    @field_validator("expected", mode="before")
    @classmethod
    def _expected_names(cls, value: Any) -> Any:
        """ "expected.cur" is the column "cur" (see EXPECTED_PREFIX)."""
        return [_expected_name(n) for n in value] if isinstance(value, list) else value

    @field_validator("columns", "expected")
    @classmethod
    def _names(cls, value: list[str]) -> list[str]:
        for name in value:
            if not VARIABLE_NAME.fullmatch(name):
                raise ValueError(
                    f"{name!r} is not a column name: use letters, digits, _, . or -, "
                    "starting with a letter or _"
                )
        if len(set(value)) != len(value):
            dup = next(n for n in value if value.count(n) > 1)
            raise ValueError(f"the column {dup!r} is there twice")
        return value


GraderKind = Literal[
    "exact",
    "contains",
    "not_contains",
    "regex",
    "starts_with",
    "valid_json",
    "json_schema",
    "json_field",
    "tool_called",
    "refusal",
    "no_refusal",
    "latency",
    "cost",
    "output_tokens",
    "model_graded",
]


class GraderSpec(_Spec):
    """One grader and its settings. `value` may use variables (`{{expected}}`,
    `{{expected.NAME}}`, `{{NAME}}`), filled per row. Which settings a kind reads is
    core/graders.py's table; the others are kept and ignored."""

    kind: GraderKind
    name: str = ""
    """Shown in the matrix; the kind's own label when empty."""
    value: str = ""
    """The text, pattern, prefix or expected value to compare with."""
    case_sensitive: bool = True
    path: str = ""
    """json_field: a dotted path into the answer's JSON (`a.b.0.c`)."""
    json_schema: dict[str, Any] | None = None
    """json_schema: the schema to match; None uses the output format's own."""
    tool: str = ""
    """tool_called: the function's name."""
    arguments: dict[str, Any] = Field(default_factory=dict)
    """tool_called: a subset the call's arguments must contain."""
    count: int | None = None
    """tool_called: how many calls exactly (None: at least one)."""
    limit: float | None = None
    """latency (ms), cost (USD) and output_tokens: the most allowed."""
    rubric: str = ""
    """model_graded: the rubric, a prompt that may use variables and `{{answer}}`."""
    model: str = ""
    """model_graded: the model that grades (the workspace's model when empty)."""


class EvaluateSettings(_Spec):
    """How Evaluate mode runs the matrix."""

    concurrency: int = Field(default=DEFAULT_CONCURRENCY, ge=1, le=MAX_CONCURRENCY)
    """Requests in flight at once, per provider."""
