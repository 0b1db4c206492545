"""Read the conversation of a request body: Chat `messages` or Responses `input` items.

A message or item the workspace can edit becomes a `Message`. One it cannot represent exactly
(a reasoning item, an item reference, an item with its `id` and `status`, a message with fields
the app does not edit) becomes a `Message` that carries the item as given (`Message.item`): it
is shown, kept in its place, and sent unchanged. Values the API types as strings (tool-call
`arguments`, a tool's `output`) that arrive as JSON values are kept as their JSON text, with a
note: the API takes a string (openapi.json `FunctionToolCall.arguments`,
`ChatCompletionMessageToolCall.function.arguments`, checked 2026-11-30).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from playground.core import request, variables
from playground.core.workspace import (
    IMAGE_DETAILS,
    ROLES,
    FilePart,
    ImagePart,
    Message,
    Part,
    RawPart,
    TextPart,
    ToolCall,
    Workspace,
)

Note = Callable[[str], None]
_TEXT_KEYS = frozenset({"type", "text"})
_FILE_KEYS = frozenset({"filename", "file_data", "file_id"})
_TEXT_TYPES = ("text", "input_text", "output_text")
_JSON_KINDS = {dict: "object", list: "array", int: "number", float: "number", bool: "boolean"}


def json_text(value: Any, where: str, note: Note, what: str = "a JSON string") -> str:
    """`value` when it is a string; otherwise its JSON text, with a note."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    text = json.dumps(value, ensure_ascii=False)
    kind = _JSON_KINDS.get(type(value), "value")
    note(f"{where}: given as a JSON {kind}, the API takes {what}; imported as its JSON text")
    return text


def _output_text(item: dict[str, Any]) -> str | None:
    """The joined text of an output message item whose parts are all output_text, else None."""
    parts = item.get("content")
    if not isinstance(parts, list) or not parts:
        return None
    if not all(isinstance(p, dict) and p.get("type") == "output_text" for p in parts):
        return None
    return "".join(str(p.get("text", "")) for p in parts)


def _text(value: Any) -> str:
    """An id or name as the workspace holds it ("" when missing; the exact check keeps the
    given item when this is not what was sent)."""
    return value if isinstance(value, str) else "" if value is None else json.dumps(value)


class ConversationReader:
    """Reads messages or input items of one API, noting what it cannot edit."""

    def __init__(self, api: str, note: Note) -> None:
        self.custom_ids: set[str] = set()  # call ids of custom tools' calls read so far
        self.api = api
        self.note = note

    def part(self, raw: Any, where: str) -> Part | None:
        if not isinstance(raw, dict):
            self.note(f"{where}: a content part must be an object; not imported")
            return None
        kind = raw.get("type")
        text = raw.get("text")
        if kind in _TEXT_TYPES and set(raw) <= _TEXT_KEYS and isinstance(text, str):
            return TextPart(text=text)
        image = raw.get("image_url")
        if (
            kind == "image_url"
            and set(raw) == {"type", "image_url"}
            and isinstance(image, dict)
            and set(image) <= {"url", "detail"}
            and isinstance(image.get("url"), str)
        ):
            return ImagePart(url=image["url"], detail=image.get("detail"))
        if (
            kind == "input_image"
            and isinstance(image, str)
            and set(raw) == {"type", "image_url", "detail"}  # no detail: kept as given
            and raw["detail"] in IMAGE_DETAILS
        ):
            return ImagePart(url=image, detail=raw["detail"])
        file = raw.get("file") if kind == "file" else raw
        if (
            kind in ("file", "input_file")
            and (set(raw) == {"type", "file"} if kind == "file" else True)
            and isinstance(file, dict)
            and set(file) - {"type"} <= _FILE_KEYS
            and all(isinstance(file.get(k, ""), str) for k in _FILE_KEYS)
            and ("file_id" in file) != ("file_data" in file)
        ):
            return FilePart(
                filename=file.get("filename"),
                file_data=file.get("file_data"),
                file_id=file.get("file_id"),
            )
        return RawPart(data=raw)

    def content(self, raw: Any, where: str) -> str | list[Part]:
        if raw is None:
            return ""
        if isinstance(raw, str):
            return raw
        if isinstance(raw, list):
            parts = [self.part(p, f"{where}[{i}]") for i, p in enumerate(raw)]
            return [p for p in parts if p is not None]
        return json_text(raw, f"{where}.content", self.note)

    def exact(self, msg: Message, given: dict[str, Any]) -> Message:
        """`msg`, or `msg` carrying `given` as its item when it would not send `given`."""
        before = []
        if msg.role == "tool" and msg.tool_call_id in self.custom_ids:
            # the output of a custom tool's call: sent as one after that call
            call = ToolCall(id=msg.tool_call_id or "", name="t", arguments="", kind="custom")
            before = [Message(role="assistant", tool_calls=[call])]
        ws = Workspace(api=self.api, model="m", messages=[*before, msg])
        # as it will be sent: the importer escapes `{{` so that it is not read as a variable
        kwargs = request.build(variables.escaped(ws)).kwargs
        built = kwargs["messages" if self.api == "chat" else "input"][len(before) :]
        if built == [given]:
            return msg
        return msg.model_copy(update={"item": given})

    # -- Chat Completions --------------------------------------------------------------------

    def chat_messages(self, raw: Any) -> list[Message]:
        if not isinstance(raw, list):
            self.note("messages: must be a list of messages; not imported")
            return []
        out: list[Message] = []
        for i, m in enumerate(raw):
            where = f"messages[{i}]"
            role = m.get("role") if isinstance(m, dict) else None
            if role == "function":
                self.note(
                    f"{where}: role 'function' is the retired function-calling role; "
                    "use role 'tool' with a tool_call_id. Not imported."
                )
                continue
            if not isinstance(m, dict) or role not in ROLES:
                self.note(
                    f"{where}: unknown role {role!r} (expected one of "
                    f"{', '.join(ROLES)}); not imported"
                )
                continue
            given = dict(m)
            calls = []
            if isinstance(m.get("tool_calls"), list):
                given["tool_calls"] = []
                for j, c in enumerate(m["tool_calls"]):
                    custom = c.get("custom") if isinstance(c, dict) else None
                    if c.get("type") == "custom" and isinstance(custom, dict):
                        given["tool_calls"].append(c)
                        text = custom.get("input")
                        call = ToolCall(
                            id=_text(c.get("id")),
                            name=_text(custom.get("name")),
                            arguments=text if isinstance(text, str) else "",
                            kind="custom",
                        )
                        calls.append(call)
                        continue
                    fn = c.get("function") if isinstance(c, dict) else None
                    if not isinstance(fn, dict):
                        given["tool_calls"].append(c)
                        continue
                    args = json_text(
                        fn.get("arguments", ""),
                        f"{where}.tool_calls[{j}].function.arguments",
                        self.note,
                    )
                    if "arguments" in fn:
                        fn = {**fn, "arguments": args}
                    given["tool_calls"].append({**c, "function": fn})
                    calls.append(
                        ToolCall(id=_text(c.get("id")), name=_text(fn.get("name")), arguments=args)
                    )
            if not isinstance(m.get("content"), str | list | None):
                given["content"] = json_text(m["content"], f"{where}.content", self.note)
            msg = Message(
                role=role,
                content=self.content(given.get("content"), where),
                tool_calls=calls,
                tool_call_id=m.get("tool_call_id")
                if isinstance(m.get("tool_call_id"), str)
                else None,
                name=m.get("name") if isinstance(m.get("name"), str) else None,
            )
            out.append(self.exact(msg, given))
        return out

    # -- Responses ---------------------------------------------------------------------------

    def responses_input(self, raw: Any) -> tuple[list[Message], bool]:
        if isinstance(raw, str):
            return [Message(role="user", content=raw)], True
        if not isinstance(raw, list):
            self.note("input: must be a string or a list of items; not imported")
            return [], False
        out: list[Message] = []
        kept: list[str] = []
        for i, item in enumerate(raw):
            where = f"input[{i}]"
            if not isinstance(item, dict):
                self.note(f"{where}: an input item must be an object; not imported")
                continue
            msg = self.item(item, where, out)
            if msg is None:
                continue
            if msg.item is not None:
                kept.append(f"{where} ({item.get('type', 'message')})")
            out.append(msg)
        if kept:
            self.note(
                f"{', '.join(kept)}: shown and sent exactly as given; the app does not edit "
                "these items"
            )
        return out, False

    def item(self, item: dict[str, Any], where: str, out: list[Message]) -> Message | None:
        """The message of one input item; None when it joined the previous message."""
        kind = item.get("type", "message")
        if kind == "message":
            role = item.get("role")
            if role not in ROLES or role == "tool":
                self.note(f"{where}: unknown role {role!r}; not imported")
                return None
            if not isinstance(item.get("content"), str | list | None):
                item = {
                    **item,
                    "content": json_text(item["content"], f"{where}.content", self.note),
                }
            msg = Message(role=role, content=self.content(item.get("content"), where))
            plain = {k: v for k, v in item.items() if k != "type"}
            exact = self.exact(msg, plain)
            if exact.item is None:
                return msg
            shown = _output_text(item) if role == "assistant" else None
            if shown is not None:  # an answer kept as given (annotations): its text shows
                exact = exact.model_copy(update={"content": shown})
            return exact.model_copy(update={"item": item})
        if kind in ("function_call", "custom_tool_call"):
            given = dict(item)
            field = "arguments" if kind == "function_call" else "input"
            if field in item:
                given[field] = json_text(item[field], f"{where}.{field}", self.note)
            call = ToolCall(
                id=_text(item.get("call_id")),
                name=_text(item.get("name")),
                arguments=given.get(field, ""),
                kind="function" if kind == "function_call" else "custom",
            )
            if call.kind == "custom":
                self.custom_ids.add(call.id)
            msg = self.exact(Message(role="assistant", tool_calls=[call]), given)
            last = out[-1] if out else None
            if (
                msg.item is None
                and last is not None
                and last.role == "assistant"
                and last.item is None
                # the builder writes a text message, then its calls; an empty message
                # without calls stays a message of its own
                and (last.tool_calls or (isinstance(last.content, str) and last.content))
            ):
                last.tool_calls.append(call)
                return None
            return msg
        if kind in ("function_call_output", "custom_tool_call_output"):
            given = dict(item)
            output = item.get("output")
            if not isinstance(output, str | list):
                given["output"] = json_text(
                    output, f"{where}.output", self.note, "a string or a list of parts"
                )
            text = given.get("output")
            content = text if isinstance(text, str) else self.content(text, where)
            call_id = item.get("call_id") if isinstance(item.get("call_id"), str) else None
            return self.exact(Message(role="tool", content=content, tool_call_id=call_id), given)
        role = (
            item.get("role")
            if item.get("role") in ("user", "assistant", "system", "developer")
            else "assistant"
        )
        return Message(role=role, item=item)
