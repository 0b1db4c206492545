"""Hosted tools' parts of a Responses stream: the output items kept as given (a hosted call,
an answer with annotations) and the progress events listed in the Raw pane (spec
Response*Call*Event, ResponseOutputTextAnnotationAddedEvent; checked 2026-12-01)."""

from __future__ import annotations

from typing import Any

from playground.core.events import HostedProgress
from playground.core.mcp_items import KEPT_ITEMS
from playground.services.stream_fields import text_of

HOSTED_ITEMS = frozenset(
    {"web_search_call", "file_search_call", "code_interpreter_call", "image_generation_call"}
)
"""Output items of hosted tools, kept as given (events.OutputItem)."""


def as_dict(item: Any) -> dict[str, Any]:
    """An SDK model (or a plain dict) as the JSON object the server sent: fields it did not
    send are left out."""
    if isinstance(item, dict):
        return dict(item)
    to_dict = getattr(item, "to_dict", None)
    if callable(to_dict):
        return dict(to_dict(mode="json"))
    return dict(item.model_dump(mode="json", exclude_unset=True))


PROGRESS = (
    "response.web_search_call.",
    "response.file_search_call.",
    "response.code_interpreter_call",
    "response.image_generation_call.",
    "response.output_text.annotation.",
)


def progress(kind: str, event: Any) -> HostedProgress:
    """A hosted tool's progress event as the Raw pane lists it."""
    detail = getattr(event, "delta", None)
    if kind.endswith("partial_image"):
        detail = f"partial image {getattr(event, 'partial_image_index', '?')}"
    elif kind.endswith("annotation.added"):
        note = getattr(event, "annotation", None)
        url = note.get("url") if isinstance(note, dict) else getattr(note, "url", None)
        detail = f"annotation {getattr(event, 'annotation_index', '?')}" + (
            f" {url}" if url else ""
        )
    return HostedProgress(kind, text_of(getattr(event, "item_id", None)), text_of(detail))


def kept_item(item: Any) -> dict[str, Any] | None:
    """The output item to keep as given: a reasoning item (core/reasoning_items.py), a hosted
    tool's call, a remote MCP item (listing, approval request, call), or a message whose text
    has annotations; None for every other item."""
    kind = getattr(item, "type", None) if not isinstance(item, dict) else item.get("type")
    if kind in HOSTED_ITEMS or kind in KEPT_ITEMS or kind == "reasoning":
        return as_dict(item)
    if kind == "message":
        whole = as_dict(item)
        parts = whole.get("content") or []
        if any(isinstance(p, dict) and p.get("annotations") for p in parts):
            return whole
    return None
