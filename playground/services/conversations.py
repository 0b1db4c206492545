"""Conversations for the app (the API's Conversations objects): create one, read one, list
its items, delete it. A run with `conversation` set reads the conversation's items before
its input, and its input and output items are added to it when it completes.

Built on the AsyncOpenAI client the backend makes (`OpenAIBackend.client`); failures are a
`ConversationError` carrying the typed failure (services/failures.py), never the SDK's text.
Spec paths /conversations, /conversations/{conversation_id}, /conversations/
{conversation_id}/items (checked 2026-12-01). Item lists are read oldest first, in pages of
up to 100 (the API's limit) until `limit` items.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from playground.core.conversation_seed import BATCH
from playground.core.errors import FailedCall
from playground.services.failures import raising

if TYPE_CHECKING:
    import openai


class ConversationError(FailedCall):
    """A conversation call failed; `failure` says how, in the app's words."""


@dataclass(frozen=True)
class ConversationInfo:
    """A conversation: its id, when it was made (seconds since the epoch) and its metadata."""

    id: str
    created_at: int
    metadata: dict[str, str]


async def _call(coro: Any) -> Any:
    return await raising(coro, ConversationError)


def _info(conv: Any) -> ConversationInfo:
    meta = conv.metadata if isinstance(conv.metadata, dict) else {}
    return ConversationInfo(
        conv.id, int(conv.created_at), {str(k): str(v) for k, v in meta.items()}
    )


async def create(
    client: openai.AsyncOpenAI,
    metadata: dict[str, str] | None = None,
    items: list[dict[str, Any]] | None = None,
) -> ConversationInfo:
    """A new conversation, with `items` in it to start, oldest first: the first BATCH go with
    the create call, the rest are added BATCH at a time (POST /conversations/{id}/items; the
    API takes at most 20 per call). When adding fails, the half-made conversation is deleted
    (best effort) and the ConversationError raised."""
    items = items or []
    kwargs: dict[str, Any] = {}
    if metadata:
        kwargs["metadata"] = metadata
    if items:
        kwargs["items"] = items[:BATCH]
    info = _info(await _call(client.conversations.create(**kwargs)))
    try:
        for at in range(BATCH, len(items), BATCH):
            batch: Any = items[at : at + BATCH]  # input items in the API's shapes
            await _call(client.conversations.items.create(info.id, items=batch))
    except ConversationError:
        import openai

        with contextlib.suppress(openai.OpenAIError):  # the first failure is the one to report
            await client.conversations.delete(info.id)
        raise
    return info


async def retrieve(client: openai.AsyncOpenAI, conversation_id: str) -> ConversationInfo:
    """The conversation `conversation_id` (ConversationError NOT_FOUND when it is gone)."""
    return _info(await _call(client.conversations.retrieve(conversation_id)))


async def list_items(
    client: openai.AsyncOpenAI, conversation_id: str, limit: int = 1000
) -> list[dict[str, Any]]:
    """The conversation's items, oldest first, as plain dicts in the API's shapes (up to
    `limit`). Encrypted reasoning content is not asked for: it is never shown."""

    async def collect() -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        pages = client.conversations.items.list(
            conversation_id, order="asc", limit=min(100, max(1, limit))
        )
        async for item in pages:
            found.append(item.model_dump(mode="json", exclude_none=True))
            if len(found) >= limit:
                break
        return found

    result: list[dict[str, Any]] = await _call(collect())
    return result


async def delete(client: openai.AsyncOpenAI, conversation_id: str) -> None:
    """Delete the conversation (its items go with it)."""
    await _call(client.conversations.delete(conversation_id))
