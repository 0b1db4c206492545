"""File inputs: what the API takes, how a local file is sent inline, and the size limit.

A file goes to the model as a Responses `input_file` part or a Chat `file` part, either by
`file_id` (uploaded through the Files API with purpose "user_data") or inline as `file_data`,
a base64 data URL ("data:application/pdf;base64,…") with its `filename` (spec 2.3.0
InputFileContent and ChatCompletionRequestMessageContentPartFile; the file inputs guide,
developers.openai.com/api/docs/guides/file-inputs; checked 2026-12-01).

Size: the limit taken here is 50 MB per file and 50 MB of files in one request, read as
50,000,000 bytes (the smaller reading of "MB"). The stored copy of the file inputs guide
available on 2026-12-01 did not show its limits section, so this figure is the one the issue
gives and is not verified against the guide; change MAX_FILE_BYTES if the guide says
otherwise. A larger file is refused when it is attached, with the limit named, and a
request whose files add up to more gets an error finding; nothing is cut short.
"""

from __future__ import annotations

import base64
import mimetypes
from collections.abc import Iterable
from pathlib import Path
from typing import Final

MAX_FILE_BYTES = 50_000_000
"""Most bytes of one file input (see the module docstring)."""
MAX_REQUEST_FILE_BYTES = 50_000_000
"""Most bytes of all the file inputs of one request (see the module docstring)."""
UPLOAD_PURPOSE: Final = "user_data"
"""The Files API purpose of a file uploaded to be a model input (the file inputs guide)."""


class FileTooLarge(ValueError):
    """A file over MAX_FILE_BYTES: `size` and `limit` in bytes; the message names both."""

    def __init__(self, name: str, size: int, limit: int = MAX_FILE_BYTES) -> None:
        super().__init__(
            f"{name} is {megabytes(size)}; the API takes files of at most {megabytes(limit)}"
        )
        self.size = size
        self.limit = limit


def megabytes(size: int) -> str:
    """`size` bytes as "12.3 MB" (1 MB = 1,000,000 bytes)."""
    return f"{size / 1_000_000:.1f} MB"


def check_size(name: str, size: int) -> None:
    """Raise FileTooLarge when a file of `size` bytes is over the per-file limit."""
    if size > MAX_FILE_BYTES:
        raise FileTooLarge(name, size)


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
