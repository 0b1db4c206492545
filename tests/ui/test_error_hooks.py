"""Every unexpected error reaches the log (with its traceback) and the presenter, once."""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import qasync
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QTimer

from playground.ui.controllers import tasks
from playground.ui.error_hooks import install_hooks
from playground.ui.presenter import unexpected_error

SECRET = "sk-proj-abcdefghijklmnop and <object at 0x7f>"


class Boom(Exception):
    pass


@pytest.fixture
def shown(qloop: qasync.QEventLoop) -> Iterator[list[str]]:
    messages: list[str] = []
    uninstall = install_hooks(messages.append, qloop)
    yield messages
    uninstall()


def _logged(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "playground.errors" and r.exc_info]


def _assert_once(shown: list[str], caplog: pytest.LogCaptureFixture, where: str) -> None:
    assert len(shown) == 1
    assert where in shown[0]
    assert "Boom" not in shown[0] and "sk-proj" not in shown[0] and "Traceback" not in shown[0]
    logged = _logged(caplog)
    assert len(logged) == 1
    assert logged[0].exc_info is not None and logged[0].exc_info[0] is Boom
    assert "raise Boom" in caplog.text  # the log has the traceback


def test_an_exception_in_a_task(
    qtbot: Any, shown: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    async def fails() -> None:
        await asyncio.sleep(0)
        raise Boom(SECRET)

    task = tasks.start(fails(), "saving the moon")
    assert task in tasks.live()
    qtbot.waitUntil(task.done)
    qtbot.wait(10)
    del task
    gc.collect()  # a task whose failure nobody read would be reported again here
    qtbot.wait(10)
    _assert_once(shown, caplog, "saving the moon")
    assert not tasks.live()


def test_a_task_with_its_own_error_handler_is_not_reported(
    qtbot: Any, shown: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    handled: list[BaseException] = []

    async def fails() -> None:
        raise Boom(SECRET)

    keep: set[asyncio.Task[Any]] = set()
    task = tasks.start(fails(), "x", on_error=handled.append, keep=keep)
    qtbot.waitUntil(task.done)
    qtbot.wait(10)
    assert [type(e) for e in handled] == [Boom]
    assert not keep
    assert shown == [] and _logged(caplog) == []


def test_a_cancelled_task_is_not_an_error(qtbot: Any, shown: list[str]) -> None:
    task = tasks.start(asyncio.sleep(10), "waiting")
    qtbot.wait(5)
    task.cancel()
    qtbot.waitUntil(task.done)
    qtbot.wait(10)
    assert shown == []


def test_an_exception_in_a_thread(
    qtbot: Any, shown: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    def fails() -> None:
        raise Boom(SECRET)

    thread = threading.Thread(target=fails, name="reading a file")
    thread.start()
    thread.join()
    _assert_once(shown, caplog, "reading a file")


def test_an_exception_in_a_qt_slot(
    qtbot: Any, shown: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    def slot() -> None:
        raise Boom(SECRET)

    QTimer.singleShot(0, slot)
    qtbot.waitUntil(lambda: len(shown) >= 1)
    qtbot.wait(10)
    _assert_once(shown, caplog, "handling an event")


def test_a_task_nobody_kept_reaches_the_loop_hook_once(
    qtbot: Any, qloop: qasync.QEventLoop, shown: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    async def fails() -> None:
        raise Boom(SECRET)

    task = asyncio.ensure_future(fails())
    qtbot.waitUntil(task.done)
    del task
    gc.collect()
    qtbot.waitUntil(lambda: len(shown) >= 1)
    qtbot.wait(10)
    _assert_once(shown, caplog, "working in the background")


def test_hooks_are_put_back(qloop: qasync.QEventLoop) -> None:
    import sys

    before = (sys.excepthook, threading.excepthook, qloop.get_exception_handler())
    install_hooks(lambda _t: None, qloop)()
    assert (sys.excepthook, threading.excepthook, qloop.get_exception_handler()) == before


@settings(max_examples=50)
@given(st.text(max_size=60))
def test_the_message_never_carries_the_exception(where: str) -> None:
    text = unexpected_error(where)
    assert text.startswith("Something went wrong while ")
    assert "Traceback" not in text.replace(where, "")
    assert "playground.log" in text
