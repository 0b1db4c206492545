"""Upload a message's files through the Files API, so the request sends them by file_id.

A `FilePart` with `upload` set and no `file_id` is read from its `path`, checked against the
per-file limit (core/file_inputs.py), uploaded with `client.files.create(file=(filename,
data, mime), purpose="user_data")` (the file inputs guide, checked 2026-12-01) and given the
returned id, with where the upload went (`uploaded_to`, `upload_server`: the origin, a
(profile name, file_inputs.upload_origin) pair); the request builder then sends
`{"type": "input_file", "file_id": ...}` (Chat: `{"type": "file", "file": {"file_id": ...}}`)
to that origin only. A part whose stored id came from another origin (another profile or
server, or an earlier start of the in-process simulator) is uploaded again. A path attached
twice is uploaded once.

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


Origin = tuple[str, str]
"""(profile name, file_inputs.upload_origin(profile)): where an upload went."""


def marked_paths(ws: Workspace, origin: Origin) -> list[str]:
    """The paths of the files marked for upload that have no file_id valid at `origin` yet,
    each once, in message order."""
    found: list[str] = []
    for msg in ws.messages:
        for part in msg.files:
            if _marked(part, origin) and part.path is not None and part.path not in found:
                found.append(part.path)
    return found


def with_file_ids(ws: Workspace, ids: dict[str, str], origin: Origin) -> Workspace:
    """`ws` with each file marked for upload whose path is in `ids` (path -> file id), and
    whose id is not valid at `origin`, sent by that id uploaded to `origin` (its filename
    kept, or taken from the path); `ws` itself when none is."""
    messages: list[Message] = []
    changed = False
    for msg in ws.messages:
        if isinstance(msg.content, str) or not any(
            _marked(p, origin) and p.path in ids for p in msg.files
        ):
            messages.append(msg)
            continue
        content = []
        for part in msg.content:
            if isinstance(part, FilePart) and _marked(part, origin) and part.path in ids:
                name = part.filename or file_inputs.file_name(part.path or "")
                update = {"file_id": ids[part.path or ""], "filename": name}
                update |= {"uploaded_to": origin[0], "upload_server": origin[1]}
                part = part.model_copy(update=update)
            content.append(part)
        messages.append(msg.model_copy(update={"content": content}))
        changed = True
    return ws.model_copy(update={"messages": messages}) if changed else ws


async def upload_marked(
    client: openai.AsyncOpenAI, ws: Workspace, origin: Origin, reader: FileReader = _read
) -> Workspace:
    """`ws` with each file marked for upload (`upload`, a `path`, no `file_id` valid at
    `origin`, where `client` sends) uploaded and its `file_id` set; `ws` itself when there
    is none. Uploads one file at a time, in message order; the first failure propagates
    (see the module docstring)."""
    ids = {}
    for path in marked_paths(ws, origin):
        ids[path] = await upload_user_file(client, file_inputs.file_name(path), reader(path))
    return with_file_ids(ws, ids, origin)


def _marked(part: FilePart, origin: Origin) -> bool:
    if not part.upload or part.path is None:
        return False
    return part.file_id is None or not file_inputs.sends_by_id(part, origin)
