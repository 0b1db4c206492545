"""MCP servers' secret headers, filled in at send time from the OS keyring.

The request the app shows and keeps (Raw pane, history, exports, the response cache's key)
carries `core.mcp_tools.placeholder(label, name)` for each secret header; `filled` gives the
keyword arguments actually sent, with each placeholder replaced by the keyring's value
(entry `core.mcp_tools.secret_entry(label, name)`). A header whose value the keyring does not
have is left out, so the server answers as it does to a request without it; `missing` names
those headers so the headless commands can say so. The headless commands also read a value
from the environment variable exported code reads (`core.mcp_tools.env_name`), before the
keyring (`headless_lookup`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import Any

from playground.core.mcp_tools import entry_parts, env_name, placeholder_entry
from playground.services.logs import redact_also

Lookup = Callable[[str], str | None]
"""(keyring entry name) -> its value or None: `KeyStore.get`."""


def _entries(kwargs: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for tool in kwargs.get("tools") or ():
        if isinstance(tool, dict) and tool.get("type") == "mcp":
            for value in (tool.get("headers") or {}).values():
                entry = placeholder_entry(value) if isinstance(value, str) else None
                if entry:
                    found.add(entry)
    return found


def keyring_lookup() -> Lookup:
    """The OS keyring's values by entry name, for the headless commands: the keyring is
    opened on the first lookup (a request without secret headers never opens it)."""
    store: list[Any] = []

    def lookup(entry: str) -> str | None:
        if not store:
            from playground.services.keystore import KeyStore

            store.append(KeyStore())
        value = store[0].get(entry)
        return value if isinstance(value, str) else None

    return lookup


def headless_lookup(environ: Mapping[str, str]) -> Lookup:
    """The headless commands' lookup: the environment variable `MCP_<LABEL>_<HEADER>`
    (core.mcp_tools.env_name, the one exported code reads) when it is set and not empty, else
    the OS keyring (opened only when a variable is missing)."""
    ring = keyring_lookup()

    def lookup(entry: str) -> str | None:
        parts = entry_parts(entry)
        if parts is not None and (value := environ.get(env_name(*parts))):
            return value
        return ring(entry)

    return lookup


async def missing(kwargs: dict[str, Any], lookup: Lookup | None) -> list[tuple[str, str]]:
    """The secret headers of `kwargs`' MCP tools that `lookup` has no value for, as (server
    label, header name), sorted; the values found are never returned."""
    gaps = []
    for entry in sorted(_entries(kwargs)):
        value = await asyncio.to_thread(lookup, entry) if lookup else None
        if not value and (parts := entry_parts(entry)) is not None:
            gaps.append(parts)
    return gaps


async def filled(kwargs: dict[str, Any], lookup: Lookup | None) -> dict[str, Any]:
    """`kwargs` (request keyword arguments) with MCP secret placeholders replaced by their
    keyring values (read off the event loop); `kwargs` itself is unchanged, and returned as
    it is when it has no placeholder. Without `lookup` every placeholder header is dropped."""
    entries = _entries(kwargs)
    if not entries:
        return kwargs
    values: dict[str, str | None] = {}
    for wanted in sorted(entries):
        values[wanted] = await asyncio.to_thread(lookup, wanted) if lookup else None
    for value in values.values():
        if value:
            redact_also(value)  # never in the log
    tools = []
    for tool in kwargs["tools"]:
        if isinstance(tool, dict) and tool.get("type") == "mcp" and tool.get("headers"):
            headers: dict[str, Any] = {}
            for name, value in tool["headers"].items():
                entry = placeholder_entry(value) if isinstance(value, str) else None
                if entry is None:
                    headers[name] = value
                elif secret := values.get(entry):
                    headers[name] = secret
            tool = {**tool, "headers": headers}
        tools.append(tool)
    return {**kwargs, "tools": tools}
