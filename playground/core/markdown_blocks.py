"""Splitting growing Markdown into finished blocks and an open tail, in linear time.

A block is finished when a later line proves it cannot continue: a non-blank, non-indented
line that is not a list item, after a blank line, outside a fenced code block. Feeding text
costs O(len(delta)); each finished block is reported once, so a renderer renders it once.
"""

from __future__ import annotations

import re

_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
_FENCE = re.compile(r"^\s{0,3}(```+|~~~+)")


class BlockSplitter:
    """Feed text deltas; collect finished blocks; the rest is the open tail."""

    def __init__(self) -> None:
        self._tail: list[str] = []  # the unfinished region, as appended pieces
        self._tail_len = 0
        self._line: list[str] = []  # the current incomplete line
        self._lines: list[str] = []  # complete lines of the open block
        self._fence: str | None = None
        self._blank_before = False
        self._in_list = False

    @property
    def tail(self) -> str:
        """The open (unfinished) block, including any incomplete last line."""
        return "".join(self._lines) + "".join(self._line)

    def feed(self, delta: str) -> list[str]:
        """Add text; return the blocks this delta finished, in order."""
        finished: list[str] = []
        start = 0
        while True:
            nl = delta.find("\n", start)
            if nl < 0:
                if start < len(delta):
                    self._line.append(delta[start:])
                return finished
            self._line.append(delta[start : nl + 1])
            line = "".join(self._line)
            self._line = []
            block = self._complete_line(line)
            if block is not None:
                finished.append(block)
            start = nl + 1

    def close(self) -> list[str]:
        """The stream ended: the tail is a finished block too."""
        finished = []
        if self._line:
            block = self._complete_line("".join(self._line))
            self._line = []
            if block is not None:
                finished.append(block)
        rest = "".join(self._lines)
        self._lines = []
        return finished + ([rest] if rest.strip() else [])

    def _complete_line(self, line: str) -> str | None:
        stripped = line.strip()
        fence = _FENCE.match(line)
        if self._fence is not None:
            self._lines.append(line)
            if fence and fence.group(1)[0] == self._fence[0] and stripped.strip("`~") == "":
                self._fence = None
            return None
        finished = None
        starts_new = (
            stripped
            and self._blank_before
            and not line[:1].isspace()
            and not (self._in_list and _LIST_ITEM.match(line))
        )
        if starts_new and any(s.strip() for s in self._lines):
            finished = "".join(self._lines).rstrip("\n")
            self._lines = []
            self._in_list = False
        if fence:
            self._fence = fence.group(1)
        if stripped:
            if _LIST_ITEM.match(line) and not self._lines:
                self._in_list = True
            elif not self._lines:
                self._in_list = False
        self._blank_before = not stripped
        self._lines.append(line)
        return finished


def split_blocks(text: str) -> list[str]:
    """All blocks of a finished text, exactly as incremental feeding would produce them."""
    splitter = BlockSplitter()
    return splitter.feed(text) + splitter.close()
