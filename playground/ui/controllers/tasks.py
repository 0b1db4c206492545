"""The one way to start background work: keep the task, log and report what it raised.

A task nobody holds can be collected mid-run (asyncio docs, `create_task`: "save a reference");
a task that fails unseen is lost until the loop logs "exception was never retrieved". `start`
keeps every task in a module set until it ends and sends an unexpected exception to the log and
to the one error presenter (`playground.ui.error_hooks.report`), or to `on_error` when given.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from playground.ui import error_hooks

T = TypeVar("T")

_LIVE: set[asyncio.Task[Any]] = set()
"""Every task started here and not yet done: the references that keep them alive."""


def start(
    coro: Coroutine[Any, Any, T],
    name: str,
    on_error: Callable[[BaseException], None] | None = None,
    keep: set[asyncio.Task[Any]] | None = None,
) -> asyncio.Task[T]:
    """Run `coro` as a task called `name` (shown in the log: "while <name>").

    The task is kept until it ends (and in `keep` too, a controller's own set that `settle`
    waits for). If it raises anything but CancelledError, the exception goes to `on_error`
    when given, else to the log with its traceback and to the presenter, once.
    """
    task = asyncio.ensure_future(coro)
    if isinstance(task, asyncio.Task):
        task.set_name(name)
    _LIVE.add(task)
    if keep is not None:
        keep.add(task)

    def done(t: asyncio.Task[Any]) -> None:
        _LIVE.discard(t)
        if keep is not None:
            keep.discard(t)
        if t.cancelled():
            return
        exc = t.exception()  # retrieved here, so the loop does not report it a second time
        if exc is None:
            return
        if on_error is not None:
            on_error(exc)  # if it raises, the loop's exception handler reports that
            return
        error_hooks.report(exc, name)

    task.add_done_callback(done)
    return task


def live() -> set[asyncio.Task[Any]]:
    """The tasks started here that have not ended (a copy)."""
    return set(_LIVE)


async def settle(tasks: set[asyncio.Task[Any]]) -> None:
    """Wait until every task in `tasks` (which may grow meanwhile) has finished.

    Finished tasks are dropped here rather than left to their done-callbacks: awaiting only
    finished tasks never yields to the loop, so those callbacks would never get to run.
    """
    while tasks:
        tasks.difference_update([t for t in list(tasks) if t.done()])
        pending = list(tasks)
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
