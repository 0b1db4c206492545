"""A local estimate of a request's input tokens, for when the server cannot count them.

The estimate reads what the model reads in a built request (`request.build(ws).kwargs`):
instructions, message texts, tool calls and their outputs, tool definitions and the output
schema. Each text is measured by a `measure` function (tiktoken's encoder when one is at hand,
else `characters`), plus a fixed overhead per message and per image:

- characters: about four characters a token in English text (OpenAI help center, "What are
  tokens and how to count them?", checked 2026-11-30); other scripts take more tokens, so
  this is a rough figure and always labelled an estimate;
- PER_MESSAGE: the role and separators each message costs (OpenAI cookbook, "How to count
  tokens with tiktoken": 3 tokens a message in the chat format, checked 2026-11-30);
- PER_IMAGE: an image at high detail of 1024 x 1024 pixels, 85 + 4 x 170 tokens (OpenAI
  vision guide, "Calculating costs", checked 2026-11-30); the real figure depends on the size.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from typing import Any

PER_MESSAGE = 3
PER_IMAGE = 765
CHARS_PER_TOKEN = 4

Measure = Callable[[str], int]


def characters(text: str) -> int:
    """Tokens of `text` at about four characters a token (rounded up)."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def estimate(api: str, kwargs: dict[str, Any], measure: Measure = characters) -> int:
    """Estimated input tokens of a built request of `api` ("responses" or "chat")."""
    texts, messages, images = _read(api, kwargs)
    return sum(measure(t) for t in texts if t) + PER_MESSAGE * messages + PER_IMAGE * images


def _read(api: str, kwargs: dict[str, Any]) -> tuple[list[str], int, int]:
    texts: list[str] = []
    counts = [0, 0]  # messages, images
    if api == "responses":
        instructions = kwargs.get("instructions")
        if isinstance(instructions, str) and instructions:
            texts.append(instructions)
            counts[0] += 1
        inp = kwargs.get("input")
        items = [{"role": "user", "content": inp}] if isinstance(inp, str) else inp or []
        for item in items:
            texts += _item(item, counts)
        fmt = (kwargs.get("text") or {}).get("format")
    else:
        for message in kwargs.get("messages") or []:
            texts += _item(message, counts)
        fmt = kwargs.get("response_format")
    if kwargs.get("tools"):
        texts.append(_json(kwargs["tools"]))
    if isinstance(fmt, dict) and fmt.get("type") == "json_schema":
        texts.append(_json(fmt))
    return texts, counts[0], counts[1]


def _item(item: Any, counts: list[int]) -> Iterator[str]:
    """The texts of one input item or message; counts messages and images."""
    if not isinstance(item, dict):
        return
    kind = item.get("type", "message")
    counts[0] += 1
    if kind == "function_call":
        yield str(item.get("name") or "")
        yield str(item.get("arguments") or "")
    elif kind == "function_call_output":
        out = item.get("output")
        yield out if isinstance(out, str) else _json(out)
    elif kind == "message":
        yield from _content(item.get("content"), counts)
        for call in item.get("tool_calls") or []:  # Chat assistant messages
            function = (call.get("function") or {}) if isinstance(call, dict) else {}
            yield str(function.get("name") or "")
            yield str(function.get("arguments") or "")
    else:  # reasoning items and others the server reads back
        yield _json(item)


def _content(content: Any, counts: list[int]) -> Iterator[str]:
    if isinstance(content, str):
        yield content
        return
    for part in content or []:
        if not isinstance(part, dict):
            continue
        if part.get("type") in ("input_image", "image_url"):
            counts[1] += 1
        elif isinstance(part.get("text"), str):
            yield part["text"]
        elif isinstance(part.get("refusal"), str):
            yield part["refusal"]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
