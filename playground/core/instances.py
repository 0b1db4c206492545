"""Small JSON values that validate against a JSON Schema: the simulator's structured answers and
tool arguments, and the schema editor's example.

Handles what OpenAI's strict mode accepts (platform.openai.com/docs/guides/structured-outputs,
"Supported schemas", checked 2026-11-30): objects, arrays (`minItems`/`maxItems`), strings
(`pattern`, `format`), numbers and integers (bounds, `multipleOf`), booleans, null, `enum`,
`const`, `anyOf`, type unions such as `["string", "null"]`, and `$ref` to `$defs` or to `#`
(recursion). Recursion always ends: each `$ref` may be expanded a couple of times on a path, then
every choice takes the branch that ends soonest (null, an empty array, the branch with the
fewest further `$ref` expansions), computed ahead as a rank per `$ref`.
A schema with no finite instance (a property that must hold itself) gets null at the cut.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from typing import Any

from playground.core.regex_sample import sample

INF = math.inf
RECURSION = 2  # expansions of one $ref on a path before taking the shortest way out
MAX_NODES = 5_000  # values generated before every choice takes the shortest way out
_FORMATS = {
    "date": "2026-01-15",
    "date-time": "2026-01-15T09:30:00Z",
    "time": "09:30:00Z",
    "duration": "P1D",
    "email": "ada@example.com",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "uri": "https://example.com",
    "uuid": "123e4567-e89b-12d3-a456-426614174000",
}


def instance(schema: Any, text: str = "example") -> Any:
    """A small value valid against `schema`; plain strings read `text` where they may.

    Never raises; a `$ref` that does not resolve stands for any value (null).
    """
    return _Generator(schema, text).value(schema, Counter())


def pointer(root: Any, ref: str) -> Any:
    """The node a local `$ref` (`#`, `#/$defs/Name`, any JSON pointer) names; None if none."""
    if not ref.startswith("#"):
        return None
    node = root
    for raw in ref[1:].split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref
        for child in node.values():
            yield from _refs(child)
    elif isinstance(node, list):
        for child in node:
            yield from _refs(child)


def _types(node: dict[str, Any]) -> list[str]:
    t = node.get("type")
    if isinstance(t, list):
        return [str(x) for x in t]
    if isinstance(t, str):
        return [t]
    if "properties" in node:
        return ["object"]
    if "items" in node or "prefixItems" in node:
        return ["array"]
    return []


class _Generator:
    def __init__(self, root: Any, text: str) -> None:
        self.root = root
        self.text = text
        self.nodes = 0
        self.ranks: dict[str, float] = {}
        refs = set(_refs(root))
        for _ in range(len(refs) + 1):  # a least fixed point: each round settles one more $ref
            new = {r: self.rank(pointer(root, r)) for r in refs}
            if new == self.ranks:
                break
            self.ranks = new

    def rank(self, node: Any) -> float:
        """How many $ref expansions the shortest valid value of `node` needs (INF: none ends)."""
        if node is False:
            return INF
        if not isinstance(node, dict):
            return 0
        ref = node.get("$ref")
        if isinstance(ref, str):
            return self.ranks.get(ref, INF) + 1 if pointer(self.root, ref) is not None else 0
        if "const" in node or node.get("enum"):
            return 0
        for key in ("anyOf", "oneOf"):
            if isinstance(node.get(key), list) and node[key]:
                return min(self.rank(b) for b in node[key])
        if isinstance(node.get("allOf"), list) and node["allOf"]:
            rest = {k: v for k, v in node.items() if k != "allOf"}
            return max(self.rank(rest), *(self.rank(p) for p in node["allOf"]))
        types = _types(node)
        if len(types) > 1:
            return min(self.rank({**node, "type": t}) for t in types)
        if types == ["object"]:
            props = node.get("properties") or {}
            required = [props.get(p, True) for p in node.get("required") or []]
            return max((self.rank(p) for p in required), default=0)
        if types == ["array"]:
            return self.rank(node.get("items", True)) if node.get("minItems", 0) > 0 else 0
        return 0

    def value(self, node: Any, path: Counter[str]) -> Any:
        self.nodes += 1
        if not isinstance(node, dict):
            return None
        short = self.nodes > MAX_NODES or any(n >= RECURSION for n in path.values())
        ref = node.get("$ref")
        if isinstance(ref, str):
            target = pointer(self.root, ref)
            if target is None or (short and self.rank(node) == INF) or path[ref] > 50:
                return None
            return self.value(target, path + Counter({ref: 1}))
        if "const" in node:
            return node["const"]
        if isinstance(node.get("enum"), list) and node["enum"]:
            return next((v for v in node["enum"] if v is not None), node["enum"][0])
        for key in ("anyOf", "oneOf"):
            if isinstance(node.get(key), list) and node[key]:
                return self.value(self._choose(node[key], short), path)
        if isinstance(node.get("allOf"), list) and node["allOf"]:
            if short and self.rank(node) == INF:
                return None
            merged, refs = self._merge(node)
            return self.value(merged, path + Counter(refs))
        types = _types(node)
        if len(types) > 1:
            options = [{**node, "type": t} for t in types]
            return self.value(self._choose(options, short), path)
        kind = types[0] if types else None
        if kind == "object":
            return self._object(node, path, short)
        if kind == "array":
            return self._array(node, path, short)
        if kind == "string":
            return self._string(node)
        if kind in ("integer", "number"):
            return _number(node, kind == "integer")
        if kind == "boolean":
            return True
        return None

    def _merge(self, node: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        """`allOf` (not in strict mode; older pydantic writes `allOf: [{$ref}]`) as one schema:
        properties and required joined, other keywords from the first part that has them."""
        out = {k: v for k, v in node.items() if k != "allOf"}
        refs: list[str] = []
        for part in node["allOf"]:
            if isinstance(part, dict) and isinstance(part.get("$ref"), str):
                refs.append(part["$ref"])
                part = pointer(self.root, part["$ref"])
            if not isinstance(part, dict):
                continue
            for key, value in part.items():
                if key == "properties" and isinstance(value, dict):
                    out["properties"] = {**(out.get("properties") or {}), **value}
                elif key == "required" and isinstance(value, list):
                    out["required"] = list(dict.fromkeys([*(out.get("required") or []), *value]))
                elif key not in ("allOf", "$ref"):
                    out.setdefault(key, value)
        return out, refs

    def _choose(self, options: list[Any], short: bool) -> Any:
        """The first option that is not null and ends; the one that ends soonest when short."""
        ranks = [self.rank(o) for o in options]
        best = min(ranks)
        order = sorted(range(len(options)), key=lambda i: _is_null(options[i]))
        for i in order:
            if ranks[i] < INF and (not short or ranks[i] == best):
                return options[i]
        return options[0]

    def _object(self, node: dict[str, Any], path: Counter[str], short: bool) -> dict[str, Any]:
        props: dict[str, Any] = node.get("properties") or {}
        required = set(node.get("required") or [])
        out: dict[str, Any] = {}
        for name, sub in props.items():
            if name in required or (not short and self.rank(sub) < INF):
                out[name] = self.value(sub, path)
        for name in node.get("required") or []:
            if name not in out and node.get("additionalProperties") is not False:
                extra = node.get("additionalProperties")
                out[str(name)] = self.value(extra, path) if isinstance(extra, dict) else None
        return out

    def _array(self, node: dict[str, Any], path: Counter[str], short: bool) -> list[Any]:
        low = int(node.get("minItems", 0))
        high = node.get("maxItems")
        items = node.get("items", {})
        ends = self.rank(items) < INF
        count = low if short or not ends else max(low, 1)
        if isinstance(high, int):
            count = min(count, high)
        prefix = node.get("prefixItems")
        prefix = prefix if isinstance(prefix, list) else []
        out = [self.value(p, path) for p in prefix[:count]]
        out += [self.value(items, path) for _ in range(count - len(out))]
        return out

    def _string(self, node: dict[str, Any]) -> str:
        low = int(node.get("minLength", 0))
        high = node.get("maxLength")
        pattern = node.get("pattern")
        if isinstance(pattern, str):
            found = sample(pattern, low)
            if found is not None:
                return found
        text = _FORMATS.get(str(node.get("format")), self.text)
        text = text.ljust(low, "x")
        return text[:high] if isinstance(high, int) else text


def _is_null(node: Any) -> bool:
    return isinstance(node, dict) and node.get("type") == "null"


def _number(node: dict[str, Any], integer: bool) -> int | float:
    """The smallest allowed value at or above 1 (or at the lower bound), a multiple of the step."""
    step: float | None = node.get("multipleOf")
    lows = [(node.get("minimum"), False), (node.get("exclusiveMinimum"), True)]
    highs = [(node.get("maximum"), False), (node.get("exclusiveMaximum"), True)]
    low, low_open = max(((v, o) for v, o in lows if v is not None), default=(None, False))
    high, high_open = min(
        ((v, o) for v, o in highs if v is not None),
        key=lambda pair: (pair[0], not pair[1]),
        default=(None, False),
    )
    if high is None or (low is None and high > 1):
        low, low_open = (1, False) if low is None else (low, low_open)
    unit: float | None = step if step is not None else (1 if integer else None)
    if unit is None:
        if low is None:
            return float(high or 0) - 1
        value = float(low)
        if low_open:
            value = low + 1 if high is None else (low + high) / 2
        return value
    k = 0
    if low is not None:
        k = math.ceil(low / unit)
        if low_open and k * unit <= low:
            k += 1
    if high is not None and (low is None or k * unit > high or (high_open and k * unit >= high)):
        k = math.floor(high / unit)
        if high_open and k * unit >= high:
            k -= 1
    value = float(k * unit)
    return round(value) if integer or isinstance(unit, int) else value
