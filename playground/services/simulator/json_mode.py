"""JSON mode (`{"type": "json_object"}`): the object the prompt asks for.

JSON mode only promises a JSON object; what keys it has comes from the prompt
(platform.openai.com/docs/guides/structured-outputs, "JSON mode", checked 2026-11-30). Clients
that parse it expect the keys they named, so the simulated answer uses them, found in this order:
a JSON Schema in the prompt (an instance of it), a JSON example object (its keys and value types,
also written loosely: single quotes, placeholders such as `<number>`), or keys named in prose
("with the keys `name`, `age`"). Instructions are read first, then user messages, latest first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from playground.core.instances import instance

_MAX_TEXT = 200_000  # characters of one message that are searched
_MAX_TRIES = 200  # "{" positions tried per message
_KEY = re.compile(r"""\s*(?:"([^"\\\n]{1,64})"|'([^'\\\n]{1,64})')\s*:\s*""")
_PROSE = re.compile(
    r"\b(?:keys?|fields?|properties|property|attributes)\b(\s+(?:named|called)\s|\s*:)?\s*"
    r"([^.;\n]+)",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"""[`"']([A-Za-z_][\w-]{0,63})[`"']""")
_NAME = re.compile(r"[A-Za-z_][\w-]{0,63}")
_BACKTICKED = re.compile(r"`([A-Za-z_][\w-]{0,63})`")


def requested_object(texts: list[str]) -> dict[str, Any] | None:
    """The object the first text that names keys asks for; None when no text names any."""
    for text in texts:
        found = _from_text(text[:_MAX_TEXT])
        if found:
            return found
    return None


def _from_text(text: str) -> dict[str, Any] | None:
    for block in _objects(text):
        schema = _schema_in(block)
        if schema is None:
            return block
        value = instance(schema)
        if isinstance(value, dict) and value:
            return value
    return _prose_keys(text)


def _objects(text: str) -> Iterator[dict[str, Any]]:
    """Non-empty objects written in `text` (outermost `{...}` blocks): as JSON when they parse,
    else their top-level quoted keys."""
    start, tries = text.find("{"), 0
    while start >= 0 and tries < _MAX_TRIES:
        tries += 1
        end = _matching(text, start)
        if end < 0:
            start = text.find("{", start + 1)
            continue
        try:
            value = json.loads(text[start : end + 1])
        except ValueError:
            value = _top_keys(text[start + 1 : end])
        if isinstance(value, dict) and value:
            yield value
        start = text.find("{", end)


def _schema_in(block: dict[str, Any]) -> dict[str, Any] | None:
    """The JSON Schema `block` is, or wraps (as response_format or a tool does)."""
    for key in ("json_schema", "schema", "parameters"):
        inner = block.get(key)
        if isinstance(inner, dict):
            block = inner.get("schema", inner) if key == "json_schema" else inner
            break
    props = block.get("properties")
    if (
        isinstance(props, dict)
        and props
        and (block.get("type") == "object" or "$schema" in block or "required" in block)
    ):
        return block
    return None


def _outside_strings(text: str, start: int, stop: int) -> Iterator[tuple[int, str, int]]:
    """(position, character, bracket depth after it) of each character from `start` to
    `stop` that is not inside a quoted string ('...' or "...", backslash escapes honoured)."""
    depth, quote, escaped = 0, "", False
    for i in range(start, stop):
        ch = text[i]
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == quote:
                quote = ""
            continue
        if ch in "\"'":
            quote = ch
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
        yield i, ch, depth


def _matching(text: str, start: int) -> int:
    """The position of the bracket that closes the one at `start`, or -1."""
    stop = min(len(text), start + 20_000)
    for i, ch, depth in _outside_strings(text, start, stop):
        if ch in "}]" and depth == 0:
            return i
    return -1


def _top_keys(body: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    pos = 0
    while pos < len(body):
        match = _KEY.match(body, pos)
        if not match:
            return out if pos else {}
        rest = body[match.end() :]
        out[match.group(1) or match.group(2)] = _placeholder(rest)
        end = _value_end(body, match.end())
        pos = end + 1
    return out


def _value_end(body: str, pos: int) -> int:
    """The position of the comma that ends the value starting at `pos` (or the end)."""
    for i, ch, depth in _outside_strings(body, pos, len(body)):
        if ch == "," and depth == 0:
            return i
    return len(body)


def _placeholder(rest: str) -> Any:
    """A value of the kind the loose example shows: `"..."`, `<number>`, `true`, `[...]`."""
    head = rest.lstrip()[:24].lower().strip("<>`*_ ")
    if head.startswith("["):
        return []
    if head.startswith("{"):
        return {}
    if re.match(r"-?\d", head) or head.startswith(("number", "int", "float", "integer")):
        return 0
    if head.startswith(("true", "false", "bool")):
        return True
    if head.startswith("null"):
        return None
    return "example"


def _prose_keys(text: str) -> dict[str, Any] | None:
    for match in _PROSE.finditer(text):
        words = re.sub(r"\([^)]*\)", " ", match.group(2))  # "hobbies (a list)" names hobbies
        names = _QUOTED.findall(words)
        if not names:
            parts = [p.strip() for p in re.split(r",|\band\b|\bor\b", words) if p.strip()]
            listed = bool(parts) and all(_NAME.fullmatch(p) for p in parts)
            # unquoted names: after "named", "called" or ":", or two or more in a list
            if not listed or not (match.group(1) or len(parts) > 1):
                continue
            names = parts
        if names:
            return dict.fromkeys(names, "example")
    for sentence in re.split(r"(?<=[.!?])\s+|\n", text):  # "JSON containing `name` and `age`"
        if "json" in sentence.lower():
            names = _BACKTICKED.findall(sentence)
            if names:
                return dict.fromkeys(names, "example")
    return None
