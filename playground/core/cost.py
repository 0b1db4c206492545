"""What a request costs: the catalog's prices applied to token counts.

Billing rules (models-2026-11.md section 1.12, from OpenAI's model and pricing pages, checked
2026-11-30):
- input tokens split into uncached, cached (read from the prompt cache) and cache-write
  tokens (written to it; billed from GPT-5.6 on at the cache-write rate, else as input);
- output tokens include reasoning tokens, all at the output rate;
- above a model's long-context threshold the WHOLE request is billed at the long-context
  factors (input and cached input x input factor, output x output factor);
- a service tier multiplies every rate (batch and flex 0.5, priority/fast about 2, ...);
- prices change over time: the price in force on the day of the request applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from playground.core.catalog import ModelInfo
from playground.core.events import Usage


@dataclass(frozen=True, slots=True)
class Cost:
    """US dollars, split by line. `tier_factor` and `long_context` say what was applied;
    `tier_known` is False when the tier's price is not known (Standard was used)."""

    input: float
    cached_input: float
    cache_write: float
    output: float
    tier_factor: float
    tier_known: bool
    long_context: bool
    price_since: str

    @property
    def total(self) -> float:
        return self.input + self.cached_input + self.cache_write + self.output


def cost(
    info: ModelInfo, usage: Usage, tier: str | None = None, day: date | None = None
) -> Cost | None:
    """The cost of one request with `usage` on `day` (today by default) at service tier
    `tier` (the tier the response reports, or the one requested); None without a price."""
    when = day or date.today()
    price = info.price_on(when)
    if price is None:
        return None
    factor = info.tier_factor(tier, when)
    tier_known = factor is not None
    factor = factor if factor is not None else 1.0
    lc = info.long_context
    long = lc is not None and usage.input_tokens > lc.above
    in_factor = lc.input if long and lc else 1.0
    out_factor = lc.output if long and lc else 1.0
    cached_rate = price.cached_input if price.cached_input is not None else price.input
    write_rate = price.cache_write if price.cache_write is not None else price.input
    cached = min(usage.cached_tokens, usage.input_tokens)
    written = min(usage.cache_write_tokens, usage.input_tokens - cached)
    uncached = max(usage.input_tokens - cached - written, 0)
    scale = factor / 1e6
    return Cost(
        input=uncached * price.input * in_factor * scale,
        cached_input=cached * cached_rate * in_factor * scale,
        cache_write=written * write_rate * in_factor * scale,
        output=usage.output_tokens * price.output * out_factor * scale,
        tier_factor=factor,
        tier_known=tier_known,
        long_context=long,
        price_since=price.since,
    )


def cost_range(
    info: ModelInfo,
    input_tokens: int,
    max_output_tokens: int | None,
    tier: str | None = None,
    day: date | None = None,
) -> tuple[float, float] | None:
    """(low, high) US dollars before sending: the input alone, up to the input plus the most
    output tokens the request allows (its max output tokens, capped at the model's maximum,
    which includes reasoning tokens; the model's maximum when the request sets none). None
    without a price; with no limit known at all the input cost is both ends."""
    low = cost(info, Usage(input_tokens=input_tokens), tier, day)
    if low is None:
        return None
    limits = [n for n in (max_output_tokens, info.max_output) if n]
    most = min(limits) if limits else 0  # the model never writes more than its maximum
    high = cost(info, Usage(input_tokens=input_tokens, output_tokens=most), tier, day)
    assert high is not None
    return low.total, high.total


def of_run(model_id: str, usage: Usage, day: date | None = None) -> Cost | None:
    """The cost of a run of `model_id` (as the response named it) with `usage`, at the service
    tier the response reported (`usage.service_tier`) and the price in force on `day` (the
    run's date; today by default). None without a price."""
    from playground.core.catalog import lookup

    return cost(lookup(model_id), usage, usage.service_tier, day)


def describe(found: Cost | None, tier: str | None = None) -> str:
    """ "$0.000123", with what was applied: "$0.000246 (priority x2)", "(long context)", or
    "(flex price not known: Standard)"; "n/a" without a price."""
    if found is None:
        return "n/a"
    notes = []
    if not found.tier_known:
        notes.append(f"{tier} price not known: Standard")
    elif found.tier_factor != 1.0:
        notes.append(f"{tier} x{found.tier_factor:g}")
    if found.long_context:
        notes.append("long context")
    return f"${found.total:.6f}" + (f" ({', '.join(notes)})" if notes else "")
