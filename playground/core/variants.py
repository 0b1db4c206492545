"""Variants of a request, for Compare: a variant is a set of overrides on a workspace.

An override names a Document path ("model", "api", "profile", "instructions",
"params.temperature", ...) and the value it takes in this variant. `apply` gives the
workspace a variant runs; `differences` what it changes, for the column header; `parse`
reads the CLI's `KEY=VALUE` form, where a parameter may be named by its field alone
(`temperature=0.2`).
"""

from __future__ import annotations

import json
from typing import Any

from playground.core.document_paths import PathError, get_at, parse_path, set_at
from playground.core.params import declarations
from playground.core.workspace import Variant as Variant  # re-exported: it lives in the file
from playground.core.workspace import Workspace

# Workspace fields a variant may set besides the parameters.
TOP_LEVEL = ("model", "api", "profile", "instructions", "stream", "extra_body")


def apply(ws: Workspace, variant: Variant) -> Workspace:
    """The workspace `variant` runs: `ws` with each override set (validated against the
    field's type). Raises PathError naming the override that does not fit."""
    out = ws
    for path, value in variant.overrides.items():
        out = set_at(out, parse_path(path), value, path)
    return out


def differences(ws: Workspace, variant: Variant) -> list[tuple[str, Any, Any]]:
    """(path, base value, variant value) for each override that changes something."""
    out = []
    for path, value in variant.overrides.items():
        base = get_at(ws, parse_path(path), path)
        applied = get_at(apply(ws, Variant(key="_", overrides={path: value})), parse_path(path))
        if applied != base:
            out.append((path, base, applied))
    return out


def parse(text: str) -> tuple[str, Any]:
    """ "temperature=0.2" -> ("params.temperature", 0.2); "model=gpt-5.4" -> ("model",
    "gpt-5.4"). The value is read as JSON when it is JSON, else kept as text. Raises
    PathError for a key that is neither a workspace field above nor a parameter."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise PathError(text, "expected KEY=VALUE")
    if key in declarations():
        key = f"params.{key}"
    elif key not in TOP_LEVEL and not key.startswith("params."):
        raise PathError(key, "not a parameter or one of " + ", ".join(TOP_LEVEL))
    try:
        value: Any = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    parse_path(key)
    return key, value
