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
    output tokens the request allows (its max output tokens, else the model's maximum, which
    includes reasoning tokens). None without a price; high is None-free: with no limit at all
    the model's maximum output is used, and with neither the input cost is both ends."""
    low = cost(info, Usage(input_tokens=input_tokens), tier, day)
    if low is None:
        return None
    most = max_output_tokens or info.max_output or 0
    high = cost(info, Usage(input_tokens=input_tokens, output_tokens=most), tier, day)
    assert high is not None
    return low.total, high.total
