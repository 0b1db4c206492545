"""Upload a message's files through the Files API, so the request sends them by file_id.

A `FilePart` with `upload` set and no `file_id` is read from its `path`, checked against the
per-file limit (core/file_inputs.py), uploaded with `client.files.create(file=(filename,
data, mime), purpose="user_data")` (the file inputs guide, checked 2026-12-01) and given the
returned id; the request builder then sends `{"type": "input_file", "file_id": ...}` (Chat:
`{"type": "file", "file": {"file_id": ...}}`). A path attached twice is uploaded once.

Errors: `file_inputs.FileTooLarge` for a file over the limit (nothing is uploaded), OSError
when a file cannot be read, and the SDK's own exceptions (`openai.APIError` subclasses) from
the upload, which the caller maps by class like any other request failure.
"""

from __future__ import annotations

from pathlib import Path

import openai

from playground.core import file_inputs
from playground.core.request_messages import FileReader
from playground.core.workspace import FilePart, Message, Workspace


def _read(path: str) -> bytes:
    return Path(path).read_bytes()


async def upload_user_file(client: openai.AsyncOpenAI, filename: str, data: bytes) -> str:
    """Upload `data` as `filename` with purpose "user_data"; the new file's id ("file-…").
    Raises FileTooLarge over MAX_FILE_BYTES, before anything is sent."""
    file_inputs.check_size(filename, len(data))
    created = await client.files.create(
        file=(filename, data, file_inputs.mime_type(filename)),
        purpose=file_inputs.UPLOAD_PURPOSE,
    )
    return created.id


def marked_paths(ws: Workspace) -> list[str]:
    """The paths of the files marked for upload that have no file_id yet, each once, in
    message order."""
    found: list[str] = []
    for msg in ws.messages:
        for part in msg.files:
            if _marked(part) and part.path is not None and part.path not in found:
                found.append(part.path)
    return found


def with_file_ids(ws: Workspace, ids: dict[str, str]) -> Workspace:
    """`ws` with each file marked for upload whose path is in `ids` (path -> file id) sent
    by that id (its filename kept, or taken from the path); `ws` itself when none is."""
    messages: list[Message] = []
    changed = False
    for msg in ws.messages:
        if isinstance(msg.content, str) or not any(_marked(p) and p.path in ids for p in msg.files):
            messages.append(msg)
            continue
        content = []
        for part in msg.content:
            if isinstance(part, FilePart) and _marked(part) and part.path in ids:
                name = part.filename or file_inputs.file_name(part.path or "")
                part = part.model_copy(update={"file_id": ids[part.path or ""], "filename": name})
            content.append(part)
        messages.append(msg.model_copy(update={"content": content}))
        changed = True
    return ws.model_copy(update={"messages": messages}) if changed else ws


async def upload_marked(
    client: openai.AsyncOpenAI, ws: Workspace, reader: FileReader = _read
) -> Workspace:
    """`ws` with each file marked for upload (`upload`, a `path`, no `file_id`) uploaded and
    its `file_id` set; `ws` itself when there is none. Uploads one file at a time, in
    message order; the first failure propagates (see the module docstring)."""
    ids = {}
    for path in marked_paths(ws):
        ids[path] = await upload_user_file(client, file_inputs.file_name(path), reader(path))
    return with_file_ids(ws, ids)


def _marked(part: FilePart) -> bool:
    return part.upload and part.file_id is None and part.path is not None
