"""Python source for JSON-like values, laid out the way `ruff format` lays them out.

A collection stays on one line when it fits in the line width; otherwise it is exploded, one
element per line with a trailing comma (which ruff keeps exploded). Strings use double quotes
unless single quotes need fewer escapes, as ruff prefers.
"""

from __future__ import annotations

import json
import keyword
import unicodedata
from typing import Any

WIDTH = 88
INDENT = "    "


class Raw:
    """Source to insert as is (a name, not a literal)."""

    def __init__(self, source: str) -> None:
        self.source = source


class Filled(str):
    """A template text the program fills when it runs: written `fill("...", variables)`
    (the exported program that keeps its variables, core/export.py)."""

    __slots__ = ()


def string(text: str) -> str:
    """A string literal in ruff's preferred quotes."""
    if text.count('"') > text.count("'"):
        return repr(text) if repr(text).startswith("'") else _double(text)
    return _double(text)


def _double(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def flat(value: Any) -> str:
    """The one-line form of a value."""
    if isinstance(value, Raw):
        return value.source
    if isinstance(value, Filled):
        return f"fill({string(value)}, variables)"
    if isinstance(value, str):
        return string(value)
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{string(str(k))}: {flat(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(flat(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as a literal")


def literal(value: Any, column: int, suffix: str = "", depth: int = 0) -> str:
    """`value` as source whose first line starts at `column` and is followed by `suffix`.

    The returned text's continuation lines are indented for nesting level `depth`.
    """
    one = flat(value)
    if column + width(one) + len(suffix) <= WIDTH:
        return one
    if isinstance(value, Filled):  # the call's arguments on their own line(s), as ruff does
        inner, args = INDENT * (depth + 1), f"{string(value)}, variables"
        if len(inner) + width(args) <= WIDTH:
            return f"fill(\n{inner}{args}\n{INDENT * depth})"
        return f"fill(\n{inner}{string(value)},\n{inner}variables,\n{INDENT * depth})"
    if not _container(value) or not value:
        return one
    inner = INDENT * (depth + 1)
    lines = []
    if isinstance(value, dict):
        for k, v in value.items():
            head = f"{string(str(k))}: "
            lines.append(inner + head + literal(v, len(inner) + width(head), ",", depth + 1) + ",")
        open_, close = "{", "}"
    else:
        for v in value:
            lines.append(inner + literal(v, len(inner), ",", depth + 1) + ",")
        open_, close = "[", "]"
    return open_ + "\n" + "\n".join(lines) + "\n" + INDENT * depth + close


def _container(value: Any) -> bool:
    return isinstance(value, dict | list | tuple)


def call(
    func: str,
    kwargs: dict[str, Any],
    depth: int = 0,
    column: int | None = None,
    explode: bool = True,
) -> str:
    """`func(key=value, ...)`, exploded one argument per line (magic trailing comma)."""
    start = len(INDENT * depth) if column is None else column
    if not kwargs:
        return f"{func}()"
    if not explode:
        one = f"{func}(" + ", ".join(f"{k}={flat(v)}" for k, v in kwargs.items()) + ")"
        if start + width(one) <= WIDTH:
            return one
    inner = INDENT * (depth + 1)
    lines = []
    for key, value in kwargs.items():
        rendered = (
            value.source
            if isinstance(value, Raw)
            else literal(value, len(inner) + len(key) + 1, ",", depth + 1)
        )
        lines.append(f"{inner}{key}={rendered},")
    return f"{func}(\n" + "\n".join(lines) + "\n" + INDENT * depth + ")"


def width(text: str) -> int:
    """Columns the text takes, as ruff counts them: wide (East Asian, emoji) characters are 2."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def identifier(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)
