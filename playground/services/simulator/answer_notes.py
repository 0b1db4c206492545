"""Notes the simulated answer starts with, so a person or a test can see what the server
made of the request's state: whether reasoning came back (reasoning_seal.marker) and what
the input files hold (file_inputs.note)."""

from __future__ import annotations

from typing import Any

from playground.services.simulator.brain import Plan
from playground.services.simulator.protocol import tokens


def structured(body: dict[str, Any]) -> bool:
    """Whether the answer is JSON (text.format json_schema or json_object): notes would
    break it, so none are added."""
    fmt = (body.get("text") or {}).get("format") or {}
    return isinstance(fmt, dict) and fmt.get("type") in ("json_schema", "json_object")


def prepend(plan: Plan, notes: list[str | None], body: dict[str, Any]) -> Plan:
    """`plan` with `notes` (None entries skipped) before its text answer; a plan that calls
    tools, refuses, waits for an approval or answers in JSON is left as it is."""
    shown = [n for n in notes if n]
    if not shown or plan.calls or plan.refusal or plan.mcp_waiting or structured(body):
        return plan
    head = tokens("\n\n".join(shown) + "\n\n")
    plan.choices[0] = head + plan.choices[0]
    plan.output_tokens += len(head)
    return plan
