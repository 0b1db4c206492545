"""Counts in words: "1 request", "2 requests" (one place for the plural of a count)."""

from __future__ import annotations

IRREGULAR = {"batch": "batches"}


def counted(n: int, word: str, plural: str | None = None) -> str:
    """`n` and `word`, the word in the plural unless n is 1: counted(1, "request") ==
    "1 request", counted(1200, "request") == "1,200 requests"."""
    many = plural or IRREGULAR.get(word) or word + "s"
    return f"{n:,} {word if n == 1 else many}"
