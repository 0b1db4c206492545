"""Wire-level helpers of the simulator: error bodies, ids, token counting, SSE framing."""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from typing import Any

from aiohttp import web

_counter = itertools.count(1)
_TOKEN_RE = re.compile(r"\s*\S+|\s+")


@dataclass
class SimError(Exception):
    """An API error the simulator answers with, in OpenAI's exact body shape."""

    status: int
    message: str
    type: str = "invalid_request_error"
    param: str | None = None
    code: str | None = None
    headers: dict[str, str] | None = None

    def body(self) -> dict[str, Any]:
        return {
            "error": {
                "message": self.message,
                "type": self.type,
                "param": self.param,
                "code": self.code,
            }
        }


def new_id(prefix: str) -> str:
    """A deterministic, unique id such as resp_000000000000000000000001."""
    return f"{prefix}_{next(_counter):024x}"


def ids_past(number: int) -> None:
    """Make every later new_id's number higher than `number` (ids the saved state holds,
    saved_state.py), so a restarted simulator never hands out an id it gave before."""
    global _counter
    _counter = itertools.count(max(next(_counter), number + 1))


def tokens(text: str) -> list[str]:
    """Split text into word-like tokens whose concatenation is the text."""
    return _TOKEN_RE.findall(text)


def count_tokens(value: Any) -> int:
    """A plausible token count: about four characters a token."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return max(1, len(text) // 4)


def dumps(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def sse_data(obj: Any) -> bytes:
    return f"data: {dumps(obj)}\n\n".encode()


def sse_event(obj: dict[str, Any]) -> bytes:
    return f"event: {obj['type']}\ndata: {dumps(obj)}\n\n".encode()


def bad_key_error(key: str) -> SimError:
    shown = key[:3] + "*" * 4 + key[-4:] if len(key) > 8 else key
    return SimError(
        401,
        f"Incorrect API key provided: {shown}. You can find your API key at "
        "https://platform.openai.com/account/api-keys.",
        code="invalid_api_key",
    )


def missing_key_error() -> SimError:
    return SimError(
        401,
        "You didn't provide an API key. You need to provide your API key in an "
        "Authorization header using Bearer auth (i.e. Authorization: Bearer "
        "YOUR_KEY).",
    )


def model_not_found(model: str) -> SimError:
    return SimError(
        404,
        f"The model `{model}` does not exist or you do not have access to it.",
        code="model_not_found",
    )


RATE_LIMIT_MESSAGE = (
    "Rate limit reached for {model} in organization org-simulator on requests "
    "per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 1s."
)
SERVER_ERROR_MESSAGE = "The server had an error while processing your request. Sorry about that!"


def logprob_entry(token: str, k: int, top: int) -> dict[str, Any]:
    """A plausible logprob record for the k-th token, with `top` alternatives."""
    lp = -round(0.001 * (1 + (k * 37) % 50), 4)
    alts = [f"{token.strip()}{i}" for i in range(1, top + 1)]
    return {
        "token": token,
        "logprob": lp,
        "bytes": list(token.encode()),
        "top_logprobs": [
            {"token": a, "logprob": lp - i, "bytes": list(a.encode())}
            for i, a in enumerate(alts, 1)
        ],
    }


async def event_stream(request: web.Request) -> web.StreamResponse:
    """A prepared `text/event-stream` response (status 200) with its own `x-request-id`."""
    resp = web.StreamResponse(
        status=200,
        headers={
            "Content-Type": "text/event-stream; charset=utf-8",
            "x-request-id": new_id("req"),
        },
    )
    await resp.prepare(request)
    return resp


def english_list(values: list[str] | tuple[str, ...]) -> str:
    """Values as the API's messages list them: "'a'", "'a', and 'b'", "'a', 'b', and 'c'"."""
    quoted = [f"'{v}'" for v in values]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + f", and {quoted[-1]}"


def type_name(value: Any) -> str:
    """A JSON value's type as the API's invalid_type messages name it ("a string", …)."""
    return {
        bool: "a boolean",
        str: "a string",
        list: "an array",
        dict: "an object",
        type(None): "null",
    }.get(type(value), "a number")
