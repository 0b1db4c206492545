"""What user-facing text must never contain: Python reprs, tracebacks, the OpenAI SDK's own
messages and its exception class names (issue 16, "Errors in the user's words")."""

from __future__ import annotations

import re

import openai._exceptions

SDK_CLASSES = tuple(
    sorted(
        name
        for name in dir(openai._exceptions)
        if isinstance(getattr(openai._exceptions, name), type)
        and issubclass(getattr(openai._exceptions, name), BaseException)
        and name.endswith(("Error", "Exception"))
    )
)
"""The SDK's exception classes (openai/_exceptions.py): AuthenticationError, APIError..."""

SDK_PHRASES = (
    "Missing credentials",  # the client refusing to start without a key
    "Please pass an `api_key`",
    "Error code:",  # APIStatusError's str(): "Error code: 401 - {...}"
    "Connection error.",  # APIConnectionError's default message
    "Request timed out.",  # APITimeoutError's
    "Expecting value",  # Python's json decoder
    "Internal error:",
)
REPRS = re.compile(
    r"<[A-Za-z_][\w.]*(?: object at 0x| at 0x|: )"  # <Foo object at 0x..>, <FailureKind.X: 'x'>
    r"|\bFailure\(|\bkind=|FailureKind\.|Traceback \(most recent call last\)"
    r"|\b\w+Error\(|\b\w+Exception\("  # ValueError('...')
)


def problems(text: str) -> list[str]:
    """What in `text` is not in the user's words (empty: nothing)."""
    found = [m.group(0) for m in REPRS.finditer(text)]
    found += [p for p in SDK_PHRASES if p in text]
    found += [c for c in SDK_CLASSES if re.search(rf"\b{c}\b", text)]
    return found
