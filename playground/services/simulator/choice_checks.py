"""The API's 400 for a value a "choice" parameter does not list (service_tier "turbo").

The values are the parameter declarations' (core.params `Param.choices_in`, from the spec's
enums: ServiceTier, ServiceTierResponses, ReasoningEffort, Verbosity, Reasoning.summary; spec
2.3.0, checked 2026-12-01). The message is the API's enum refusal, as it answers an unknown
message role (checks.CHAT_ROLES): "Invalid value: 'x'. Supported values are: 'a', and 'b'."
with code invalid_value and the body path as param.
"""

from __future__ import annotations

from typing import Any

from playground.core.choice_refs import missing_tool
from playground.core.params import declarations, get_path
from playground.services.simulator.protocol import SimError, english_list


def check_choices(body: dict[str, Any], api: str) -> None:
    """Raise SimError 400 (invalid_value) for the first declared "choice" parameter of `api`
    ("chat" or "responses") whose string value in `body` is not one the API lists."""
    for decl in declarations().values():
        wire = decl.wire.get(api)
        allowed = decl.choices_in(api)
        if decl.kind != "choice" or wire is None or not allowed:
            continue
        present, value = get_path(body, wire)
        if present and isinstance(value, str) and value not in allowed:
            raise SimError(
                400,
                f"Invalid value: '{value}'. Supported values are: {english_list(allowed)}.",
                param=wire,
                code="invalid_value",
            )


_NOT_WITHOUT_TOOLS = (
    "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified."
)
"""Chat's refusal of a tool_choice with no tools (quoted in dapr/dapr-agents issue 248 from
the live API, 2025-11-02; checked 2026-12-01)."""


def check_tool_choice(body: dict[str, Any], api: str) -> None:
    """Raise SimError 400 (param `tool_choice`) for a tool_choice that names a tool the
    request's `tools` does not have: a function or custom tool by name, an MCP server by
    label, a hosted tool by type, or any tool of an `allowed_tools` list; and on Chat for a
    tool_choice sent without tools. The wording for a missing tool is the simulator's own,
    in the API's form "Tool choice 'X' not found in 'tools' parameter." (not quoted)."""
    choice = body.get("tool_choice")
    if choice is None:
        return
    raw = body.get("tools")
    tools: list[Any] = raw if isinstance(raw, list) else []
    if not tools:
        if api == "chat":
            raise SimError(400, _NOT_WITHOUT_TOOLS, param="tool_choice", code=None)
        if choice in ("none", "auto"):
            return
    shown = missing_tool(choice, tools)
    if shown is not None:
        raise SimError(
            400,
            f"Tool choice '{shown}' not found in 'tools' parameter.",
            param="tool_choice",
            code=None,
        )
