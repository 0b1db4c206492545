"""GUI fixtures: a qasync loop on the pytest-qt app, and the real window on the simulator."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import qasync
import shiboken6
from PySide6.QtWidgets import QApplication, QWidget

from playground.core.workspace import Message, Workspace
from playground.services.keystore import KeyStore
from playground.services.simulator import Simulator
from playground.ui import theme
from playground.ui.app import Playground
from playground.ui.launch import make_application
from playground.ui.main_window import MainWindow
from tests.services.test_keystore import MemoryKeyring

SHOTS = Path(__file__).resolve().parents[1] / "screenshots"
_FINISHED_LOOPS: list[qasync.QEventLoop] = []


@pytest.fixture(scope="session")
def qapp_cls() -> type[QApplication]:
    return QApplication


@pytest.fixture
def qloop(qapp: QApplication, qtbot: Any) -> Iterator[qasync.QEventLoop]:
    """A qasync loop driven by Qt's event processing; loop exceptions fail the test."""
    make_application()
    theme.apply(qapp, dark=False)
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    errors: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda _loop, ctx: errors.append(ctx))
    yield loop
    for task in asyncio.all_tasks(loop):
        task.cancel()
    qtbot.wait(20)  # let the cancellations run
    # stop() would call QApplication.exit(); mark the loop stopped without quitting Qt
    loop._QEventLoop__is_running = False  # type: ignore[attr-defined]
    # qasync's timer object keeps Qt timers registered after close(); if Python collected it
    # in the middle of Qt activating timers, Qt would call into a deleted object. Kill them and
    # keep the loop alive for the session.
    timer = loop._timer  # type: ignore[attr-defined]
    callbacks = timer._SimpleTimer__callbacks
    for timer_id in list(callbacks):
        timer.killTimer(timer_id)
    callbacks.clear()
    _FINISHED_LOOPS.append(loop)
    loop.close()  # shuts the default executor (asyncio.to_thread) down
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)
    assert not errors, [f"{e.get('message')}: {e.get('future')!s:.600}" for e in errors]


class App:
    """The composed app under test, with helpers a test reads like a user story."""

    def __init__(
        self,
        playground: Playground,
        window: MainWindow,
        qtbot: Any,
        simulator: Simulator,
        keyring: MemoryKeyring,
    ) -> None:
        self.pg, self.window, self.qtbot, self.sim, self.keyring = (
            playground,
            window,
            qtbot,
            simulator,
            keyring,
        )

    def wait_idle(self, timeout: int = 10_000) -> None:
        """The run ended and its answer is rendered (a long one renders in slices)."""
        cards = self.window.conversation.cards
        self.qtbot.waitUntil(
            lambda: not self.pg.runs.busy and not (len(cards) and cards[-1].view.rendering),
            timeout=timeout,
        )
        self.qtbot.wait(30)

    def run(self) -> None:
        self.window.run()
        self.qtbot.waitUntil(lambda: self.pg.runs.busy or self.sim.requests, timeout=5000)
        self.wait_idle()

    def last_body(self) -> dict[str, Any]:
        return self.sim.bodies()[-1]

    def shot(self, widget: QWidget, name: str) -> Path:
        SHOTS.mkdir(exist_ok=True)
        path = SHOTS / f"{name}.png"
        widget.grab().save(str(path))
        return path


@pytest.fixture
def app(
    qtbot: Any, qloop: qasync.QEventLoop, simulator: Simulator, tmp_path: Path
) -> Iterator[App]:
    keyring = MemoryKeyring()
    pg = Playground(
        tmp_path / "settings.json",
        keys=KeyStore(keyring),
        env={},
        simulator_speed=None,
        strict=True,
        simulator=simulator,
        data_dir=tmp_path / "data",
    )
    ws = Workspace(
        profile="Offline simulator",
        model="gpt-4o-mini",
        messages=[Message(role="user", content="Explain SSE briefly.")],
    )
    window = pg.open_window(ws)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield App(pg, window, qtbot, simulator, keyring)
    pg.runs.stop()
    qtbot.waitUntil(lambda: not pg.runs.busy, timeout=5000)
    window.close()
    closing = asyncio.ensure_future(pg.aclose())  # close HTTP clients on this loop, not later
    qtbot.waitUntil(closing.done, timeout=5000)
    closing.result()  # a failure while shutting down fails the test


@pytest.fixture
def app_on(
    qtbot: Any, qloop: qasync.QEventLoop, simulator: Simulator, tmp_path: Path
) -> Iterator[Callable[[Any], App]]:
    """Start the app on a settings file with the given content (a str is written as it is);
    called again: a restart on the same data, the previous window autosaved and hidden."""
    made: list[Playground] = []

    def make(content: Any) -> App:
        if made and made[-1].documents is not None:
            made[-1].documents.autosave()
            assert made[-1].window is not None
            made[-1].window.hide()
        path = tmp_path / "settings.json"
        path.write_text(content if isinstance(content, str) else json.dumps(content))
        keyring = MemoryKeyring()
        pg = Playground(
            path,
            keys=KeyStore(keyring),
            env={},
            simulator_speed=None,
            strict=True,
            simulator=simulator,
            data_dir=tmp_path / "data",
        )
        made.append(pg)
        ws = Workspace(profile="Offline simulator", messages=[Message(role="user", content="hi")])
        window = pg.open_window(ws)
        qtbot.addWidget(window)
        window.show()
        return App(pg, window, qtbot, simulator, keyring)

    yield make
    for pg in made:
        if pg.window is not None and shiboken6.isValid(pg.window):
            pg.window.close()
        closing = asyncio.ensure_future(pg.aclose())
        qtbot.waitUntil(closing.done, timeout=5000)
        closing.result()


_GATES: list[threading.Event] = []


def new_gate() -> threading.Event:
    """A gate a simulator Scenario holds its stream at (`gate_after`) until the test sets it;
    every gate is set after the test, so a failed test never leaves a stream held."""
    event = threading.Event()
    _GATES.append(event)
    return event


@pytest.fixture(autouse=True)
def _open_gates() -> Iterator[None]:
    yield
    for gate in _GATES:
        gate.set()
    _GATES.clear()
