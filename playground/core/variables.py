"""Prompt variables: `{{name}}` placeholders in the texts a person writes, filled literally.

Where they are read (`spots`): the instructions; the text of system, developer and user
messages (a plain string or its text parts); each enabled tool's description and mock
output. Assistant and tool messages are the model's and the tools' words, sent as written:
an answer that contains `{{ message }}` (a Vue or Jinja template) never blocks Run. A
message the app does not edit (`Message.item`) is sent as given.

The grammar (one regular expression, `PLACEHOLDER`):
- `{{name}}` or `{{ name }}` (spaces or tabs inside the braces): the variable `name`, whose
  name follows evaluation_spec.VARIABLE_NAME (`city`, `expected.answer`, `first-name`);
- `\\{{` is a literal `{{` (the backslash is dropped), as in Handlebars; only a backslash
  right before `{{` is special;
- anything else is left as written, `{{` that forms no placeholder included (`{{ 1 + 2 }}`).

Filling is one substitution: a value is inserted as given and never read again (a value that
contains `{{x}}` stays `{{x}}`), no code runs, there is no format spec and no expression.
`request.build` fills each request once with the workspace's own values, so sending, the
Raw pane and every export read the same filled request.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import TypeVar

from playground.core.evaluation_spec import VARIABLE_NAME
from playground.core.findings import Finding
from playground.core.workspace import CustomTool, FunctionTool, Message, TextPart, Workspace

_T = TypeVar("_T", FunctionTool, CustomTool)

_PATTERN = r"\\\{\{|\{\{[ \t]*(" + VARIABLE_NAME.pattern + r")[ \t]*\}\}"
PLACEHOLDER = re.compile(_PATTERN)
"""An escape `\\{{` (group 1 None) or a placeholder (group 1: the name)."""

MISSING = "variable_missing"
"""The code of the finding "{{name}} has no value" (an error: it blocks Run), at the path of
the text that uses it."""

FILLED_ROLES = ("system", "developer", "user")
"""The roles whose message text is a template (see the module docstring)."""


class MissingValues(KeyError):
    """Variables used in a text have no value; `names` lists them in order of first use."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(names)
        self.names = tuple(names)

    def __str__(self) -> str:
        return "no value for " + ", ".join(f"{{{{{n}}}}}" for n in self.names)


def names_in(text: str) -> list[str]:
    """The variables `text` uses, in order of first appearance, each once."""
    if "{{" not in text:
        return []
    found = (m.group(1) for m in PLACEHOLDER.finditer(text))
    return list(dict.fromkeys(n for n in found if n is not None))


def fill_text(text: str, values: Mapping[str, str], strict: bool = True) -> str:
    """`text` with each placeholder replaced by its value and `\\{{` by `{{`.

    A name without a value raises MissingValues (naming all of them) when `strict`;
    otherwise its placeholder is left as written."""
    if "{{" not in text:
        return text
    missing: list[str] = []

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return "{{"
        if name in values:
            return values[name]
        missing.append(name)
        return match.group(0)

    out = PLACEHOLDER.sub(one, text)
    if missing and strict:
        raise MissingValues(list(dict.fromkeys(missing)))
    return out


def escape(text: str) -> str:
    """`text` written so that filling gives it back unchanged: every `{{` as `\\{{`."""
    return text.replace("{{", "\\{{") if "{{" in text else text


def spots(ws: Workspace) -> Iterator[tuple[str, str]]:
    """(Document path, text) of every template text of `ws`, in the order of the request."""
    if ws.instructions:
        yield "instructions", ws.instructions
    for i, msg in enumerate(ws.messages):
        if msg.item is not None or msg.role not in FILLED_ROLES:
            continue
        if isinstance(msg.content, str):
            yield f"messages[{i}].content", msg.content
            continue
        for j, part in enumerate(msg.content):
            if isinstance(part, TextPart):
                yield f"messages[{i}].content[{j}].text", part.text
    for i, tool in enumerate(ws.tools):
        if not tool.enabled:
            continue
        if tool.description:
            yield f"tools[{i}].description", tool.description
        if tool.mock_output:
            yield f"tools[{i}].mock_output", tool.mock_output
    for i, custom in enumerate(ws.custom_tools):
        if not custom.enabled:
            continue
        if custom.description:
            yield f"custom_tools[{i}].description", custom.description
        if custom.mock_output:
            yield f"custom_tools[{i}].mock_output", custom.mock_output


def names(ws: Workspace) -> list[str]:
    """The variables `ws` uses, in order of first appearance (see `spots`), each once."""
    return list(dict.fromkeys(n for _, text in spots(ws) for n in names_in(text)))


def findings(ws: Workspace, values: Mapping[str, str] | None = None) -> list[Finding]:
    """An error per text and per variable it uses that has no value in `values` (the
    workspace's own by default), at that text's path, code MISSING."""
    have = ws.variables if values is None else values
    out: list[Finding] = []
    for path, text in spots(ws):
        for name in names_in(text):
            if name not in have:
                out.append(
                    Finding(
                        path,
                        "error",
                        f"{{{{{name}}}}} has no value: give it one under Variables",
                        code=MISSING,
                    )
                )
    return out


def names_without_value(ws: Workspace) -> list[str]:
    """The variables `ws` uses that have no value in its own `variables`, in order of first
    use, each once (what `findings` reports, by name)."""
    return [name for name in names(ws) if name not in ws.variables]


def fill(ws: Workspace, values: Mapping[str, str], strict: bool = True) -> Workspace:
    """`ws` with every template text (see `spots`) filled from `values`; unchanged parts
    are the same objects. Raises MissingValues (every missing name) when `strict`."""
    missing: list[str] = []

    def one(text: str) -> str:
        try:
            return fill_text(text, values, strict)
        except MissingValues as exc:
            missing.extend(exc.names)
            return text

    out = _map(ws, one)
    if missing:
        raise MissingValues(list(dict.fromkeys(missing)))
    return out


def filled(ws: Workspace) -> Workspace:
    """`ws` as it is sent: filled from its own `variables`, a placeholder without a value
    left as written (its finding blocks Run: `findings`)."""
    return fill(ws, ws.variables, strict=False)


def escaped(ws: Workspace) -> Workspace:
    """`ws` with every `{{` of its template texts escaped: an imported request, which is
    sent exactly as it was written."""
    return _map(ws, escape)


def marked(ws: Workspace, mark: Callable[[str], str]) -> Workspace:
    """`ws` with `mark` applied to each template text that has `{{` in it (the exported
    program fills those at run time)."""
    return _map(ws, lambda text: mark(text) if "{{" in text else text)


def _map(ws: Workspace, change: Callable[[str], str]) -> Workspace:
    """`ws` with `change` applied to every template text; untouched parts kept as they are."""
    update: dict[str, object] = {}
    if ws.instructions:
        new = change(ws.instructions)
        if new is not ws.instructions:
            update["instructions"] = new
    messages = [_message(m, change) for m in ws.messages]
    if any(a is not b for a, b in zip(messages, ws.messages, strict=True)):
        update["messages"] = messages
    tools = [_tool(t, change) for t in ws.tools]
    if any(a is not b for a, b in zip(tools, ws.tools, strict=True)):
        update["tools"] = tools
    customs = [_tool(t, change) for t in ws.custom_tools]
    if any(a is not b for a, b in zip(customs, ws.custom_tools, strict=True)):
        update["custom_tools"] = customs
    return ws.model_copy(update=update) if update else ws


def _message(msg: Message, change: Callable[[str], str]) -> Message:
    if msg.item is not None or msg.role not in FILLED_ROLES:
        return msg
    if isinstance(msg.content, str):
        new = change(msg.content)
        return msg if new is msg.content else msg.model_copy(update={"content": new})
    parts = [
        p.model_copy(update={"text": new})
        if isinstance(p, TextPart) and (new := change(p.text)) is not p.text
        else p
        for p in msg.content
    ]
    if all(a is b for a, b in zip(parts, msg.content, strict=True)):
        return msg
    return msg.model_copy(update={"content": parts})


def _tool(tool: _T, change: Callable[[str], str]) -> _T:
    if not tool.enabled:  # not sent, its mock never used
        return tool
    update = {}
    for name in ("description", "mock_output"):
        text = getattr(tool, name)
        if text:
            new = change(text)
            if new is not text:
                update[name] = new
    return tool.model_copy(update=update) if update else tool


FILL_SOURCE = f'''PLACEHOLDER = re.compile(r"{_PATTERN}")


def fill(text: str, values: dict[str, str]) -> str:
    r"""`{{{{name}}}}` -> its value, inserted as written; `\\{{{{` -> a literal `{{{{`."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return "{{{{"
        if name not in values:
            raise KeyError(f"no value for the variable {{name}}")
        return values[name]

    return PLACEHOLDER.sub(one, text)'''
"""The exported program's fill (needs `re`): core's `fill_text`, strict, written out;
tests/core/test_variables.py checks the two agree."""
