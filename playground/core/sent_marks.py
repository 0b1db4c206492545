"""What the server holds of a conversation, so that an edit a run will not see is named.

In the "chain" and "conversation" state modes (core/state_modes.py) a run sends only the
messages after the last answer; the server keeps the earlier ones as they were sent
(openai-protocol.md section 2.6; spec CreateResponse.previous_response_id and
CreateResponse.conversation, checked 2026-12-01). So each message records a digest of what
was last sent of it (`Message.sent_digest`), and each answer a digest of the records of the
messages up to it (`Message.sent_prefix`). Editing a message changes its own digest;
inserting, deleting or moving one changes the list of records. A message without a record (a
file from before schema_version 10) is unknown and never reported.

A digest covers what reaches the wire: role, content as filled from the variables, tool
calls, tool_call_id, name and item; never response_id, finish or the records themselves. A
file part counts by its path (or, without one, its inline data, id and name): uploading the
file changes how it is sent, not what it is. A digest is the first 16 hex digits of the
SHA-256 of the canonical JSON (sorted keys, no spaces).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from playground.core import variables
from playground.core.findings import Finding
from playground.core.state_modes import last_answer
from playground.core.workspace import FilePart, Message, Workspace

EDITED = "state.edited_after_sent"
"""The code of the warning at `messages[i]`: that message changed since it was sent."""
RESHAPED = "state.reshaped_after_sent"
"""The code of the warning at `state`: a message before the last answer was inserted,
deleted or moved since the server got them."""
DIVERGED = "diverged"
"""An answer's `sent_prefix` when its run chained on from a conversation that had already
been reshaped: it never matches, so the warning stays until everything is sent again."""

_WIRE = {"role", "content", "tool_calls", "tool_call_id", "name", "item"}


def digest(msg: Message) -> str:
    """The digest of `msg` as it goes on the wire (see the module docstring)."""
    data: dict[str, Any] = msg.model_dump(mode="json", include=_WIRE)
    if isinstance(msg.content, list):
        data["content"] = [_part(p) for p in msg.content]
    return _hash(data)


def prefix(messages: Sequence[Message], at: int) -> str:
    """The digest of the records (`sent_digest`, None included) of `messages[0..at]`."""
    return _hash([m.sent_digest for m in messages[: at + 1]])


def stamped(now: Workspace, sent: Workspace) -> Workspace:
    """`now`, the workspace after a run's answer was added, with what the run sent recorded;
    `sent`: the workspace the run started from (its request snapshot). `now` itself when no
    new answer ends it (the run failed or was stopped).

    Send everything (and Chat) sent every message: each is recorded again. A chain or a
    Conversation sent only those after the last answer of `sent`: the earlier ones keep their
    records (the server still holds them as they were), and the new answers' `sent_prefix`
    is DIVERGED when the messages before that answer no longer matched what the server held.
    Messages are matched by position."""
    at = last_answer(now.messages)
    if at < len(sent.messages):
        return now
    held = -1
    if sent.api == "responses" and sent.state != "everything":
        held = last_answer(sent.messages)
    record = sent.messages[held].sent_prefix if held >= 0 else None
    kept = record is None or record == prefix(sent.messages, held)
    return _stamp(now, variables.filled(sent).messages, held, at, kept)


def seeded(now: Workspace, sent: Workspace) -> Workspace:
    """`now` with the answered turns of `sent` recorded as sent: a new Conversation was
    created holding them (core/conversation_seed.py). Messages are matched by position."""
    at = min(last_answer(sent.messages), len(now.messages) - 1)
    return _stamp(now, variables.filled(sent).messages, -1, at, True) if at >= 0 else now


def findings(ws: Workspace, at: int) -> list[Finding]:
    """Warnings for the messages up to `ws.messages[at]` (the last answer) that are no longer
    what the server holds: one at `messages[i]` per edited message, one at `state` when one
    was inserted, deleted or moved. `ws` is the workspace as sent (variables filled)."""
    if ws.state == "chain":
        remedy = "switch to Send everything to send the conversation as it is now"
        run = "a chained run"
    else:
        remedy = "send everything, or Create a new Conversation, to send it as it is now"
        run = "a run in this Conversation"
    notes: list[Finding] = []
    for i, msg in enumerate(ws.messages[: at + 1]):
        if msg.sent_digest is not None and msg.sent_digest != digest(msg):
            notes.append(
                Finding(
                    f"messages[{i}]",
                    "warning",
                    f"message {i + 1} ({msg.role}) was edited after it was sent: the server "
                    f"still holds it as it was, so {run} will not see the edit; {remedy}",
                    code=EDITED,
                )
            )
    record = ws.messages[at].sent_prefix
    if record is not None and record != prefix(ws.messages, at):
        notes.append(
            Finding(
                "state",
                "warning",
                "messages before the last answer were inserted, deleted or moved since they "
                f"were sent: the server still holds them as they were, so {run} will not see "
                f"the change; {remedy}",
                code=RESHAPED,
            )
        )
    return notes


def tracked(ws: Workspace, at: int) -> bool:
    """The answer at `at` records what was sent before it (findings can tell an edit)."""
    return ws.messages[at].sent_prefix is not None


def _stamp(now: Workspace, sent: list[Message], held: int, at: int, kept: bool) -> Workspace:
    """`now` with messages[0..at] recorded: those up to `held` keep their records, the
    others take the digest of `sent[i]` (or of `now`'s message past the end of `sent`); the
    answers after `held` record the list (or DIVERGED when not `kept`)."""
    current = variables.filled(now).messages
    marks = [
        now.messages[i].sent_digest
        if i <= held
        else digest((sent if i < len(sent) else current)[i])
        for i in range(at + 1)
    ]
    messages = list(now.messages)
    for i in range(held + 1, at + 1):
        update: dict[str, Any] = {"sent_digest": marks[i]}
        if messages[i].response_id:
            update["sent_prefix"] = _hash(marks[: i + 1]) if kept else DIVERGED
        messages[i] = messages[i].model_copy(update=update)
    return now.model_copy(update={"messages": messages})


def _part(part: Any) -> dict[str, Any]:
    if not isinstance(part, FilePart):
        return dict(part.model_dump(mode="json"))
    if part.path:
        return {"type": "file", "path": part.path, "file_data": part.file_data}
    return {
        "type": "file",
        "file_data": part.file_data,
        "file_id": part.file_id,
        "filename": part.filename,
    }


def _hash(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
