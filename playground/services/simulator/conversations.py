"""The simulator's Conversations endpoints, and the conversation a response runs in.

Spec paths (checked 2026-12-01): /conversations (POST CreateConversationBody: `metadata`,
`items` at most 20), /conversations/{conversation_id} (GET, POST UpdateConversationBody
with `metadata`, DELETE: DeletedConversationResource), /conversations/{conversation_id}/
items (GET a ConversationItemList page with `limit`, `order`, `after`, `include`; POST
`items`, at most 20 at a time), /conversations/{conversation_id}/items/{item_id} (GET the
item, DELETE it: the ConversationResource). A response run with `conversation` reads the
conversation's items before its input, and its input and output items are added to the
conversation when it completes (ConversationParam's description).
Metadata: at most 16 pairs, keys up to 64 characters, values up to 512 (Metadata).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from playground.services.simulator import items
from playground.services.simulator.files import FileEndpoints, _json
from playground.services.simulator.protocol import SimError, new_id
from playground.services.simulator.state import Conversation

MAX_ITEMS = 20


def _metadata(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SimError(400, "Invalid type for 'metadata': expected an object.", param="metadata")
    if len(value) > 16:
        raise SimError(
            400,
            f"Invalid 'metadata': too many properties. Expected an object with at most 16 "
            f"properties, but got an object with {len(value)} properties instead.",
            param="metadata",
            code="object_above_max_properties",
        )
    for key, val in value.items():
        if len(key) > 64 or not isinstance(val, str) or len(val) > 512:
            raise SimError(
                400,
                f"Invalid 'metadata.{key[:64]}': keys are strings of up to 64 characters and "
                "values strings of up to 512.",
                param=f"metadata.{key[:64]}",
                code="invalid_value",
            )
    return {str(k): str(v) for k, v in value.items()}


def _new_items(value: Any, param: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(i, dict) for i in value):
        raise SimError(400, f"Invalid type for '{param}': expected an array of items.", param=param)
    if len(value) > MAX_ITEMS:
        raise SimError(
            400,
            f"Invalid '{param}': array too long. Expected an array with maximum length "
            f"{MAX_ITEMS}, but got an array with length {len(value)} instead.",
            param=param,
            code="array_above_max_length",
        )
    return [items.stored(i) for i in value]


def missing_conversation(conv_id: str, param: str = "conversation_id") -> SimError:
    return SimError(404, f"Conversation with id '{conv_id}' not found.", param=param)


class ConversationEndpoints(FileEndpoints):
    """/v1/conversations and its sub-paths."""

    def _routes_conversations(self, app: web.Application, prefix: str) -> None:
        base = f"{prefix}/conversations"
        app.router.add_post(base, self._handled(self._create_conversation))
        app.router.add_get(f"{base}/{{cid}}", self._handled(self._get_conversation))
        app.router.add_post(f"{base}/{{cid}}", self._handled(self._update_conversation))
        app.router.add_delete(f"{base}/{{cid}}", self._handled(self._delete_conversation))
        app.router.add_get(f"{base}/{{cid}}/items", self._handled(self._list_conv_items))
        app.router.add_post(f"{base}/{{cid}}/items", self._handled(self._add_conv_items))
        app.router.add_get(f"{base}/{{cid}}/items/{{iid}}", self._handled(self._get_conv_item))
        app.router.add_delete(
            f"{base}/{{cid}}/items/{{iid}}", self._handled(self._delete_conv_item)
        )

    # -- what a response run uses ------------------------------------------------------------

    def conversation(self, conv_id: str, param: str = "conversation_id") -> Conversation:
        """The conversation `conv_id`; SimError 404 (naming `param`) when there is none."""
        with self._lock:
            found = self._state.conversations.get(conv_id)
        if found is None:
            raise missing_conversation(conv_id, param)
        return found

    def append_to_conversation(self, conv_id: str, new: list[dict[str, Any]]) -> None:
        """Add a completed response's items (already in stored form) to the conversation."""
        with self._lock:
            found = self._state.conversations.get(conv_id)
            if found is not None:
                found.items.extend(new)
        self._keep("conversation", conv_id)

    # -- handlers ----------------------------------------------------------------------------

    async def _create_conversation(self, request: web.Request) -> web.Response:
        _rec, body = await self._read(request)
        conv = Conversation(
            new_id("conv"),
            int(self.clock()),
            _metadata(body.get("metadata")),
            _new_items(body.get("items"), "items"),
        )
        with self._lock:
            self._state.conversations[conv.id] = conv
        self._keep("conversation", conv.id)
        return _json(conv.obj())

    async def _get_conversation(self, request: web.Request) -> web.Response:
        self._record(request, None)
        return _json(self.conversation(request.match_info["cid"]).obj())

    async def _update_conversation(self, request: web.Request) -> web.Response:
        _rec, body = await self._read(request)
        conv = self.conversation(request.match_info["cid"])
        if "metadata" not in body:
            raise SimError(
                400,
                "Missing required parameter: 'metadata'.",
                param="metadata",
                code="missing_required_parameter",
            )
        conv.metadata = _metadata(body["metadata"])
        self._keep("conversation", conv.id)
        return _json(conv.obj())

    async def _delete_conversation(self, request: web.Request) -> web.Response:
        self._record(request, None)
        cid = request.match_info["cid"]
        with self._lock:
            found = self._state.conversations.pop(cid, None)
        if found is None:
            raise missing_conversation(cid)
        self._forget("conversation", cid)
        return _json({"id": cid, "object": "conversation.deleted", "deleted": True})

    async def _list_conv_items(self, request: web.Request) -> web.Response:
        self._record(request, None)
        conv = self.conversation(request.match_info["cid"])
        include = items.include_of(request.query)
        return _json(items.page(conv.items, request.query, include))

    async def _add_conv_items(self, request: web.Request) -> web.Response:
        _rec, body = await self._read(request)
        conv = self.conversation(request.match_info["cid"])
        if "items" not in body:
            raise SimError(
                400,
                "Missing required parameter: 'items'.",
                param="items",
                code="missing_required_parameter",
            )
        added = _new_items(body["items"], "items")
        self.append_to_conversation(conv.id, added)
        include = items.include_of(request.query)
        data = [items.listed(i, include) for i in added]
        return _json(
            {
                "object": "list",
                "data": data,
                "first_id": data[0]["id"] if data else None,
                "last_id": data[-1]["id"] if data else None,
                "has_more": False,
            }
        )

    def _conv_item(self, conv: Conversation, item_id: str) -> dict[str, Any]:
        found = next((i for i in conv.items if i.get("id") == item_id), None)
        if found is None:
            raise SimError(404, f"Item with id '{item_id}' not found.", param="item_id")
        return found

    async def _get_conv_item(self, request: web.Request) -> web.Response:
        self._record(request, None)
        conv = self.conversation(request.match_info["cid"])
        found = self._conv_item(conv, request.match_info["iid"])
        return _json(items.listed(found, items.include_of(request.query)))

    async def _delete_conv_item(self, request: web.Request) -> web.Response:
        self._record(request, None)
        conv = self.conversation(request.match_info["cid"])
        found = self._conv_item(conv, request.match_info["iid"])
        with self._lock:
            conv.items.remove(found)
        self._keep("conversation", conv.id)
        return _json(conv.obj())
