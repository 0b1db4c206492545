"""Waiting for a controller's background tasks."""

from __future__ import annotations

import asyncio
from typing import Any


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
