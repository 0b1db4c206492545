"""One path for unexpected errors: the log gets the traceback, the user a short message.

`install_hooks` routes every exception nothing else caught (sys.excepthook, which PySide6 also
calls for an exception raised in a slot; threading.excepthook; the asyncio loop's exception
handler) to `report`, as napari's `NotificationManager.install_hooks` does. `report` logs it with
its traceback and passes one short sentence (no traceback, no repr) to the presenter function
set by `install_hooks`.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any

log = logging.getLogger("playground.errors")

_show: Callable[[str], None] | None = None


def report(exc: BaseException, where: str) -> None:
    """Log `exc` with its traceback and show the presenter's short message for it."""
    log.error("unexpected error while %s", where, exc_info=(type(exc), exc, exc.__traceback__))
    if _show is None:
        return
    from playground.ui.presenter import unexpected_error

    try:
        _show(unexpected_error(where))
    except Exception:  # the presenter itself failed: the log is the last resort
        log.exception("could not show an unexpected error")


def install_hooks(
    show: Callable[[str], None], loop: asyncio.AbstractEventLoop | None = None
) -> Callable[[], None]:
    """Send uncaught exceptions (sys, threads, `loop`) to the log and to `show(text)`.

    Returns a function that puts back the hooks that were there before.
    """
    global _show
    before = (_show, sys.excepthook, threading.excepthook)
    loop_before = loop.get_exception_handler() if loop is not None else None
    _show = show

    def sys_hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            before[1](kind, exc, tb)
            return
        report(exc.with_traceback(tb), "handling an event")

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        name = args.thread.name if args.thread is not None else "a thread"
        report(args.exc_value, f"running {name}")

    def loop_hook(_loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if exc is None:  # a warning from the loop itself, not an error of ours
            log.warning("event loop: %s", context.get("message"))
            return
        future = context.get("future") or context.get("task")
        name = future.get_name() if isinstance(future, asyncio.Task) else ""
        report(exc, name if name and not name.startswith("Task-") else "working in the background")

    sys.excepthook = sys_hook
    threading.excepthook = thread_hook
    if loop is not None:
        loop.set_exception_handler(loop_hook)

    def uninstall() -> None:
        global _show
        _show, sys.excepthook, threading.excepthook = before
        if loop is not None:
            loop.set_exception_handler(loop_before)

    return uninstall
