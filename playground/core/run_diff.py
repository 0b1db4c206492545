"""What differs between the requests of two runs, as rows of a parameter table.

Pure. The History tab's compare of two runs shows these rows; the answers' words are diffed by
core.compare.word_diff.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Lists that are whole conversations or tool lists: one row that says how many items each run
# sent and which is the first that differs, not one row per nested field.
_SUMMED = frozenset({"messages", "input", "tools"})
MAX_VALUE = 200
"""Characters of a value shown in a row; a longer one ends in an ellipsis."""


@dataclass(frozen=True, slots=True)
class Difference:
    """One parameter that differs: its dotted path (`reasoning.effort`), and its value in each
    run as shown (None: the run did not send it)."""

    name: str
    left: str | None
    right: str | None


def flatten(value: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested objects as dotted paths to their leaves (lists and scalars); an empty object is a
    leaf of its own."""
    out: dict[str, Any] = {}
    for key, item in value.items():
        path = f"{prefix}{key}"
        if isinstance(item, Mapping) and item and key not in _SUMMED:
            out.update(flatten(item, f"{path}."))
        else:
            out[path] = item
    return out


def shown(value: Any) -> str:
    """A value as the table shows it: a string as it is, anything else as compact JSON, cut to
    MAX_VALUE characters."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def parameter_diff(left: Mapping[str, Any], right: Mapping[str, Any]) -> list[Difference]:
    """The parameters whose values differ between two requests (JSON objects), sorted by path.

    A conversation or tool list (`messages`, `input`, `tools`) is one row: each side shows its
    number of items, and the name says the first item that differs."""
    a, b = flatten(left), flatten(right)
    rows = []
    for name in sorted(a.keys() | b.keys()):
        va, vb = a.get(name, _MISSING), b.get(name, _MISSING)
        if va == vb and type(va) is type(vb):
            continue
        if name in _SUMMED and isinstance(va, list) and isinstance(vb, list):
            first = next(
                (i for i, (x, y) in enumerate(zip(va, vb, strict=False)) if x != y),
                min(len(va), len(vb)),
            )
            rows.append(
                Difference(
                    f"{name} (item {first + 1} differs)",
                    _items(va, first),
                    _items(vb, first),
                )
            )
            continue
        rows.append(
            Difference(
                name,
                None if va is _MISSING else shown(va),
                None if vb is _MISSING else shown(vb),
            )
        )
    return rows


def _items(value: list[Any], at: int) -> str:
    """How many items a list has, and its item `at` as a person reads it (when it has one):
    "2 items; item 2: user: “Why is that funny?”"."""
    count = f"{len(value)} item{'s' * (len(value) != 1)}"
    if at >= len(value):
        return count
    return f"{count}; item {at + 1}: {shown(_item_text(value[at]))}"


def _item_text(item: Any) -> Any:
    """A message as "role: text", a tool as its name, anything else as it is."""
    if not isinstance(item, Mapping):
        return item
    content = item.get("content")
    if isinstance(content, list):  # parts: their texts
        texts = [p.get("text") for p in content if isinstance(p, Mapping)]
        content = " ".join(t for t in texts if isinstance(t, str)) or None
    if isinstance(content, str):
        role = item.get("role")
        return f"{role}: “{content}”" if isinstance(role, str) else f"“{content}”"
    name = item.get("name") or (item.get("function") or {}).get("name")
    if isinstance(name, str):
        return f"{item.get('type', 'tool')} {name}"
    return item


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Any = _Missing()
