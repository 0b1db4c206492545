"""The simulator's checks of a Responses request's state and small settings, as the API
answers them: include values, conversation with previous_response_id, background with
store false, the safety identifier's length, truncation, service tier and the types of
max_tool_calls, parallel_tool_calls and prompt_cache_key.

Sources (spec components.schemas, checked 2026-12-01): IncludeEnum (the include values);
ModelResponseProperties.safety_identifier (maxLength 64), .prompt_cache_key (a string, no
length limit in the spec); ResponseProperties.max_tool_calls (an integer),
.background (boolean); CreateResponse.truncation ("auto" | "disabled");
ServiceTierResponses (the tier values); ConversationParam (an id string or `{"id"}`).
previous_response_id with conversation: 400 code "mutually_exclusive_parameters"
(openai-protocol.md section 2.6, observed).
"""

from __future__ import annotations

import json
from typing import Any

from playground.core.params import INCLUDE_VALUES, declarations
from playground.services.simulator.protocol import SimError, english_list, type_name

INCLUDABLE = INCLUDE_VALUES
"""Spec components.schemas.IncludeEnum, in its order (core.params)."""
SAFETY_IDENTIFIER_MAX = declarations()["safety_identifier"].max_length or 64
"""The spec's maxLength of safety_identifier (its declaration, core/parameters.py).
service_tier and truncation are declared "choice" parameters: choice_checks.py checks them."""


def shown(value: Any) -> str:
    """A value as the API's messages quote it: 'text', else its JSON."""
    return f"'{value[:80]}'" if isinstance(value, str) else json.dumps(value)[:80]


def _invalid(value: Any, supported: tuple[str, ...], param: str) -> SimError:
    return SimError(
        400,
        f"Invalid value: {shown(value)}. Supported values are: {english_list(supported)}.",
        param=param,
        code="invalid_value",
    )


def _type(param: str, value: Any, expected: str) -> SimError:
    return SimError(
        400,
        f"Invalid type for '{param}': expected {expected}, but got {type_name(value)} instead.",
        param=param,
        code="invalid_type",
    )


def conversation_id(body: dict[str, Any]) -> str | None:
    """The id of the conversation the request runs in (None when it names none); SimError
    400 for a malformed one."""
    conv = body.get("conversation")
    if conv is None:
        return None
    if isinstance(conv, dict) and isinstance(conv.get("id"), str):
        return str(conv["id"])
    if isinstance(conv, str) and conv:
        return conv
    raise _type("conversation", conv, "a string or an object with an 'id'")


def check(body: dict[str, Any]) -> None:
    """Raise the SimError the live API answers a bad state or setting with."""
    include = body.get("include")
    if include is not None:
        if not isinstance(include, list):
            raise _type("include", include, "an array")
        for n, value in enumerate(include):
            if value not in INCLUDABLE:
                raise _invalid(value, INCLUDABLE, f"include[{n}]")
    if body.get("conversation") is not None and body.get("previous_response_id"):
        raise SimError(
            400,
            "Mutually exclusive parameters: Ensure you are only providing one of: "
            "'previous_response_id' or 'conversation'.",
            param="conversation",
            code="mutually_exclusive_parameters",
        )
    conversation_id(body)
    background = body.get("background")
    if background is not None and not isinstance(background, bool):
        raise _type("background", background, "a boolean")
    if background and body.get("store") is False:
        raise SimError(
            400,
            "Invalid value for 'store': background responses are stored so they can be "
            "polled; 'background': true requires 'store' to be true.",
            param="store",
            code="invalid_value",
        )
    _settings(body)


def _settings(body: dict[str, Any]) -> None:
    ident = body.get("safety_identifier")
    if ident is not None:
        if not isinstance(ident, str):
            raise _type("safety_identifier", ident, "a string")
        if len(ident) > SAFETY_IDENTIFIER_MAX:
            raise SimError(
                400,
                "Invalid 'safety_identifier': string too long. Expected a string with maximum "
                f"length {SAFETY_IDENTIFIER_MAX}, but got a string with length {len(ident)} "
                "instead.",
                param="safety_identifier",
                code="string_above_max_length",
            )
    key = body.get("prompt_cache_key")
    if key is not None and not isinstance(key, str):
        raise _type("prompt_cache_key", key, "a string")
    calls = body.get("max_tool_calls")
    if calls is not None and (isinstance(calls, bool) or not isinstance(calls, int)):
        raise _type("max_tool_calls", calls, "an integer")
    parallel = body.get("parallel_tool_calls")
    if parallel is not None and not isinstance(parallel, bool):
        raise _type("parallel_tool_calls", parallel, "a boolean")
