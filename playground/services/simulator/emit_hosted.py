"""SSE events of the simulator's hosted tool calls, in the spec's order (openai-protocol.md
section 2.3; spec Response*Call*Event schemas, checked 2026-12-01):

- web_search_call: output_item.added (in_progress) -> web_search_call.in_progress ->
  .searching -> .completed -> output_item.done;
- file_search_call: added -> file_search_call.in_progress -> .searching -> .completed -> done;
- code_interpreter_call: added (code "", outputs null) -> code_interpreter_call.in_progress
  -> code_interpreter_call_code.delta* -> code_interpreter_call_code.done ->
  code_interpreter_call.interpreting -> .completed -> done;
- image_generation_call: added (result null) -> image_generation_call.in_progress ->
  .generating -> .partial_image* (as many as the tool's partial_images) -> .completed -> done.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from typing import Any

from playground.services.simulator.hosted_calls import HostedTurn, png

Seq = Callable[..., dict[str, Any]]


def _pieces(text: str, size: int = 16) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def in_progress_item(item: dict[str, Any]) -> dict[str, Any]:
    """The item as `response.output_item.added` carries it."""
    kind = item["type"]
    if kind == "web_search_call":
        action = {k: v for k, v in item["action"].items() if k != "sources"}
        return {**item, "status": "in_progress", "action": action}
    if kind == "file_search_call":
        return {**item, "status": "in_progress", "results": None}
    if kind == "code_interpreter_call":
        return {**item, "status": "in_progress", "code": "", "outputs": None}
    return {**item, "status": "in_progress", "result": None}


def hosted_events(seq: Seq, index: int, turn: HostedTurn) -> Iterator[dict[str, Any]]:
    """The events of `turn`'s call item at output `index`."""
    item = turn.item
    ids = {"item_id": item["id"], "output_index": index}
    yield seq("response.output_item.added", output_index=index, item=in_progress_item(item))
    kind = item["type"]
    if kind in ("web_search_call", "file_search_call"):
        yield seq(f"response.{kind}.in_progress", **ids)
        yield seq(f"response.{kind}.searching", **ids)
        yield seq(f"response.{kind}.completed", **ids)
    elif kind == "code_interpreter_call":
        yield seq("response.code_interpreter_call.in_progress", **ids)
        for piece in _pieces(item["code"]):
            yield seq("response.code_interpreter_call_code.delta", **ids, delta=piece)
        yield seq("response.code_interpreter_call_code.done", **ids, code=item["code"])
        yield seq("response.code_interpreter_call.interpreting", **ids)
        yield seq("response.code_interpreter_call.completed", **ids)
    else:
        yield seq("response.image_generation_call.in_progress", **ids)
        yield seq("response.image_generation_call.generating", **ids)
        for k in range(turn.partial_images):
            partial = base64.b64encode(png(bytes([k * 60, 90, 200]), 16, 16)).decode()
            yield seq(
                "response.image_generation_call.partial_image",
                **ids,
                partial_image_index=k,
                partial_image_b64=partial,
            )
        yield seq("response.image_generation_call.completed", **ids)
    yield seq("response.output_item.done", output_index=index, item=item)
