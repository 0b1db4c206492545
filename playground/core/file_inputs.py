"""File inputs: what the API takes, how a local file is sent inline, and the size limit.

A file goes to the model as a Responses `input_file` part or a Chat `file` part, either by
`file_id` (uploaded through the Files API with purpose "user_data") or inline as `file_data`,
a base64 data URL ("data:application/pdf;base64,…") with its `filename` (spec 2.3.0
InputFileContent and ChatCompletionRequestMessageContentPartFile; the file inputs guide,
developers.openai.com/api/docs/guides/file-inputs; checked 2026-12-01).

Size: "You can upload up to 100 pages and 32MB of total content in a single request to the
API, across multiple file inputs" (OpenAI's PDF files guide, platform.openai.com/docs/guides/
pdf-files, "File size limitations"; checked 2026-12-01). 32 MB is read as 32 MiB
(33,554,432 bytes), and sizes are shown in the same unit. A file larger than that is refused
when it is attached, with the limit named, and a request whose files add up to more gets an
error finding; nothing is cut short. The simulator (services/simulator/file_inputs.py)
refuses the same figure.
"""

from __future__ import annotations

import base64
import mimetypes
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from playground.core.profiles import ProviderProfile
    from playground.core.workspace import FilePart

MAX_REQUEST_FILE_BYTES = 32 * 1024 * 1024
"""Most bytes of all the file inputs of one request (see the module docstring)."""
MAX_FILE_BYTES = MAX_REQUEST_FILE_BYTES
"""Most bytes of one file input: a file cannot be more than a request takes."""
MAX_PAGES = 100
"""Most PDF pages of one request, across its files (the same guide)."""
UPLOAD_PURPOSE: Final = "user_data"
"""The Files API purpose of a file uploaded to be a model input (the file inputs guide)."""


FILE_UNREADABLE: Final = "file_unreadable"
"""Finding code: a local file (or image) to send is missing or cannot be read."""
FILE_TOO_LARGE: Final = "file_too_large"
"""Finding code: one file is over MAX_FILE_BYTES."""
FILES_OVER_LIMIT: Final = "files_over_limit"
"""Finding code: a request's files add up to more than MAX_REQUEST_FILE_BYTES."""
FILE_SENT_INLINE: Final = "file_sent_inline"
"""Finding code (info): a file marked for upload, and how each way of sending sends it."""
FILE_ID_STORED: Final = "file_id_stored"
"""Finding code (info): a file is sent by the id an earlier upload gave it."""
FILE_CODES: Final = frozenset(
    {FILE_UNREADABLE, FILE_TOO_LARGE, FILES_OVER_LIMIT, FILE_SENT_INLINE, FILE_ID_STORED}
)

# The in-process simulator's memory: a token new in each process, unless the simulator keeps
# its state (set_in_process_origin), so an id from a memory that is gone never matches.
_in_process = [uuid.uuid4().hex[:12]]


def set_in_process_origin(token: str) -> None:
    """Name the memory of this process's Offline simulator (its seal key's fingerprint,
    services.connection.start_own_simulator): files it holds are sent by id while it keeps
    them, also after a restart of the app."""
    _in_process[0] = token


def upload_origin(profile: ProviderProfile) -> str:
    """Where a file uploaded with `profile` lives, for `FilePart.upload_server`: the
    profile's base URL, or for the Offline simulator (in-process) "in-process:<token>",
    the token of the simulator's memory (set_in_process_origin; else new in each process)."""
    if profile.kind == "simulator":
        return f"in-process:{_in_process[0]}"
    return profile.effective_base_url


def origin_of(profile: ProviderProfile) -> tuple[str, str]:
    """(profile name, upload_origin): where a request sent with `profile` goes, as a file's
    upload and a reasoning item's answer record it."""
    return (profile.name, upload_origin(profile))


def sends_by_id(part: FilePart, origin: tuple[str, str] | None) -> bool:
    """Whether `part`'s `file_id` is sent to a server at `origin` (profile name,
    upload_origin). An id the app's upload gave (the part has a `path` and is marked for
    upload, or names where it went) is sent only where that upload went: the same profile
    and server. An id with no local file, or one the user gave, is sent as it is."""
    if not part.file_id:
        return False
    if part.path is None or (not part.upload and part.upload_server is None):
        return True
    if not part.upload:  # the user chose inline after uploading
        return False
    return origin is not None and (part.uploaded_to, part.upload_server) == origin


def file_size(path: str) -> int:
    """The size in bytes of the local file at `path` (~ expanded), from the file system
    without reading it. Raises OSError (FileNotFoundError, PermissionError, ...)."""
    return Path(path).expanduser().stat().st_size


class FileTooLarge(ValueError):
    """A file over MAX_FILE_BYTES: `size` and `limit` in bytes; the message names both."""

    def __init__(self, name: str, size: int, limit: int = MAX_FILE_BYTES) -> None:
        super().__init__(
            f"{name} is {megabytes(size)}; the API takes files of at most {megabytes(limit)}"
        )
        self.size = size
        self.limit = limit


def megabytes(size: int) -> str:
    """`size` bytes as "12.3 MB" (1 MB = 1,048,576 bytes, as the limit is read)."""
    return f"{size / 1_048_576:.1f} MB"


def check_size(name: str, size: int) -> None:
    """Raise FileTooLarge when a file of `size` bytes is over the per-file limit."""
    if size > MAX_FILE_BYTES:
        raise FileTooLarge(name, size)


def unreadable(path: str, exc: OSError) -> str:
    """What to say of a local file that cannot be sent: missing, or why it cannot be read."""
    if isinstance(exc, FileNotFoundError):
        return f"{path} is not there (missing from disk): attach it again or remove it"
    return f"cannot read {path} ({exc.strerror or 'no access'})"


def over_request_limit(sizes: Iterable[int]) -> str:
    """A message when files of these sizes (bytes) are more than one request takes, else ""."""
    total = sum(sizes)
    if total <= MAX_REQUEST_FILE_BYTES:
        return ""
    return (
        f"the attached files add up to {megabytes(total)}; one request takes at most "
        f"{megabytes(MAX_REQUEST_FILE_BYTES)} of files"
    )


def mime_type(filename: str) -> str:
    """The MIME type of a file by its name ("application/pdf"); application/octet-stream
    when the name does not tell."""
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def data_url(filename: str, data: bytes) -> str:
    """`data` as the `file_data` the API takes: "data:<mime>;base64,<data>"."""
    return f"data:{mime_type(filename)};base64,{base64.b64encode(data).decode('ascii')}"


def data_size(file_data: str) -> int:
    """The bytes a `file_data` data URL (or bare base64 text) decodes to, without decoding."""
    payload = file_data.split(",", 1)[1] if file_data.startswith("data:") else file_data
    payload = payload.strip()
    return len(payload) * 3 // 4 - payload[-2:].count("=")


def file_name(path: str) -> str:
    """The file name sent for a local file: the last part of its path."""
    return Path(path).name
