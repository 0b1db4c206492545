"""Hypothesis strategy: JSON Schemas that OpenAI's strict mode accepts, with a finite instance.

Objects with every property required and additionalProperties false, `$defs` and `$ref`
(self, mutual and root recursion), anyOf, enums, const, nullable unions, arrays with minItems,
string formats and patterns. A `$ref` that could recur sits where recursion can stop (a nullable
union, an array that may be empty, an anyOf with a plain branch); a def may use an earlier def
plainly, so every drawn schema has a finite valid instance.
"""

from __future__ import annotations

import functools
from typing import Any

from hypothesis import strategies as st

PROPERTY_NAMES = st.sampled_from(
    [
        *("name", "value", "class", "from", "my-key", "2fa", "id", "items", "type", "Node"),
        *("model", "z", "first name", "_private", "model_config", "None", "self", "x.y", "a1"),
    ]
)
FORMATS = ["date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid"]
PATTERNS = [
    r"^[A-Z]{3}$",
    r"^\d{3}-\d{4}$",
    r"^@[a-z]+$",
    r"^(foo|bar)+$",
    r"[0-9a-f]{8}",
    r"^\w+@\w+\.com$",
    r"^[^\s]+$",
    r"^(?:https?)://\S+$",
]


@st.composite
def leaves(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["string", "integer", "number", "boolean", "enum", "const"]))
    node: dict[str, Any]
    if kind == "string":
        node = {"type": "string"}
        extra = draw(st.sampled_from(["", "format", "pattern"]))
        if extra == "format":
            node["format"] = draw(st.sampled_from(FORMATS))
        elif extra == "pattern":
            node["pattern"] = draw(st.sampled_from(PATTERNS))
    elif kind in ("integer", "number"):
        node = {"type": kind}
        low = draw(st.none() | st.integers(-20, 20))
        if low is not None:
            node["exclusiveMinimum" if draw(st.booleans()) else "minimum"] = low
            if draw(st.booleans()):
                node["exclusiveMaximum" if draw(st.booleans()) else "maximum"] = low + 11
        elif draw(st.booleans()):
            node["maximum"] = draw(st.integers(-20, 20))
        if draw(st.booleans()):
            node["multipleOf"] = draw(st.sampled_from([2, 3, 5] if kind == "integer" else [0.5, 2]))
    elif kind == "boolean":
        node = {"type": "boolean"}
    elif kind == "enum":
        values = draw(st.lists(st.sampled_from(["a", "b c", "Ünï", "", "null"]), min_size=1))
        node = {"type": "string", "enum": list(dict.fromkeys(values))}
    else:
        node = {"const": draw(st.sampled_from(["fixed", 3, True]))}
    if draw(st.integers(0, 3)) == 0:
        return _nullable(draw, node)
    return node


LEAVES = leaves()


def _nullable(draw: st.DrawFn, node: dict[str, Any]) -> dict[str, Any]:
    if "type" in node and "enum" not in node and draw(st.booleans()):
        return {**node, "type": [node["type"], "null"]}
    if "enum" in node and draw(st.booleans()):
        return {**node, "type": [node["type"], "null"], "enum": [*node["enum"], None]}
    return {"anyOf": [node, {"type": "null"}]}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


@functools.cache
def nodes(cyclic: tuple[str, ...], plain: tuple[str, ...], depth: int) -> st.SearchStrategy[Any]:
    """Sub-schemas (one strategy object per arguments, so drawing stays fast)."""
    return _nodes(cyclic, plain, depth)


@st.composite
def _nodes(
    draw: st.DrawFn, cyclic: tuple[str, ...], plain: tuple[str, ...], depth: int
) -> dict[str, Any]:
    """A sub-schema; `cyclic` refs only where recursion can stop, `plain` refs anywhere."""
    kinds = ["leaf", "leaf"]
    if depth < 3:
        kinds += ["object", "array", "anyof"]
    if cyclic:
        kinds += ["cyclic", "cyclic"]
    if plain:
        kinds.append("plain")
    kind = draw(st.sampled_from(kinds))
    child = nodes(cyclic, plain, depth + 1)
    if kind == "object":
        props = draw(st.dictionaries(PROPERTY_NAMES, child, min_size=1, max_size=4))
        return _object(props)
    if kind == "array":
        node = {"type": "array", "items": draw(child), "minItems": draw(st.integers(0, 2))}
        if draw(st.booleans()):
            node["maxItems"] = node["minItems"] + draw(st.integers(0, 2))
        return node
    if kind == "anyof":
        return {"anyOf": draw(st.lists(child, min_size=2, max_size=3))}
    if kind == "plain":
        return {"$ref": draw(st.sampled_from(plain))}
    if kind == "cyclic":
        ref = {"$ref": draw(st.sampled_from(cyclic))}
        way_out = draw(st.sampled_from(["null", "array", "anyof", "typed-array"]))
        if way_out == "null":
            return {"anyOf": [ref, {"type": "null"}]}
        if way_out == "array":
            return {"type": "array", "items": ref}
        if way_out == "typed-array":
            return {"type": "array", "items": ref, "minItems": 0, "maxItems": 3}
        return {"anyOf": [ref, draw(LEAVES)]}
    return draw(LEAVES)


@st.composite
def strict_schemas(draw: st.DrawFn) -> dict[str, Any]:
    """A root object schema that strict mode accepts, often with recursive $defs."""
    names = draw(st.lists(st.sampled_from(["Node", "Tree", "Item", "Person", "list"]), unique=True))
    cyclic = (*[f"#/$defs/{n}" for n in names], "#")
    defs: dict[str, Any] = {}
    for i, name in enumerate(names):
        plain = tuple(f"#/$defs/{n}" for n in names[:i])
        props = draw(
            st.dictionaries(PROPERTY_NAMES, nodes(cyclic, plain, 1), min_size=1, max_size=4)
        )
        defs[name] = _object(props)
    plain = tuple(f"#/$defs/{n}" for n in names)
    props = draw(st.dictionaries(PROPERTY_NAMES, nodes(cyclic, plain, 1), min_size=1, max_size=4))
    schema = _object(props)
    if defs:
        schema["$defs"] = defs
    return schema
