"""Rules learned from a server's refusals, kept per (provider, model).

When a server answers 400 naming a parameter it does not support (codes such as
`unsupported_parameter` and `unsupported_value`; openai-protocol.md section 4, checked
2026-11-30), the refusal is remembered so the next request leaves that parameter out, with a
finding that says where the rule came from.
"""

from __future__ import annotations

from dataclasses import dataclass


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
