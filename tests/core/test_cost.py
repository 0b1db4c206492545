"""What a request costs: service tiers, cache writes, long context, price history, ranges.

Prices here are made up for the test (a ModelInfo built in place), so the figures are exact
whatever the shipped catalog says; the rules are models-2026-11.md section 1.12.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from playground.core import catalog
from playground.core.catalog import LongContext, ModelInfo, PricePoint
from playground.core.cost import cost, cost_range, describe, of_run
from playground.core.events import Usage

M = 1_000_000
DAY = date(2026, 11, 30)


LONG = LongContext(272_000, 2.0, 1.5)


def model(**over: object) -> ModelInfo:
    """A GPT-6-like entry: $2 in, $0.20 cached, $2.50 cache write, $10 out per 1M tokens
    (long-context pricing only where a test passes `long_context=LONG`)."""
    fields: dict[str, object] = {
        "id": "test-model",
        "entry_id": "test-model",
        "family": "test",
        "max_output": 128_000,
        "context_window": 1_050_000,
        "max_input": 922_000,
        "prices": (PricePoint("2026-01-01", 2.0, 0.2, 2.5, 10.0),),
        "long_context": None,
        "tiers": {
            "batch": (("0001-01-01", 0.5),),
            "flex": (("0001-01-01", 0.5),),
            "priority": (("0001-01-01", 2.0),),
            "ultrafast": (("2026-11-17", 3.0), ("2027-03-01", 6.0)),
        },
    }
    fields.update(over)
    return ModelInfo(**fields)  # type: ignore[arg-type]


def total(info: ModelInfo, usage: Usage, tier: str | None = None, day: date = DAY) -> float:
    found = cost(info, usage, tier, day)
    assert found is not None
    return found.total


def test_standard_tier_splits_uncached_cached_and_output() -> None:
    found = cost(model(), Usage(input_tokens=M, cached_tokens=M // 2, output_tokens=M), None, DAY)
    assert found is not None
    assert found.input == pytest.approx(1.0)  # 500k uncached x $2
    assert found.cached_input == pytest.approx(0.1)  # 500k cached x $0.20
    assert found.output == pytest.approx(10.0)
    assert found.total == pytest.approx(11.1)
    assert found.tier_factor == 1.0 and found.tier_known and not found.long_context


@pytest.mark.parametrize(
    ("tier", "factor"),
    [
        (None, 1.0),
        ("auto", 1.0),
        ("default", 1.0),
        ("batch", 0.5),
        ("flex", 0.5),
        ("priority", 2.0),
        ("fast", 2.0),  # "fast" is the new name of priority
    ],
)
def test_service_tier_multiplies_every_line(tier: str | None, factor: float) -> None:
    usage = Usage(input_tokens=M, cached_tokens=M // 4, output_tokens=M, cache_write_tokens=M // 4)
    standard = total(model(), usage)
    found = cost(model(), usage, tier, DAY)
    assert found is not None
    assert found.total == pytest.approx(standard * factor)
    assert found.tier_factor == factor and found.tier_known


def test_ultrafast_factor_follows_its_dates() -> None:
    usage = Usage(input_tokens=M, output_tokens=M)
    standard = total(model(), usage)
    assert total(model(), usage, "ultrafast", date(2027, 2, 28)) == pytest.approx(3 * standard)
    assert total(model(), usage, "ultrafast", date(2027, 3, 1)) == pytest.approx(6 * standard)


def test_unknown_tier_says_so_and_prices_at_standard() -> None:
    usage = Usage(input_tokens=M, output_tokens=M)
    for tier in ("scale", "ultrafast"):
        info = model(tiers={}) if tier == "ultrafast" else model()
        found = cost(info, usage, tier, DAY)
        assert found is not None
        assert not found.tier_known
        assert found.total == pytest.approx(total(model(), usage))
        assert describe(found, tier).endswith(f"({tier} price not known: Standard)")


def test_cache_writes_bill_at_the_cache_write_rate() -> None:
    found = cost(model(), Usage(input_tokens=M, cache_write_tokens=M // 2), None, DAY)
    assert found is not None
    assert found.cache_write == pytest.approx(1.25)  # 500k x $2.50
    assert found.input == pytest.approx(1.0)  # the other 500k uncached
    # a model with no cache-write line bills written tokens as plain input
    plain = model(prices=(PricePoint("2026-01-01", 2.0, 0.2, None, 10.0),))
    assert total(plain, Usage(input_tokens=M, cache_write_tokens=M // 2)) == pytest.approx(2.0)


def test_cache_counts_never_exceed_the_input() -> None:
    # a server that reports more cached + written than input: never a negative uncached line
    found = cost(model(), Usage(input_tokens=100, cached_tokens=80, cache_write_tokens=80), None)
    assert found is not None
    assert found.input == 0
    assert found.cached_input == pytest.approx(80 * 0.2 / M)
    assert found.cache_write == pytest.approx(20 * 2.5 / M)


def test_long_context_prices_the_whole_request_above_the_threshold_only() -> None:
    at = Usage(input_tokens=272_000, cached_tokens=72_000, output_tokens=10_000)
    above = Usage(input_tokens=272_001, cached_tokens=72_000, output_tokens=10_000)
    short = cost(model(long_context=LONG), at, None, DAY)
    long = cost(model(long_context=LONG), above, None, DAY)
    assert short is not None and long is not None
    assert not short.long_context and long.long_context  # the threshold is exclusive
    assert long.input == pytest.approx(200_001 * 2.0 * 2 / M)  # every input token x2
    assert long.cached_input == pytest.approx(72_000 * 0.2 * 2 / M)
    assert long.output == pytest.approx(10_000 * 10.0 * 1.5 / M)
    assert describe(long, None).endswith("(long context)")
    # a model without long-context pricing never switches
    flat = cost(model(), above, None, DAY)
    assert flat is not None and not flat.long_context


def test_long_context_and_tier_combine() -> None:
    usage = Usage(input_tokens=300_000, output_tokens=1_000)
    info = model(long_context=LONG)
    assert total(info, usage, "batch") == pytest.approx(total(info, usage) * 0.5)
    assert total(info, usage, "batch") == pytest.approx((300_000 * 4 + 1_000 * 15) / M / 2)


def test_a_run_before_a_price_change_costs_the_old_price() -> None:
    info = model(
        prices=(
            PricePoint("2026-01-01", 4.0, 0.4, None, 20.0),
            PricePoint("2026-06-01", 2.0, 0.2, None, 10.0),
        )
    )
    usage = Usage(input_tokens=M, output_tokens=M)
    assert total(info, usage, day=date(2026, 5, 31)) == pytest.approx(24.0)
    assert total(info, usage, day=date(2026, 6, 1)) == pytest.approx(12.0)
    old = cost(info, usage, None, date(2026, 5, 31))
    assert old is not None and old.price_since == "2026-01-01"


def test_no_price_no_cost() -> None:
    assert cost(model(prices=()), Usage(input_tokens=10), None, DAY) is None
    assert cost_range(model(prices=()), 10, 100) is None
    assert describe(None) == "n/a"
    assert of_run("a-model-nobody-knows", Usage(input_tokens=10)) is None


def test_cost_range_runs_from_the_input_to_the_most_output() -> None:
    found = cost_range(model(), 1_000, 2_000, None, DAY)
    assert found == (pytest.approx(1_000 * 2 / M), pytest.approx((1_000 * 2 + 2_000 * 10) / M))
    # no max output tokens: the model's maximum output (reasoning included)
    low, high = cost_range(model(), 1_000, None, None, DAY) or (0, 0)
    assert high == pytest.approx((1_000 * 2 + 128_000 * 10) / M)
    # a limit above the model's maximum: the model never writes more than its maximum
    assert cost_range(model(), 1_000, 10**9, None, DAY) == (low, high)
    # the tier applies to both ends
    batch = cost_range(model(), 1_000, 2_000, "batch", DAY)
    assert batch == (pytest.approx(found[0] / 2), pytest.approx(found[1] / 2))  # type: ignore[index]


def test_of_run_uses_the_tier_the_response_reported() -> None:
    usage = Usage(input_tokens=M, output_tokens=M)
    luna = catalog.lookup("gpt-6-luna")
    standard = of_run("gpt-6-luna", usage, DAY)
    priority = of_run("gpt-6-luna", Usage(M, 0, M, service_tier="priority"), DAY)
    assert standard is not None and priority is not None
    assert luna.tier_factor("priority", DAY) is not None
    assert priority.total == pytest.approx(standard.total * (luna.tier_factor("priority") or 0))
    assert describe(priority, "priority").startswith(f"${priority.total:.6f} (priority x")


counts = st.integers(0, 2_000_000)
tiers = st.sampled_from([None, "auto", "default", "batch", "flex", "priority", "fast", "scale"])


@given(counts, counts, counts, counts, tiers, st.dates(date(2025, 1, 1), date(2028, 1, 1)))
def test_cost_is_never_negative_and_grows_with_output(
    inp: int, cached: int, written: int, out: int, tier: str | None, day: date
) -> None:
    info = model(long_context=LONG)
    usage = Usage(inp, cached, out, cache_write_tokens=written)
    found = cost(info, usage, tier, day)
    assert found is not None
    assert min(found.input, found.cached_input, found.cache_write, found.output) >= 0
    more = cost(info, Usage(inp, cached, out + 1, cache_write_tokens=written), tier, day)
    assert more is not None and more.total > found.total
    low, high = cost_range(info, inp, out or None, tier, day) or (0.0, 0.0)
    assert 0 <= low <= high
