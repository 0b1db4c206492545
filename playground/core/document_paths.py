"""Paths into a workspace and the values at them, for the Document (core/document.py).

Paths are dotted field names with list indexes: "instructions", "params.temperature",
"messages[2].content", "tools[0].parameters". `get_at` reads the value at a path, `set_at`
returns a copy with a new value there (validated by the field's own type); a path that names no
field, or a value its field refuses, raises PathError with the reason in words.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

_PART = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


class PathError(ValueError):
    """A path that names no field of the workspace (`path`), or a value its field refuses."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path


def parse_path(path: str) -> list[str | int]:
    """ "messages[2].content" -> ["messages", 2, "content"]. Raises PathError."""
    parts: list[str | int] = []
    for piece in path.split("."):
        matches = list(_PART.finditer(piece))
        if not piece or "".join(m.group(0) for m in matches) != piece:
            raise PathError(path, "not a field path")
        for m in matches:
            parts.append(m.group(1) if m.group(1) else int(m.group(2)))
    return parts


@cache
def _adapter(owner: type[BaseModel], name: str) -> TypeAdapter[Any]:
    annotation = owner.model_fields[name].annotation
    return TypeAdapter(annotation if annotation is not None else Any)


def get_at(node: Any, parts: list[str | int], path: str = "") -> Any:
    """The value at `parts` under `node`. Raises PathError."""
    for part in parts:
        try:
            node = (
                node[part]
                if isinstance(part, int) or isinstance(node, dict)
                else (getattr(node, part) if part in type(node).model_fields else node[part])
            )
        except (KeyError, IndexError, TypeError, AttributeError):
            raise PathError(path, f"no {part!r} there") from None
    return node


def plain_reason(exc: ValidationError) -> str:
    """What is wrong with a value, in words: pydantic's message for the first error, with
    where in the value it is ("item 1: Input should be a valid string"), never its title
    line ("1 validation error for nullable[float]"). Booleans and objects are named as JSON
    names them."""
    err = exc.errors(include_url=False)[0]
    where = ".".join(f"item {p}" if isinstance(p, int) else str(p) for p in err["loc"])
    msg = str(err["msg"]).replace("a valid boolean", "true or false")
    msg = msg.replace("a valid dictionary", "a JSON object")
    return f"{where}: {msg}" if where else msg


def set_at(node: Any, parts: list[str | int], value: Any, path: str = "") -> Any:
    """A copy of `node` with `value` at `parts` (validated against the field's type when the
    last step is a model field); nothing is changed in place. Raises PathError."""
    if not parts:
        return value
    head, rest = parts[0], parts[1:]
    if isinstance(node, BaseModel) and isinstance(head, str):
        if head not in type(node).model_fields:
            raise PathError(path, f"{type(node).__name__} has no field {head!r}")
        inner = set_at(getattr(node, head), rest, value, path)
        if not rest:
            try:
                inner = _adapter(type(node), head).validate_python(inner)
            except ValidationError as exc:
                raise PathError(path, plain_reason(exc)) from None
        return node.model_copy(update={head: inner})
    if isinstance(node, list) and isinstance(head, int):
        if not 0 <= head < len(node):
            raise PathError(path, f"no item {head}")
        out = list(node)
        out[head] = set_at(node[head], rest, value, path)
        return out
    if isinstance(node, dict):
        return {**node, head: set_at(node.get(head), rest, value, path)}
    raise PathError(path, f"cannot go into {type(node).__name__} with {head!r}")
