"""JSON helpers for graders: parse an answer, find a field by dotted path, compare values as
JSON compares them, and check that one object holds another."""

from __future__ import annotations

import json
from typing import Any

_WORDS = {
    "Expecting value": "a value was expected",
    "Expecting ',' delimiter": "a comma was expected",
    "Expecting ':' delimiter": "a colon was expected",
    "Expecting property name enclosed in double quotes": "a key in double quotes was expected",
    "Unterminated string starting at": "a string is not closed",
    "Extra data": "more text follows the JSON value",
    "Invalid control character at": "a line break or control character in a string is not escaped",
    "Invalid \\escape": "a backslash escape is not valid",
    "Invalid \\uXXXX escape": "a \\u escape is not valid",
}


def why(exc: json.JSONDecodeError) -> str:
    """The decoder's complaint in plain words (its own text when it is not a known one)."""
    return _WORDS.get(exc.msg, exc.msg)


def parse_json(text: str) -> tuple[Any, str | None]:
    """The answer's JSON value, or None and why it is not JSON (line and column)."""
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, f"it is not valid JSON at line {exc.lineno}, column {exc.colno}: {why(exc)}"
    except (ValueError, RecursionError):
        return None, "it is not valid JSON"


def field_at(data: Any, path: str) -> tuple[bool, Any]:
    """(found, value) at a dotted path (`a.b.0.c`; a number indexes a list); "" is the top."""
    for part in [p for p in path.split(".") if p] if path else []:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif (
            isinstance(data, list)
            and part.lstrip("-").isdigit()
            and -len(data) <= int(part) < len(data)
        ):
            data = data[int(part)]
        else:
            return False, None
    return True, data


def same_json(a: Any, b: Any) -> bool:
    """JSON equality: numbers by value (1 == 1.0) but never booleans as numbers."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_json(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def contains_subset(value: Any, subset: Any) -> bool:
    """Whether `value` holds `subset`: objects key by key (recursively), else JSON-equal."""
    if isinstance(subset, dict):
        return isinstance(value, dict) and all(
            k in value and contains_subset(value[k], v) for k, v in subset.items()
        )
    return same_json(value, subset)
