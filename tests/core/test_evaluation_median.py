"""The per-variant summary's median latency (issue 17: "the latency distribution (median
and p95)"): the middle of the answered cells' times, the mean of the two middle ones for an
even count, errors and unfinished cells left out."""

from __future__ import annotations

import statistics

from hypothesis import given
from hypothesis import strategies as st

from playground.core.evaluation_results import Cell, summarize


def test_the_median_is_the_middle_of_the_answered_cells() -> None:
    cells = [
        Cell("a", "r0", "passed", total_ms=100.0),
        Cell("a", "r1", "failed", total_ms=300.0),
        Cell("a", "r2", "passed", total_ms=200.0),
        Cell("a", "r3", "error", total_ms=9000.0),  # the run failed: not a latency
        Cell("a", "r4", "pending", total_ms=5000.0),
        Cell("b", "r0", "passed", total_ms=100.0),
        Cell("b", "r1", "passed", total_ms=400.0),
        Cell("c", "r0"),
    ]
    a, b, c = summarize(cells)
    assert (a.median_ms, a.p95_ms) == (200.0, 300.0)
    assert b.median_ms == 250.0  # an even count: the mean of the two middle ones
    assert c.median_ms is None and c.mean_ms is None


@given(st.lists(st.floats(0, 1e7), min_size=1, max_size=60))
def test_the_median_lies_between_the_fastest_and_the_p95(times: list[float]) -> None:
    cells = [Cell("a", f"r{i}", "passed", total_ms=t) for i, t in enumerate(times)]
    (s,) = summarize(cells)
    assert s.median_ms == statistics.median(times)
    assert s.median_ms is not None and s.p95_ms is not None
    assert min(times) <= s.median_ms <= max(times)
    assert s.median_ms <= s.p95_ms
