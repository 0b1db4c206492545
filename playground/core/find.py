"""Find in the conversation: where a query occurs in the instructions and the messages.

The search runs over the data (the workspace's instructions and messages), not over widgets,
so it covers every message of a long conversation whether its card is built or not. It looks
in what the conversation shows: each message's text (user, assistant, system, developer, and
a tool message's result) and each tool call's name and arguments.

Case-insensitive search compares characters by their simple (one-to-one) lowercase, so a
match's place and length in the folded text are its place and length in the original text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from playground.core.workspace import Message

_CALL_FIELD = re.compile(r"tool_calls\[(\d+)\]\.(name|arguments)")
INSTRUCTIONS = "instructions"
TEXT = "text"


@dataclass(frozen=True, slots=True)
class Match:
    """One occurrence of the query.

    `message`: the index of the message in the list searched, or None for the instructions.
    `field`: "instructions", "text", "tool_calls[i].name" or "tool_calls[i].arguments".
    `start`, `length`: the occurrence in that field's text, in characters (code points).
    """

    message: int | None
    field: str
    start: int
    length: int

    @property
    def place(self) -> tuple[int, int, int]:
        """Where the match is, as a key that sorts matches in the order the conversation
        shows them: (message, -1 for the instructions; the field's rank; start)."""
        call = _CALL_FIELD.fullmatch(self.field)
        rank = 0 if call is None else 1 + 2 * int(call[1]) + (call[2] == "arguments")
        return (-1 if self.message is None else self.message, rank, self.start)


def fold(text: str) -> str:
    """`text` with each character replaced by its lowercase when that is one character
    (str.lower maps a few characters to two, e.g. "İ"; those are kept as they are)."""
    lowered = text.lower()
    if len(lowered) == len(text):  # lower() never shortens: each character mapped to one
        return lowered
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)


def find_in_text(text: str, query: str, match_case: bool = False) -> list[tuple[int, int]]:
    """The (start, length) of each occurrence of `query` in `text`, left to right, not
    overlapping (after a match, the search goes on at its end). An empty query finds nothing."""
    if not query or len(query) > len(text):
        return []
    if not match_case:
        text, query = fold(text), fold(query)
    found = []
    n = len(query)
    at = text.find(query)
    while at >= 0:
        found.append((at, n))
        at = text.find(query, at + n)
    return found


def fields(message: Message) -> Iterator[tuple[str, str]]:
    """(field, text) of what the conversation shows of `message`, in the order shown: its
    text, then each tool call's name and arguments."""
    yield TEXT, message.text
    for i, call in enumerate(message.tool_calls):
        yield f"tool_calls[{i}].name", call.name
        yield f"tool_calls[{i}].arguments", call.arguments


def find_in_conversation(
    instructions: str, messages: Sequence[Message], query: str, match_case: bool = False
) -> list[Match]:
    """Every occurrence of `query`, in the order the conversation shows them: the
    instructions, then each message's fields (see `fields`)."""
    matches = [
        Match(None, INSTRUCTIONS, start, length)
        for start, length in find_in_text(instructions, query, match_case)
    ]
    if not query:
        return matches
    for index, message in enumerate(messages):
        for field, text in fields(message):
            matches.extend(
                Match(index, field, start, length)
                for start, length in find_in_text(text, query, match_case)
            )
    return matches
