"""Files as diff-friendly JSON that keep the order of JSON the user wrote.

The keys of the app's own models are sorted (stable diffs in git); every plain dict inside a model
(a schema, tool parameters, `extra_body`, metadata, raw parts and extra tools, headers) is user
JSON and keeps its key order: property order changes what structured outputs generate
(platform.openai.com/docs/guides/structured-outputs, "Key ordering", checked 2026-11-30).
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel


def ordered(model: BaseModel) -> dict[str, Any]:
    """`model.model_dump(mode="json")` with the model's own keys sorted, user dicts as they are."""
    out: dict[str, Any] = _walk(model, model.model_dump(mode="json"))
    return out


def dumps(model: BaseModel) -> str:
    """Two-space indented JSON of `ordered(model)`, with a final newline."""
    return json.dumps(ordered(model), indent=2) + "\n"


def _walk(value: Any, dumped: Any) -> Any:
    if isinstance(value, BaseModel) and isinstance(dumped, dict):
        return {k: _walk(getattr(value, k, None), dumped[k]) for k in sorted(dumped)}
    if isinstance(value, list | tuple) and isinstance(dumped, list):
        return [_walk(v, d) for v, d in zip(value, dumped, strict=False)]
    if isinstance(value, dict) and isinstance(dumped, dict):
        return {k: _walk(value.get(k), d) for k, d in dumped.items()}
    return dumped
