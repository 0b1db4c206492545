"""How busy the GUI thread is, so that live views update as often as they can afford.

A stream that arrives at reading speed leaves the event loop idle: views update every frame.
A stream that arrives faster than it can be shown keeps the loop saturated: the stream
consumer has to hand the loop a turn on purpose. While that goes on, views space their updates
so that showing the stream costs only a small share of the time that parsing it does.
"""

from __future__ import annotations

import time

FRAME_MS = 16
"""An update a frame (60 a second) when the loop is not saturated."""
SLOWEST_MS = 250
"""Never fewer than four updates a second."""
BUDGET = 25
"""Saturated: the interval between updates is this many times an update's cost (4 %)."""
_HOLD_S = 0.2

_saturated_until = 0.0


def saturated() -> None:
    """The stream consumer gave the loop a turn it did not otherwise get (it has more queued)."""
    global _saturated_until
    _saturated_until = time.perf_counter() + _HOLD_S


def is_saturated() -> bool:
    return time.perf_counter() < _saturated_until


def interval_ms(cost_ms: float) -> int:
    """The time to wait before the next update of a view whose last update took `cost_ms`."""
    if not is_saturated():
        return FRAME_MS
    return int(min(max(FRAME_MS, BUDGET * cost_ms), SLOWEST_MS))
