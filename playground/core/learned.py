"""Rules learned from a server's refusals, kept per (provider, model).

When a server answers 400 naming a parameter it does not support (codes such as
`unsupported_parameter` and `unsupported_value`; openai-protocol.md section 4, checked
2026-11-30), the refusal is remembered so the next request leaves that parameter out, with a
finding that says where the rule came from.

Only the error's `status`, `code` and `param` decide (never its message text). OpenAI's
Responses API refuses sampling parameters of reasoning models with `code: null` ("Unsupported
parameter: 'temperature' is not supported with this model.", param `temperature`;
openai-protocol.md section 8, checked 2026-11-30): a null code is read as
`unsupported_parameter` when `param` names a parameter that depends on the model
(`MODEL_DEPENDENT`), and ignored otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from playground.core.errors import Failure
from playground.core.params import model_dependent
from playground.core.wire_names import FUNCTION_TOOLS, field_for_wire
from playground.core.workspace import Workspace

LEARNABLE_CODES = frozenset({"unsupported_parameter", "unsupported_value"})
"""Error codes that say "this model (on this server) does not take this", not "you typed it
wrong" (invalid_type, decimal_above_max_value, ... are not learned)."""
MODEL_DEPENDENT = model_dependent()
"""Parameters some models take and others refuse (Param.model_dependent; the catalog entry
says which): the ones a 400 with a null code is learned for."""
TOKEN_NAMES = ("max_tokens", "max_completion_tokens")
"""Chat's two names of the token limit: a refused one is replaced by the other, not dropped."""


@dataclass(frozen=True, slots=True)
class LearnedRule:
    """One refusal: `provider` (profile name) refused `param` (a Parameters field, or
    "function_tools") for `model`. `wire` is the server's own name for it
    ("reasoning.effort"); `value` the JSON text of the refused value when only that value was
    refused (unsupported_value), else None; `message` what the server said; `learned_on` an
    ISO date."""

    provider: str
    model: str
    param: str
    wire: str
    value: str | None
    code: str | None
    message: str
    learned_on: str

    @property
    def key(self) -> tuple[str, str, str, str, str | None]:
        """What makes two rules the same rule: (provider, model, param, wire, value)."""
        return (self.provider, self.model, self.param, self.wire, self.value)

    def describe(self) -> str:
        """One line for a person: "Learned from P on D: the server refused W (C)"."""
        what = self.wire if self.value is None else f"{self.wire} = {self.value}"
        code = f" ({self.code})" if self.code else ""
        return f"Learned from {self.provider} on {self.learned_on}: the server refused {what}{code}"

    def replacement_name(self) -> str | None:
        """For a refused Chat token-limit name, the other name to send instead; else None."""
        if self.wire in TOKEN_NAMES and self.value is None:
            return TOKEN_NAMES[1 - TOKEN_NAMES.index(self.wire)]
        return None

    def applies_to(self, value: Any) -> bool:
        """Whether this rule refuses sending `value` (a rule without a value refuses any)."""
        return self.value is None or self.value == json_text(value)


def json_text(value: Any) -> str:
    """A value as the compact JSON text rules keep (`LearnedRule.value`)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


_MISSING = object()


def value_at(body: Mapping[str, Any], wire: str) -> Any:
    """The value at the server's `param` path in the JSON body sent ("reasoning.effort",
    "include[0]", "messages.[3].role"), or `_MISSING`."""
    node: Any = body
    for part in wire.replace("[", ".[").split("."):
        if not part:
            continue
        if part.startswith("[") and part.endswith("]"):
            index = part[1:-1]
            if not (isinstance(node, list) and index.isdigit() and int(index) < len(node)):
                return _MISSING
            node = node[int(index)]
        elif isinstance(node, Mapping) and part in node:
            node = node[part]
        else:
            return _MISSING
    return node


def rule_from_failure(
    failure: Failure, provider: str, model: str, sent_body: Mapping[str, Any], today: date
) -> LearnedRule | None:
    """The rule a failed request teaches, or None.

    A rule is learned from a 400 whose `code` is in LEARNABLE_CODES, or is null while `param`
    names a MODEL_DEPENDENT parameter, and whose `param` names a Parameters field (or the
    function tools, when the request sent only function tools) by its wire path
    (core/wire_names.py). For `unsupported_value`, `value` is
    the JSON text of what `sent_body` held at that path (None when it is not there: the
    parameter is then refused at all)."""
    if failure.status != 400 or not failure.param:
        return None
    param = field_for_wire(failure.param)
    if param is None:
        return None
    if param == FUNCTION_TOOLS and not _only_function_tools(sent_body):
        return None  # a refused `tools` may mean a custom, hosted or MCP tool: not learned
    if failure.code is None:
        if param not in MODEL_DEPENDENT:
            return None
    elif failure.code not in LEARNABLE_CODES:
        return None
    value = None
    if failure.code == "unsupported_value":
        found = value_at(sent_body, failure.param)
        value = None if found is _MISSING else json_text(found)
    return LearnedRule(
        provider=provider,
        model=model,
        param=param,
        wire=failure.param,
        value=value,
        code=failure.code,
        message=failure.detail or failure.message,  # what the server said
        learned_on=today.isoformat(),
    )


def _only_function_tools(body: Mapping[str, Any]) -> bool:
    tools = body.get("tools")
    return isinstance(tools, list) and all(
        isinstance(t, Mapping) and t.get("type") == "function" for t in tools
    )


def merge(rules: Iterable[LearnedRule], new: LearnedRule) -> tuple[LearnedRule, ...]:
    """`rules` with `new` added; a rule with the same key is replaced (the newer date and
    message win), so learning the same refusal twice keeps one rule."""
    kept = [r for r in rules if r.key != new.key]
    return (*kept, new)


def forget(rules: Iterable[LearnedRule], rule: LearnedRule) -> tuple[LearnedRule, ...]:
    """`rules` without `rule` (matched by key)."""
    return tuple(r for r in rules if r.key != rule.key)


def forget_model(
    rules: Iterable[LearnedRule], provider: str, model: str
) -> tuple[LearnedRule, ...]:
    """`rules` without any learned from `provider` for `model`."""
    return tuple(r for r in rules if (r.provider, r.model) != (provider, model))


def for_model(rules: Iterable[LearnedRule], provider: str, model: str) -> tuple[LearnedRule, ...]:
    """The rules learned from `provider` for `model` (the model id exactly as sent)."""
    return tuple(r for r in rules if (r.provider, r.model) == (provider, model))


def without(ws: Workspace, rule: LearnedRule) -> Workspace:
    """`ws` changed so that its next request no longer sends what `rule` refuses: the
    parameter unset (for a refused value too), the other Chat token-limit name chosen for a
    refused one, every function tool disabled for refused `tools`."""
    if rule.param == FUNCTION_TOOLS:
        tools = [t.model_copy(update={"enabled": False}) for t in ws.tools]
        return ws.model_copy(update={"tools": tools})
    update: dict[str, Any] = {}
    other = rule.replacement_name()
    if other is not None:
        update["max_tokens_name"] = other
    elif rule.param in type(ws.params).model_fields:
        update[rule.param] = None
        if rule.param == "include":  # the include row also holds logprobs' value
            update["logprobs"] = None
    extra = ws.extra_body
    if extra is not None:
        top = rule.wire.split(".")[0].split("[")[0]
        if top in extra and other is None:  # sent through extra_body: unset it there too
            extra = {k: v for k, v in extra.items() if k != top} or None
    return ws.model_copy(
        update={"params": ws.params.model_copy(update=update), "extra_body": extra}
    )


def remedy_label(rule: LearnedRule) -> str:
    """The error card's button for `rule`."""
    other = rule.replacement_name()
    return f"Send {other} and run again" if other else "Drop it and run again"
