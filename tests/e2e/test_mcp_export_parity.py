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


@pytest.mark.parametrize("fmt", ["python", "python-sync", "curl"])
def test_every_export_imports_back_with_the_server_and_its_secret_header(fmt: str) -> None:
    from playground.core.import_sources import import_text

    for name, ws in cases():
        result = import_text(export(ws, fmt))  # type: ignore[arg-type]
        assert result.workspace.mcp_tools == ws.mcp_tools, (name, result.notes)
        assert SECRET not in result.workspace.to_json(), name
    code = export(cases()[0][1], fmt)  # type: ignore[arg-type]
    if fmt != "curl":
        assert "# Set MCP_SECURE_AUTHORIZATION in the environment" in code


def test_an_environment_read_elsewhere_is_named_and_not_imported() -> None:
    from playground.core.import_sources import import_text

    code = (
        "import os\nfrom openai import OpenAI\nclient = OpenAI()\n"
        'client.responses.create(model=os.environ["MODEL"], input="hi", tools=[{"type": "mcp",'
        ' "server_label": "x", "server_url": "https://x", "headers": {"X-Tenant":'
        ' os.getenv("TENANT"), "Authorization": os.environ.get("TOKEN")}}])\n'
    )
    result = import_text(code)
    assert result.workspace.mcp_tools[0].secret_headers == ["Authorization"]
    assert result.workspace.mcp_tools[0].headers == {}
    notes = "\n".join(result.notes)
    assert "model: read from the environment variable MODEL; not imported" in notes
    assert "X-Tenant: read from the environment variable TENANT; not imported" in notes
    assert "TOKEN; kept as a secret header" in notes


@pytest.mark.parametrize("fmt", ["python", "python-sync"])
@pytest.mark.parametrize("answer", ["y", "n"])
def test_the_tool_loop_program_asks_before_an_mcp_call(
    simulator: Simulator, tmp_path: Path, fmt: str, answer: str
) -> None:
    profile = ProviderProfile(name="sim", base_url=simulator.base_url)
    ws = Workspace(
        model="gpt-4.1-mini", messages=[Message(content="read_page please")], mcp_tools=[DOCS]
    )
    script = tmp_path / "loop.py"
    script.write_text(export(ws, fmt, profile, tool_loop=True))  # type: ignore[arg-type]
    env = {**os.environ, "OPENAI_API_KEY": "sk-parity"}
    args = [sys.executable, str(script)]
    proc = subprocess.run(
        args, input=answer + "\n", capture_output=True, text=True, timeout=60, env=env
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Allow docs to run read_page(" in proc.stdout
    sent = [item for body in simulator.bodies() for item in body.get("input", [])]
    answers = [i for i in sent if isinstance(i, dict) and i.get("type") == "mcp_approval_response"]
    assert [a["approve"] for a in answers] == [answer == "y"]
    said = "ran `read_page`" if answer == "y" else "was not approved"
    assert said in proc.stdout
