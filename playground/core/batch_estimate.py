"""What a set of Batch API files will cost, before it is sent: the requests, the batches, and
the cost range at the batch price beside the same requests run interactively.

Each line's input tokens are estimated locally (core.token_estimate: about four characters
a token, so always an estimate); its output is unknown before it runs, so the cost is a range
from the input alone up to the input plus the most output the request allows
(core.cost.cost_range). The batch price is the catalog's `tiers.batch` factor of a model,
else core.batch_results.BATCH_FACTOR (the Batch guide's general 50%).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from playground.core.batch_requests import URLS, BatchLine
from playground.core.batch_results import BATCH_FACTOR
from playground.core.catalog import lookup
from playground.core.cost import cost_range
from playground.core.counts import counted
from playground.core.token_estimate import estimate as input_tokens

_API_OF = {url: api for api, url in URLS.items()}
_MAX_OUTPUT = ("max_output_tokens", "max_completion_tokens", "max_tokens")


@dataclass(frozen=True)
class BatchEstimate:
    """`requests` in `batches` files; `batch` and `interactive`: (low, high) US dollars of
    the priced requests; `unpriced`: the models the catalog has no price for (their
    requests are not in the sums)."""

    requests: int
    batches: int
    input_tokens: int
    batch: tuple[float, float] = (0.0, 0.0)
    interactive: tuple[float, float] = (0.0, 0.0)
    unpriced: list[str] = field(default_factory=list)


def estimate(files: Sequence[Sequence[BatchLine]], day: date | None = None) -> BatchEstimate:
    """The estimate of sending `files` (core.batch_check.split's output) on `day`."""
    when = day or date.today()
    low = high = blow = bhigh = 0.0
    tokens = 0
    unpriced: dict[str, None] = {}
    for line in (line for f in files for line in f):
        api = _API_OF.get(line.url, "chat")
        n = input_tokens(api, line.body)
        tokens += n
        info = lookup(line.model)
        most = next((line.body[k] for k in _MAX_OUTPUT if isinstance(line.body.get(k), int)), None)
        found = cost_range(info, n, most, None, when)
        if found is None:
            unpriced[line.model] = None
            continue
        factor = info.tier_factor("batch", when)
        factor = factor if factor is not None else BATCH_FACTOR
        low, high = low + found[0], high + found[1]
        blow, bhigh = blow + found[0] * factor, bhigh + found[1] * factor
    count = sum(len(f) for f in files)
    return BatchEstimate(count, len(files), tokens, (blow, bhigh), (low, high), list(unpriced))


def usd(amount: float) -> str:
    """ "$1.25", "$0.0310", "$0.000012": enough decimals to show a small amount."""
    return (
        f"${amount:.2f}"
        if amount >= 1
        else f"${amount:.4f}"
        if amount >= 0.01
        else (f"${amount:.6f}")
    )


def dollars(span: tuple[float, float]) -> str:
    """ "$0.000012" or "$0.000012 – $0.0310"."""
    low, high = usd(span[0]), usd(span[1])
    return low if low == high else f"{low} – {high}"


def describe(found: BatchEstimate) -> str:
    """The confirmation's text: "6 requests in 1 batch. Estimated cost: …"."""
    lines = [
        f"{counted(found.requests, 'request')} in {counted(found.batches, 'batch')}, about "
        f"{found.input_tokens:,} input tokens (an estimate).",
        f"Estimated cost at the batch price: {dollars(found.batch)} "
        f"(interactive: {dollars(found.interactive)}). The output is not known before it "
        "runs: the range goes up to the most output each request allows.",
        "The Batch API answers within 24 hours, often much sooner; the results land on the "
        "matrix as they are collected.",
    ]
    if found.unpriced:
        lines.append(f"No price known for {', '.join(found.unpriced)}: not in the estimate.")
    return "\n\n".join(lines)
