"""One instance per user: a second start hands its file over to the running window."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from playground.core.workspace import Message, Workspace
from playground.services.files import save_workspace
from playground.ui.single_instance import InstanceServer, server_name
from tests.ui.conftest import App

ROOT = Path(__file__).resolve().parents[2]


def _second_start(xdg: Path, *args: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": "offscreen",
        **{v: str(xdg / v.lower()) for v in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME")},
    }
    return subprocess.Popen(
        [sys.executable, "-m", "playground", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _data_dir(xdg: Path) -> Path:
    return xdg / "xdg_data_home" / "playground"  # platformdirs on Linux: $XDG_DATA_HOME/<app>


def _send(qtbot: Any, name: str, line: bytes) -> QLocalSocket:
    client = QLocalSocket()
    client.connectToServer(name)
    qtbot.waitUntil(lambda: client.state() == QLocalSocket.LocalSocketState.ConnectedState)
    client.write(line)
    client.flush()
    return client


def test_a_second_open_hands_the_file_to_the_running_window(app: App, tmp_path: Path) -> None:
    file = tmp_path / "handed over.json"
    save_workspace(file, Workspace(messages=[Message(role="user", content="from the second")]))
    xdg = tmp_path / "home"
    server = InstanceServer(server_name(_data_dir(xdg)))
    assert server.listen()
    server.bind(app.pg.receive)
    tabs_before = len(app.pg.documents.docs)
    proc = _second_start(xdg, "open", str(file))
    try:
        app.qtbot.waitUntil(lambda: proc.poll() is not None, timeout=30_000)
    finally:
        out, err = proc.communicate(timeout=30)
        server.close()
    assert proc.returncode == 0, err
    assert "handed over" in out
    assert len(app.pg.documents.docs) == tabs_before + 1
    assert app.pg.documents.docs[-1].tab.path == str(file.resolve())
    assert app.window.collect().messages[0].content == "from the second"


def test_no_running_instance_means_no_hand_over(qtbot: Any, tmp_path: Path) -> None:
    from playground.ui.single_instance import hand_over

    assert not hand_over(server_name(tmp_path), tmp_path / "x.json", timeout_ms=200)


def test_a_stale_socket_left_by_a_crash_is_replaced(qtbot: Any, tmp_path: Path) -> None:
    name = server_name(tmp_path / "data")
    probe = QLocalServer()
    assert probe.listen(name)
    socket_path = probe.fullServerName()
    probe.close()  # removes its file: now leave one behind as a killed process would
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(socket_path)
    stale.close()
    assert Path(socket_path).exists()
    server = InstanceServer(name)
    try:
        assert server.listen()
        received: list[Path | None] = []
        server.bind(received.append)
        client = _send(qtbot, name, b'{"open": "/tmp/w.json"}\n')
        qtbot.waitUntil(lambda: received == [Path("/tmp/w.json")])
        qtbot.waitUntil(lambda: client.canReadLine())
        assert bytes(client.readLine().data()) == b"ok\n"
        client.abort()
    finally:
        server.close()


def test_a_live_instance_is_not_replaced(qtbot: Any, tmp_path: Path) -> None:
    name = server_name(tmp_path)
    first, second = InstanceServer(name), InstanceServer(name)
    try:
        assert first.listen()
        mode = os.stat(first.address()).st_mode
        assert mode & 0o077 == 0  # only this user can reach it
        assert not second.listen()
        assert not second.is_listening()
    finally:
        first.close()


def test_hand_offs_before_the_window_is_ready_are_kept(qtbot: Any, tmp_path: Path) -> None:
    name = server_name(tmp_path)
    server = InstanceServer(name)
    assert server.listen()
    try:
        with qtbot.waitSignal(server.open_requested):
            client = _send(qtbot, name, b'{"open": null}\n')
        received: list[Path | None] = []
        server.bind(received.append)
        assert received == [None]
        client.abort()
    finally:
        server.close()


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    name=st.text(
        st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/"),
        min_size=1,
        max_size=40,
    )
)
def test_any_file_name_arrives_as_sent(qtbot: Any, tmp_path: Path, name: str) -> None:
    import json

    target = tmp_path / name
    server_id = server_name(tmp_path / "fuzz")
    server = InstanceServer(server_id)
    assert server.listen()
    try:
        received: list[Path | None] = []
        server.bind(received.append)
        client = _send(qtbot, server_id, json.dumps({"open": str(target)}).encode() + b"\n")
        qtbot.waitUntil(lambda: received == [target])
        client.abort()
    finally:
        server.close()


@given(
    users=st.lists(st.text(min_size=1, max_size=12), min_size=2, max_size=2, unique=True),
    dirs=st.lists(st.text("abc/", min_size=1, max_size=8), min_size=2, max_size=2, unique=True),
)
def test_names_differ_per_user_and_data_dir(users: list[str], dirs: list[str]) -> None:
    a, b = (Path("/r") / d for d in dirs)
    if a.resolve() == b.resolve():
        return
    names = {server_name(p, u) for p in (a, b) for u in users}
    assert len(names) == 4
    assert all(n.startswith("playground-") and n.isascii() for n in names)
