"""The fenced code blocks of a Markdown text: what a code block's Copy button copies."""

from __future__ import annotations

import re

# An opening fence: up to three spaces, then three or more backticks or tildes (CommonMark
# 0.31 section 4.5, the rule core.markdown_blocks follows too).
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def fenced_code(text: str) -> list[str]:
    """The code of each fenced block (``` or ~~~) of `text`, in order, without its fences:
    the lines between the opening fence and the closing one, or to the end of the text when
    the block is not closed (an answer still streaming). A closing fence is a line of the
    opening fence's character, at least as long, and nothing else."""
    codes: list[str] = []
    fence: str | None = None
    body: list[str] = []
    for line in text.split("\n"):
        if fence is None:
            opening = _FENCE.match(line)
            if opening and not (opening.group(1)[0] == "`" and "`" in line[opening.end() :]):
                fence, body = opening.group(1), []
            continue
        stripped = line.strip()
        if stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence):
            codes.append("\n".join(body))
            fence = None
        else:
            body.append(line)
    if fence is not None:
        while body and not body[-1].strip():
            body.pop()  # the blank lines a stream ends on are not code yet
        codes.append("\n".join(body))
    return codes
