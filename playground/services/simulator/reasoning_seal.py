"""Reasoning items carried between requests: the opaque `encrypted_content` the simulator
hands out, and its checks when a reasoning item comes back in `input`.

The live API's rules (openai-protocol.md section 2.5; the include enum's description, spec
components.schemas.IncludeEnum, checked 2026-12-01): with `store: false`, reasoning items
are kept only client-side and must come back with the `encrypted_content` asked for with
`include: ["reasoning.encrypted_content"]`. A token the server did not make, or one that was
modified, is refused: 400 `invalid_encrypted_content`, "The encrypted content gAAA...DQ==
could not be verified." (param null; the message as users report it, github.com/openai/codex
issue 8145). A reasoning item without encrypted content that the server has not stored is
404 "Item with id 'rs_…' not found. Items are not persisted when `store` is set to false. …".

The token: 0x80, a 16-byte nonce, the item id XOR an HMAC-SHA256 keystream, then an
HMAC-SHA256 tag over all of it, URL-safe base64. The key is the simulator's own (new for
each simulator): the summary is never in it, and only the simulator that made a token
accepts it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from playground.services.simulator.protocol import SimError

_VERSION = b"\x80"
_TAG = 32


class Seal:
    """Makes and checks encrypted reasoning tokens under one secret key."""

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key or secrets.token_bytes(32)

    @property
    def fingerprint(self) -> str:
        """12 hex digits that name this key (and so the simulator's memory: a simulator that
        keeps its state keeps its key) without giving it away."""
        return hashlib.sha256(b"fingerprint:" + self._key).hexdigest()[:12]

    def _stream(self, nonce: bytes, size: int) -> bytes:
        out = b""
        block = 0
        while len(out) < size:
            msg = nonce + block.to_bytes(4, "big")
            out += hmac.new(self._key, msg, hashlib.sha256).digest()
            block += 1
        return out[:size]

    def seal(self, item_id: str) -> str:
        """The encrypted content of reasoning item `item_id`."""
        nonce = secrets.token_bytes(16)
        plain = item_id.encode()
        body = _VERSION + nonce + _xor(plain, self._stream(nonce, len(plain)))
        tag = hmac.new(self._key, body, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(body + tag).decode()

    def opened(self, token: str) -> str | None:
        """The item id sealed in `token`, or None when this simulator did not make it."""
        try:
            raw = base64.urlsafe_b64decode(token.encode())
        except (ValueError, UnicodeEncodeError):
            return None
        body, tag = raw[:-_TAG], raw[-_TAG:]
        if len(body) < 17 or body[:1] != _VERSION:
            return None
        if not hmac.compare_digest(tag, hmac.new(self._key, body, hashlib.sha256).digest()):
            return None
        nonce, cipher = body[1:17], body[17:]
        plain = _xor(cipher, self._stream(nonce, len(cipher)))
        try:
            return plain.decode()
        except UnicodeDecodeError:
            return None


def _xor(data: bytes, stream: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, stream, strict=True))


def _shown(token: str) -> str:
    return f"{token[:4]}...{token[-4:]}" if len(token) > 8 else token


@dataclass
class Carried:
    """What a request's input said about reasoning: `tool_loop` when it answers tool calls
    (a function_call_output after the last user message), `carried` when a checked
    reasoning item came back before those calls."""

    tool_loop: bool = False
    carried: bool = False


def check_input(inp: Any, store: bool, seal: Seal, is_stored: Callable[[str], bool]) -> Carried:
    """Check each reasoning item in `inp` (SimError 400 for a token this simulator did not
    make, 404 for an item it cannot find) and say whether reasoning came back."""
    items = [i for i in inp if isinstance(i, dict)] if isinstance(inp, list) else []
    found = Carried()
    last_user = max(
        (
            n
            for n, i in enumerate(items)
            if i.get("type", "message") == "message" and i.get("role") == "user"
        ),
        default=-1,
    )
    for n, item in enumerate(items):
        kind = item.get("type")
        if kind in ("function_call_output", "custom_tool_call_output") and n > last_user:
            found.tool_loop = True
        if kind != "reasoning":
            continue
        item_id = str(item.get("id") or "")
        token = item.get("encrypted_content")
        if isinstance(token, str) and token:
            if seal.opened(token) != item_id:
                raise SimError(
                    400,
                    f"The encrypted content {_shown(token)} could not be verified.",
                    code="invalid_encrypted_content",
                )
            found.carried = found.carried or n > last_user
            continue
        if store and is_stored(item_id):
            found.carried = found.carried or n > last_user
            continue
        hint = (
            " Items are not persisted when `store` is set to false. Try again with `store` "
            "set to true, or remove this item from your input."
            if not store
            else ""
        )
        raise SimError(404, f"Item with id '{item_id}' not found.{hint}", param="input")
    return found


def marker(carried: Carried) -> str | None:
    """The note a reasoning model's answer starts with in a stateless tool loop (store
    false): whether its reasoning item came back; None outside such a loop."""
    if not carried.tool_loop:
        return None
    if carried.carried:
        return "(reasoning carried over)"
    return (
        "(reasoning lost: the reasoning item of the tool call did not come back; send it "
        "with its encrypted_content)"
    )
