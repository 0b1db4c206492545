"""`POST /v1/responses/input_tokens`: the input tokens a Responses request would bill.

Spec (tests/data/openapi.json 2.3.0, path /responses/input_tokens, checked 2026-11-30): the
body is `TokenCountsBody` (model, input, previous_response_id, tools, text, reasoning,
truncation, instructions, personality, conversation, tool_choice, parallel_tool_calls; none
required), the answer `TokenCountsResource` `{"object": "response.input_tokens",
"input_tokens": N}`. The simulator counts exactly as it counts a run's `usage.input_tokens`
(`brain.input_tokens`), so a count before sending equals the usage after.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playground.services.simulator import brain, checks
from playground.services.simulator.protocol import SimError, type_name

KEYS = frozenset(
    {
        "model",
        "input",
        "previous_response_id",
        "tools",
        "text",
        "reasoning",
        "truncation",
        "instructions",
        "personality",
        "conversation",
        "tool_choice",
        "parallel_tool_calls",
    }
)
MAX_INPUT_CHARS = 10_485_760  # TokenCountsBody.input string maxLength


def _bad(message: str, param: str, code: str) -> SimError:
    return SimError(400, message, param=param, code=code)


def check(body: dict[str, Any], known: Callable[[str], bool]) -> None:
    """Raise the SimError the API answers a bad count request with: an unknown parameter,
    a wrong type (400) or an unknown model (404 model_not_found, as every endpoint)."""
    unknown = sorted(set(body) - KEYS)
    if unknown:
        key = unknown[0]
        raise _bad(f"Unknown parameter: '{key}'.", key, "unknown_parameter")
    if body.get("model") is not None:
        checks.resolve_model(body, known)
    inp = body.get("input")
    if inp is not None and not isinstance(inp, str | list):
        raise _bad(
            "Invalid type for 'input': expected one of a string or array of input items, "
            f"but got {type_name(inp)} instead.",
            "input",
            "invalid_type",
        )
    if isinstance(inp, str) and len(inp) > MAX_INPUT_CHARS:
        raise _bad(
            f"Invalid 'input': string too long. Expected a string with maximum length "
            f"{MAX_INPUT_CHARS}, but got a string with length {len(inp)} instead.",
            "input",
            "string_above_max_length",
        )
    for key in ("instructions", "previous_response_id"):
        value = body.get(key)
        if value is not None and not isinstance(value, str):
            raise _bad(
                f"Invalid type for '{key}': expected a string, but got {type_name(value)} instead.",
                key,
                "invalid_type",
            )
    truncation = body.get("truncation")
    if truncation is not None and truncation not in ("auto", "disabled"):
        raise _bad(
            f"Invalid value: '{truncation}'. Supported values are: 'auto' and 'disabled'.",
            "truncation",
            "invalid_value",
        )
    checks._check_tools(body.get("tools"), "responses")
    checks._check_input_items(inp)


def count(body: dict[str, Any], history: list[dict[str, Any]], files: int = 0) -> dict[str, Any]:
    """The TokenCountsResource for a checked `body` whose earlier turns are `history` (the
    stored context of its previous_response_id); `files`: the input tokens of the text read
    from its input files (file_inputs.text_tokens)."""
    conv = brain.read_responses(body, history)
    total = brain.input_tokens(conv) + files
    return {"object": "response.input_tokens", "input_tokens": total}
