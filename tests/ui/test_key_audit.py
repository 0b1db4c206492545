"""The marker-key audit: a unique key goes in by every way a user can put one in (the Providers
dialog's key and headers fields, pasting curl and Python into the window, importing them on the
command line, extra headers, environment variables, CLI flags), the app runs, records history,
autosaves, exports and logs; then every file it wrote is searched for each key: 0 hits."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtGui import QGuiApplication

from playground.core.export import FORMATS
from playground.core.workspace import Message, Workspace
from playground.services.keystore import KeyStore
from playground.services.logs import close_logging, setup_logging
from playground.services.simulator import Simulator
from playground.services.simulator.mcp_servers import McpServer, McpServerTool
from playground.ui.app import Playground
from tests.services.test_keystore import MemoryKeyring
from tests.ui.conftest import App

# One marker per way in, so a hit says which way leaked.
KEYS = {
    "dialog key field": "sk-MARKER-dialog-key-5e1f0b7c",
    "dialog headers field (Authorization)": "sk-MARKER-dialog-bearer-93ad",
    "dialog headers field (api-key)": "a1b2c3d4e5f60718293a4b5c6d7e8f90",
    "dialog headers field, moved": "b1b2c3d4e5f60718293a4b5c6d7e8f90",
    "dialog base URL (?api-key=)": "sk-MARKER-dialog-url-query-6a",
    "dialog query parameters (key=)": "sk-MARKER-dialog-query-field-0c",
    "pasted curl (Authorization)": "sk-MARKER-curl-bearer-4c2d",
    "pasted curl (api-key)": "c1b2c3d4e5f60718293a4b5c6d7e8f90",
    "pasted curl (x-api-key)": "sk-MARKER-curl-x-api-key-77",
    "pasted curl (Ocp-Apim-Subscription-Key)": "d1b2c3d4e5f60718293a4b5c6d7e8f90",
    "pasted Python (api_key=)": "sk-MARKER-python-api-key-0e",
    "pasted Python (default_headers)": "e1b2c3d4e5f60718293a4b5c6d7e8f90",
    "pasted Python (AzureOpenAI)": "f1b2c3d4e5f60718293a4b5c6d7e8f90",
    "environment (OPENAI_API_KEY)": "sk-MARKER-environment-31d9",
    "CLI import (curl)": "sk-MARKER-cli-curl-8b",
    "CLI import (curl, api-key)": "0ab2c3d4e5f60718293a4b5c6d7e8f90",
    "CLI import (Python)": "sk-MARKER-cli-python-2f",
    "CLI run (OPENAI_API_KEY with --base-url)": "sk-MARKER-cli-env-4410",
    "CLI run (--api-key-env)": "1ab2c3d4e5f60718293a4b5c6d7e8f90",
    "MCP secret header (Tools panel)": "sk-MARKER-mcp-editor-header-5d1c",
    "pasted JSON (MCP tool Authorization header)": "sk-MARKER-mcp-pasted-header-9e02",
}
AZURE = "https://contoso.openai.azure.com/openai/deployments/gpt-4o-mini/chat/completions"
BODY = '{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}'


def curl(bearer: str, api_key: str, x_api_key: str, apim: str, url: str = AZURE) -> str:
    return (
        f"curl '{url}?api-version=2024-10-21' \\\n"
        f"  -H 'Content-Type: application/json' \\\n"
        f"  -H 'Authorization: Bearer {bearer}' \\\n"
        f"  -H 'api-key: {api_key}' \\\n"
        f"  -H 'x-api-key: {x_api_key}' \\\n"
        f"  -H 'Ocp-Apim-Subscription-Key: {apim}' \\\n"
        f"  -d '{BODY}'"
    )


def python(api_key: str, header_key: str, azure_key: str) -> str:
    return f"""import os
from openai import AzureOpenAI, OpenAI

client = OpenAI(
    api_key="{api_key}",
    base_url="http://127.0.0.1:9/v1",
    default_headers={{"api-key": "{header_key}", "X-Trace": "1"}},
)
azure = AzureOpenAI(api_key="{azure_key}", azure_endpoint="https://contoso.openai.azure.com",
                    api_version="2024-10-21")
os.environ["OPENAI_API_KEY"] = "{api_key}"
response = client.chat.completions.create(
    model="gpt-4o-mini", messages=[{{"role": "user", "content": "hi"}}]
)
"""


def hits(roots: list[Path], texts: dict[str, str]) -> dict[str, list[str]]:
    """Which marker appears where: files under `roots` and captured `texts`."""
    found: dict[str, list[str]] = {}
    blobs = [(str(p), p.read_bytes()) for r in roots for p in r.rglob("*") if p.is_file()]
    blobs += [(name, text.encode()) for name, text in texts.items()]
    for way, key in KEYS.items():
        where = [name for name, blob in blobs if key.encode() in blob]
        if where:
            found[way] = where
    return found


@pytest.fixture
def audited(
    qtbot: Any, qloop: qasync.QEventLoop, simulator: Simulator, tmp_path: Path
) -> Iterator[App]:
    keyring = MemoryKeyring()
    pg = Playground(
        tmp_path / "config" / "settings.json",
        keys=KeyStore(keyring),
        env={"OPENAI_API_KEY": KEYS["environment (OPENAI_API_KEY)"]},
        simulator_speed=None,
        strict=True,
        simulator=simulator,
        data_dir=tmp_path / "data",
    )
    ws = Workspace(profile="Offline simulator", messages=[Message(role="user", content="hi")])
    window = pg.open_window(ws)
    qtbot.addWidget(window)
    window.show()
    yield App(pg, window, qtbot, simulator, keyring)
    pg.runs.stop()
    qtbot.waitUntil(lambda: not pg.runs.busy, timeout=5000)
    window.close()
    closing = asyncio.ensure_future(pg.aclose())
    qtbot.waitUntil(closing.done, timeout=5000)
    closing.result()


def _window_ways_in(app: App, tmp_path: Path) -> None:
    w = app.window
    # the environment: the OpenAI profile finds OPENAI_API_KEY (and nothing writes it down)
    openai = app.pg.settings.profile("OpenAI")
    assert openai is not None
    has_key = asyncio.ensure_future(app.pg.connections.has_key(openai))
    app.qtbot.waitUntil(has_key.done, timeout=3000)
    assert has_key.result()

    # the Providers dialog: the key field, and keys typed into the headers field
    w.open_providers()
    dialog = w._dialog
    dialog._on_add_clicked()
    dialog.name.setText("Marked")
    dialog.base_url.setText(app.sim.base_url)
    dialog.key.setText(KEYS["dialog key field"])
    dialog._on_save_key()
    dialog._on_add_clicked()
    dialog.name.setText("Headers")
    dialog.headers.setPlainText(
        f"Authorization: Bearer {KEYS['dialog headers field (Authorization)']}\n"
        f"api-key: {KEYS['dialog headers field (api-key)']}\nX-Trace: 1"
    )
    dialog.base_url.setText(f"{app.sim.base_url}?api-key={KEYS['dialog base URL (?api-key=)']}")
    dialog.query.setPlainText(f"key={KEYS['dialog query parameters (key=)']}\napi-version=1")
    dialog._on_add_clicked()
    dialog.name.setText("Moved")
    dialog.headers.setPlainText(f"api-key: {KEYS['dialog headers field, moved']}")
    dialog.move_key.click()
    dialog.close()
    app.qtbot.waitUntil(
        lambda: (
            app.keyring.items.get(("playground-openai", "Moved"))
            == KEYS["dialog headers field, moved"]
        ),
        timeout=3000,
    )

    # pasting curl and Python into the window
    for text in (
        curl(
            KEYS["pasted curl (Authorization)"],
            KEYS["pasted curl (api-key)"],
            KEYS["pasted curl (x-api-key)"],
            KEYS["pasted curl (Ocp-Apim-Subscription-Key)"],
        ),
        python(
            KEYS["pasted Python (api_key=)"],
            KEYS["pasted Python (default_headers)"],
            KEYS["pasted Python (AzureOpenAI)"],
        ),
    ):
        QGuiApplication.clipboard().setText(text)
        w.exchange.paste()
        banner = w.banner.text.text()
        assert banner.startswith("Imported"), banner
        assert not any(key in banner for key in KEYS.values()), banner

    # a run with the dialog's key: sent, recorded in history, autosaved, exported, logged
    app.sim.api_key = KEYS["dialog key field"]
    w.provider.setCurrentText("Marked")
    app.run()
    assert app.sim.requests[-1].headers["authorization"] == f"Bearer {KEYS['dialog key field']}"
    assert "Simulated answer" in w.conversation.cards[-1].message().text
    app.qtbot.waitUntil(lambda: len(app.pg.history.search()) == 1, timeout=3000)
    _mcp_ways_in(app)
    w.exchange.show_code()
    for profile in ("Marked", "Moved", "Headers", "OpenAI"):
        w.provider.setCurrentText(profile)
        for fmt in FORMATS:
            w.exchange.view.format.setCurrentIndex(w.exchange.view.format.findData(fmt))
            out = tmp_path / "exports" / f"{profile}.{fmt}"
            out.parent.mkdir(exist_ok=True)
            w.exchange.view.save_requested.emit(str(out), w.exchange.view.text())
            assert out.exists()
    assert app.pg.documents is not None
    assert app.pg.documents.save_to(tmp_path / "workspace.json")
    app.pg.documents.autosave()
    # whatever the app logs about requests and keys
    for key in KEYS.values():
        logging.getLogger("playground.audit").warning(
            "headers: {'Authorization': 'Bearer %s', 'api-key': '%s'} api_key=%s", key, key, key
        )


def _mcp_ways_in(app: App) -> None:
    """An MCP tool's header: pasted in a request body (dropped), and typed into the Tools
    panel's editor (kept in the keyring); a run sends it to the server."""
    w = app.window
    pasted = KEYS["pasted JSON (MCP tool Authorization header)"]
    body = {
        "model": "gpt-4o-mini",
        "input": "hi",
        "tools": [
            {
                "type": "mcp",
                "server_label": "pasted",
                "server_url": "https://mcp.pasted.example/",
                "require_approval": "never",
                "headers": {"Authorization": f"Bearer {pasted}"},
            }
        ],
    }
    QGuiApplication.clipboard().setText(json.dumps(body))
    w.exchange.paste()
    assert "secret was left out" in w.banner.text.text()
    typed = KEYS["MCP secret header (Tools panel)"]
    tool = McpServerTool("probe", "Probe", {"type": "object", "properties": {}})
    app.sim.mcp_servers.add(
        McpServer("https://mcp.audit.example/", "audit", [tool], f"Bearer {typed}")
    )
    w.setup_tabs.setCurrentWidget(w.tools)
    editor = w.tools.mcp
    editor.add_server("audit", "https://mcp.audit.example/")
    editor.approval.setCurrentIndex(editor.approval.findData("never"))
    editor.secret_value.setText(f"Bearer {typed}")
    editor.store_secret.click()
    app.qtbot.waitUntil(
        lambda: app.keyring.items.get(("playground-openai", "mcp/audit/Authorization")),
        timeout=3000,
    )
    app.qtbot.wait(700)  # the edit is committed to the Document after a pause
    w.provider.setCurrentText("Marked")
    app.run()
    tools = app.sim.bodies()[-1]["tools"]
    assert tools[-1]["headers"] == {"Authorization": f"Bearer {typed}"}
    assert "ran `probe`" in w.conversation.cards[-1].message().text
    app.qtbot.waitUntil(lambda: len(app.pg.history.search()) == 2, timeout=3000)


def _cli(
    home: Path, *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> str:
    base = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        base[var] = str(home / var.lower())
    base["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    proc = subprocess.run(
        [sys.executable, "-m", "playground", *args],
        capture_output=True,
        text=True,
        timeout=60,
        input=stdin,
        env={**base, **(env or {})},
    )
    return f"$ playground {' '.join(args)}\n{proc.stdout}\n{proc.stderr}"


def _cli_ways_in(simulator: Simulator, home: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    curl_file = home / "request.sh"
    curl_file.write_text(
        curl(
            KEYS["CLI import (curl)"],
            KEYS["CLI import (curl, api-key)"],
            KEYS["CLI import (curl)"],
            KEYS["CLI import (curl, api-key)"],
        )
    )
    py_file = home / "request.py"
    py_file.write_text(python(KEYS["CLI import (Python)"], KEYS["CLI import (Python)"], "x" * 32))
    imported = home / "imported.json"
    out["import curl"] = _cli(home, "import", str(curl_file), "-o", str(imported))
    out["import curl stdin"] = _cli(home, "import", "-", stdin=curl_file.read_text())
    out["import python"] = _cli(home, "import", str(py_file))
    for fmt in FORMATS:
        out[f"export {fmt}"] = _cli(home, "export", str(imported), "--format", fmt)
    ws = home / "ws.json"
    ws.write_text(
        json.dumps({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]})
    )
    simulator.api_key = KEYS["CLI run (OPENAI_API_KEY with --base-url)"]
    out["run env"] = _cli(
        home,
        "run",
        str(ws),
        "--base-url",
        simulator.base_url,
        "--json",
        env={"OPENAI_API_KEY": KEYS["CLI run (OPENAI_API_KEY with --base-url)"]},
    )
    assert '"finish_reason": "stop"' in out["run env"], out["run env"]
    simulator.api_key = KEYS["CLI run (--api-key-env)"]
    out["run --api-key-env"] = _cli(
        home,
        "run",
        str(ws),
        "--base-url",
        simulator.base_url,
        "--api-key-env",
        "MY_KEY",
        env={"MY_KEY": KEYS["CLI run (--api-key-env)"]},
    )
    assert "Simulated answer" in out["run --api-key-env"], out["run --api-key-env"]
    return out


def test_no_marker_key_reaches_a_file_by_any_way_in(audited: App, tmp_path: Path) -> None:
    setup_logging(tmp_path / "logs")
    try:
        _window_ways_in(audited, tmp_path)
    finally:
        close_logging()
    cli_home = tmp_path / "cli"
    cli_home.mkdir()
    captured = _cli_ways_in(audited.sim, cli_home)
    home = Path(os.environ["XDG_CONFIG_HOME"]).parent  # the test session's XDG dirs
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    for name in ("settings.json", "history.sqlite3", "playground.log", "workspace.json"):
        assert any(p.name == name for p in written), name
    # the files the user gave the app hold the keys, of course; nothing else may
    inputs = {cli_home / "request.sh", cli_home / "request.py"}
    roots = [home, tmp_path]
    found = {
        way: [w for w in where if Path(w) not in inputs]
        for way, where in hits(roots, captured).items()
    }
    assert {way: where for way, where in found.items() if where} == {}
