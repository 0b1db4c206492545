"""The context-window meter's figures and the finding when the input is too large."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from playground.core import catalog
from playground.core.catalog import ModelInfo
from playground.core.request_size import CONTEXT_EXCEEDED, context_finding, fill, input_limit

GPT6 = ModelInfo(
    id="gpt-6-x", entry_id="gpt-6-x", family="t", context_window=1_050_000, max_input=922_000
)
OLD = ModelInfo(id="old", entry_id="old", family="t", context_window=128_000)


def test_the_limit_is_the_maximum_input_else_the_context_window() -> None:
    assert input_limit(GPT6) == 922_000
    assert input_limit(OLD) == 128_000
    assert input_limit(catalog.unknown("my-model")) is None
    assert fill(461_000, GPT6) == 0.5
    assert fill(10, catalog.unknown("my-model")) is None


def test_over_the_maximum_input_is_an_error_when_counted() -> None:
    assert context_finding(922_000, GPT6) is None  # at the limit is fine
    over = context_finding(922_001, GPT6)
    assert over is not None and over.severity == "error" and over.code == CONTEXT_EXCEEDED
    assert "922,001" in over.message and "922,000" in over.message
    estimated = context_finding(922_001, GPT6, exact=False)
    assert estimated is not None and estimated.severity == "warning"
    assert "about 922,001" in estimated.message
    assert context_finding(10**9, catalog.unknown("my-model")) is None


@given(st.integers(0, 3_000_000), st.booleans())
def test_a_finding_exactly_when_the_meter_is_past_full(tokens: int, exact: bool) -> None:
    for info in (GPT6, OLD):
        found = context_finding(tokens, info, exact)
        assert (found is not None) == ((fill(tokens, info) or 0) > 1)
