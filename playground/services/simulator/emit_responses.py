"""Responses API objects and SSE events, shaped as openai-protocol.md section 2 describes."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from playground.services.simulator.brain import Plan
from playground.services.simulator.emit_hosted import hosted_events
from playground.services.simulator.protocol import logprob_entry, new_id, sse_event


def usage(plan: Plan) -> dict[str, Any]:
    return {
        "input_tokens": plan.input_tokens,
        "input_tokens_details": {"cached_tokens": plan.cached_tokens, "cache_write_tokens": 0},
        "output_tokens": plan.output_tokens,
        "output_tokens_details": {"reasoning_tokens": plan.reasoning_tokens},
        "total_tokens": plan.input_tokens + plan.output_tokens,
    }


class ResponseShape:
    """The Response object of one run, in its in-progress and final forms."""

    def __init__(
        self,
        plan: Plan,
        body: dict[str, Any],
        reasoning_model: bool,
        seal: Callable[[str], str] | None = None,
        conversation: str | None = None,
    ) -> None:
        self.plan, self.body = plan, body
        self.id = new_id("resp")
        self.created = int(time.time())
        self.reasoning_model = reasoning_model
        # reasoning items carry encrypted content when include asks for it (state_checks)
        self.seal = seal if "reasoning.encrypted_content" in (body.get("include") or []) else None
        self.conversation = conversation
        self.items = self._items()

    def _items(self) -> list[dict[str, Any]]:
        plan, items = self.plan, []
        # a model that did no reasoning (effort none: 0 reasoning tokens, brain.plan) has no
        # reasoning item in its output
        if self.reasoning_model and plan.reasoning_tokens > 0:
            summary = (
                [{"type": "summary_text", "text": "".join(plan.reasoning)}]
                if plan.reasoning
                else []
            )
            item: dict[str, Any] = {"id": new_id("rs"), "type": "reasoning", "summary": summary}
            if self.seal is not None:
                item["encrypted_content"] = self.seal(item["id"])
            items.append(item)
        items += plan.mcp_items
        if plan.mcp_waiting:
            return items
        if plan.calls:
            for call in plan.calls:
                if call.kind == "custom":  # spec CustomToolCall: no status
                    items.append(
                        {
                            "id": call.item_id,
                            "type": "custom_tool_call",
                            "call_id": call.call_id,
                            "name": call.name,
                            "input": call.arguments,
                        }
                    )
                    continue
                items.append(
                    {
                        "id": call.item_id,
                        "type": "function_call",
                        "status": "completed",
                        "arguments": call.arguments,
                        "call_id": call.call_id,
                        "name": call.name,
                    }
                )
        elif plan.refusal:
            items.append(self._message([{"type": "refusal", "refusal": "".join(plan.refusal)}]))
        else:
            if plan.hosted is not None:
                items.append(plan.hosted.item)
            part = self._text_part(plan.text())
            if plan.hosted is not None and plan.text() == plan.hosted.text:
                part["annotations"] = list(plan.hosted.annotations)
            items.append(self._message([part]))
        return items

    def _text_part(self, text: str) -> dict[str, Any]:
        return {"type": "output_text", "annotations": [], "logprobs": [], "text": text}

    def _message(self, content: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "id": new_id("msg"),
            "type": "message",
            "status": "completed",
            "content": content,
            "role": "assistant",
        }

    def response(
        self, status: str, output: list[dict[str, Any]] | None = None, **extra: Any
    ) -> dict[str, Any]:
        body = self.body
        text = dict(body.get("text") or {})
        text.setdefault("format", {"type": "text"})
        reasoning = body.get("reasoning") or {}
        done = status not in ("in_progress", "queued")
        return {
            "id": self.id,
            "object": "response",
            "created_at": self.created,
            "status": status,
            "background": bool(body.get("background")),
            "error": None,
            "incomplete_details": None,
            "instructions": body.get("instructions"),
            "max_output_tokens": body.get("max_output_tokens"),
            "max_tool_calls": body.get("max_tool_calls"),
            "model": self.plan.model,
            "output": output if output is not None else [],
            "parallel_tool_calls": body.get("parallel_tool_calls", True),
            "previous_response_id": body.get("previous_response_id"),
            "reasoning": {"effort": reasoning.get("effort"), "summary": reasoning.get("summary")},
            "service_tier": self.plan.service_tier,
            "store": body.get("store", True),
            "temperature": body.get("temperature", 1.0),
            "text": text,
            "tool_choice": body.get("tool_choice", "auto"),
            "tools": _without_secrets(body.get("tools", [])),
            "top_logprobs": body.get("top_logprobs", 0),
            "top_p": body.get("top_p", 1.0),
            "truncation": body.get("truncation") or "disabled",
            "prompt_cache_key": body.get("prompt_cache_key"),
            "safety_identifier": body.get("safety_identifier"),
            "conversation": {"id": self.conversation} if self.conversation else None,
            "usage": usage(self.plan) if done else None,
            "user": None,
            "metadata": body.get("metadata") or {},
            **extra,
        }

    def final(self) -> dict[str, Any]:
        if self.plan.finish == "length":
            return self.response(
                "incomplete", self.items, incomplete_details={"reason": "max_output_tokens"}
            )
        return self.response("completed", self.items)


class _Seq:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self, kind: str, **fields: Any) -> dict[str, Any]:
        event = {"type": kind, "sequence_number": self.n, **fields}
        self.n += 1
        return event


def events(
    shape: ResponseShape,
    error_form: str | None = None,
    error_after: int | None = None,
    error_message: str = "",
) -> Iterator[bytes]:
    """SSE frames of a streamed response; a mid-stream fault replaces frame `error_after`."""
    seq = _Seq()
    for n, event in enumerate(_event_dicts(shape, seq)):
        if error_form is not None and n == error_after:
            yield sse_event(_fault(shape, seq, error_form, error_message))
            return
        yield sse_event(event)


def event_dicts(shape: ResponseShape) -> Iterator[dict[str, Any]]:
    """The events of a streamed response as dicts, numbered from 0."""
    return _event_dicts(shape, _Seq())


def _fault(shape: ResponseShape, seq: _Seq, form: str, message: str) -> dict[str, Any]:
    if form == "nested":
        return seq(
            "error",
            error={
                "type": "too_many_requests",
                "code": "too_many_requests",
                "message": "Too Many Requests",
                "param": None,
            },
        )
    if form == "failed":
        return seq(
            "response.failed",
            response=shape.response(
                "failed", [], error={"code": "server_error", "message": message}
            ),
        )
    if form == "incomplete":
        return seq(
            "response.incomplete",
            response=shape.response(
                "incomplete", [], incomplete_details={"reason": "max_output_tokens"}
            ),
        )
    return seq("error", code="server_error", message=message, param=None)


def _event_dicts(shape: ResponseShape, seq: _Seq) -> Iterator[dict[str, Any]]:
    plan = shape.plan
    yield seq("response.created", response=shape.response("in_progress"))
    yield seq("response.in_progress", response=shape.response("in_progress"))
    for index, item in enumerate(shape.items):
        kind = item["type"]
        if kind == "reasoning":
            yield from _reasoning(seq, index, item, plan.reasoning)
        elif kind == "function_call":
            call = next(c for c in plan.calls if c.item_id == item["id"])
            yield seq(
                "response.output_item.added",
                output_index=index,
                item={**item, "status": "in_progress", "arguments": ""},
            )
            for frag in call.fragments:
                yield seq(
                    "response.function_call_arguments.delta",
                    item_id=item["id"],
                    output_index=index,
                    delta=frag,
                )
            yield seq(
                "response.function_call_arguments.done",
                item_id=item["id"],
                output_index=index,
                name=call.name,
                arguments=call.arguments,
            )
            yield seq("response.output_item.done", output_index=index, item=item)
        elif kind == "custom_tool_call":
            yield from _custom_call(seq, index, item, plan)
        elif kind.startswith("mcp_"):
            yield from _mcp_item(seq, index, item)
        elif kind != "message":
            yield from hosted_events(seq, index, plan.hosted)
        else:
            yield from _message(seq, index, item, plan)
    final = shape.final()
    kind = "response.incomplete" if final["status"] == "incomplete" else "response.completed"
    yield seq(kind, response=final)


def _custom_call(
    seq: _Seq, index: int, item: dict[str, Any], plan: Plan
) -> Iterator[dict[str, Any]]:
    """A custom tool call: added with empty input, input deltas, input done, item done
    (spec ResponseCustomToolCallInputDeltaEvent / ...DoneEvent, checked 2026-12-01)."""
    call = next(c for c in plan.calls if c.item_id == item["id"])
    yield seq("response.output_item.added", output_index=index, item={**item, "input": ""})
    ids = {"item_id": item["id"], "output_index": index}
    for frag in call.fragments:
        if frag:
            yield seq("response.custom_tool_call_input.delta", **ids, delta=frag)
    yield seq("response.custom_tool_call_input.done", **ids, input=call.arguments)
    yield seq("response.output_item.done", output_index=index, item=item)


def _mcp_item(seq: _Seq, index: int, item: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """An MCP item's events (spec ResponseMCPListTools*Event, ResponseMCPCall*Event,
    checked 2026-12-01): a listing is added without tools, in_progress, completed or failed;
    a call is added in progress with no arguments, in_progress, argument deltas and done,
    completed or failed; an approval request is added whole. Each ends with item done."""
    ids = {"item_id": item["id"], "output_index": index}
    kind = item["type"]
    if kind == "mcp_list_tools":
        yield seq("response.output_item.added", output_index=index, item={**item, "tools": []})
        yield seq("response.mcp_list_tools.in_progress", **ids)
        end = "failed" if item.get("error") else "completed"
        yield seq(f"response.mcp_list_tools.{end}", **ids)
    elif kind == "mcp_call":
        added = {**item, "arguments": "", "output": None, "error": None, "status": "in_progress"}
        yield seq("response.output_item.added", output_index=index, item=added)
        yield seq("response.mcp_call.in_progress", **ids)
        args = item["arguments"]
        for i in range(0, len(args), 7):
            yield seq("response.mcp_call_arguments.delta", **ids, delta=args[i : i + 7])
        yield seq("response.mcp_call_arguments.done", **ids, arguments=args)
        end = "failed" if item["status"] == "failed" else "completed"
        yield seq(f"response.mcp_call.{end}", **ids)
    else:
        yield seq("response.output_item.added", output_index=index, item=item)
    yield seq("response.output_item.done", output_index=index, item=item)


def _reasoning(
    seq: _Seq, index: int, item: dict[str, Any], deltas: list[str]
) -> Iterator[dict[str, Any]]:
    yield seq("response.output_item.added", output_index=index, item={**item, "summary": []})
    if deltas:
        ids = {"item_id": item["id"], "output_index": index, "summary_index": 0}
        yield seq(
            "response.reasoning_summary_part.added",
            **ids,
            part={"type": "summary_text", "text": ""},
        )
        for piece in deltas:
            yield seq("response.reasoning_summary_text.delta", **ids, delta=piece)
        text = "".join(deltas)
        yield seq("response.reasoning_summary_text.done", **ids, text=text)
        yield seq(
            "response.reasoning_summary_part.done",
            **ids,
            part={"type": "summary_text", "text": text},
        )
    yield seq("response.output_item.done", output_index=index, item=item)


def _message(seq: _Seq, index: int, item: dict[str, Any], plan: Plan) -> Iterator[dict[str, Any]]:
    ids = {"item_id": item["id"], "output_index": index, "content_index": 0}
    yield seq(
        "response.output_item.added",
        output_index=index,
        item={**item, "status": "in_progress", "content": []},
    )
    part = item["content"][0]
    if part["type"] == "refusal":
        yield seq("response.content_part.added", **ids, part={"type": "refusal", "refusal": ""})
        for piece in plan.refusal:
            yield seq("response.refusal.delta", **ids, delta=piece)
        yield seq("response.refusal.done", **ids, refusal=part["refusal"])
    else:
        yield seq(
            "response.content_part.added",
            **ids,
            part={"type": "output_text", "annotations": [], "logprobs": [], "text": ""},
        )
        for k, piece in enumerate(plan.choices[0]):
            logprobs = [logprob_entry(piece, k, plan.top_logprobs)] if plan.logprobs else []
            yield seq("response.output_text.delta", **ids, delta=piece, logprobs=logprobs)
        for k, note in enumerate(part["annotations"]):
            yield seq(
                "response.output_text.annotation.added", **ids, annotation_index=k, annotation=note
            )
        yield seq("response.output_text.done", **ids, text=part["text"], logprobs=[])
    yield seq("response.content_part.done", **ids, part=part)
    yield seq("response.output_item.done", output_index=index, item=item)


def _without_secrets(tools: Any) -> Any:
    """The request's tools as the response echoes them: an MCP tool's `headers` and
    `authorization` are not given back (the API does not keep them: they are sent with every
    request; OpenAI's connectors and MCP guide, checked 2026-12-01), so they never reach a
    stored response, a background job's events or the simulator's saved state."""
    if not isinstance(tools, list):
        return tools
    out = []
    for tool in tools:
        if isinstance(tool, dict) and tool.get("type") == "mcp":
            tool = {k: v for k, v in tool.items() if k != "authorization"}
            if tool.get("headers") is not None:
                tool["headers"] = None
        out.append(tool)
    return out
