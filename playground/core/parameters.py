"""The generation parameters of a workspace, each declared once on its field.

Every field of `Parameters` carries its `Param` declaration (core/params.py) in its
`Annotated` metadata: label, help, kind, range, default, wire path in each API, control.
To add a parameter, add one annotated field here; the builder, importer, validation, params
panel and simulator pick it up from the declaration. Wire facts: tests/data/openapi.json,
CreateChatCompletionRequest and CreateResponse (spec 2.3.0, checked 2026-11-30).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict

from playground.core.params import INCLUDE_VALUES, LOGPROBS_INCLUDE, TOKEN_LIMIT, Param
from playground.core.service_tiers import CHAT_TIERS, RESPONSES_TIERS


def _both(name: str) -> dict[str, str]:
    return {"chat": name, "responses": name}


class Parameters(BaseModel):
    """Generation parameters; ``None`` means "not sent, server default".

    Each field is declared once, with its `Param` (core/params.py): what the builder,
    importer, validation, params panel and simulator know about it comes from there."""

    model_config = ConfigDict(extra="forbid", validate_assignment=False)

    temperature: Annotated[
        float | None,
        Param(
            "temperature",
            "Sampling temperature, 0 to 2 (default 1). Higher is more random.",
            "float",
            _both("temperature"),
            "dspin",
            low=0,
            high=2,
            default=1,
            step=0.1,
            model_dependent=True,
        ),
    ] = None
    top_p: Annotated[
        float | None,
        Param(
            "top p",
            "Nucleus sampling, 0 to 1 (default 1).",
            "float",
            _both("top_p"),
            "dspin",
            low=0,
            high=1,
            default=1,
            step=0.05,
            model_dependent=True,
        ),
    ] = None
    max_output_tokens: Annotated[
        int | None,
        Param(
            "max output tokens",
            "Most tokens the answer may use, reasoning included (max_output_tokens in "
            "Responses, at least 16; max_completion_tokens or max_tokens in Chat).",
            "int",
            {"chat": TOKEN_LIMIT, "responses": "max_output_tokens"},
            "spin",
            low=16,
            lows={"chat": 1},
            default=1024,
        ),
    ] = None
    # Which name carries the token limit in Chat Completions; None picks the model's own
    # (or the provider's choice for models the catalog does not know).
    max_tokens_name: Literal["max_tokens", "max_completion_tokens"] | None = None
    reasoning_effort: Annotated[
        str | None,
        Param(
            "reasoning effort",
            "How much the model reasons before answering (reasoning models; the values "
            "each model takes come from the catalog).",
            "choice",
            {"chat": "reasoning_effort", "responses": "reasoning.effort"},
            "combo",
            default="medium",
            choices=("none", "minimal", "low", "medium", "high", "xhigh", "max"),
            model_dependent=True,
        ),
    ] = None
    reasoning_summary: Annotated[
        Literal["auto", "concise", "detailed"] | None,
        Param(
            "reasoning summary",
            "Ask for a summary of the reasoning (Responses, reasoning models).",
            "choice",
            {"responses": "reasoning.summary"},
            "combo",
            default="auto",
            choices=("auto", "concise", "detailed"),
            model_dependent=True,
        ),
    ] = None
    verbosity: Annotated[
        Literal["low", "medium", "high"] | None,
        Param(
            "verbosity",
            "How long the answer should be (GPT-5 and later).",
            "choice",
            {"chat": "verbosity", "responses": "text.verbosity"},
            "combo",
            default="medium",
            choices=("low", "medium", "high"),
            model_dependent=True,
        ),
    ] = None
    presence_penalty: Annotated[
        float | None,
        Param(
            "presence penalty",
            "-2 to 2 (default 0): positive values favour new topics. Chat only.",
            "float",
            {"chat": "presence_penalty"},
            "dspin",
            low=-2,
            high=2,
            default=0,
            step=0.1,
            model_dependent=True,
        ),
    ] = None
    frequency_penalty: Annotated[
        float | None,
        Param(
            "frequency penalty",
            "-2 to 2 (default 0): positive values discourage repetition. Chat only.",
            "float",
            {"chat": "frequency_penalty"},
            "dspin",
            low=-2,
            high=2,
            default=0,
            step=0.1,
            model_dependent=True,
        ),
    ] = None
    stop: Annotated[
        list[str] | None,
        Param(
            "stop",
            "Up to 4 sequences where the model stops, separated by | (Chat only).",
            "strings",
            {"chat": "stop"},
            "list",
            group="advanced",
            max_items=4,
            model_dependent=True,
        ),
    ] = None
    seed: Annotated[
        int | None,
        Param(
            "seed",
            "Best-effort determinism (Chat only). The spec marks it deprecated.",
            "int",
            {"chat": "seed"},
            "spin",
            group="advanced",
            low=-(2**63),
            high=2**63 - 1,
            default=0,
            model_dependent=True,
            deprecated=True,
            source="spec 2.3.0 CreateChatCompletionRequest.seed (deprecated: true), "
            "checked 2026-12-01",
        ),
    ] = None
    n: Annotated[
        int | None,
        Param(
            "n",
            "How many answers to generate, 1 to 128 (Chat only).",
            "int",
            {"chat": "n"},
            "spin",
            group="advanced",
            low=1,
            high=128,
            default=1,
            model_dependent=True,
        ),
    ] = None
    include: Annotated[
        list[str] | None,
        Param(
            "include",
            "Extra output data in the response (Responses only). Logprobs is the logprobs "
            "setting; the hosted tools' Sources, Results and Outputs options add theirs.",
            "flags",
            {"responses": "include"},
            "checks",
            group="advanced",
            choices=INCLUDE_VALUES,
            links={LOGPROBS_INCLUDE: "logprobs"},
            source="spec 2.3.0 CreateResponse.include (IncludeEnum), checked 2026-12-01",
        ),
    ] = None
    logprobs: Annotated[
        bool | None,
        Param(
            "logprobs",
            "Return log probabilities of the output tokens (Responses: the include value "
            "message.output_text.logprobs).",
            "bool",
            {"chat": "logprobs", "responses": f"include:{LOGPROBS_INCLUDE}"},
            "toggle",
            group="advanced",
            default=True,
            model_dependent=True,
        ),
    ] = None
    top_logprobs: Annotated[
        int | None,
        Param(
            "top logprobs",
            "Most likely alternatives per token, 0 to 20.",
            "int",
            _both("top_logprobs"),
            "spin",
            group="advanced",
            low=0,
            high=20,
            default=3,
            model_dependent=True,
        ),
    ] = None
    store: Annotated[
        bool | None,
        Param(
            "store",
            "Store the response on the server (default on).",
            "bool",
            _both("store"),
            "toggle",
            group="advanced",
            default=True,
        ),
    ] = None
    background: Annotated[
        bool | None,
        Param(
            "run in background",
            "Run on the server as a background job (Responses only; needs store): the window "
            "shows its status, resumes a dropped stream, and picks it up after a restart.",
            "bool",
            {"responses": "background"},
            "toggle",
            group="advanced",
            default=False,
            source="spec 2.3.0 CreateResponse.background, checked 2026-12-01",
        ),
    ] = None
    previous_response_id: Annotated[
        str | None,
        Param(
            "previous response id",
            "Continue from a stored response (Responses only).",
            "text",
            {"responses": "previous_response_id"},
            "line",
            group="advanced",
        ),
    ] = None
    service_tier: Annotated[
        str | None,
        Param(
            "service tier",
            "Processing tier: flex costs about half but is slower and may be refused when "
            "capacity is short (its timeout is 15 minutes); priority (fast) costs about twice; "
            "the cost estimate follows it.",
            "choice",
            _both("service_tier"),
            "combo",
            group="advanced",
            default="auto",
            choices=RESPONSES_TIERS,
            api_choices={"chat": CHAT_TIERS},
            source="spec 2.3.0 ServiceTier (Chat) and ServiceTierResponses (Responses), "
            "checked 2026-12-01",
        ),
    ] = None
    metadata: Annotated[
        dict[str, str] | None,
        Param(
            "metadata",
            "Up to 16 key=value pairs stored with the request.",
            "pairs",
            _both("metadata"),
            "pairs",
            group="advanced",
            max_items=16,
        ),
    ] = None
    parallel_tool_calls: Annotated[
        bool | None,
        Param(
            "parallel tool calls",
            "Let the model call several tools at once (sent only with tools).",
            "bool",
            _both("parallel_tool_calls"),
            "toggle",
            group="advanced",
            default=True,
            needs_tools=True,
        ),
    ] = None
    prompt_cache_key: Annotated[
        str | None,
        Param(
            "prompt cache key",
            "Groups requests that share a long prefix so they hit the same prompt cache "
            "(cached input costs less); at most 64 characters.",
            "text",
            _both("prompt_cache_key"),
            "line",
            group="advanced",
            max_length=64,
            # the spec gives no maxLength; the API answers a longer key with 400
            # string_above_max_length "Expected a string with maximum length 64" (quoted in
            # github.com/theopenco/llmgateway/pull/3110, 2026-07-17; checked 2026-12-01)
            source="spec 2.3.0 ModelResponseProperties.prompt_cache_key; limit from the "
            "API's 400 (see comment)",
        ),
    ] = None
    safety_identifier: Annotated[
        str | None,
        Param(
            "safety identifier",
            "A stable id for the end user (a hash of their name or email), at most 64 "
            "characters; helps OpenAI detect misuse.",
            "text",
            _both("safety_identifier"),
            "line",
            group="advanced",
            max_length=64,
            source="spec 2.3.0 ModelResponseProperties.safety_identifier (maxLength 64), "
            "checked 2026-12-01",
        ),
    ] = None
    max_tool_calls: Annotated[
        int | None,
        Param(
            "max tool calls",
            "Most calls to built-in tools in one response, across all of them (Responses "
            "only); further calls are ignored.",
            "int",
            {"responses": "max_tool_calls"},
            "spin",
            group="advanced",
            low=0,
            default=10,
            source="spec 2.3.0 ResponseProperties.max_tool_calls, checked 2026-12-01",
        ),
    ] = None
    truncation: Annotated[
        Literal["auto", "disabled"] | None,
        Param(
            "truncation",
            "auto drops the oldest items when the input is over the context window; "
            "disabled (the default) fails with a 400. The spec marks it deprecated.",
            "choice",
            {"responses": "truncation"},
            "combo",
            group="advanced",
            default="disabled",
            choices=("auto", "disabled"),
            deprecated=True,
            source="spec 2.3.0 CreateResponse.truncation (deprecated: true), checked 2026-12-01",
        ),
    ] = None
