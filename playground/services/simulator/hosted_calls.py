"""The simulator's hosted tools: which one the model calls, the call item it returns and the
message that answers from it (with url_citation / file_citation annotations).

Item shapes from the spec (WebSearchToolCall with WebSearchActionSearch, FileSearchToolCall,
CodeInterpreterToolCall with CodeInterpreterOutputLogs / CodeInterpreterOutputImage,
ImageGenToolCall, UrlCitationBody, FileCitationBody; checked 2026-12-01). Rule: on a turn
whose last input is the user's, a hosted tool is called when tool_choice names its type
(`web_search_preview*` names a web search tool), or with tool_choice auto / required / absent
and no function or custom tool called, when the question names it ("search", "web";
"file", "document"; "code", "python", "calculate"; "image", "draw", "picture"), or with
"required" the first hosted tool. Everything is a deterministic function of the question.
"""

from __future__ import annotations

import base64
import hashlib
import re
import struct
import zlib
from dataclasses import dataclass, field
from typing import Any

from playground.services.simulator.protocol import new_id, tokens

KINDS = ("web_search", "file_search", "code_interpreter", "image_generation")
WORDS = {
    "web_search": ("search", "web", "latest", "news"),
    "file_search": ("file", "document", "docs"),
    "code_interpreter": ("code", "python", "calculate", "compute"),
    "image_generation": ("image", "draw", "picture"),
}

VECTOR_STORE: list[dict[str, Any]] = [
    {
        "file_id": "file-sim-handbook",
        "filename": "handbook.md",
        "text": "Refunds are paid within 14 days of a return; keep the receipt.",
        "attributes": {"lang": "en", "topic": "refunds"},
    },
    {
        "file_id": "file-sim-faq",
        "filename": "faq.txt",
        "text": "Shipping takes 3 to 5 working days inside the EU.",
        "attributes": {"lang": "en", "topic": "shipping"},
    },
    {
        "file_id": "file-sim-notes",
        "filename": "notes.pdf",
        "text": "The warranty covers two years of normal use.",
        "attributes": {"lang": "en", "topic": "warranty"},
    },
]
"""The canned vector store file search reads unless Simulator.set_vector_store gave one."""


@dataclass
class HostedTurn:
    """One hosted call: its final item, the answer text and the text's annotations."""

    kind: str
    item: dict[str, Any]
    text: str
    annotations: list[dict[str, Any]] = field(default_factory=list)
    partial_images: int = 0


def _kind(tool: dict[str, Any]) -> str | None:
    kind = tool.get("type")
    if isinstance(kind, str) and kind.startswith("web_search"):
        return "web_search"
    return kind if kind in KINDS else None


def pick(tools: Any, choice: Any, question: str) -> dict[str, Any] | None:
    """The hosted tool (its `tools` entry) called for `question` under `choice`, or None."""
    hosted = [t for t in tools or [] if isinstance(t, dict) and _kind(t)]
    if not hosted or choice == "none":
        return None
    if isinstance(choice, dict):
        named = choice.get("type")
        named = "web_search" if str(named).startswith("web_search") else named
        return next((t for t in hosted if _kind(t) == named), None)
    text = question.lower()
    for tool in hosted:
        if any(re.search(rf"\b{w}", text) for w in WORDS[str(_kind(tool))]):
            return tool
    return hosted[0] if choice == "required" else None


def _seed(question: str) -> bytes:
    return hashlib.sha256(question.encode()).digest()


def _query(question: str, limit: int = 80) -> str:
    """The question as a search query: at most `limit` characters, cut at a word boundary."""
    text = " ".join(question.split())
    if len(text) > limit:
        cut = text[: limit + 1].rsplit(" ", 1)[0]
        text = cut if cut and len(cut) <= limit else text[:limit]
    return text or "query"


def _slug(question: str) -> str:
    words = re.findall(r"[a-z0-9]+", question.lower())[:4]
    return "-".join(words) or "query"


def png(seed: bytes, width: int = 96, height: int = 96) -> bytes:
    """A real RGB PNG, `width` x `height` pixels, a gradient coloured by `seed` (same seed,
    same bytes)."""
    r0, g0, b0 = seed[0], seed[1], seed[2]
    rows = b"".join(
        b"\x00"
        + bytes(
            v
            for x in range(width)
            for v in ((r0 + 4 * x) % 256, (g0 + 4 * y) % 256, (b0 + 2 * (x + y)) % 256)
        )
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def _cite(parts: list[str | tuple[str, dict[str, Any]]]) -> tuple[str, list[dict[str, Any]]]:
    """Text from plain pieces and (cited text, annotation) pieces; url citations get the
    cited range [start_index, end_index) as character offsets."""
    text, notes = "", []
    for part in parts:
        if isinstance(part, str):
            text += part
            continue
        cited, note = part
        if note["type"] == "url_citation":
            note = {**note, "start_index": len(text), "end_index": len(text) + len(cited)}
        else:
            note = {**note, "index": len(text) + len(cited)}
        text += cited
        notes.append(note)
    return text, notes


def web_search(
    tool: dict[str, Any], question: str, include: list[str], _store: list[dict[str, Any]]
) -> HostedTurn:
    query = _query(question)
    slug = _slug(question)
    domains = list((tool.get("filters") or {}).get("allowed_domains") or [])
    domains = domains or ["example.com", "docs.example.org"]
    sources = [
        (f"https://{domains[i % len(domains)]}/{slug}/{i + 1}", f"Source {i + 1} on {slug}")
        for i in range(2)
    ]
    action: dict[str, Any] = {"type": "search", "query": query}
    if "web_search_call.action.sources" in include:
        action["sources"] = [{"type": "url", "url": url} for url, _ in sources]
    item = {"id": new_id("ws"), "type": "web_search_call", "status": "completed", "action": action}
    text, notes = _cite(
        [
            f'Here is what the web says about "{query}": ',
            (sources[0][1], {"type": "url_citation", "url": sources[0][0], "title": sources[0][1]}),
            " covers it, and ",
            (sources[1][1], {"type": "url_citation", "url": sources[1][0], "title": sources[1][1]}),
            " adds detail.",
        ]
    )
    return HostedTurn("web_search", item, text, notes)


def _score(question: str, doc: dict[str, Any]) -> float:
    asked = set(re.findall(r"[a-z]+", question.lower()))
    words = set(re.findall(r"[a-z]+", str(doc["text"]).lower()))
    return round(0.5 + 0.5 * len(asked & words) / max(len(words), 1), 4)


def file_search(
    tool: dict[str, Any], question: str, include: list[str], store: list[dict[str, Any]]
) -> HostedTurn:
    ranking = tool.get("ranking_options") or {}
    threshold = float(ranking.get("score_threshold") or 0)
    limit = int(tool.get("max_num_results") or len(store) or 1)
    hits = sorted(
        ({**doc, "score": _score(question, doc)} for doc in store),
        key=lambda d: -float(d["score"]),
    )
    hits = [h for h in hits if h["score"] >= threshold][:limit]
    item: dict[str, Any] = {
        "id": new_id("fs"),
        "type": "file_search_call",
        "status": "completed",
        "queries": [_query(question)],
        "results": hits if "file_search_call.results" in include else None,
    }
    if not hits:
        return HostedTurn("file_search", item, "The files say nothing about that.")
    top = hits[0]
    text, notes = _cite(
        [
            f"From {top['filename']}: ",
            (
                str(top["text"]),
                {"type": "file_citation", "file_id": top["file_id"], "filename": top["filename"]},
            ),
        ]
    )
    return HostedTurn("file_search", item, text, notes)


def code_interpreter(
    tool: dict[str, Any], question: str, include: list[str], _store: list[dict[str, Any]]
) -> HostedTurn:
    container = tool.get("container")
    cid = container if isinstance(container, str) else "cntr_sim_" + _seed(question).hex()[:12]
    n = 3 + _seed(question)[0] % 5
    code = (
        f"# {question.strip()[:60]}\n"
        f"values = [k * k for k in range(1, {n + 1})]\n"
        "print(sum(values))\n"
    )
    total = sum(k * k for k in range(1, n + 1))
    outputs = None
    if "code_interpreter_call.outputs" in include:
        url = "data:image/png;base64," + base64.b64encode(png(_seed(code), 32, 32)).decode()
        outputs = [{"type": "logs", "logs": f"{total}\n"}, {"type": "image", "url": url}]
    item = {
        "id": new_id("ci"),
        "type": "code_interpreter_call",
        "status": "completed",
        "container_id": cid,
        "code": code,
        "outputs": outputs,
    }
    return HostedTurn("code_interpreter", item, f"The code printed {total}.")


def image_generation(
    tool: dict[str, Any], question: str, include: list[str], _store: list[dict[str, Any]]
) -> HostedTurn:
    result = base64.b64encode(png(_seed(question))).decode()
    item = {
        "id": new_id("ig"),
        "type": "image_generation_call",
        "status": "completed",
        "result": result,
    }
    partial = tool.get("partial_images")
    count = partial if isinstance(partial, int) and 0 <= partial <= 3 else 0
    return HostedTurn("image_generation", item, "Here is the image.", partial_images=count)


def turn(
    body: dict[str, Any], question: str, store: list[dict[str, Any]] | None = None
) -> HostedTurn | None:
    """The hosted call the simulated model makes for `body` (a Responses request whose last
    input is the user's `question`), or None; file search reads `store` (by default
    VECTOR_STORE)."""
    tool = pick(body.get("tools"), body.get("tool_choice"), question)
    if tool is None:
        return None
    raw = body.get("include")
    include = [str(v) for v in raw] if isinstance(raw, list) else []
    kind = _kind(tool)
    make = {
        "web_search": web_search,
        "file_search": file_search,
        "code_interpreter": code_interpreter,
        "image_generation": image_generation,
    }[str(kind)]
    return make(tool, question, include, VECTOR_STORE if store is None else store)


def with_hosted(
    plan: Any, conv: Any, body: dict[str, Any], store: list[dict[str, Any]] | None = None
) -> Any:
    """`plan` (a brain.Plan for Responses conversation `conv`) answering through a hosted
    call when the module's rule calls one: the call kept on `plan.hosted`, the answer text
    in `plan.choices`. Plans that call a function or custom tool, refuse, or answer tool
    outputs are returned as they are."""
    if plan.calls or plan.refusal or conv.tool_outputs:
        return plan
    if not conv.turns or conv.turns[-1][0] != "user":
        return plan
    hosted = turn(body, conv.last_user, store)
    if hosted is None:
        return plan
    plan.hosted = hosted
    plan.choices = [tokens(hosted.text)]
    plan.finish = "stop"
    plan.output_tokens = len(plan.choices[0]) + plan.reasoning_tokens
    return plan
