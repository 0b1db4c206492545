"""The API's 400 for a value a "choice" parameter does not list (service_tier "turbo").

The values are the parameter declarations' (core.params `Param.choices_in`, from the spec's
enums: ServiceTier, ServiceTierResponses, ReasoningEffort, Verbosity, Reasoning.summary; spec
2.3.0, checked 2026-12-01). The message is the API's enum refusal, as it answers an unknown
message role (checks.CHAT_ROLES): "Invalid value: 'x'. Supported values are: 'a', and 'b'."
with code invalid_value and the body path as param.
"""

from __future__ import annotations

from typing import Any

from playground.core.params import declarations, get_path
from playground.services.simulator.protocol import SimError


def check_choices(body: dict[str, Any], api: str) -> None:
    """Raise SimError 400 (invalid_value) for the first declared "choice" parameter of `api`
    ("chat" or "responses") whose string value in `body` is not one the API lists."""
    for decl in declarations().values():
        wire = decl.wire.get(api)
        allowed = decl.choices_in(api)
        if decl.kind != "choice" or wire is None or not allowed:
            continue
        present, value = get_path(body, wire)
        if present and isinstance(value, str) and value not in allowed:
            quoted = [f"'{v}'" for v in allowed]
            listed = ", ".join(quoted[:-1]) + f", and {quoted[-1]}"
            raise SimError(
                400,
                f"Invalid value: '{value}'. Supported values are: {listed}.",
                param=wire,
                code="invalid_value",
            )
