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
from collections.abc import Iterable
from pathlib import Path
from typing import Final

MAX_REQUEST_FILE_BYTES = 32 * 1024 * 1024
"""Most bytes of all the file inputs of one request (see the module docstring)."""
MAX_FILE_BYTES = MAX_REQUEST_FILE_BYTES
"""Most bytes of one file input: a file cannot be more than a request takes."""
MAX_PAGES = 100
"""Most PDF pages of one request, across its files (the same guide)."""
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
    """`size` bytes as "12.3 MB" (1 MB = 1,048,576 bytes, as the limit is read)."""
    return f"{size / 1_048_576:.1f} MB"


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
