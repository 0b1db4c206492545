"""Chat Completions bodies and SSE chunks, shaped as openai-protocol.md section 1 describes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from playground.services.simulator.brain import Plan
from playground.services.simulator.protocol import logprob_entry, new_id, sse_data

FINGERPRINT = "fp_simulator01"


def usage(plan: Plan) -> dict[str, Any]:
    return {
        "prompt_tokens": plan.input_tokens,
        "completion_tokens": plan.output_tokens,
        "total_tokens": plan.input_tokens + plan.output_tokens,
        "prompt_tokens_details": {"cached_tokens": plan.cached_tokens, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": plan.reasoning_tokens,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }


def completion(plan: Plan) -> dict[str, Any]:
    """The non-streaming chat.completion object."""
    choices = []
    for index, toks in enumerate(plan.choices):
        message: dict[str, Any] = {
            "role": "assistant",
            "content": "".join(toks) or None,
            "refusal": None,
            "annotations": [],
        }
        if plan.refusal and index == 0:
            message["content"] = None
            message["refusal"] = "".join(plan.refusal)
        if plan.calls and index == 0:
            message["content"] = None
            message["tool_calls"] = [
                {
                    "id": c.call_id,
                    "type": "custom",
                    "custom": {"name": c.name, "input": c.arguments},
                }
                if c.kind == "custom"
                else {
                    "id": c.call_id,
                    "type": "function",
                    "function": {"name": c.name, "arguments": c.arguments},
                }
                for c in plan.calls
            ]
        logprobs = None
        if plan.logprobs:
            logprobs = {
                "content": [logprob_entry(t, k, plan.top_logprobs) for k, t in enumerate(toks)],
                "refusal": None,
            }
        choices.append(
            {"index": index, "message": message, "logprobs": logprobs, "finish_reason": plan.finish}
        )
    return {
        "id": new_id("chatcmpl"),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": plan.model,
        "choices": choices,
        "usage": usage(plan),
        "service_tier": plan.service_tier,
        "system_fingerprint": FINGERPRINT,
    }


def chunks(
    plan: Plan,
    include_usage: bool,
    error: dict[str, Any] | None = None,
    error_after: int | None = None,
) -> Iterator[bytes]:
    """SSE frames of a streamed chat completion; `error` replaces frame number `error_after`."""
    cid, created = new_id("chatcmpl"), int(time.time())
    extra: dict[str, Any] = {"usage": None} if include_usage else {}

    def chunk(
        index: int, delta: dict[str, Any], finish: str | None = None, logprobs: Any = None
    ) -> dict[str, Any]:
        return {
            "id": cid,
            "object": "chat.completion.chunk",
            "created": created,
            "model": plan.model,
            "service_tier": plan.service_tier,
            "system_fingerprint": FINGERPRINT,
            "choices": [
                {"index": index, "delta": delta, "logprobs": logprobs, "finish_reason": finish}
            ],
            **extra,
        }

    def frames() -> Iterator[dict[str, Any]]:
        for index, toks in enumerate(plan.choices):
            lp_first: dict[str, Any] | None = (
                {"content": [], "refusal": None} if plan.logprobs else None
            )
            if plan.refusal and index == 0:
                yield chunk(index, {"role": "assistant", "content": None, "refusal": ""})
                for piece in plan.refusal:
                    yield chunk(index, {"refusal": piece})
            elif plan.calls and index == 0:
                first = True
                for i, call in enumerate(plan.calls):
                    header = {
                        "index": i,
                        "id": call.call_id,
                        "type": "function",
                        "function": {"name": call.name, "arguments": ""},
                    }
                    delta: dict[str, Any] = {"tool_calls": [header]}
                    if first:
                        delta = {"role": "assistant", "content": None, **delta, "refusal": None}
                        first = False
                    yield chunk(index, delta)
                    for frag in call.fragments:
                        yield chunk(
                            index, {"tool_calls": [{"index": i, "function": {"arguments": frag}}]}
                        )
            else:
                yield chunk(
                    index, {"role": "assistant", "content": "", "refusal": None}, logprobs=lp_first
                )
                for k, tok in enumerate(toks):
                    lp = (
                        {"content": [logprob_entry(tok, k, plan.top_logprobs)], "refusal": None}
                        if plan.logprobs
                        else None
                    )
                    yield chunk(index, {"content": tok}, logprobs=lp)
            yield chunk(index, {}, finish=plan.finish)
        if include_usage:
            yield {**chunk(0, {}), "choices": [], "usage": usage(plan)}

    for n, frame in enumerate(frames()):
        if error is not None and n == error_after:
            yield sse_data({"error": error})
            return
        yield sse_data(frame)
    yield b"data: [DONE]\n\n"
