"""Which `Parameters` field a server means when its error names a request field (`param`).

A server's 400 names the offending field by its path in the body it received: "temperature",
"reasoning.effort" (Responses), "reasoning_effort" (Chat), "text.verbosity", "max_tokens",
"include[0]", "tools[1].parameters", "messages.[3].role" (openai-protocol.md sections 4 and 6,
checked 2026-11-30). The params panel marks the control of that field, and learned rules
(core/learned.py) remember it under the field's name.
"""

from __future__ import annotations

import re

from playground.core.params import any_wire
from playground.core.workspace import Parameters

FUNCTION_TOOLS = "function_tools"
"""The pseudo parameter for the request's function tools (`tools`), which no row edits."""

# Paths the parameter declarations (core.params) do not name: the whole reasoning object,
# an older name of the summary, and the tools.
_RENAMED = {
    "reasoning": "reasoning_effort",
    "reasoning.generate_summary": "reasoning_summary",
    "tools": FUNCTION_TOOLS,
}
# Fields of Parameters that are names of the request, not sent values.
_NOT_SENT = frozenset({"max_tokens_name"})
_INDEX = re.compile(r"\.?\[\d*\]")


def fields() -> frozenset[str]:
    """The Parameters fields a server's `param` can name."""
    return frozenset(Parameters.model_fields) - _NOT_SENT


def wire_path(param: str) -> str:
    """`param` without list indexes: "tools[1].parameters" and "messages.[3].role" become
    "tools.parameters" and "messages.role"."""
    return _INDEX.sub("", param.strip())


def field_for_wire(param: str | None) -> str | None:
    """The Parameters field (or "function_tools") a server's `param` names, else None.

    The whole path is looked up first ("reasoning.effort"), then its first part
    ("metadata.key" -> metadata, "tools.parameters" -> function_tools). A path whose first
    part is no parameter ("text.format", "messages.role") names none, whatever it ends in."""
    if not param:
        return None
    path = wire_path(param)
    known = fields()
    for candidate in (path, path.split(".")[0]):
        name = _RENAMED.get(candidate) or any_wire(candidate) or candidate
        if name in known or name == FUNCTION_TOOLS:
            return name
    return None


# Request fields that are not parameters, by their path in either API's body, and the
# workspace field that holds them (openai-protocol.md sections 4 and 6; spec 2.3.0,
# CreateResponse and CreateChatCompletionRequest, checked 2026-11-30).
_WORKSPACE_FIELDS = {
    "model": "model",
    "instructions": "instructions",
    "input": "messages",
    "messages": "messages",
    "text.format": "output_format",
    "response_format": "output_format",
    "tool_choice": "tool_choice",
    "tools": "tools",
    "functions": "tools",
    "stream": "stream",
    "stream_options": "stream_usage",
}


def workspace_field(param: str | None) -> str | None:
    """The workspace field path (core.document's form) a server's `param` names, else None.

    Parameters are "params.<field>", found from their declared wire names in both APIs
    (core.params): "reasoning.effort" and "reasoning_effort" -> "params.reasoning_effort",
    "max_tokens" -> "params.max_output_tokens". Other request fields map to the field that
    holds them: "text.format.schema" and "response_format" -> "output_format",
    "tools[1].parameters" -> "tools", "input[2].content" -> "messages". A path of no known
    field ("foo.bar") is None.
    """
    if not param:
        return None
    path = wire_path(param)
    for candidate in (path, ".".join(path.split(".")[:2]), path.split(".")[0]):
        if candidate in _WORKSPACE_FIELDS:
            return _WORKSPACE_FIELDS[candidate]
    name = field_for_wire(param)
    if name is None:
        return None
    return "tools" if name == FUNCTION_TOOLS else f"params.{name}"
