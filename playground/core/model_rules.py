"""Which parameters a model refuses in a request, from the catalog's data.

One function, `refusals`, answers for the request builder (which leaves a refused parameter
out, with a finding) and for the simulator (which answers the API's 400). The facts are the
catalog entry's efforts, verbosity values, accepted and fixed parameters, and its conditional
`Rule`s; the error texts are the API's own (models-2026-11.md section 4 and
openai-protocol.md, checked 2026-11-30).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from playground.core.catalog import ModelInfo, Rule
from playground.core.params import TOKEN_LIMIT, declarations

_PSEUDO_LABELS = {"function_tools": "function tools", "hosted_tools": "hosted tools"}


@dataclass(frozen=True, slots=True)
class Refusal:
    """`param` (a Parameters field, or "function_tools") with `value` is refused.

    `reason` is for a person ("gpt-6-luna takes temperature only with reasoning_effort
    none"); `message`, `code` and `wire` are the API's 400 answer. `droppable` is False for
    what the builder cannot just leave out (the user's tools)."""

    param: str
    value: Any
    reason: str
    message: str
    code: str | None
    wire: str
    droppable: bool
    source: str = ""


def wire_name(param: str, api: str) -> str:
    """The body name of a Parameters field in `api` ("reasoning.effort"), for messages."""
    if param in _PSEUDO_LABELS:
        return "tools"
    decl = declarations().get(param)
    wire = decl.wire.get(api) if decl else None
    if wire == TOKEN_LIMIT:
        return "max_completion_tokens"
    if wire and wire.startswith("include:"):
        return "include"
    return wire or param


def _label(param: str) -> str:
    return _PSEUDO_LABELS.get(param) or param


def _english(values: list[Any]) -> str:
    quoted = [f"'{v}'" for v in values]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + f", and {quoted[-1]}"


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)


def _basic(info: ModelInfo, api: str, name: str, value: Any) -> Refusal | None:
    """Refusal of `name`=`value` by the entry's lists (efforts, verbosity, params, fixed)."""
    wire = wire_name(name, api)
    unsupported = f"Unsupported parameter: '{wire}' is not supported with this model."

    def refuse(
        reason: str, message: str = unsupported, code: str | None = "unsupported_parameter"
    ) -> Refusal:
        return Refusal(name, value, reason, message, code, wire, True)

    if name == "reasoning_effort":
        if not info.efforts:
            if api == "chat":
                return Refusal(
                    name,
                    value,
                    f"{info.id} is not a reasoning model and does not take reasoning effort",
                    "Unrecognized request argument supplied: reasoning_effort",
                    None,
                    wire,
                    True,
                )
            return refuse(f"{info.id} is not a reasoning model and does not take reasoning effort")
        if value not in info.efforts:
            return refuse(
                f"{info.id} does not support reasoning effort '{value}' "
                f"(supported: {', '.join(info.efforts)})",
                f"Unsupported value: '{value}' is not supported with the '{info.id}' model. "
                f"Supported values are: {_english(list(info.efforts))}.",
                "unsupported_value",
            )
        return None
    if name == "verbosity":
        if not info.verbosity:
            return refuse(f"{info.id} does not take verbosity")
        if value not in info.verbosity:
            return refuse(
                f"{info.id} takes verbosity {', '.join(info.verbosity)} only",
                f"Unsupported value: '{wire}' does not support '{value}' with this model. "
                f"Supported values are: {_english(list(info.verbosity))}.",
                "unsupported_value",
            )
        return None
    if name == "reasoning_summary":
        return None if info.summary else refuse(f"{info.id} does not take a reasoning summary")
    if name in info.fixed:
        if value == info.fixed[name]:
            return None
        fixed = _shown(info.fixed[name])
        if api == "chat":
            return refuse(
                f"{info.id} takes {name} only at its default ({fixed})",
                f"Unsupported value: '{wire}' does not support {_shown(value)} with this model. "
                f"Only the default ({fixed}) value is supported.",
                "unsupported_value",
            )
        # Responses answers without a code here (openai-protocol.md, checked 2026-11-30).
        return refuse(f"{info.id} takes {name} only at its default ({fixed})", code=None)
    if not info.accepts(name):
        return refuse(f"{info.id} does not accept {name}")
    return None


def _allowed(rule: Rule, facts: dict[str, Any]) -> bool:
    if not rule.only_when:
        return False
    return all(facts.get(name) in allowed for name, allowed in rule.only_when)


def _by_rules(
    info: ModelInfo, api: str, values: dict[str, Any], facts: dict[str, Any]
) -> list[Refusal]:
    out: list[Refusal] = []
    for rule in info.rules:
        if rule.api is not None and rule.api != api:
            continue
        for name in rule.params:
            if name not in values:
                continue
            value = values[name]
            if rule.values is not None and value not in rule.values:
                continue
            if _allowed(rule, facts):
                continue
            wire = rule.error_param or wire_name(name, api)
            message = rule.error_message.format(
                param=wire_name(name, api), model=info.id, value=_shown(value)
            )
            what = _label(name) if rule.values is None else f"{_label(name)} {_shown(value)}"
            if rule.only_when:
                reason = f"{info.id} takes {what} {rule.describe_condition()}"
            else:
                where = {"chat": " in Chat Completions", "responses": " in Responses"}
                reason = f"{info.id} does not take {what}{where.get(rule.api or '', '')}"
            out.append(
                Refusal(
                    name,
                    value,
                    reason,
                    message,
                    rule.error_code,
                    wire,
                    name not in _PSEUDO_LABELS,
                    rule.source,
                )
            )
    return out


def refusals(
    info: ModelInfo,
    api: str,
    values: dict[str, Any],
    function_tools: bool = False,
    hosted_tools: bool = False,
) -> list[Refusal]:
    """Every refusal for a request of `api` to `info` that sends `values` (Parameters field ->
    value, as sent) with or without function and hosted tools. Nothing for unknown models."""
    if not info.known:
        return []
    out = [r for name, value in values.items() if (r := _basic(info, api, name, value))]
    sent = dict(values)
    if function_tools:
        sent["function_tools"] = True
    if hosted_tools:
        sent["hosted_tools"] = True
    facts: dict[str, Any] = {
        "api": api,
        "function_tools": function_tools,
        "hosted_tools": hosted_tools,
        **values,
    }
    facts.setdefault("reasoning_effort", info.default_effort)
    out += _by_rules(info, api, sent, facts)
    return out
