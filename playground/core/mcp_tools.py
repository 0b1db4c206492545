"""Remote MCP tools (`type: "mcp"`, Responses only): the workspace's model of one, the tool
as the request sends it, and where its secret headers come from.

Shapes from the OpenAPI spec (MCPTool, MCPToolFilter, MCPApprovalRequest,
MCPApprovalResponse, MCPListTools, MCPToolCall; checked 2026-12-01).

Secret headers (an `Authorization` or any name core.profiles.is_credential_header flags) are
never kept in the workspace: it names them (`McpTool.secret_headers`) and the OS keyring holds
their values under `secret_entry(label, name)`. The request the app shows, saves, records in
history and exports carries `placeholder(label, name)` in their place; only the body sent
over the network has the value (services/mcp_secrets.py fills it in at send time).
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from playground.core.profiles import is_credential_header

CONNECTORS = (
    "connector_dropbox",
    "connector_gmail",
    "connector_googlecalendar",
    "connector_googledrive",
    "connector_microsoftteams",
    "connector_outlookcalendar",
    "connector_outlookemail",
    "connector_sharepoint",
)
"""MCPTool.connector_id values (spec, checked 2026-12-01)."""

_PLACEHOLDER = re.compile(r"^<from keyring: mcp/(?P<label>[^/>]*)/(?P<name>[^>]*)>$")


def secret_entry(label: str, name: str) -> str:
    """The keyring entry (services/keystore.py, service `playground-openai`) that holds the
    value of header `name` of the MCP server labelled `label`: "mcp/LABEL/NAME"."""
    return f"mcp/{label}/{name}"


def placeholder(label: str, name: str) -> str:
    """The text that stands for a secret header's value in every shown or written request:
    "<from keyring: mcp/LABEL/NAME>"."""
    return f"<from keyring: {secret_entry(label, name)}>"


def placeholder_entry(value: str) -> str | None:
    """The keyring entry a placeholder names, or None when `value` is not one."""
    m = _PLACEHOLDER.match(value)
    return secret_entry(m["label"], m["name"]) if m else None


def entry_parts(entry: str) -> tuple[str, str] | None:
    """(server label, header name) of a keyring entry "mcp/LABEL/NAME"; None for another."""
    if not entry.startswith("mcp/") or "/" not in entry[4:]:
        return None
    label, name = entry[4:].split("/", 1)
    return label, name


def env_name(label: str, name: str) -> str:
    """The environment variable exported code reads a secret header from:
    MCP_<LABEL>_<NAME>, upper case, other characters as `_` (e.g. MCP_DOCS_AUTHORIZATION)."""
    return re.sub(r"[^A-Z0-9]+", "_", f"MCP_{label}_{name}".upper()).strip("_")


class McpTool(BaseModel):
    """One remote MCP server the model may use.

    `server_url` or `connector_id` (one of CONNECTORS) says where it is. `allowed_tools`:
    None (all), a list of tool names, or the filter object `{"tool_names": [...],
    "read_only": bool}`. `require_approval`: None (not sent; the API's default is "always"),
    "always", "never", or `{"always": filter, "never": filter}` with filter objects as above.
    `headers` are sent as given and may not carry a credential; `secret_headers` are the
    names whose values live in the keyring (see the module docstring)."""

    model_config = ConfigDict(extra="forbid")

    server_label: str
    server_url: str | None = None
    connector_id: str | None = None
    server_description: str | None = None
    allowed_tools: list[str] | dict[str, Any] | None = None
    require_approval: Literal["always", "never"] | dict[str, Any] | None = None
    headers: dict[str, str] = Field(default_factory=dict)
    secret_headers: list[str] = Field(default_factory=list)
    enabled: bool = True

    @model_validator(mode="after")
    def _no_credentials_in_plain_headers(self) -> McpTool:
        """A credential header in `headers` is moved to `secret_headers` and its value
        dropped: a workspace never holds a secret (store it in the keyring)."""
        moved = [n for n in self.headers if is_credential_header(n)]
        for name in moved:
            del self.headers[name]
            if name not in self.secret_headers:
                self.secret_headers.append(name)
        return self


def mcp_tool_spec(tool: McpTool) -> dict[str, Any]:
    """The tool as Responses takes it in `tools` (spec MCPTool), secret headers as their
    placeholders. Keys in the spec's order."""
    spec: dict[str, Any] = {"type": "mcp", "server_label": tool.server_label}
    if tool.server_url is not None:
        spec["server_url"] = tool.server_url
    if tool.connector_id is not None:
        spec["connector_id"] = tool.connector_id
    if tool.server_description is not None:
        spec["server_description"] = tool.server_description
    headers = dict(tool.headers)
    for name in tool.secret_headers:
        headers[name] = placeholder(tool.server_label, name)
    if headers:
        spec["headers"] = headers
    if tool.allowed_tools is not None:
        spec["allowed_tools"] = tool.allowed_tools
    if tool.require_approval is not None:
        spec["require_approval"] = tool.require_approval
    return spec


def mcp_tool_from(raw: Any) -> McpTool | None:
    """The McpTool an `mcp` tool of a request body describes, when mcp_tool_spec gives it
    back exactly (a header value that is not a placeholder of a credential header is kept
    only when it is not a credential); else None (the caller keeps it as given, or drops a
    credential and says so)."""
    if not isinstance(raw, dict) or raw.get("type") != "mcp":
        return None
    label = raw.get("server_label")
    headers = raw.get("headers") or {}
    if not isinstance(label, str) or not isinstance(headers, dict):
        return None
    plain = {k: v for k, v in headers.items() if not is_credential_header(k)}
    secret = [k for k in headers if is_credential_header(k)]
    try:
        tool = McpTool(
            server_label=label,
            server_url=raw.get("server_url"),
            connector_id=raw.get("connector_id"),
            server_description=raw.get("server_description"),
            allowed_tools=raw.get("allowed_tools"),
            require_approval=raw.get("require_approval"),
            headers=plain,
            secret_headers=secret,
        )
    except ValueError:
        return None
    expected = {
        **raw,
        "headers": {k: placeholder(label, k) if k in secret else v for k, v in headers.items()},
    }
    if not headers:
        expected.pop("headers")
    return tool if mcp_tool_spec(tool) == expected else None


def approval_response(request_id: str, approve: bool, reason: str | None = None) -> dict[str, Any]:
    """The input item that answers an `mcp_approval_request` (spec MCPApprovalResponse):
    `{"type": "mcp_approval_response", "approval_request_id", "approve"[, "reason"]}`."""
    item: dict[str, Any] = {
        "type": "mcp_approval_response",
        "approval_request_id": request_id,
        "approve": approve,
    }
    if reason:
        item["reason"] = reason
    return item


def env_secrets(kwargs: dict[str, Any], wrap: Any) -> tuple[dict[str, Any], list[str]]:
    """`kwargs` with each MCP secret placeholder replaced by `wrap(env_name(label, name))`
    (exported Python: `Raw('os.environ["MCP_..."]')`), and the variables used, in order;
    `kwargs` itself is unchanged and returned as it is when it has no placeholder."""
    used: list[str] = []
    tools = []
    for tool in kwargs.get("tools") or ():
        headers = tool.get("headers") if isinstance(tool, dict) else None
        if isinstance(headers, dict) and tool.get("type") == "mcp":
            new = {}
            for name, value in headers.items():
                m = _PLACEHOLDER.match(value) if isinstance(value, str) else None
                if m:
                    used.append(env_name(m["label"], m["name"]))
                    new[name] = wrap(used[-1])
                else:
                    new[name] = value
            tool = {**tool, "headers": new}
        tools.append(tool)
    return ({**kwargs, "tools": tools}, used) if used else (kwargs, [])


def env_built(built: Any) -> tuple[Any, list[str]]:
    """A core.request.BuiltRequest whose MCP secret placeholders read
    `os.environ["MCP_..."]` in exported Python (pysource.Raw), and the variables used."""
    from dataclasses import replace

    from playground.core.pysource import Raw

    kwargs, used = env_secrets(built.kwargs, lambda v: Raw(f'os.environ["{v}"]'))
    return (replace(built, kwargs=kwargs) if used else built), used


def shell_secrets(text: str) -> str:
    """A single-quoted shell word (curl's `-d '...'`) with each placeholder replaced by
    `'"$MCP_..."'`, so the shell puts the variable's value there."""
    return _PLACEHOLDER_ANY.sub(lambda m: f"'\"${env_name(m['label'], m['name'])}\"'", text)


_PLACEHOLDER_ANY = re.compile(r"<from keyring: mcp/(?P<label>[^/>]*)/(?P<name>[^>]*)>")
