"""The request process outlives the app by a moment: its log lines then go nowhere, quietly."""

from __future__ import annotations

import logging
import multiprocessing

import pytest

from playground.services import worker_child


def test_log_lines_after_the_app_is_gone_print_no_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    mine, apps = multiprocessing.Pipe()
    apps.close()  # the app was terminated
    log = logging.getLogger("tests.worker_pipe")
    log.propagate = False
    handler = worker_child._LogForwarder(worker_child._Sender(mine))
    log.addHandler(handler)
    try:
        log.warning("run finished after the app quit")
    finally:
        log.removeHandler(handler)
        mine.close()
    assert capsys.readouterr().err == ""  # was "--- Logging error --- ... BrokenPipeError"
