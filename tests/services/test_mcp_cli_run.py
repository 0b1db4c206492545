"""`playground run` fills an MCP server's secret header from the keyring on the wire only."""

from __future__ import annotations

from typing import Any

import pytest

from playground import cli_run
from playground.core.mcp_tools import McpTool
from playground.core.profiles import ProviderProfile
from playground.core.workspace import Message, Workspace
from playground.services import keystore
from playground.services.simulator import Simulator
from playground.services.simulator.mcp_servers import SECURE_TOKEN, SECURE_URL
from tests.conftest import run
from tests.services.test_keystore import MemoryKeyring

SECRET = f"Bearer {SECURE_TOKEN}"


def test_cli_run_sends_the_keyring_value(
    simulator: Simulator, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    ring = MemoryKeyring()
    ring.set_password(keystore.SERVICE, "mcp/secure/Authorization", SECRET)
    real = keystore.KeyStore
    monkeypatch.setattr(keystore, "KeyStore", lambda: real(ring))
    tool = McpTool(
        server_label="secure",
        server_url=SECURE_URL,
        secret_headers=["Authorization"],
        require_approval="never",
    )
    ws = Workspace(model="gpt-4.1-mini", messages=[Message(content="get_report")], mcp_tools=[tool])
    profile = ProviderProfile(name="sim", kind="custom", base_url=simulator.base_url)
    target = cli_run.Target(profile, True, None)
    code = run(cli_run._run_async(ws, target, "sk-test", as_json=False))
    assert code == 0
    assert simulator.bodies()[-1]["tools"][0]["headers"] == {"Authorization": SECRET}
    assert "ran `get_report`" in capsys.readouterr().out
