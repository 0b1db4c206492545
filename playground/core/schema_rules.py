"""JSON Schema checks: meta-validation, and the rules of OpenAI's strict mode.

Strict mode (tools with `strict: true`, json_schema output with `strict: true`) needs the root
to be an object, `additionalProperties: false` on every object, every property listed in
`required`, and no `allOf` / `oneOf` / `not`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from playground.core.instances import instance

NAME_RE = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
_UNSUPPORTED = ("allOf", "oneOf", "not")


def meta_errors(schema: Any) -> list[tuple[str, str]]:
    """(path, message) for each way `schema` is not a valid JSON Schema (draft 2020-12)."""
    if not isinstance(schema, dict):
        return [("", f"a schema must be a JSON object, not {type(schema).__name__}")]
    out: list[tuple[str, str]] = []
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        path = ".".join(str(p) for p in exc.absolute_path)
        out.append((path, exc.message))
    return out


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _walk(node: Any, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every sub-schema (dict) below and including `node`, with its dotted path."""
    if not isinstance(node, dict):
        return
    yield path, node
    for key in ("properties", "$defs", "definitions"):
        children = node.get(key)
        if isinstance(children, dict):
            for name, child in children.items():
                yield from _walk(child, _join(_join(path, key), str(name)))
    items = node.get("items")
    if isinstance(items, dict):
        yield from _walk(items, _join(path, "items"))
    for key in ("anyOf", *_UNSUPPORTED):
        branches = node.get(key)
        if isinstance(branches, list):
            for i, child in enumerate(branches):
                yield from _walk(child, f"{_join(path, key)}[{i}]")


def _is_object(node: dict[str, Any]) -> bool:
    t = node.get("type")
    return t == "object" or (isinstance(t, list) and "object" in t) or "properties" in node


def strict_issues(schema: Any, base: str = "") -> list[tuple[str, str, str]]:
    """(path, rule, message) for each strict-mode rule that `schema` breaks.

    rule is one of root_type, root_anyof, unsupported, additional_properties, required.
    """
    if not isinstance(schema, dict):
        return [(base, "root_type", "the schema must be a JSON object")]
    out: list[tuple[str, str, str]] = []
    if schema.get("type") != "object":
        out.append((base, "root_type", 'the root must be "type": "object"'))
    if "anyOf" in schema:
        out.append((base, "root_anyof", "the root may not be anyOf"))
    for path, node in _walk(schema, base):
        for key in _UNSUPPORTED:
            if key in node:
                out.append((path, "unsupported", f"{key} is not supported in strict mode"))
        if not _is_object(node):
            continue
        if node.get("additionalProperties") is not False:
            out.append(
                (
                    path,
                    "additional_properties",
                    "strict mode needs additionalProperties: false on every object",
                )
            )
        props = node.get("properties") or {}
        required = node.get("required") or []
        missing = [p for p in props if p not in required]
        if missing:
            names = ", ".join(repr(m) for m in missing)
            out.append(
                (path, "required", f"strict mode needs every property in required; missing {names}")
            )
    return out


def strict_errors(schema: Any, base: str = "") -> list[tuple[str, str]]:
    """(path, message) for each strict-mode rule that `schema` breaks."""
    return [(path, message) for path, _, message in strict_issues(schema, base)]


def missing_required(node: dict[str, Any]) -> list[str]:
    props = node.get("properties") or {}
    return [p for p in props if p not in (node.get("required") or [])]


def example_instance(schema: Any) -> Any:
    """A small value that validates against `schema` (see playground.core.instances)."""
    return instance(schema)


def subschema(schema: Any, path: str) -> dict[str, Any]:
    """The sub-schema at a dotted path produced by strict_issues."""
    return dict(_walk(schema, "")).get(path, {})


def syntax_problem(exc: json.JSONDecodeError) -> str:
    """Where JSON text stops parsing and why, as every JSON editor says it."""
    return f"JSON syntax error at line {exc.lineno}, column {exc.colno}: {exc.msg}"


def parse_schema_text(text: str) -> tuple[dict[str, Any] | None, str | None]:
    """(schema, None), or (None, what is wrong with the JSON): syntax only, fast."""
    if not text.strip():
        return None, "The schema is empty: type a JSON Schema, or start from Templates"
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, syntax_problem(exc)
    if not isinstance(value, dict):
        return None, "The schema must be a JSON object"
    return value, None


Issues = tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]
LARGE_SCHEMA = 100_000  # characters of canonical JSON: checking takes long enough to notice
_CACHE: dict[tuple[str, bool], Issues] = {}
_CACHE_SIZE = 64


def canonical(schema: Any) -> str:
    """The cache key of a schema: its JSON with sorted keys."""
    return json.dumps(schema, sort_keys=True)


def compute_issues(text: str, strict: bool) -> Issues:
    """(meta-schema errors, strict-mode errors) of a schema given as JSON text, uncached.

    A plain function of strings, so it can run in a worker process.
    """
    schema = json.loads(text)
    meta = tuple(meta_errors(schema))
    return meta, tuple(strict_errors(schema)) if strict and not meta else ()


def remember_issues(text: str, strict: bool, issues: Issues) -> None:
    """Keep a result (computed here or in a worker) for later look-ups."""
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[(text, strict)] = issues


def cached_issues(text: str, strict: bool) -> Issues | None:
    """The known result for this canonical schema text, without computing it."""
    return _CACHE.get((text, strict))


def schema_issues(text: str, strict: bool) -> Issues:
    """(meta-schema errors, strict-mode errors) of a canonical schema text; cached."""
    found = cached_issues(text, strict)
    if found is None:
        found = compute_issues(text, strict)
        remember_issues(text, strict, found)
    return found


def describe_issues(issues: Issues) -> list[str]:
    meta, strict_found = issues
    return [f"{path or 'schema'}: {msg}" for path, msg in meta] + [
        msg + (f" ({path})" if path else "") for path, msg in strict_found
    ]


def check_schema(text: str, strict: bool) -> tuple[dict[str, Any] | None, list[str]]:
    """(schema, problems) for the editor's text: JSON syntax, meta-schema, strict mode."""
    value, problem = parse_schema_text(text)
    if value is None:
        return None, [problem or "not a schema"]
    return value, describe_issues(schema_issues(canonical(value), strict))
