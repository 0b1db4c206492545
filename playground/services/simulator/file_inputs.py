"""File and image parts of a Responses request's input: checked as the API checks them, and
read, so the simulated answer can say what a file holds.

An `input_file` part (spec components.schemas.InputFileContent, checked 2026-12-01) names
its file one way: `file_data` (a base64 data URL, `data:application/pdf;base64,…`),
`file_id` (a Files API upload, e.g. purpose "user_data") or `file_url`. The simulator reads
a PDF's text with pypdf and a text file as UTF-8; it does not fetch URLs, and it cannot read
other documents (.docx, .xlsx, …): the answer says so. A PDF pypdf cannot open is a 400.

Limits: "You can upload up to 100 pages and 32MB of total content in a single request to
the API, across multiple file inputs" (OpenAI's PDF files guide, platform.openai.com/docs/
guides/pdf-files, "File size limitations"; checked 2026-12-01). Beyond them: 400, the limit
named. `detail` of an input_image is one of ImageDetail (low, high, auto, original), of an
input_file one of FileInputDetail (auto, low, high).
"""

from __future__ import annotations

import base64
import binascii
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from playground.core.file_inputs import MAX_PAGES, MAX_REQUEST_FILE_BYTES
from playground.services.simulator.protocol import SimError, count_tokens
from playground.services.simulator.state_checks import shown

MAX_TOTAL_BYTES = MAX_REQUEST_FILE_BYTES
"""32 MB of file content in one request, across all its input files (core.file_inputs)."""
IMAGE_DETAIL = ("low", "high", "auto", "original")
FILE_DETAIL = ("auto", "low", "high")
TEXT_TYPES = (".txt", ".md", ".json", ".csv", ".tsv", ".html", ".xml", ".py", ".js", ".ts")
DOCUMENT_TYPES = (".doc", ".docx", ".rtf", ".odt", ".ppt", ".pptx", ".xls", ".xlsx")


@dataclass
class ReadFile:
    """One file of the input: its name, its PDF page count (None: not a PDF), its text
    (None: the simulator could not read it) and why not."""

    name: str
    pages: int | None
    text: str | None
    unread: str = ""


def _bad(message: str, param: str, code: str | None = "invalid_value") -> SimError:
    return SimError(400, message, param=param, code=code)


def _decode(data: str, param: str) -> tuple[str, bytes]:
    """(media type, bytes) of a data URL or bare base64."""
    media = ""
    payload = data
    if data.startswith("data:"):
        head, _, payload = data.partition(",")
        media = head[5:].split(";")[0]
    try:
        return media, base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise _bad(
            f"Invalid '{param}': expected base64-encoded file data, as a data URL "
            "(data:<media type>;base64,<data>).",
            param,
        ) from None


def _pdf(name: str, data: bytes, param: str) -> ReadFile:
    from pypdf import PdfReader  # imported on first use: most requests carry no PDF
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        raise _bad(f"The file '{name}' could not be read as a PDF.", param) from None
    return ReadFile(name, len(pages), "\n".join(pages).strip())


def _read(name: str, media: str, data: bytes, param: str) -> ReadFile:
    lower = name.lower()
    if media == "application/pdf" or lower.endswith(".pdf") or data.startswith(b"%PDF"):
        return _pdf(name, data, param)
    if media.startswith("text/") or lower.endswith(TEXT_TYPES):
        try:
            return ReadFile(name, None, data.decode("utf-8").strip())
        except UnicodeDecodeError:
            raise _bad(f"The file '{name}' is not valid UTF-8 text.", param) from None
    if lower.endswith(DOCUMENT_TYPES):
        kind = lower.rsplit(".", 1)[-1]
        return ReadFile(name, None, None, f"the simulator cannot read .{kind} files")
    raise _bad(
        f"Invalid input: the file '{name}' is not of a supported type (PDF, text, code, "
        "documents, presentations, spreadsheets).",
        param,
        "unsupported_file",
    )


def _source(
    part: dict[str, Any], param: str, lookup: Callable[[str], tuple[str, bytes]]
) -> tuple[str, str, bytes | None]:
    """(name, media type, bytes) of an input_file part; bytes None for a URL."""
    detail = part.get("detail")
    if detail is not None and detail not in FILE_DETAIL:
        raise _bad(
            f"Invalid value: {shown(detail)}. Supported values are: 'auto', 'low', and 'high'.",
            f"{param}.detail",
        )
    given = [k for k in ("file_data", "file_id", "file_url") if part.get(k)]
    if len(given) != 1:
        raise _bad(
            "Invalid input_file: provide exactly one of 'file_data', 'file_id' or 'file_url'.",
            param,
            "missing_required_parameter" if not given else "invalid_value",
        )
    if given[0] == "file_url":
        return str(part["file_url"]), "", None
    if given[0] == "file_id":
        name, data = lookup(str(part["file_id"]))
        return str(part.get("filename") or name), "", data
    media, data = _decode(str(part["file_data"]), f"{param}.file_data")
    return str(part.get("filename") or "file"), media, data


def _check_total(total: int) -> None:
    if total > MAX_TOTAL_BYTES:
        raise _bad(
            f"Invalid input: the files in this request hold {total / 1024 / 1024:.1f} MB; "
            "a request may carry at most 32 MB of file content, across all its input files.",
            "input",
            "file_too_large",
        )


def read(inp: Any, lookup: Callable[[str], tuple[str, bytes]]) -> list[ReadFile]:
    """The files of `inp`'s messages, read; SimError 400 for a malformed part, an image
    detail the API refuses, a file it cannot read, or more than the request limits."""
    if not isinstance(inp, list):
        return []
    found: list[ReadFile] = []
    total = pages = 0
    for i, item in enumerate(inp):
        content = item.get("content") if isinstance(item, dict) else None
        if not isinstance(content, list):
            continue
        for j, part in enumerate(content):
            if not isinstance(part, dict):
                continue
            param = f"input[{i}].content[{j}]"
            if part.get("type") == "input_image":
                detail = part.get("detail")
                if detail is not None and detail not in IMAGE_DETAIL:
                    raise _bad(
                        f"Invalid value: {shown(detail)}. Supported values are: 'low', "
                        "'high', 'auto', and 'original'.",
                        f"{param}.detail",
                    )
            elif part.get("type") == "input_file":
                name, media, data = _source(part, param, lookup)
                if data is None:
                    found.append(ReadFile(name, None, None, "the simulator does not fetch URLs"))
                    continue
                total += len(data)
                _check_total(total)
                got = _read(name, media, data, param)
                pages += got.pages or 0
                found.append(got)
    if pages > MAX_PAGES:
        raise _bad(
            f"Invalid input: the PDFs in this request have {pages} pages; a request may "
            f"carry at most {MAX_PAGES} pages.",
            "input",
            "file_too_large",
        )
    return found


def note(files: list[ReadFile]) -> str | None:
    """What the simulated answer says about the input files (None when there are none)."""
    if not files:
        return None
    lines = []
    for f in files:
        if f.text is None:
            lines.append(f"- `{f.name}`: not read ({f.unread}).")
            continue
        kind = f"{f.pages} page{'s' if f.pages != 1 else ''}, " if f.pages is not None else ""
        quoted = " ".join(f.text.split())[:160] or "(no text)"
        lines.append(f'- `{f.name}` ({kind}{len(f.text)} characters of text): "{quoted}"')
    return "Files read:\n\n" + "\n".join(lines)


def text_tokens(files: list[ReadFile]) -> int:
    """The input tokens of the text read from `files` (counted as the simulator counts text;
    a file it could not read counts nothing)."""
    return sum(count_tokens(f.text) for f in files if f.text)
