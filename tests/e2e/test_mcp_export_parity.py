"""Parity for MCP tools: exported Python (async and sync) and curl, run against the simulator,
send the body the app sends (its secret header read from MCP_<LABEL>_<NAME> in the
environment, never written in the code), including an approval round; JSON shows the
placeholder. Import of the exported JSON gives the tool back editable."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from playground.core import request
from playground.core.export import export
from playground.core.importer import from_body
from playground.core.mcp_tools import McpTool, approval_response
from playground.core.profiles import ProviderProfile
from playground.core.workspace import Message, Workspace
from playground.services.mcp_secrets import filled
from playground.services.simulator import Simulator
from playground.services.simulator.mcp_servers import DOCS_URL, SECURE_TOKEN, SECURE_URL

SECRET = f"Bearer {SECURE_TOKEN}"
SECURE = McpTool(
    server_label="secure",
    server_url=SECURE_URL,
    secret_headers=["Authorization"],
    require_approval="never",
    headers={"X-Trace": "1"},
)
DOCS = McpTool(server_label="docs", server_url=DOCS_URL, allowed_tools=["read_page"])
LISTING = {
    "type": "mcp_list_tools",
    "id": "mcpl_1",
    "server_label": "docs",
    "tools": [{"name": "read_page", "input_schema": {"type": "object"}}],
}
REQUEST = {
    "type": "mcp_approval_request",
    "id": "mcpr_1",
    "server_label": "docs",
    "name": "read_page",
    "arguments": '{"url": "https://docs.example.com/start"}',
}


def cases() -> list[tuple[str, Workspace]]:
    user = [Message(content="get_report for Q3")]
    rounds = [
        Message(content="read_page please"),
        Message(role="assistant", item=LISTING),
        Message(role="assistant", item=REQUEST),
        Message(role="user", item=approval_response("mcpr_1", True)),
    ]
    return [
        ("mcp-secret-header", Workspace(model="gpt-4.1-mini", messages=user, mcp_tools=[SECURE])),
        (
            "mcp-approval-round",
            Workspace(model="gpt-4.1-mini", messages=rounds, mcp_tools=[DOCS], stream=False),
        ),
    ]


@pytest.mark.parametrize("fmt", ["python", "python-sync", "curl"])
def test_exported_programs_send_the_apps_wire_body(
    simulator: Simulator, tmp_path: Path, fmt: str
) -> None:
    if fmt == "curl" and shutil.which("curl") is None:
        pytest.fail("curl is not installed (.ci/run installs it)")
    profile = ProviderProfile(name="sim", base_url=simulator.base_url)
    env = {**os.environ, "OPENAI_API_KEY": "sk-parity", "MCP_SECURE_AUTHORIZATION": SECRET}
    for name, ws in cases():
        simulator.reset()
        code = export(ws, fmt, profile)  # type: ignore[arg-type]
        assert SECRET not in code and SECURE_TOKEN not in code, name
        if fmt == "curl":
            args = ["bash", "-c", code.replace("\\\n", " ")]
        else:
            script = tmp_path / f"{name}.py"
            script.write_text(code)
            args = [sys.executable, str(script)]
        proc = subprocess.run(args, capture_output=True, text=True, timeout=60, env=env)
        assert proc.returncode == 0, f"{name}: {proc.stderr[-2000:]}"
        built = request.build(ws)
        wire = asyncio.run(filled(built.kwargs, {"mcp/secure/Authorization": SECRET}.get))
        want = {k: v for k, v in wire.items() if k != "extra_body"}
        assert simulator.bodies() == [want], name
        assert proc.stdout.strip(), f"{name}: printed nothing"


def test_json_shows_the_placeholder_and_imports_back_editable() -> None:
    for name, ws in cases():
        text = export(ws, "json")
        assert SECRET not in text, name
        back = from_body(__import__("json").loads(text)).workspace
        assert back.mcp_tools == ws.mcp_tools, name
        assert [m.item for m in back.messages if m.item] == [m.item for m in ws.messages if m.item]
