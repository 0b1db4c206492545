"""Build the raw SSE bytes that real servers send (Ollama, Azure, OpenRouter, proxies), for the
simulator to serve byte for byte. JSON is written with escapes, as servers write it: a lone
surrogate half is sent as `\\ud83d`."""

from __future__ import annotations

import json
from typing import Any


def chat_chunk(
    choices: list[dict[str, Any]] | None = None,
    *,
    id: str = "chatcmpl-real",
    model: str = "gpt-4o",
    usage: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    chunk: dict[str, Any] = {
        "id": id,
        "object": "chat.completion.chunk",
        "created": 1764460800,
        "model": model,
        "choices": [] if choices is None else choices,
        **extra,
    }
    if usage is not None:
        chunk["usage"] = usage
    return chunk


def delta(finish: str | None = None, index: int | None = 0, **fields: Any) -> dict[str, Any]:
    choice: dict[str, Any] = {"delta": fields, "finish_reason": finish, "logprobs": None}
    if index is not None:
        choice["index"] = index
    return choice


def azure_preamble() -> dict[str, Any]:
    """Azure OpenAI's first chunk: the prompt's content-filter results, nothing else."""
    return chat_chunk(
        id="",
        model="",
        prompt_filter_results=[
            {"prompt_index": 0, "content_filter_results": {"hate": {"filtered": False}}}
        ],
    )


USAGE = {"prompt_tokens": 12, "completion_tokens": 7, "total_tokens": 19}


def sse(events: list[dict[str, Any]], done: bool = True, named: bool = False) -> bytes:
    """`data:` frames (with `event:` lines for Responses when `named`), then [DONE]."""
    out = []
    for e in events:
        head = f"event: {e['type']}\n" if named else ""
        out.append(f"{head}data: {json.dumps(e)}\n\n")
    if done:
        out.append("data: [DONE]\n\n")
    return "".join(out).encode()


def response_obj(status: str = "completed", **fields: Any) -> dict[str, Any]:
    return {
        "id": "resp_real",
        "object": "response",
        "created_at": 1764460800,
        "model": "gpt-4o",
        "status": status,
        "output": [],
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
        "error": None,
        "incomplete_details": None,
        "instructions": None,
        "metadata": {},
        "temperature": 1.0,
        "top_p": 1.0,
        **fields,
    }
