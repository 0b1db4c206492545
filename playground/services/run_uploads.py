"""Run uploads the files marked for upload first (services/file_upload.py), with the client of
the run's resolved profile, so the request sends them by file_id.

Each path is uploaded once per run; the run's workspace then names the ids, so every model
turn of a mock loop sends the same ids, and `Run.files_uploaded` tells the window which path
got which id and where it went (the tab keeps them: the next run to the same profile and
server sends them without uploading again; another one uploads them again). A file
that cannot be read, is over the limit, or that the server refuses ends the run before
anything else is sent, with a typed failure that names the file (never the SDK's text).
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING

import openai

from playground.core import file_inputs
from playground.core.errors import Failure, FailureKind
from playground.core.reducer import AssistantTurn
from playground.services.backend import Backend
from playground.services.failures import failure_from_exception
from playground.services.file_upload import marked_paths, upload_user_file, with_file_ids

if TYPE_CHECKING:
    from playground.services.run_stream import Resolver
    from playground.services.runs import Run


def upload_failure(name: str, exc: Exception) -> Failure:
    """What went wrong uploading the file `name`, in the app's words."""
    if isinstance(exc, file_inputs.FileTooLarge):
        return Failure(FailureKind.UPLOAD, f"{exc}, so it was not uploaded.")
    if isinstance(exc, OSError):
        why = exc.strerror or "it cannot be read"
        return Failure(FailureKind.UPLOAD, f"{name} could not be read to upload it ({why}).")
    found = failure_from_exception(exc)
    return replace(found, message=f"Uploading {name} failed. {found.message}")


async def before_run(run: Run, backend: Backend, resolve: Resolver) -> bool:
    """Upload `run`'s marked files and point its workspace at their ids; False when an
    upload failed (the run's turn then carries the failure, and `finished` was emitted)."""
    origin = (run.profile.name, file_inputs.upload_origin(run.profile))
    paths = marked_paths(run.workspace, origin)
    if not paths:
        return True
    ids: dict[str, str] = {}
    try:
        resolved, key = await resolve(run.profile)
        client = backend.client(resolved, key)
        for path in paths:
            name = file_inputs.file_name(path)
            try:
                data = await asyncio.to_thread(_read, path)
                ids[path] = await upload_user_file(client, name, data)
            except (OSError, ValueError, openai.OpenAIError) as exc:
                run.turn = AssistantTurn(failure=upload_failure(name, exc))
                run.finished.emit(run.turn, False)
                return False
    except asyncio.CancelledError:
        run.turn = AssistantTurn()
        run.finished.emit(run.turn, True)
        raise
    finally:
        if ids:
            run.workspace = with_file_ids(run.workspace, ids, origin)
            run.files_uploaded.emit(ids, origin)
    return True


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()
