"""Text from servers, made whole: UTF-16 surrogate halves joined, lone halves replaced.

A JSON string may carry a character outside the Basic Multilingual Plane as two escapes,
`"\\ud83d\\ude00"` (RFC 8259 section 7). A server that cuts its stream between the two escapes
sends each half in its own delta; Python decodes each to a lone surrogate, and joined they are
still two code points, not the character: printing or encoding them as UTF-8 raises
UnicodeEncodeError. Every text a server sends goes through `scrub` (whole strings) or a
`SurrogateJoiner` (deltas of one stream of text) before the rest of the app sees it.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub(text: str) -> str:
    """`text` with each high+low surrogate pair joined into its character and every lone
    surrogate replaced by U+FFFD. Text without surrogates is returned as it is (one regex
    scan)."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _is_high(char: str) -> bool:
    return "\ud800" <= char <= "\udbff"


class SurrogateJoiner:
    """Scrubs the deltas of one text stream, holding back a trailing high surrogate until the
    next delta says whether its low half follows.

    `feed(delta)` -> the text to show now (never holds a surrogate); `flush()` -> what is
    held at the end of the stream: "" or U+FFFD for a high half whose low half never came.
    """

    __slots__ = ("_held",)

    def __init__(self) -> None:
        self._held = ""

    def feed(self, delta: str) -> str:
        if self._held:
            delta, self._held = self._held + delta, ""
        if delta and _is_high(delta[-1]):
            delta, self._held = delta[:-1], delta[-1]
        return scrub(delta)

    def flush(self) -> str:
        held, self._held = self._held, ""
        return REPLACEMENT if held else ""
