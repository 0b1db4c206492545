"""Checks of what a model sent against the schema it was given: a tool call's arguments
against the tool's `parameters`, a structured answer against the output format.

The widgets only paint the result: the tool step shows `argument_problems`, the answer card
shows `structured_badge`. Schemas are JSON Schema draft 2020-12 (the dialect OpenAI's
structured outputs and function parameters take: platform.openai.com/docs/guides/
structured-outputs, checked 2026-11-30).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from referencing.exceptions import Unresolvable

from playground.core.tool_loop import call_arguments
from playground.core.workspace import FunctionTool, OutputFormat

MAX_PROBLEMS = 5


def _schema_errors(schema: Any, value: Any) -> list[tuple[str, str]] | str:
    """Each way `value` misses `schema` as (dotted path, why), or why the schema is unusable."""
    if not isinstance(schema, dict):
        return "the schema is not a JSON object"
    try:
        Draft202012Validator.check_schema(schema)
        errors = list(Draft202012Validator(schema).iter_errors(value))
    except SchemaError as exc:
        return str(exc.message)
    except Unresolvable as exc:
        return f"a $ref cannot be resolved ({exc.ref})"
    return [(".".join(map(str, e.path)), e.message) for e in errors]


def argument_problems(arguments: str, tool: FunctionTool | None) -> list[str]:
    """Why a call's `arguments` text does not fit `tool`'s parameters schema ([] when it does).

    Blank arguments are `{}`, as the mock loop reads them (core.tool_loop.call_arguments); at
    most MAX_PROBLEMS sentences, each "<dotted path or 'arguments'>: <what is wrong>".
    """
    value = call_arguments(arguments)
    if value is None:
        try:
            json.loads(arguments)
        except ValueError as exc:
            return [f"arguments are not valid JSON: {exc}"]
        return ["arguments are not a JSON object"]
    if tool is None:
        return ["no tool of this name is defined"]
    found = _schema_errors(tool.parameters, value)
    if isinstance(found, str):
        return [f"the tool's schema cannot be used: {found}"]
    return [f"{path or 'arguments'}: {why}" for path, why in found[:MAX_PROBLEMS]]


Tone = Literal["ok", "error"]


@dataclass(frozen=True, slots=True)
class Badge:
    """What to show on a structured answer: a one-line verdict, its tone, and the answer
    pretty-printed (None when it is not JSON, so the text stays as it came)."""

    text: str
    tone: Tone
    pretty: str | None = None


def structured_badge(fmt: OutputFormat | None, text: str) -> Badge | None:
    """The verdict on an answer to a request with output format `fmt`.

    None when there is nothing to judge (no JSON output format, or no text). Otherwise:
    "✗ not JSON: <why>"; "✓ valid JSON" (json_object); "✓ matches schema" or
    "✗ <first way it misses the schema>" (json_schema).
    """
    if fmt is None or fmt.type not in ("json_schema", "json_object") or not text:
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return Badge(f"✗ not JSON: {exc.msg}", "error")
    pretty = json.dumps(value, indent=2)
    if fmt.type == "json_object":
        return Badge("✓ valid JSON", "ok", pretty)
    found = _schema_errors(fmt.json_schema, value)
    if isinstance(found, str):
        return Badge(f"✗ the schema cannot be used: {found}", "error", pretty)
    if found:
        return Badge(f"✗ {found[0][1]}", "error", pretty)
    return Badge("✓ matches schema", "ok", pretty)
