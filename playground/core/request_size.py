"""How much of a model's context a request fills, and the finding when it is too much.

A model reads at most `max_input` tokens (the context window less the room kept for the
output, e.g. GPT-6: 1,050,000 context, 922,000 input, 128,000 output; models-2026-11.md,
official model pages, checked 2026-11-30). Where the catalog gives no maximum input, the
context window is the limit.
"""

from __future__ import annotations

from playground.core.catalog import ModelInfo
from playground.core.findings import Finding

CONTEXT_EXCEEDED = "context_exceeded"


def input_limit(info: ModelInfo) -> int | None:
    """The most input tokens `info` takes, or None when the catalog does not say."""
    return info.max_input or info.context_window or None


def fill(tokens: int, info: ModelInfo) -> float | None:
    """`tokens` as a fraction of the model's input limit (above 1: too many); None unknown."""
    limit = input_limit(info)
    return tokens / limit if limit else None


def context_finding(tokens: int, info: ModelInfo, exact: bool = True) -> Finding | None:
    """A finding when `tokens` input tokens exceed what `info` takes, else None.

    Counted by the server (`exact`), it is an error: the API would refuse the request, so Run
    is blocked. An estimate can be wrong either way, so over the limit it is a warning."""
    limit = input_limit(info)
    if limit is None or tokens <= limit:
        return None
    about = "" if exact else "about "
    return Finding(
        "messages",
        "error" if exact else "warning",
        f"The input is {about}{tokens:,} tokens; {info.id} takes at most {limit:,} input "
        "tokens. Shorten the conversation or choose a model with a larger context window.",
        CONTEXT_EXCEEDED,
    )
