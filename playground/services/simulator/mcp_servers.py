"""The simulator's fake remote MCP servers: a registry by URL (or label) of servers, each with
tools (name, description, input schema), a canned result or error per tool, and optionally the
`Authorization` header value it requires.

A request's `mcp` tool (spec MCPTool) is matched by its `server_url`, else by its
`server_label`. Tests register their own servers (`Simulator.mcp_servers.add(...)`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DOCS_URL = "https://mcp.example.com/docs"
SECURE_URL = "https://mcp.example.com/secure"
SECURE_TOKEN = "sim-mcp-token"
"""The secure fake server wants `Authorization: Bearer sim-mcp-token`."""


@dataclass
class McpServerTool:
    """One tool of a fake server. `result`: the text its call returns; `error`: when set,
    the call fails with this text (an `mcp_tool_execution_error`)."""

    name: str
    description: str
    input_schema: dict[str, Any]
    result: str = '{"ok": true}'
    error: str | None = None
    read_only: bool = True

    def listed(self) -> dict[str, Any]:
        """The tool as an `mcp_list_tools` item lists it (spec MCPListToolsTool)."""
        return {
            "name": self.name,
            "description": self.description,
            "input_schema": self.input_schema,
            "annotations": {"readOnlyHint": self.read_only},
        }


@dataclass
class McpServer:
    """A fake server at `url`, labelled `label` by default. `authorization`: the exact
    `Authorization` header value it requires (None: none); without it listing fails."""

    url: str
    label: str
    tools: list[McpServerTool] = field(default_factory=list)
    authorization: str | None = None

    def tool(self, name: str) -> McpServerTool | None:
        return next((t for t in self.tools if t.name == name), None)

    def refuses(self, headers: Any) -> str | None:
        """Why the server refuses a request with `headers` (the tool's `headers` object), or
        None when it accepts it. The header name is matched without regard to case."""
        if self.authorization is None:
            return None
        given = {str(k).lower(): v for k, v in (headers or {}).items()}
        if given.get("authorization") == self.authorization:
            return None
        return (
            f"Error retrieving tool list from MCP server: '{self.label}'. "
            "Http status code: 401 (Unauthorized)"
        )


def _object(props: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": False,
    }


def default_servers() -> list[McpServer]:
    """The servers every simulator knows: `docs` (DOCS_URL: search_docs, read_page, and
    delete_page, which always fails) and `secure` (SECURE_URL: needs SECURE_TOKEN)."""
    docs = McpServer(
        DOCS_URL,
        "docs",
        [
            McpServerTool(
                "search_docs",
                "Search the documentation; returns matching page titles and URLs.",
                _object(
                    {
                        "query": {"type": "string", "description": "What to look for"},
                        "limit": {"type": "integer", "minimum": 1, "maximum": 10},
                    },
                    ["query"],
                ),
                '{"hits": [{"title": "Getting started", "url": "https://docs.example.com/start"}]}',
            ),
            McpServerTool(
                "read_page",
                "Read one documentation page as Markdown.",
                _object({"url": {"type": "string"}}, ["url"]),
                "# Getting started\n\nInstall the package, then run it.",
            ),
            McpServerTool(
                "delete_page",
                "Delete a documentation page.",
                _object({"url": {"type": "string"}}, ["url"]),
                error="permission denied: pages are read-only",
                read_only=False,
            ),
        ],
    )
    secure = McpServer(
        SECURE_URL,
        "secure",
        [
            McpServerTool(
                "get_report",
                "The quarterly report (needs authorization).",
                _object({"quarter": {"type": "string", "enum": ["Q1", "Q2", "Q3", "Q4"]}}, []),
                '{"revenue": 1200, "currency": "EUR"}',
            )
        ],
        authorization=f"Bearer {SECURE_TOKEN}",
    )
    return [docs, secure]


class McpRegistry:
    """The fake servers, by URL; `find` matches a request's `mcp` tool."""

    def __init__(self, servers: list[McpServer] | None = None) -> None:
        self._servers: dict[str, McpServer] = {}
        for server in default_servers() if servers is None else servers:
            self.add(server)

    def add(self, server: McpServer) -> None:
        """Register (or replace) the server at `server.url`."""
        self._servers[server.url] = server

    def find(self, tool: dict[str, Any]) -> McpServer | None:
        """The server an `mcp` tool names: by `server_url`, else (no URL) by its label."""
        url = tool.get("server_url")
        if isinstance(url, str):
            return self._servers.get(url.rstrip("/")) or self._servers.get(url)
        label = tool.get("server_label")
        return next((s for s in self._servers.values() if s.label == label), None)
