"""How `playground run` reports a finished turn: after the streamed answer, a plain summary of
the hosted tools' results, MCP listings and calls and the answer's numbered sources (stdout,
core/turn_items.py); the pending function and custom tool calls and MCP approval requests as
one JSON array (stdout, exit 3); where it ran, usage, timing and any failure (stderr). With
--json, one document carries all of it as data. `--save-images DIR` writes generated images.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playground.cli_settings import EXIT_API, EXIT_LENGTH, EXIT_OK, EXIT_TOOL_CALLS, err

if TYPE_CHECKING:
    from playground.cli_run import Target
    from playground.core.reducer import AssistantTurn
    from playground.core.workspace import Workspace
    from playground.services.cache_use import CacheNote

UNSAVED = "not saved: add --save-images DIR, or --save to keep it in the workspace"
ANSWER_HINT = (
    "to answer: run with --save and Approve / Deny in the window, or run the program "
    "`playground export --format python --tool-loop` writes (it asks on the terminal)"
)
AUTO_APPROVE_NOTE = (
    '  (the workspace\'s "Mocks approve MCP" is for Run with mocks in the window; '
    "`playground run` sends one request and answers no tool call)"
)


def cached_line(note: CacheNote) -> str:
    """The stderr line for a hit: "cached: ... saved $0.000123 and 1.42 s"."""
    money = f"${note.saved_usd:.6f}" if note.saved_usd is not None else "an unknown cost"
    secs = f"{note.saved_ms / 1000:.2f} s" if note.saved_ms is not None else "its time"
    return (
        "cached: the answer came from the response cache (no request sent); "
        f"saved {money} and {secs}"
    )


def save_images(turn: AssistantTurn, folder: Path | None) -> dict[str, list[str]]:
    """Write the turn's images (generated, and a code interpreter's) into `folder` (made when
    missing) as ITEM_ID[-N].FORMAT; item id -> the paths written. A file that cannot be
    written is one stderr line, and the run goes on."""
    from playground.core.turn_items import images

    saved: dict[str, list[str]] = {}
    found = images(turn.items) if folder is not None else []
    if folder is None or not found:
        return saved
    for iid, name, data in found:
        path = folder / name
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        except OSError as exc:
            err(f"could not save the image {name} in {folder}: {exc.strerror or exc}")
            continue
        saved.setdefault(iid, []).append(str(path))
    return saved


def report(
    turn: AssistantTurn,
    ws: Workspace,
    target: Target,
    as_json: bool,
    note: CacheNote | None = None,
    images_to: Path | None = None,
) -> int:
    """Print the end of a run (see the module docstring); the exit code."""
    from playground.core import cost
    from playground.core.turn_items import approval_requests, summary_lines

    saved = save_images(turn, images_to)
    hit = note is not None and note.hit
    approvals = approval_requests(turn.items)
    if as_json:
        data = turn_json(turn, saved)
        if note is not None:
            data["cache"] = {
                "hit": note.hit,
                "saved_usd": note.saved_usd,
                "saved_ms": note.saved_ms,
                "reason": note.reason,
            }
        print(json.dumps(data, indent=2))
    else:
        if turn.text:
            print()
        if lines := summary_lines(turn.items, saved, UNSAVED):
            print("\n" if turn.text else "", end="")
            print("\n".join(lines))
    if turn.refusal and not as_json:
        err(f"refusal: {turn.refusal}")
    via = f"via {target.where()}"
    if turn.response_id:
        via += f" · {'response' if ws.api == 'responses' else 'completion'} {turn.response_id}"
    err(via)
    if turn.usage:
        u = turn.usage
        found = cost.of_run(turn.model or ws.model, u)
        billed = "$0 (from the response cache)" if hit else cost.describe(found, u.service_tier)
        err(
            f"usage: input {u.input_tokens} (cached {u.cached_tokens}), output {u.output_tokens} "
            f"(reasoning {u.reasoning_tokens}), cost {billed}"
        )
    if turn.timing:
        t = turn.timing
        if ws.stream:
            ttft = f"{t.ttft_ms:.0f} ms" if t.ttft_ms is not None else "n/a"
            rate = f"{t.tokens_per_s:.1f}" if t.tokens_per_s else "n/a"
            err(f"timing: first token {ttft}, total {t.total_ms:.0f} ms, tokens/s {rate}")
        else:  # one body at the end: no first token and no rate to speak of
            err(f"timing: total {t.total_ms:.0f} ms")
    if note is not None and note.hit:
        err(cached_line(note))
    elif note is not None and note.reason:
        err(note.reason)
    if turn.failure is not None:
        from playground.cli_run import describe

        err(describe(turn.failure, target))
        return EXIT_API
    if turn.stopped_at_limit:  # Chat "length" and Responses incomplete: one outcome
        from playground.cli_run import LENGTH_NOTE

        err(LENGTH_NOTE)
        return EXIT_LENGTH
    for request in approvals:
        err(
            f"waiting for approval: MCP server {request['server_label']} asks to run "
            f"{request['name']}({request['arguments']})"
        )
    if approvals:
        err(f"  {ANSWER_HINT}")
        if ws.mcp_auto_approve:
            err(AUTO_APPROVE_NOTE)
    if turn.tool_calls or approvals:
        if not as_json:
            print(json.dumps(calls(turn) + [_approval(r) for r in approvals], indent=2))
        return EXIT_TOOL_CALLS
    return EXIT_OK


def _approval(request: dict[str, str]) -> dict[str, str]:
    return {"kind": "mcp_approval_request", **request}


def calls(turn: AssistantTurn) -> list[dict[str, str]]:
    """The pending function and custom tool calls: {call_id, name, arguments[, kind]}."""
    return [  # a custom tool's call says so; its "arguments" are its input text
        {"call_id": c.call_id, "name": c.name, "arguments": c.arguments}
        | ({"kind": "custom"} if c.kind == "custom" else {})
        for c in turn.tool_calls
    ]


def _with_paths(rows: Sequence[dict[str, Any]], saved: dict[str, list[str]]) -> list[Any]:
    return [r | {"saved": saved[r["id"]]} if r.get("id") in saved else r for r in rows]


def turn_json(turn: AssistantTurn, saved: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The --json document of a turn (without the "cache" member)."""
    from dataclasses import asdict

    from playground.core.turn_items import approval_requests, cited_sources, hosted_json, mcp_json

    return {
        "text": turn.text,
        "refusal": turn.refusal or None,
        "reasoning_summary": turn.reasoning_summary or None,
        "tool_calls": calls(turn),
        "mcp_approval_requests": approval_requests(turn.items),
        "mcp": mcp_json(turn.items),
        "hosted_tool_calls": _with_paths(hosted_json(turn.items), saved or {}),
        "sources": [asdict(s) for s in cited_sources(turn.items)],
        "finish_reason": turn.finish_reason,
        "response_id": turn.response_id,
        "usage": None
        if turn.usage is None
        else {
            "input_tokens": turn.usage.input_tokens,
            "cached_tokens": turn.usage.cached_tokens,
            "output_tokens": turn.usage.output_tokens,
            "reasoning_tokens": turn.usage.reasoning_tokens,
        },
        "error": None
        if turn.failure is None
        else {
            "kind": turn.failure.kind.value,
            "message": turn.failure.message,
            "detail": turn.failure.detail,
            "status": turn.failure.status,
            "param": turn.failure.param,
        },
    }
