"""Reading the fields of SDK stream objects that a server may have left out or left empty.

The app's client does not validate responses strictly, so a missing field reads as None (or is
absent); these helpers give the value the app keeps, never raising on a missing field.
"""

from __future__ import annotations

from typing import Any

from playground.core.events import TokenLogprob, Usage
from playground.core.text import scrub


def raw_of(value: Any) -> str:
    """A delta's text as sent (a surrogate half kept for the stream's SurrogateJoiner)."""
    return value if isinstance(value, str) else ""


def text_of(value: Any) -> str:
    """A string field as the app keeps it: None and non-strings are "", surrogates scrubbed."""
    return scrub(value) if isinstance(value, str) else ""


def logprobs_of(entries: Any) -> tuple[TokenLogprob, ...]:
    if not entries:
        return ()
    return tuple(
        TokenLogprob(
            text_of(getattr(e, "token", None)),
            float(getattr(e, "logprob", 0.0) or 0.0),
            tuple(
                (text_of(getattr(t, "token", None)), float(getattr(t, "logprob", 0.0) or 0.0))
                for t in (getattr(e, "top_logprobs", None) or ())
            ),
        )
        for e in entries
    )


def int_of(value: Any) -> int:
    return value if isinstance(value, int) else 0


def chat_usage(usage: Any, service_tier: Any = None) -> Usage | None:
    """Usage of a chat chunk or completion, billed at `service_tier` (the chunk's or
    completion's `service_tier`); None when it counts nothing (an empty object)."""
    return _usage(usage, "prompt", "completion", service_tier)


def responses_usage(usage: Any, service_tier: Any = None) -> Usage | None:
    """Usage of a Response, billed at `service_tier` (the Response's); None when it counts
    nothing."""
    return _usage(usage, "input", "output", service_tier)


def _usage(usage: Any, inp: str, out: str, service_tier: Any) -> Usage | None:
    """Usage from `{inp}_tokens`, `{out}_tokens` and their `_tokens_details` (the two APIs
    name the same counts prompt/completion and input/output). Cache writes are
    `input_tokens_details.cache_write_tokens` (spec ResponseUsage, 2.3.0); a server that does
    not send them wrote nothing it bills for."""
    details = getattr(usage, f"{inp}_tokens_details", None)
    found = Usage(
        input_tokens=int_of(getattr(usage, f"{inp}_tokens", 0)),
        cached_tokens=int_of(getattr(details, "cached_tokens", 0)),
        output_tokens=int_of(getattr(usage, f"{out}_tokens", 0)),
        reasoning_tokens=int_of(
            getattr(getattr(usage, f"{out}_tokens_details", None), "reasoning_tokens", 0)
        ),
        cache_write_tokens=int_of(getattr(details, "cache_write_tokens", 0)),
        service_tier=text_of(service_tier) or None,
    )
    return found if found.total_tokens else None
