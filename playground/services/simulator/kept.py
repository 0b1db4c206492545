"""The simulator's state as saved entries and back (saved_state.py keeps them on disk).

An entry is (kind, id, body, data): "response" -> {"context", "response", "inputs"}, plus
"events" and "status" for a background response that has ended (one still running is saved
when it ends); "conversation" -> ConversationResource fields and "items"; "file" -> the
OpenAIFile fields, its bytes as data. Nothing here holds a request's headers.
"""

from __future__ import annotations

from typing import Any

from playground.services.simulator.background import Job
from playground.services.simulator.batch_jobs import StoredFile
from playground.services.simulator.saved_state import Loaded
from playground.services.simulator.state import Conversation, State, Stored

RESPONSE, CONVERSATION, FILE = "response", "conversation", "file"


def response_body(stored: Stored) -> dict[str, Any] | None:
    """The entry of a stored response; None for a background job still running."""
    body: dict[str, Any] = {
        "context": stored.context,
        "response": stored.response,
        "inputs": stored.inputs,
    }
    job = stored.job
    if job is not None:
        if not job.ended:
            return None
        body.update(response=job.snapshot(), events=list(job.events), status=job.status)
    return body


def conversation_body(conv: Conversation) -> dict[str, Any]:
    return {**conv.obj(), "items": conv.items}


def file_body(found: StoredFile) -> dict[str, Any]:
    return {
        "id": found.id,
        "filename": found.filename,
        "purpose": found.purpose,
        "created_at": found.created_at,
        "expires_at": found.expires_at,
    }


def restore(state: State, loaded: Loaded, now: float) -> None:
    """Put the loaded entries into `state` (a file past its expires_at stays out); an entry
    not in the shape above is skipped."""
    for ident, (body, _data) in loaded.entries.get(RESPONSE, {}).items():
        try:
            state.responses[ident] = _stored(body)
        except (KeyError, TypeError, ValueError):
            continue
    for ident, (body, _data) in loaded.entries.get(CONVERSATION, {}).items():
        try:
            state.conversations[ident] = Conversation(
                ident,
                int(body["created_at"]),
                {str(k): str(v) for k, v in dict(body.get("metadata") or {}).items()},
                [dict(i) for i in body["items"]],
            )
        except (KeyError, TypeError, ValueError):
            continue
    for ident, (body, data) in loaded.entries.get(FILE, {}).items():
        expires = body.get("expires_at")
        if isinstance(expires, int) and expires <= now:
            continue
        try:
            state.files[ident] = StoredFile(
                ident,
                str(body["filename"]),
                str(body["purpose"]),
                data or b"",
                int(body["created_at"]),
                expires if isinstance(expires, int) else None,
            )
        except (KeyError, TypeError, ValueError):
            continue


def _stored(body: dict[str, Any]) -> Stored:
    context = [dict(i) for i in body["context"]]
    response = dict(body["response"])
    job = None
    if "events" in body:
        job = Job(
            None,
            [],
            events=[dict(e) for e in body["events"]],
            status=str(body["status"]),
            finished=True,
            kept=response,
        )
    return Stored(context, response, int(body["inputs"]), job)


def entry(state: State, kind: str, ident: str) -> tuple[dict[str, Any], bytes | None] | None:
    """The entry of one thing in `state` as it is now (copies: call under the simulator's
    lock); None when it is not there, or is a background job still running."""
    if kind == RESPONSE:
        stored = state.responses.get(ident)
        body = response_body(stored) if stored is not None else None
        return (dict(body, context=list(body["context"])), None) if body else None
    if kind == CONVERSATION:
        conv = state.conversations.get(ident)
        return (dict(conversation_body(conv), items=list(conv.items)), None) if conv else None
    found = state.files.get(ident)
    return (file_body(found), found.data) if found else None
