"""Citations of an answer: its annotations (spec UrlCitationBody, FileCitationBody; checked
2026-12-01) as numbered markers in the Markdown shown, and the numbered source list.

A url_citation cites `text[start_index:end_index]` (character offsets, end exclusive, as the
API sends them); its marker `[n](url)` goes right after the cited text. A file_citation marks
`index`. Sources are numbered by first appearance, one number per URL (or file id), so two
citations of one page share a number. Annotations whose offsets fall outside the text are
listed as sources but get no marker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Source:
    """One numbered source: `number` from 1, `title`, and `url` (None for a file)."""

    number: int
    title: str
    url: str | None


def annotations_of(item: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The annotations of an output message item's output_text parts ([] for any other)."""
    if not item or item.get("type") != "message":
        return []
    out: list[dict[str, Any]] = []
    for part in item.get("content") or []:
        if isinstance(part, dict) and part.get("type") == "output_text":
            out += [a for a in part.get("annotations") or [] if isinstance(a, dict)]
    return out


def _key(note: dict[str, Any]) -> tuple[str, str, str | None] | None:
    if note.get("type") == "url_citation" and isinstance(note.get("url"), str):
        url = note["url"]
        return url, str(note.get("title") or url), url
    if note.get("type") == "file_citation" and isinstance(note.get("file_id"), str):
        name = str(note.get("filename") or note["file_id"])
        return note["file_id"], name, None
    return None


def sources(annotations: list[dict[str, Any]]) -> list[Source]:
    """The numbered sources the annotations cite, in order of first appearance."""
    seen: dict[str, Source] = {}
    for note in annotations:
        key = _key(note)
        if key is not None and key[0] not in seen:
            seen[key[0]] = Source(len(seen) + 1, key[1], key[2])
    return list(seen.values())


def _at(note: dict[str, Any], size: int) -> int | None:
    pos = note.get("end_index") if note.get("type") == "url_citation" else note.get("index")
    if note.get("type") == "url_citation":
        start = note.get("start_index")
        if not isinstance(start, int) or isinstance(start, bool) or not start >= 0:
            return None
        if isinstance(pos, int) and pos < start:
            return None
    if not isinstance(pos, int) or isinstance(pos, bool) or not 0 <= pos <= size:
        return None
    return pos


def cited_markdown(text: str, annotations: list[dict[str, Any]]) -> tuple[str, list[Source]]:
    """`text` with a numbered marker per citation (`[n](url)` for a web page, `[n]` for a
    file), and the sources the numbers refer to."""
    found = sources(annotations)
    inserts: list[tuple[int, str]] = []
    by_key = dict(zip(_ordered_keys(annotations), found, strict=True))
    for note in annotations:
        key = _key(note)
        at = _at(note, len(text))
        if key is None or at is None:
            continue
        src = by_key[key[0]]
        mark = f"[\\[{src.number}\\]](<{src.url}>)" if src.url else f"\\[{src.number}\\]"
        inserts.append((at, mark))
    out, last = [], 0
    for at, mark in sorted(inserts, key=lambda p: p[0]):
        out += [text[last:at], mark]
        last = at
    out.append(text[last:])
    return "".join(out), found


def _ordered_keys(annotations: list[dict[str, Any]]) -> list[str]:
    keys: list[str] = []
    for note in annotations:
        key = _key(note)
        if key is not None and key[0] not in keys:
            keys.append(key[0])
    return keys
