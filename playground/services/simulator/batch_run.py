"""What the simulated Batch API does with an input file: validate it as a whole, answer each
line with the simulated model, and write the output and error files.

Shapes (checked 2026-12-01): a line of the output and error files is BatchRequestOutput,
`{"id", "custom_id", "response": {"status_code", "request_id", "body"}, "error"}` (API
reference, "The request output object"; the spec shipped here, openapi.json f85dbe22, no
longer carries that component). A request the model endpoint refuses is a line of the
error file with its 4xx status and the endpoint's own error body, and `error` null: what
the API writes (openai/openai-openapi issue 302). A file-wide problem fails the batch with
`errors.data` of BatchError `{code, message, param, line}` (spec components.schemas.Batch,
BatchError); the codes are the API's (invalid_json_line, duplicate_custom_id,
url_mismatch, empty_file, too_many_tasks, as reported against the live API).

The simulator's own choices where no source says: a model the catalog records without the
Batch API is a line of the error file (400, code model_not_supported), and a body with
`stream: true` too (400, param stream).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from playground.core import catalog
from playground.services.simulator import brain, checks, emit_chat, emit_responses
from playground.services.simulator.protocol import SimError, dumps, new_id

ENDPOINTS = ("/v1/responses", "/v1/chat/completions")
"""The endpoints the simulator runs in a batch (the spec's CreateBatchRequest.endpoint enum
names more: embeddings, completions, moderations, images, videos; the simulator has none)."""
MAX_TASKS = 50_000
"""Requests per input file (spec CreateBatchRequest.input_file_id; checked 2026-12-01)."""

History = Callable[[dict[str, Any]], list[dict[str, Any]]]


@dataclass
class Answer:
    """One line's result: the BatchRequestOutput line, and whether it went well (2xx)."""

    ok: bool
    line: dict[str, Any]
    usage: tuple[int, int, int, int] = (0, 0, 0, 0)  # input, cached, output, reasoning


@dataclass
class Parsed:
    """A validated input file: the requests in order, or the BatchErrors that fail it."""

    requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)


def _error(
    code: str, message: str, line: int | None = None, param: str | None = None
) -> dict[str, Any]:
    return {"code": code, "message": message, "param": param, "line": line}


def validate(data: bytes, endpoint: str) -> Parsed:
    """Read an input file for a batch on `endpoint`; every file-wide problem is an error."""
    out = Parsed()
    text = data.decode("utf-8", errors="replace")
    raw_lines = [(n, s) for n, s in enumerate(text.split("\n"), 1) if s.strip()]
    if not raw_lines:
        out.errors.append(_error("empty_file", "The batch input file is empty."))
        return out
    if len(raw_lines) > MAX_TASKS:
        out.errors.append(
            _error(
                "too_many_tasks",
                f"The batch input file contains {len(raw_lines):,} requests; the limit is "
                f"{MAX_TASKS:,}.",
            )
        )
    seen: set[str] = set()
    for n, raw in raw_lines:
        try:
            obj = json.loads(raw)
        except ValueError:
            obj = None
        if not isinstance(obj, dict):
            out.errors.append(
                _error("invalid_json_line", "This line is not parseable as valid JSON.", n)
            )
            continue
        problem = _line_problem(obj, endpoint, n)
        if problem is not None:
            out.errors.append(problem)
            continue
        cid = obj["custom_id"]
        if cid in seen:
            out.errors.append(
                _error(
                    "duplicate_custom_id",
                    f"The custom_id '{cid}' is duplicated in the input file; each request "
                    "needs its own.",
                    n,
                    "custom_id",
                )
            )
            continue
        seen.add(cid)
        out.requests.append((cid, obj["body"]))
    return out


def _line_problem(obj: dict[str, Any], endpoint: str, n: int) -> dict[str, Any] | None:
    for key in ("custom_id", "method", "url", "body"):
        if key not in obj:
            return _error(
                "missing_required_parameter", f"Missing required parameter: '{key}'.", n, key
            )
    if not isinstance(obj["custom_id"], str) or not obj["custom_id"]:
        return _error("invalid_request", "custom_id must be a non-empty string.", n, "custom_id")
    if obj["method"] != "POST":
        return _error("invalid_request", "Only the POST method is supported.", n, "method")
    if obj["url"] != endpoint:
        return _error(
            "url_mismatch",
            f"The url '{obj['url']}' does not match the batch's endpoint '{endpoint}'.",
            n,
            "url",
        )
    if not isinstance(obj["body"], dict):
        return _error("invalid_request", "body must be a JSON object.", n, "body")
    return None


def answer(
    custom_id: str,
    body: dict[str, Any],
    endpoint: str,
    known: Callable[[str], bool],
    history: History,
) -> Answer:
    """One request answered by the simulated model, as the interactive endpoint answers it
    without streaming; a refusal (unknown model, refused parameter) is its error body."""
    try:
        status, out = 200, _answer_body(body, endpoint, known, history)
    except SimError as err:
        status, out = err.status, err.body()
    line = {
        "id": new_id("batch_req"),
        "custom_id": custom_id,
        "response": {"status_code": status, "request_id": new_id("req"), "body": out},
        "error": None,
    }
    return Answer(status == 200, line, _usage(out) if status == 200 else (0, 0, 0, 0))


def _answer_body(
    body: dict[str, Any], endpoint: str, known: Callable[[str], bool], history: History
) -> dict[str, Any]:
    if body.get("stream"):
        raise SimError(400, "Streaming is not supported in a batch.", param="stream")
    model = body.get("model")
    if isinstance(model, str):
        info = catalog.lookup(model)
        if info.known and "batch" not in info.apis:
            raise SimError(
                400,
                f"The model `{model}` does not support the Batch API.",
                param="model",
                code="model_not_supported",
            )
    if endpoint == "/v1/chat/completions":
        info = checks.check_chat(body, known)
        return emit_chat.completion(brain.plan(brain.read_chat(body), info, "chat"))
    info = checks.check_responses(body, known)
    past = history(body)
    inp = body.get("input")
    items = [{"type": "message", "role": "user", "content": inp}] if isinstance(inp, str) else inp
    checks.check_responses_pairing(past + [i for i in items or [] if isinstance(i, dict)])
    plan = brain.plan(brain.read_responses(body, past), info, "responses")
    return emit_responses.ResponseShape(plan, body, info.reasoning and info.known).final()


def _usage(body: dict[str, Any]) -> tuple[int, int, int, int]:
    u = body.get("usage") or {}
    if "prompt_tokens" in u:  # Chat Completions
        cached = (u.get("prompt_tokens_details") or {}).get("cached_tokens", 0)
        reasoning = (u.get("completion_tokens_details") or {}).get("reasoning_tokens", 0)
        return u["prompt_tokens"], cached or 0, u.get("completion_tokens", 0), reasoning or 0
    cached = (u.get("input_tokens_details") or {}).get("cached_tokens", 0)
    reasoning = (u.get("output_tokens_details") or {}).get("reasoning_tokens", 0)
    return u.get("input_tokens", 0), cached or 0, u.get("output_tokens", 0), reasoning or 0


def left_out(custom_id: str, code: str, message: str) -> Answer:
    """The error-file line of a request the batch never ran (expired or cancelled): no
    response, an `error` {code, message} (API reference, the request output object)."""
    line = {
        "id": new_id("batch_req"),
        "custom_id": custom_id,
        "response": None,
        "error": {"code": code, "message": message},
    }
    return Answer(False, line)


def files_of(answers: list[Answer]) -> tuple[bytes, bytes]:
    """(output file, error file): the 2xx lines and the others, each in input order."""
    good = "".join(dumps(a.line) + "\n" for a in answers if a.ok)
    bad = "".join(dumps(a.line) + "\n" for a in answers if not a.ok)
    return good.encode(), bad.encode()


def usage_of(answers: list[Answer]) -> dict[str, Any]:
    """The batch's `usage` (spec components.schemas.Batch.usage), summed over its lines."""
    inp = sum(a.usage[0] for a in answers)
    out = sum(a.usage[2] for a in answers)
    return {
        "input_tokens": inp,
        "input_tokens_details": {"cached_tokens": sum(a.usage[1] for a in answers)},
        "output_tokens": out,
        "output_tokens_details": {"reasoning_tokens": sum(a.usage[3] for a in answers)},
        "total_tokens": inp + out,
    }
