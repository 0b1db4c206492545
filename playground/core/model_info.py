"""The catalog's entry types: a model's facts, prices, lifecycle and conditional rules.

What the fields mean, and where the facts come from, is described in catalog.py and in
catalog.schema.json; catalog.py loads the data into these types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

ApiName = Literal["responses", "chat"]
Status = Literal["active", "deprecated", "shut_down"]

# Pseudo parameters a rule may name besides the Parameters fields.
PSEUDO = frozenset({"function_tools", "hosted_tools"})
_UNSUPPORTED = "Unsupported parameter: '{param}' is not supported with this model."
# "fast" is the new name of "priority" (openai.com/api-fast-mode, checked 2026-11-30).
_TIER_ALIASES = {"fast": "priority"}


class CatalogError(Exception):
    """A catalog file that cannot be used: `message` says what, at 1-based `line`:`column`
    of `path` when known."""

    def __init__(
        self, message: str, path: str = "", line: int | None = None, column: int | None = None
    ) -> None:
        where = f"{path}:{line}:{column}: " if line is not None else (f"{path}: " if path else "")
        super().__init__(f"{where}{message}")
        self.message = message
        self.path = path
        self.line = line
        self.column = column


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    url: str
    kind: str


@dataclass(frozen=True, slots=True)
class PricePoint:
    """US dollars per one million tokens, Standard tier, from `since` (ISO date) on."""

    since: str
    input: float
    cached_input: float | None
    cache_write: float | None
    output: float


@dataclass(frozen=True, slots=True)
class LongContext:
    """Above `above` input tokens, the whole request costs `input` x the input and cached
    input rates and `output` x the output rate."""

    above: int
    input: float
    output: float


@dataclass(frozen=True, slots=True)
class Lifecycle:
    announced: str | None = None
    shutdown: str | None = None
    replacement: str | None = None
    replacement_note: str | None = None
    # How the suggested replacement changed over time (provenance; not shown as advice).
    history: str | None = None

    def status(self, today: date | None = None) -> Status:
        """active, deprecated (a shutdown date ahead) or shut_down (that date reached)."""
        if self.shutdown is None:
            return "active"
        day = today or date.today()
        return "shut_down" if date.fromisoformat(self.shutdown) <= day else "deprecated"


@dataclass(frozen=True, slots=True)
class Rule:
    """A parameter (or value of one) a model takes only under a condition, or never.

    `params` are Parameters fields or PSEUDO names; `values`, when set, limits the rule to
    those values; `api` to one API; `only_when` maps facts (Parameters fields at their
    effective value, "function_tools", "api") to the values that allow the params. No
    `only_when` means never. `error_*` is the API's 400 answer ({param}, {model}, {value})."""

    params: tuple[str, ...]
    values: tuple[Any, ...] | None = None
    api: ApiName | None = None
    only_when: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    error_message: str = _UNSUPPORTED
    error_code: str | None = "unsupported_parameter"
    error_param: str | None = None
    source: str = ""
    note: str = ""

    def describe_condition(self) -> str:
        """ "only with reasoning_effort none", "not in Chat Completions", ..."""
        where = {"chat": " in Chat Completions", "responses": " in Responses"}.get(
            self.api or "", ""
        )
        if not self.only_when:
            return f"not{where}" if where else "never"
        parts = []
        for name, allowed in self.only_when:
            if name == "function_tools":
                parts.append("with function tools" if True in allowed else "without function tools")
            else:
                parts.append(f"with {name} {' or '.join(str(v) for v in allowed)}")
        return f"only {' and '.join(parts)}{where}"


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """One catalog entry, as looked up by `id` (which may be a snapshot or alias of it)."""

    id: str
    entry_id: str
    family: str
    known: bool = True
    reasoning: bool = False
    efforts: tuple[str, ...] = ()
    default_effort: str | None = None
    summary: bool = False
    verbosity: tuple[str, ...] = ()
    params: frozenset[str] = frozenset()
    fixed: dict[str, Any] = field(default_factory=dict)
    rules: tuple[Rule, ...] = ()
    apis: tuple[str, ...] = ("responses", "chat")
    chat_token_param: str = "max_completion_tokens"
    context_window: int | None = None
    max_input: int | None = None
    max_output: int | None = None
    input_modalities: tuple[str, ...] = ("text", "image")
    output_modalities: tuple[str, ...] = ("text",)
    tools: tuple[str, ...] = ()
    prices: tuple[PricePoint, ...] = ()
    long_context: LongContext | None = None
    tiers: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)
    lifecycle: Lifecycle = field(default_factory=Lifecycle)
    sources: dict[str, tuple[str, ...]] = field(default_factory=dict)
    checked: str | None = None
    notes: tuple[str, ...] = ()
    snapshots: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    released: str | None = None

    def accepts(self, param: str) -> bool:
        """Whether this model takes `param` (a Parameters field) at all, in some API."""
        from playground.core.params import model_dependent

        if not self.known or param in PSEUDO or param not in model_dependent():
            return True
        if param == "reasoning_effort":
            return bool(self.efforts)
        if param == "reasoning_summary":
            return self.summary
        if param == "verbosity":
            return bool(self.verbosity)
        return param in self.params or param in self.fixed

    @property
    def vision(self) -> bool:
        return "image" in self.input_modalities

    @property
    def price(self) -> PricePoint | None:
        """Today's price."""
        return self.price_on(date.today())

    def price_on(self, day: date) -> PricePoint | None:
        """The price in force on `day` (the newest point not after it), or None if unknown."""
        found = None
        for point in self.prices:
            if date.fromisoformat(point.since) <= day:
                found = point
        return found or (self.prices[0] if self.prices else None)

    def tier_factor(self, tier: str | None, day: date | None = None) -> float | None:
        """Multiplier on Standard prices for `service_tier`; None when the model has no
        known price for that tier. Standard ("default", "auto", None) is 1."""
        if tier in (None, "default", "auto", "standard"):
            return 1.0
        key = _TIER_ALIASES.get(tier or "", tier or "")
        steps = self.tiers.get(key)
        if not steps:
            return None
        when = day or date.today()
        factor = steps[0][1]
        for since, value in steps:
            if date.fromisoformat(since) <= when:
                factor = value
        return factor

    def status(self, today: date | None = None) -> Status:
        return self.lifecycle.status(today)

    @property
    def badges(self) -> tuple[str, ...]:
        out = ["reasoning"] if self.reasoning else []
        out += ["vision"] if self.vision else []
        if self.known and "function" in self.tools:
            out.append("tools")
        return tuple(out)
