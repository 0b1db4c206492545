"""One instance per user and data dir: a second start hands its file to the running window.

The first process listens on a local socket (a Unix socket under the temp dir, a named pipe on
Windows) that only this user can reach (`QLocalServer.SocketOption.UserAccessOption`). A later
`playground open FILE` connects, sends the absolute path as one JSON line, waits for "ok" and exits:
two processes never write the same session. A socket file left by a crashed instance (nobody
answers on it) is removed and the new process becomes the running one.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

CONNECT_MS = 1000
"""How long a second process waits for the running one to accept and to answer."""
MAX_MESSAGE = 64 * 1024


def server_name(data_dir: Path, user: str | None = None) -> str:
    """The socket's name: one per user and data dir (tests with a temp data dir never meet)."""
    who = user or getpass.getuser()
    digest = hashlib.sha256(f"{who}\0{data_dir.resolve()}".encode()).hexdigest()[:16]
    return f"playground-{digest}"


def hand_over(name: str, path: Path | None, timeout_ms: int = CONNECT_MS) -> bool:
    """Give `path` (None: just raise the window) to the instance listening on `name`.

    True when it answered that it took it; False when no instance is there (or it did not
    answer in time): the caller then starts as the running instance.
    """
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    message = {"open": str(path.resolve()) if path is not None else None}
    socket.write(json.dumps(message).encode() + b"\n")
    socket.flush()
    answer = b""
    while b"\n" not in answer:
        if not socket.waitForReadyRead(timeout_ms):
            break
        answer += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    return answer.strip() == b"ok"


class InstanceServer(QObject):
    """The running instance's end: emits `open_requested` for each hand-off it receives."""

    open_requested = Signal(object)
    """A later start asked to open this Path (None: only to raise the window)."""

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_server_new_connection)
        self._pending: list[Path | None] = []
        self._handler: Callable[[Path | None], None] | None = None
        self._sockets: set[QLocalSocket] = set()

    def listen(self) -> bool:
        """Listen on the name, replacing a stale socket; False if another instance answers."""
        # Ask first: with socket options, Qt binds a new socket and renames it over the name,
        # which would take the name from a live instance rather than fail.
        probe = QLocalSocket()
        probe.connectToServer(self.name)
        if probe.waitForConnected(CONNECT_MS):
            probe.abort()
            return False
        if QLocalServer.removeServer(self.name):  # a crashed instance's file, if any
            log.info("removed a stale instance socket %s", self.name)
        return self._server.listen(self.name)

    def address(self) -> str:
        """Where it listens: the socket file's path (Unix) or the pipe's name (Windows)."""
        return self._server.fullServerName()

    def is_listening(self) -> bool:
        return self._server.isListening()

    def bind(self, handler: Callable[[Path | None], None]) -> None:
        """Deliver hand-offs to `handler` from now on, first those that came before."""
        self._handler = handler
        pending, self._pending = self._pending, []
        for path in pending:
            handler(path)

    def close(self) -> None:
        """Stop listening (the socket file goes) and drop the connections still open."""
        self._server.close()
        for socket in list(self._sockets):
            socket.abort()
        self._sockets.clear()

    def _on_server_new_connection(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
            self._sockets.add(socket)
            socket.readyRead.connect(self._on_socket_ready_read)
            socket.disconnected.connect(self._on_socket_disconnected)
            if socket.bytesAvailable():
                self._read(socket)

    def _on_socket_ready_read(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._read(socket)

    def _on_socket_disconnected(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._sockets.discard(socket)
            socket.deleteLater()

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            if socket.bytesAvailable() > MAX_MESSAGE:
                socket.abort()
            return
        line = bytes(socket.readLine().data())
        try:
            message = json.loads(line)
            target = message["open"]
            path = Path(target) if isinstance(target, str) else None
        except (ValueError, KeyError, TypeError):
            log.warning("ignored an unreadable hand-off on the instance socket")
            socket.abort()
            return
        socket.write(b"ok\n")
        socket.flush()
        self.open_requested.emit(path)
        if self._handler is None:
            self._pending.append(path)
        else:
            self._handler(path)
