"""Workspace file migrations: older schema versions are brought up to the current one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playground.core.workspace import SCHEMA_VERSION


class NewerFormatError(ValueError):
    """The file was written by a newer version of the app."""


def _v0_to_v1(data: dict[str, Any]) -> dict[str, Any]:
    # Version 0: hand-written files with no schema_version and the instructions under "system".
    out = dict(data)
    if "system" in out and "instructions" not in out:
        out["instructions"] = out.pop("system")
    return out


# from version N to N + 1
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: _v0_to_v1}


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """`data` at the current schema version."""
    version = data.get("schema_version", 0)
    if not isinstance(version, int) or version < 0:
        raise ValueError(f"schema_version must be a whole number, not {version!r}")
    if version > SCHEMA_VERSION:
        raise NewerFormatError(
            f"schema_version {version} was written by a newer Playground "
            f"(this one reads up to {SCHEMA_VERSION})"
        )
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    return {**data, "schema_version": SCHEMA_VERSION}
