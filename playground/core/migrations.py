"""Workspace file migrations: older schema versions are brought up to the current one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playground.core.workspace import SCHEMA_VERSION


class NewerFormatError(ValueError):
    """The file was written by a newer version of the app: `version` is the file's,
    `supported` the highest this one reads. Such a file is never overwritten."""

    def __init__(self, version: int, supported: int = SCHEMA_VERSION) -> None:
        super().__init__(
            f"schema_version {version} was written by a newer Playground "
            f"(this one reads up to {supported}); the file is left as it is"
        )
        self.version = version
        self.supported = supported


def _v0_to_v1(data: dict[str, Any]) -> dict[str, Any]:
    # Version 0: hand-written files with no schema_version and the instructions under "system".
    out = dict(data)
    if "system" in out and "instructions" not in out:
        out["instructions"] = out.pop("system")
    return out


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    # Version 2 adds Compare: the tab's variants and its mode. A version-1 file had neither.
    out = dict(data)
    out.setdefault("variants", [])
    out.setdefault("mode", "single")
    return out


def _v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    # Version 3 adds evaluations: variables, a test set, graders, evaluate settings and the
    # cache opt-in, all with empty defaults; a version-2 file had none of them.
    return dict(data)


def _v3_to_v4(data: dict[str, Any]) -> dict[str, Any]:
    # Version 4 adds custom tools, a tool call's kind and more tool choice forms, all with
    # defaults that mean what a version-3 file meant.
    return dict(data)


def _v4_to_v5(data: dict[str, Any]) -> dict[str, Any]:
    # Version 5 adds the hosted tools' options and image generation under builtin_tools, all
    # defaulting to what a version-4 file sent (no options, image generation off).
    return dict(data)


def _v5_to_v6(data: dict[str, Any]) -> dict[str, Any]:
    # Version 6 adds remote MCP tools (`mcp_tools`) and `mcp_auto_approve`, both empty by
    # default. A version-5 file kept an MCP tool in `extra_tools` as given: it stays there
    # (sent unchanged), since its headers may hold a secret the keyring should hold instead;
    # importing the request again makes it editable.
    return dict(data)


def _v6_to_v7(data: dict[str, Any]) -> dict[str, Any]:
    # Version 7 adds file parts and four parameters, all absent by default. An image without
    # a detail (the window attached none before) gets "auto": what the API assumes, and what
    # Responses requires to be sent. Variants' message overrides are left as they are (the
    # builder sends "auto" for an image without one).
    out = dict(data)
    messages = out.get("messages")
    if isinstance(messages, list):
        out["messages"] = [_with_detail(m) for m in messages]
    return out


def _v7_to_v8(data: dict[str, Any]) -> dict[str, Any]:
    # Version 8 adds conversation state (`state` "everything", what a version-7 file did, and
    # no `conversation_id`) and a message's `response_id`, absent in older files.
    return dict(data)


def _v8_to_v9(data: dict[str, Any]) -> dict[str, Any]:
    # Version 9 adds where an uploaded file's id came from (`FilePart.uploaded_to`,
    # `upload_server`); an older file's ids have no origin, so they are uploaded again (the
    # window) or sent inline (run, export) rather than trusted.
    return dict(data)


def _v9_to_v10(data: dict[str, Any]) -> dict[str, Any]:
    # Version 10 adds what was last sent of each message (`Message.sent_digest`, `sent_prefix`);
    # an older file's messages have none: unknown, so no edit of them is reported. It also
    # adds where a kept reasoning item came from (`Message.answered_by`, `answer_server`);
    # without them the item is sent as it is, wherever the request goes.
    return dict(data)


def _with_detail(message: Any) -> Any:
    content = message.get("content") if isinstance(message, dict) else None
    if not isinstance(content, list):
        return message
    parts = [
        {**p, "detail": "auto"}
        if isinstance(p, dict) and p.get("type") == "image" and p.get("detail") is None
        else p
        for p in content
    ]
    return {**message, "content": parts}


# from version N to N + 1
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    0: _v0_to_v1,
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
    5: _v5_to_v6,
    6: _v6_to_v7,
    7: _v7_to_v8,
    8: _v8_to_v9,
    9: _v9_to_v10,
}


def version_of(data: dict[str, Any]) -> int:
    """The file's schema_version (0 when absent). Raises ValueError when it is not a whole
    number of zero or more."""
    version = data.get("schema_version", 0)
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise ValueError(f"schema_version must be a whole number, not {version!r}")
    return version


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """`data` at the current schema version (SCHEMA_VERSION), each step of MIGRATIONS applied
    in turn; `data` itself is not changed. Raises NewerFormatError for a file from a newer
    Playground, ValueError for a schema_version that is not a whole number."""
    version = version_of(data)
    if version > SCHEMA_VERSION:
        raise NewerFormatError(version)
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    return {**data, "schema_version": SCHEMA_VERSION}
