"""The transcript reducer: normalized events -> the assistant turn.

`reduce(events)` is pure. `TurnAccumulator` is its incremental form for streams: appending a
delta costs O(len(delta)), so a 100k-delta stream is linear.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from playground.core.errors import Failure
from playground.core.events import (
    Failed,
    Finished,
    OutputItem,
    ReasoningDelta,
    RefusalDelta,
    RunStarted,
    StreamEvent,
    TextDelta,
    Timing,
    TokenLogprob,
    ToolCallDelta,
    ToolCallDone,
    ToolCallStarted,
    Usage,
)
from playground.core.reasoning_items import from_origin, is_reasoning
from playground.core.sent_marks import stamped
from playground.core.text import scrub
from playground.core.workspace import Message, ToolCall, Workspace

LENGTH = "length"
"""The finish reason of an answer that stopped at the output-token limit (both APIs)."""


@dataclass(frozen=True)
class TurnToolCall:
    call_id: str
    name: str
    arguments: str
    item_id: str | None = None
    kind: str = "function"  # or "custom": `arguments` is the custom tool's input text

    @property
    def parsed_arguments(self) -> Any:
        """The arguments as JSON, or None when they do not parse."""
        try:
            return json.loads(self.arguments) if self.arguments else {}
        except ValueError:
            return None


@dataclass(frozen=True)
class AssistantTurn:
    """What the model answered in one run."""

    text: str = ""
    refusal: str = ""
    reasoning_summary: str = ""
    tool_calls: tuple[TurnToolCall, ...] = ()
    usage: Usage | None = None
    finish_reason: str | None = None
    response_id: str | None = None
    model: str | None = None
    failure: Failure | None = None
    choices: dict[int, str] = field(default_factory=dict)
    choice_reasons: dict[int, str] = field(default_factory=dict)
    logprobs: tuple[TokenLogprob, ...] = ()
    timing: Timing | None = None
    items: tuple[dict[str, Any], ...] = ()
    """Output items kept as given (events.OutputItem: hosted calls, MCP listings, approval
    requests and calls, an annotated answer), in output order."""

    @property
    def complete(self) -> bool:
        return self.failure is None and self.finish_reason is not None

    @property
    def stopped_at_limit(self) -> bool:
        """The model stopped at the output-token limit: the answer is partial and can be
        continued (Chat finish_reason "length", Responses incomplete max_output_tokens)."""
        return self.failure is None and self.finish_reason == LENGTH


class _Call:
    __slots__ = ("arguments", "call_id", "done", "item_id", "kind", "name")

    def __init__(self, call_id: str, name: str, item_id: str | None) -> None:
        self.call_id, self.name, self.item_id = call_id, name, item_id
        self.kind = "function"
        self.arguments: list[str] = []
        self.done: str | None = None


class TurnAccumulator:
    """Folds events into an assistant turn, one event at a time."""

    def __init__(self) -> None:
        self._text: dict[int, list[str]] = {}
        self._refusal: list[str] = []
        self._reasoning: dict[int, list[str]] = {}
        self._calls: dict[int, _Call] = {}
        self._logprobs: list[TokenLogprob] = []
        self.usage: Usage | None = None
        self.finished: Finished | None = None
        self.failure: Failure | None = None
        self.started: RunStarted | None = None
        self.timing: Timing | None = None
        self._items: list[tuple[int, dict[str, Any]]] = []

    def apply(self, event: StreamEvent) -> None:
        match event:
            case TextDelta(text=text, choice=choice, logprobs=lp):
                self._text.setdefault(choice, []).append(text)
                if lp and choice == 0:
                    self._logprobs.extend(lp)
            case ReasoningDelta(text=text, summary_index=idx):
                self._reasoning.setdefault(idx, []).append(text)
            case RefusalDelta(text=text, choice=0):
                self._refusal.append(text)
            case ToolCallStarted(index=i, call_id=cid, name=name, item_id=item, choice=0):
                call = self._calls.get(i)
                if call is None:
                    self._calls[i] = call = _Call(cid, name, item)
                else:  # announced again, or after its first fragments: fill what was unknown
                    call.call_id, call.name = call.call_id or cid, call.name or name
                    call.item_id = call.item_id or item
                if event.kind == "custom":
                    call.kind = "custom"
            case ToolCallDelta(index=i, arguments=frag, choice=0):
                self._calls.setdefault(i, _Call("", "", None)).arguments.append(frag)
            case ToolCallDone(index=i, arguments=args, choice=0, call_id=cid, name=name):
                call = self._calls.setdefault(i, _Call("", "", None))
                call.done = args
                call.call_id, call.name = cid or call.call_id, name or call.name
            case Usage():
                self.usage = event
            case Finished():
                self.finished = event
            case Failed(failure=failure):
                self.failure = failure
            case RunStarted():
                old = self.started
                self.started = (
                    event
                    if old is None
                    else RunStarted(
                        old.model or event.model,
                        old.response_id or event.response_id,
                        old.request_id or event.request_id,
                    )
                )
            case Timing():
                self.timing = event
            case OutputItem(item=item, index=i):
                self._items.append((i, item))

    @property
    def text(self) -> str:
        return scrub("".join(self._text.get(0, ())))

    def turn(self) -> AssistantTurn:
        """The turn so far. Joined texts are scrubbed (core/text.py): halves of a surrogate
        pair that arrived in two deltas become their character, a lone half U+FFFD."""
        calls = tuple(
            TurnToolCall(
                scrub(c.call_id),
                scrub(c.name),
                scrub(c.done or "".join(c.arguments)),  # an empty "done" keeps the fragments
                c.item_id,
                c.kind,
            )
            for _, c in sorted(self._calls.items())
        )
        fin = self.finished
        return AssistantTurn(
            text=self.text,
            refusal=scrub("".join(self._refusal)),
            reasoning_summary=scrub(
                "\n\n".join("".join(v) for _, v in sorted(self._reasoning.items()))
            ),
            tool_calls=calls,
            usage=self.usage,
            finish_reason=fin.reason if fin else None,
            response_id=(
                fin.response_id
                if fin and fin.response_id
                else self.started.response_id
                if self.started
                else None
            ),
            model=(self.started.model or None) if self.started else None,
            failure=self.failure,
            choices={k: scrub("".join(v)) for k, v in sorted(self._text.items())},
            choice_reasons=dict(fin.choice_reasons) if fin else {},
            logprobs=tuple(self._logprobs),
            timing=self.timing,
            items=tuple(item for _, item in sorted(self._items, key=lambda pair: pair[0])),
        )


def reduce(events: Iterable[StreamEvent]) -> AssistantTurn:
    """The assistant turn that `events` describe."""
    acc = TurnAccumulator()
    for event in events:
        acc.apply(event)
    return acc.turn()


def kept_items(
    turn: AssistantTurn, stopped: bool = False
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The turn's hosted tool call items (each becomes a message of its own), and the output
    item its answer keeps as given (an annotated message: only when it is the turn's one
    message and the turn calls no tools).

    A turn that failed or was `stopped` (a background run cancelled) keeps no reasoning
    item: its response may not hold it (the simulator keeps no output of a cancelled one),
    so sending the item back could fail with 404, and reasoning only helps the model."""
    whole = turn.complete and not stopped
    calls = [i for i in turn.items if i.get("type") != "message" and (whole or not is_reasoning(i))]
    answers = [i for i in turn.items if i.get("type") == "message"]
    return calls, answers[0] if len(answers) == 1 and not turn.tool_calls else None


def append_turn(
    ws: Workspace, turn: AssistantTurn, origin: tuple[str, str] | None = None
) -> Workspace:
    """A copy of `ws` with the turn appended: each kept item (a reasoning item, a hosted
    tool's call, an MCP listing, approval request or call) as a message that keeps it as
    given (`Message.item`), then the assistant message (text and tool calls), which keeps its
    output item as given when that item carries annotations. The last message appended
    records the turn's response id (where a chain or a conversation goes on from), and the
    messages what was sent of them (core/sent_marks.stamped: `ws` is what the turn sent).
    `origin` (profile name, file_inputs.upload_origin): where the turn was answered, which
    its reasoning items record (reasoning_items.from_origin)."""
    calls, answer = kept_items(turn)
    kept = [from_origin(Message(role="assistant", item=dict(i)), origin) for i in calls]
    content = turn.text or turn.refusal
    if not content and not turn.tool_calls:
        if not kept:
            return ws
        kept[-1] = kept[-1].model_copy(update={"response_id": turn.response_id})
        return stamped(ws.model_copy(update={"messages": [*ws.messages, *kept]}), ws)
    msg = Message(
        role="assistant",
        content=content,
        tool_calls=[
            ToolCall(
                id=c.call_id,
                name=c.name,
                arguments=c.arguments,
                item_id=c.item_id,
                kind="custom" if c.kind == "custom" else "function",
            )
            for c in turn.tool_calls
        ],
        item=answer,
        response_id=turn.response_id,
    )
    return stamped(ws.model_copy(update={"messages": [*ws.messages, *kept, msg]}), ws)


def append_tool_results(ws: Workspace, results: dict[str, str]) -> Workspace:
    """A copy of `ws` with one tool message per (call id -> output)."""
    extra = [Message(role="tool", content=out, tool_call_id=cid) for cid, out in results.items()]
    return ws.model_copy(update={"messages": [*ws.messages, *extra]})


def pending_calls(ws: Workspace) -> list[ToolCall]:
    """Tool calls of the last assistant message that have no result yet."""
    answered: set[str] = set()
    for msg in reversed(ws.messages):
        if msg.role == "tool" and msg.tool_call_id:
            answered.add(msg.tool_call_id)
            continue
        if msg.role == "assistant" and msg.tool_calls:
            return [c for c in msg.tool_calls if c.id not in answered]
        return []
    return []
