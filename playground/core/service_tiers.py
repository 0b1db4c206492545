"""Service tiers: which values each API takes, which models offer flex, and how long a request
at a tier may take.

Values: tests/data/openapi.json (spec 2.3.0, checked 2026-12-01): `ServiceTier`
(CreateChatCompletionRequest.service_tier) lists auto, default, flex, scale, priority, fast;
`ServiceTierResponses` (CreateResponse.service_tier) adds ultrafast. The response reports the
tier it actually used (`fast` is reported as `priority`).

Flex: developers.openai.com/api/docs/guides/flex-processing (checked 2026-12-01): priced at
Batch API rates; slower, so the guide raises the client timeout "to 15 minutes (from 10
minutes)" (`timeout=900.0`, per request with `client.with_options(timeout=900.0)`); when
capacity is short it answers 429 "Resource Unavailable". Which models offer it: the catalog
entry's `tiers.flex` price factor (models-2026-11.md section 1.12, "Flex limited to listed
models").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from playground.core.catalog import ModelInfo

if TYPE_CHECKING:
    from playground.core.workspace import Workspace

CHAT_TIERS = ("auto", "default", "flex", "scale", "priority", "fast")
"""`ServiceTier` enum, in the spec's order (Chat Completions)."""
RESPONSES_TIERS = (*CHAT_TIERS, "ultrafast")
"""`ServiceTierResponses` enum, in the spec's order (Responses)."""

FLEX = "flex"
FLEX_TIMEOUT_S = 900.0
"""Seconds a flex request may take: the flex guide's 15 minutes (see the module docstring)."""


def tiers_for(api: str) -> tuple[str, ...]:
    """The service_tier values `api` ("chat" or "responses") accepts, in the spec's order."""
    return RESPONSES_TIERS if api == "responses" else CHAT_TIERS


def offers(info: ModelInfo, tier: str | None) -> bool | None:
    """Whether the model `info` offers `tier`: True or False from the catalog's `tiers`
    prices for flex; None when the catalog cannot say (an unknown model, or a tier other
    than flex, which this does not judge)."""
    if tier != FLEX or not info.known:
        return None
    return FLEX in info.tiers


def timeout_for(tier: str | None, profile_timeout: float | None) -> float | None:
    """The per-request timeout in seconds for a request at `tier`: for flex, the larger of
    FLEX_TIMEOUT_S and the profile's own `profile_timeout` (a user who set a longer one keeps
    it); None for any other tier (the client's own timeout applies)."""
    if tier != FLEX:
        return None
    return max(FLEX_TIMEOUT_S, profile_timeout or 0.0)


def on_default_tier(ws: Workspace) -> Workspace:
    """`ws` with service_tier "default" (Standard processing and price): what "Run on the
    default tier" runs when flex is short of capacity."""
    return ws.model_copy(
        update={"params": ws.params.model_copy(update={"service_tier": "default"})}
    )
