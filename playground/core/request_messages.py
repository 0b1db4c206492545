"""Messages and content parts of a request, for both APIs (the request builder's part).

Chat Completions takes `messages` with `image_url` and `file` parts; Responses takes `input`
items with `input_text` / `output_text` / `input_image` / `input_file` parts, `function_call` and
`function_call_output` items (spec 2.3.0 CreateChatCompletionRequest and CreateResponse,
checked 2026-11-30). A message the app does not edit (`Message.item`) is sent as given.
"""

from __future__ import annotations

import base64
import contextlib
import mimetypes
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from playground.core import file_inputs, reasoning_items
from playground.core.catalog import ModelInfo
from playground.core.reasoning_items import is_reasoning
from playground.core.workspace import FilePart, ImagePart, Message, RawPart, TextPart, Workspace

if TYPE_CHECKING:
    from playground.core.request import Target

FileReader = Callable[[str], bytes]
UNREADABLE = file_inputs.FILE_UNREADABLE


class MessageBuilder:
    """The conversation part of a request; `request._Builder` adds parameters and tools."""

    ws: Workspace
    info: ModelInfo
    reader: FileReader
    target: Target
    file_sizes: list[int]  # bytes of each file input sent inline, for the request's limit

    def note(self, path: str, message: str, severity: str = "warning", code: str = "") -> None:
        raise NotImplementedError

    # -- content ----------------------------------------------------------------------------

    def image_url(self, part: ImagePart, path: str) -> str | None:
        if part.url:
            return part.url
        if not part.path:
            self.note(path, "image has neither a URL nor a file", "error")
            return None
        try:
            file_inputs.file_size(part.path)  # missing is said without reading (validation)
            data = self.reader(part.path)
        except OSError as exc:
            self.note(path, file_inputs.unreadable(part.path, exc), "error", UNREADABLE)
            return None
        mime = mimetypes.guess_type(part.path)[0] or "image/png"
        return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"

    def file_fields(self, part: FilePart, path: str) -> dict[str, Any] | None:
        """`file_id`, or `filename` and `file_data`, of a file part (both APIs name them
        alike); None, with an error finding, when the file is missing, cannot be read or is
        too large. A local file's size comes from the file system (no read), so validation,
        which reads nothing, finds it too. A stored id an upload gave is sent only to where
        that upload went (file_inputs.sends_by_id); elsewhere the file is sent inline."""
        name = part.filename or (file_inputs.file_name(part.path) if part.path else None)
        origin = self.target.files_origin
        if part.file_id and file_inputs.sends_by_id(part, origin):
            return self.by_id(part, path)
        shown = name or "the file"
        if part.file_id:
            where = f"to '{origin[0]}'" if origin else "elsewhere"
            self.note(
                path,
                f"{shown} was uploaded to '{part.uploaded_to or 'an unknown server'}' as "
                f"{part.file_id}, and this request goes {where}, where that id is not known: "
                "Run uploads it again; `playground run` and exported code send it inline",
                "info",
                file_inputs.FILE_SENT_INLINE,
            )
        elif part.upload:
            self.note(
                path,
                f"{shown} is marked for upload: Run uploads it through the Files "
                "API and sends its file_id; exported code and `playground run` send it inline",
                "info",
                file_inputs.FILE_SENT_INLINE,
            )
        data = part.file_data
        if data is None and part.path:
            try:
                size = file_inputs.file_size(part.path)
                if size > file_inputs.MAX_FILE_BYTES:
                    raise file_inputs.FileTooLarge(name or part.path, size)
                data = file_inputs.data_url(name or part.path, self.reader(part.path))
            except OSError as exc:
                self.note(path, file_inputs.unreadable(part.path, exc), "error", UNREADABLE)
                return None
            except file_inputs.FileTooLarge as exc:
                self.note(path, f"{exc}: it is not sent", "error", file_inputs.FILE_TOO_LARGE)
                return None
        elif data is None:
            self.note(path, "file has neither a file id, data nor a local file", "error")
            return None
        else:
            size = file_inputs.data_size(data)
            if size > file_inputs.MAX_FILE_BYTES:
                too_large = file_inputs.FileTooLarge(shown, size)
                self.note(path, f"{too_large}: it is not sent", "error", file_inputs.FILE_TOO_LARGE)
                return None
        self.file_sizes.append(size)
        out = {"filename": name} if name else {}
        out["file_data"] = data
        return out

    def by_id(self, part: FilePart, path: str) -> dict[str, Any]:
        """The fields of a file sent by its id; its local file, when there is one, still
        counts toward the request's limit (by its size on disk)."""
        if part.uploaded_to:
            self.note(
                path,
                f"sent by file id {part.file_id} uploaded to '{part.uploaded_to}'",
                "info",
                file_inputs.FILE_ID_STORED,
            )
        if part.path:
            with contextlib.suppress(OSError):  # the server holds it; no local copy needed
                self.file_sizes.append(file_inputs.file_size(part.path))
        out: dict[str, Any] = {"file_id": part.file_id}
        if part.filename:
            out["filename"] = part.filename
        return out

    def check_file_total(self) -> None:
        """An error finding when the request's files (inline data, and local files by their
        size on disk) are over the request's limit."""
        problem = file_inputs.over_request_limit(self.file_sizes)
        if problem:
            self.note("messages", problem, "error", file_inputs.FILES_OVER_LIMIT)

    def chat_content(self, msg: Message, path: str) -> str | list[dict[str, Any]]:
        if isinstance(msg.content, str):
            return msg.content
        parts: list[dict[str, Any]] = []
        for j, part in enumerate(msg.content):
            if isinstance(part, TextPart):
                parts.append({"type": "text", "text": part.text})
                continue
            if isinstance(part, RawPart):
                parts.append(dict(part.data))
                continue
            if isinstance(part, FilePart):
                fields = self.file_fields(part, f"{path}.content[{j}]")
                if fields is not None:
                    parts.append({"type": "file", "file": fields})
                continue
            url = self.image_url(part, f"{path}.content[{j}]")
            if url is None:
                continue
            image: dict[str, Any] = {"url": url}
            if part.detail:
                image["detail"] = part.detail
                if part.detail == "original":
                    self.note(
                        f"{path}.content[{j}].detail",
                        "Chat Completions takes image detail auto, low or high; "
                        "original is a Responses value",
                        "error",
                    )
            parts.append({"type": "image_url", "image_url": image})
        return parts

    def responses_content(self, msg: Message, path: str) -> str | list[dict[str, Any]]:
        if isinstance(msg.content, str):
            return msg.content
        text_type = "output_text" if msg.role == "assistant" else "input_text"
        parts: list[dict[str, Any]] = []
        for j, part in enumerate(msg.content):
            if isinstance(part, TextPart):
                parts.append({"type": text_type, "text": part.text})
                continue
            if isinstance(part, RawPart):
                parts.append(dict(part.data))
                continue
            if isinstance(part, FilePart):
                fields = self.file_fields(part, f"{path}.content[{j}]")
                if fields is not None:
                    parts.append({"type": "input_file", **fields})
                continue
            url = self.image_url(part, f"{path}.content[{j}]")
            if url is None:
                continue
            # the spec requires detail on input_image (InputImageContent.required)
            image = {"type": "input_image", "image_url": url, "detail": part.detail or "auto"}
            parts.append(image)
        return parts

    # -- messages ---------------------------------------------------------------------------

    def instructions_role(self) -> str:
        return "developer" if self.info.known and self.info.reasoning else "system"

    def chat_messages(self) -> list[dict[str, Any]]:
        self.file_sizes = []
        out: list[dict[str, Any]] = []
        if self.ws.instructions:
            out.append({"role": self.instructions_role(), "content": self.ws.instructions})
        for i, msg in enumerate(self.ws.messages):
            path = f"messages[{i}]"
            if is_reasoning(msg.item):
                self.note(path, "reasoning items are not sent to Chat Completions", "info")
                continue
            if msg.item is not None:
                out.append(dict(msg.item))
                continue
            entry: dict[str, Any] = {"role": msg.role}
            if msg.role == "tool":
                entry["tool_call_id"] = msg.tool_call_id or ""
                entry["content"] = self.chat_content(msg, path)
            elif msg.role == "assistant" and msg.tool_calls:
                entry["content"] = self.chat_content(msg, path) or None
                entry["tool_calls"] = [
                    {"id": c.id, "type": "custom", "custom": {"name": c.name, "input": c.arguments}}
                    if c.kind == "custom"
                    else {
                        "id": c.id,
                        "type": "function",
                        "function": {"name": c.name, "arguments": c.arguments},
                    }
                    for c in msg.tool_calls
                ]
            else:
                entry["content"] = self.chat_content(msg, path)
            if msg.name:
                entry["name"] = msg.name
            out.append(entry)
        self.check_file_total()
        return out

    def responses_input(self, start: int = 0) -> list[dict[str, Any]]:
        """Input items of the messages from index `start` on (a chain or a conversation sends
        only those after its last answer); a tool message answering a custom tool's call (a
        call of kind "custom" earlier in the conversation) is a `custom_tool_call_output`."""
        self.file_sizes = []
        out: list[dict[str, Any]] = []
        earlier = self.ws.messages[:start]
        custom = {c.id for m in earlier for c in m.tool_calls if c.kind == "custom"}
        origin = self.target.files_origin
        elsewhere = 0
        for i, msg in enumerate(self.ws.messages[start:], start):
            path = f"messages[{i}]"
            if reasoning_items.from_elsewhere(msg, origin):
                elsewhere += 1  # its server alone knows it (reasoning_items.from_elsewhere)
                continue
            if msg.item is not None:
                out.append(dict(msg.item))
                continue
            if msg.role == "tool":
                kind = "custom_tool_call" if msg.tool_call_id in custom else "function_call"
                out.append(
                    {
                        "type": f"{kind}_output",
                        "call_id": msg.tool_call_id or "",
                        "output": msg.text,
                    }
                )
                continue
            if msg.role != "assistant" or msg.text or not msg.tool_calls:
                out.append({"role": msg.role, "content": self.responses_content(msg, path)})
            for call in msg.tool_calls:
                item: dict[str, Any]
                if call.kind == "custom":
                    custom.add(call.id)
                    item = {
                        "type": "custom_tool_call",
                        "call_id": call.id,
                        "name": call.name,
                        "input": call.arguments,
                    }
                else:
                    item = {
                        "type": "function_call",
                        "call_id": call.id,
                        "name": call.name,
                        "arguments": call.arguments,
                    }
                out.append(item)
        if elsewhere and origin is not None:
            note = reasoning_items.elsewhere_note(elsewhere, origin)
            self.note("messages", note, "info", reasoning_items.ELSEWHERE)
        self.check_file_total()
        return out
