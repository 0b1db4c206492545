"""The model catalog: what each known model accepts, costs and supports, read from models.json.

Rules live in the data (families and their accepted parameters), not in branches on model
names. An id the catalog does not know is allowed and treated permissively.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

ApiName = Literal["responses", "chat"]

# Parameters every model accepts, whatever its family.
_COMMON = frozenset(
    {
        "max_output_tokens",
        "store",
        "metadata",
        "service_tier",
        "previous_response_id",
        "parallel_tool_calls",
    }
)
# Parameters that exist in one API only; the other API has no such field.
API_ONLY: dict[str, ApiName] = {
    "presence_penalty": "chat",
    "frequency_penalty": "chat",
    "stop": "chat",
    "seed": "chat",
    "n": "chat",
    "previous_response_id": "responses",
    "reasoning_summary": "responses",
}


@dataclass(frozen=True, slots=True)
class Price:
    """US dollars per one million tokens."""

    input: float
    cached_input: float | None
    output: float
    checked: str


@dataclass(frozen=True, slots=True)
class Range:
    low: float | None
    high: float | None
    default: float | None


@dataclass(frozen=True, slots=True)
class ModelInfo:
    id: str
    family: str
    reasoning: bool
    params: frozenset[str]
    max_tokens_param_chat: str
    efforts: tuple[str, ...]
    verbosity: bool
    reasoning_summary: bool
    modalities: tuple[str, ...]
    context_window: int | None
    max_output: int | None
    price: Price | None
    apis: tuple[ApiName, ...]
    known: bool = True
    badges: tuple[str, ...] = field(default=())

    def accepts(self, param: str) -> bool:
        """Whether this model takes `param` (a Parameters field name) at all."""
        if not self.known or param in _COMMON:
            return True
        if param == "reasoning_effort":
            return bool(self.efforts)
        if param == "reasoning_summary":
            return self.reasoning_summary
        if param == "verbosity":
            return self.verbosity
        return param in self.params

    @property
    def vision(self) -> bool:
        return "image" in self.modalities


@cache
def _data() -> dict[str, Any]:
    text = resources.files("playground.core").joinpath("models.json").read_text("utf-8")
    return dict(json.loads(text))


def ranges() -> dict[str, Range]:
    """Range and default of each numeric parameter."""
    return {k: Range(*v) for k, v in _data()["ranges"].items()}


def _build(entry: dict[str, Any]) -> ModelInfo:
    fam = _data()["families"][entry["family"]]
    price = entry.get("price")
    info = ModelInfo(
        id=entry["id"],
        family=entry["family"],
        reasoning=fam["reasoning"],
        params=frozenset(entry.get("params", fam["params"])),
        max_tokens_param_chat=fam["max_tokens_param_chat"],
        efforts=tuple(entry.get("efforts", fam["efforts"])),
        verbosity=fam["verbosity"],
        reasoning_summary=fam["summary"],
        modalities=tuple(entry.get("modalities", fam["modalities"])),
        context_window=entry.get("context_window"),
        max_output=entry.get("max_output"),
        price=Price(**price) if price else None,
        apis=tuple(entry["apis"]),
    )
    badges = ["reasoning"] if info.reasoning else []
    badges += ["vision"] if info.vision else []
    badges += ["tools", "structured"]
    return ModelInfo(**{**_asdict(info), "badges": tuple(badges)})


def _asdict(info: ModelInfo) -> dict[str, Any]:
    return {f: getattr(info, f) for f in info.__dataclass_fields__}


@cache
def models() -> tuple[ModelInfo, ...]:
    """Every catalog model, in catalog order."""
    return tuple(_build(e) for e in _data()["models"])


def unknown(model_id: str) -> ModelInfo:
    """A permissive entry for an id the catalog does not know (custom endpoints, new models)."""
    return ModelInfo(
        id=model_id,
        family="custom",
        reasoning=False,
        params=frozenset(),
        max_tokens_param_chat="max_tokens",
        efforts=(),
        verbosity=True,
        reasoning_summary=True,
        modalities=("text", "image"),
        context_window=None,
        max_output=None,
        price=None,
        apis=("chat", "responses"),
        known=False,
    )


def lookup(model_id: str) -> ModelInfo:
    """The catalog entry for `model_id`; dated snapshots (gpt-4o-2024-08-06) map to their base."""
    by_id = {m.id: m for m in models()}
    if model_id in by_id:
        return by_id[model_id]
    base = _strip_snapshot(model_id)
    if base in by_id:
        found = by_id[base]
        return ModelInfo(**{**_asdict(found), "id": model_id})
    return unknown(model_id)


def _strip_snapshot(model_id: str) -> str:
    parts = model_id.split("-")
    # gpt-4o-2024-08-06 -> gpt-4o ; o3-mini-2025-01-31 -> o3-mini
    if len(parts) > 3 and all(p.isdigit() for p in parts[-3:]):
        return "-".join(parts[:-3])
    return model_id


def cost_usd(
    model_id: str, input_tokens: int, cached_tokens: int, output_tokens: int
) -> float | None:
    """Estimated cost of one request, or None when the model's price is not known."""
    info = lookup(model_id)
    if info.price is None:
        return None
    p = info.price
    cached_rate = p.cached_input if p.cached_input is not None else p.input
    uncached = max(input_tokens - cached_tokens, 0)
    return (uncached * p.input + cached_tokens * cached_rate + output_tokens * p.output) / 1e6
