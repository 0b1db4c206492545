"""Chat Completions tool-call fragments -> whole calls, for streams as servers send them.

OpenAI numbers each call's fragments with `index` and sends `id` and `function.name` on the
first fragment only (openai-protocol.md 1.4; spec: ChatCompletionMessageToolCallChunk, checked
2026-11-30). Other servers do not: Ollama sends whole calls one per delta with no `index`,
some repeat or blank (`""`) the id and name on every fragment, some send no id at all, and
`arguments` may be missing, `""`, or (rarely) a JSON object. The rule, per choice:

* A fragment with an `index` continues the latest call with that index, unless it carries a
  non-empty id other than that call's id, or a non-empty name other than that call's name
  (servers that number every call 0): then it starts a new call.
* A fragment without an `index` goes to the call whose id it names, if any. Otherwise it
  continues the current (latest) call, unless it starts a new one:
  - it carries a new non-empty id, and the current call already has an id or already has
    complete arguments (a late id for a call still being written is that call's id);
  - it carries a non-empty name other than the current call's name;
  - it carries the current call's name again with arguments, and the current call's
    arguments are already complete JSON (two calls of one function).
* A fragment that is not a new call and has no call to continue starts the first one.
* Empty ids, names and arguments never overwrite what an earlier fragment said.
* A call that ends without an id gets `call_<n>`, `n` its place in the turn, so its result
  can be paired with it.
"""

from __future__ import annotations

import json
from typing import Any

from playground.core.events import StreamEvent, ToolCallDelta, ToolCallDone, ToolCallStarted
from playground.core.text import SurrogateJoiner, scrub


class _Call:
    __slots__ = ("call_id", "done", "index", "joiner", "name", "parts", "position")

    def __init__(self, position: int, index: int | None) -> None:
        self.position, self.index = position, index
        self.call_id = self.name = ""
        self.parts: list[str] = []
        self.joiner = SurrogateJoiner()
        self.done = False

    def complete(self) -> bool:
        """The arguments so far are a whole JSON value."""
        text = "".join(self.parts)
        if not text.strip():
            return False
        try:
            json.loads(text)
        except ValueError:
            return False
        return True


def arguments_text(value: Any) -> str:
    """Tool-call arguments as JSON text: None is "", an object (where the API has a JSON
    string) its JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)  # an object where a JSON string belongs


class ChatCallAssembler:
    """Assembles one choice's tool calls from their fragments (see the module's rule)."""

    def __init__(self, choice: int = 0) -> None:
        self.choice = choice
        self.calls: list[_Call] = []

    def fragment(
        self, index: int | None, call_id: Any, name: Any, arguments: Any
    ) -> list[StreamEvent]:
        """The events one fragment adds: a start, a name or id learned late, argument text."""
        cid = scrub(call_id) if isinstance(call_id, str) else ""
        fname = scrub(name) if isinstance(name, str) else ""
        args = arguments_text(arguments)
        call = self._target(index, cid, fname, bool(args))
        out: list[StreamEvent] = []
        if call is None:
            call = _Call(len(self.calls), index)
            self.calls.append(call)
            call.call_id, call.name = cid, fname
            out.append(ToolCallStarted(call.position, cid, fname, choice=self.choice))
        elif (cid and not call.call_id) or (fname and not call.name):
            call.call_id, call.name = call.call_id or cid, call.name or fname
            out.append(ToolCallStarted(call.position, call.call_id, call.name, choice=self.choice))
        if args:
            piece = call.joiner.feed(args)
            call.parts.append(piece)
            if piece:
                out.append(ToolCallDelta(call.position, piece, self.choice))
        return out

    def finish(self) -> list[StreamEvent]:
        """ToolCallDone for every call not yet done, with its final id and name."""
        out: list[StreamEvent] = []
        for call in self.calls:
            if call.done:
                continue
            call.done = True
            tail = call.joiner.flush()
            if tail:
                call.parts.append(tail)
                out.append(ToolCallDelta(call.position, tail, self.choice))
            call.call_id = call.call_id or f"call_{call.position}"
            out.append(
                ToolCallDone(
                    call.position, "".join(call.parts), self.choice, call.call_id, call.name
                )
            )
        return out

    def _target(self, index: int | None, cid: str, name: str, has_args: bool) -> _Call | None:
        """The call this fragment continues, or None when it starts a new one."""
        if index is not None:
            call = next((c for c in reversed(self.calls) if c.index == index), None)
            if call is None or call.done:
                return None
            if (cid and call.call_id and cid != call.call_id) or (
                name and call.name and name != call.name
            ):
                return None
            return call
        if cid:
            named = next((c for c in self.calls if c.call_id == cid and not c.done), None)
            if named is not None:
                return named
        current = self.calls[-1] if self.calls else None
        if current is None or current.done:
            return None
        if cid and (current.call_id or current.complete()):
            return None
        if name and current.name and name != current.name:
            return None
        if name and has_args and name == current.name and current.complete():
            return None
        return current
