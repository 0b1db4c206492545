"""The estimate Run as batch shows before it sends: requests, batches, and the cost range at
the batch price beside the interactive one (core/batch_estimate.py)."""

from __future__ import annotations

from datetime import date

import pytest

from playground.core.batch_estimate import describe, dollars, estimate
from playground.core.batch_requests import BatchLine
from playground.core.catalog import lookup
from playground.core.cost import cost_range
from playground.core.token_estimate import estimate as input_tokens

DAY = date(2026, 12, 1)


def line(n: int, model: str = "gpt-4o-mini", most: int | None = 100) -> BatchLine:
    body: dict[str, object] = {"model": model, "messages": [{"role": "user", "content": "x" * 40}]}
    if most is not None:
        body["max_completion_tokens"] = most
    return BatchLine(f"e|a|r{n}", "/v1/chat/completions", body)


def test_the_batch_price_is_the_interactive_one_times_the_batch_factor() -> None:
    files = [[line(i) for i in range(3)], [line(i + 3) for i in range(2)]]
    found = estimate(files, DAY)
    assert (found.requests, found.batches) == (5, 2)
    one = input_tokens("chat", files[0][0].body)
    assert found.input_tokens == 5 * one
    info = lookup("gpt-4o-mini")
    low, high = cost_range(info, one, 100, None, DAY) or (0, 0)
    assert found.interactive == pytest.approx((5 * low, 5 * high))
    factor = info.tier_factor("batch", DAY) or 0.5
    assert factor < 1
    assert found.batch == pytest.approx((5 * low * factor, 5 * high * factor))
    assert found.batch[1] < found.interactive[1] and found.unpriced == []


def test_a_model_without_a_price_is_named_and_left_out_of_the_sums() -> None:
    found = estimate([[line(0), line(1, model="gpt-nope-1")]], DAY)
    assert found.unpriced == ["gpt-nope-1"] and found.requests == 2
    alone = estimate([[line(0)]], DAY)
    assert found.batch == pytest.approx(alone.batch)
    text = describe(found)
    assert text.startswith("2 requests in 1 batch, about ")
    assert "No price known for gpt-nope-1" in text


def test_dollars_shows_one_figure_when_the_range_is_flat() -> None:
    assert dollars((0.0000121, 0.0000121)) == "$0.000012"
    assert dollars((0.0000121, 0.031)) == "$0.000012 – $0.0310"
    assert dollars((1.5, 2.25)) == "$1.50 – $2.25"


def test_one_request_reads_in_the_singular() -> None:
    assert describe(estimate([[line(1)]])).startswith("1 request in 1 batch, about ")
