"""What a turn's kept output items say, for a terminal and for `playground run --json`: the
MCP approval requests left waiting, the hosted tools' results, MCP listings and calls, and
the answer's numbered sources.

Items are read as the server gave them (spec MCPApprovalRequest, MCPListTools, MCPToolCall,
WebSearchToolCall, FileSearchToolCall, CodeInterpreterToolCall, ImageGenToolCall; checked
2026-12-01). The labels are the window's (ui/widgets/hosted_results.py, core/mcp_items.py);
sources are numbered as the window numbers them under an answer (core/citations.py), and a
web search's sources carry the same number when the answer cites them.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from playground.core.citations import Source, annotations_of, sources
from playground.core.mcp_items import call_outcome

HOSTED = ("web_search_call", "file_search_call", "code_interpreter_call", "image_generation_call")
"""Output item types of the hosted tools."""

Items = Iterable[Mapping[str, Any]]


def approval_requests(items: Items) -> list[dict[str, str]]:
    """The `mcp_approval_request` items no `mcp_approval_response` among `items` answers, as
    `{"id", "server_label", "name", "arguments"}` (arguments: the JSON text given)."""
    answered = {
        str(i.get("approval_request_id")) for i in items if i.get("type") == "mcp_approval_response"
    }
    return [
        {
            "id": str(i.get("id") or ""),
            "server_label": str(i.get("server_label") or ""),
            "name": str(i.get("name") or ""),
            "arguments": str(i.get("arguments") or ""),
        }
        for i in items
        if i.get("type") == "mcp_approval_request" and str(i.get("id")) not in answered
    ]


def image_bytes(b64_or_data_url: str) -> bytes | None:
    """The bytes of a base64 image or a `data:image/...;base64,` URL; None when it is neither."""
    data = b64_or_data_url.split(",", 1)[1] if b64_or_data_url.startswith("data:") else None
    try:
        return base64.b64decode(data if data is not None else b64_or_data_url, validate=True)
    except (binascii.Error, ValueError):
        return None


def image_format(data: bytes) -> str | None:
    """ "png", "jpeg", "webp" or "gif" from the image's first bytes; None for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    return None


def images(items: Items) -> list[tuple[str, str, bytes]]:
    """The images `items` carry, as (item id, file name, bytes): a generated image as
    `ID.FORMAT`, a code interpreter's image outputs as `ID-N.FORMAT` (N from 1); data that is
    not a known image format is left out."""
    found: list[tuple[str, str, bytes]] = []
    for item in items:
        iid = str(item.get("id") or item.get("type"))
        if item.get("type") == "image_generation_call":
            raw = [str(item.get("result") or "")]
        elif item.get("type") == "code_interpreter_call":
            outs = [o for o in item.get("outputs") or () if isinstance(o, dict)]
            raw = [str(o.get("url") or "") for o in outs if o.get("type") == "image"]
        else:
            continue
        for n, text in enumerate(raw, 1):
            data = image_bytes(text) if text else None
            kind = image_format(data) if data else None
            if data and kind:
                tail = "" if item.get("type") == "image_generation_call" else f"-{n}"
                found.append((iid, f"{iid}{tail}.{kind}", data))
    return found


def cited_sources(items: Items) -> list[Source]:
    """The sources the answer's annotations cite, numbered as the window numbers them."""
    return sources([a for i in items for a in annotations_of(dict(i))])


def _web_query(action: Mapping[str, Any]) -> str:
    return str(action.get("query") or ", ".join(action.get("queries") or []) or "")


def _web_sources(item: Mapping[str, Any], cited: list[Source]) -> list[dict[str, Any]]:
    """A web search's sources: {"number", "url", "title"}, the number (and title) the answer
    cites it by, else the next free number (and no title)."""
    action = item.get("action") or {}
    found = action.get("sources") or ()
    urls = [str(s["url"]) for s in found if isinstance(s, dict) and s.get("url")]
    by_url = {s.url: s for s in cited if s.url}
    free = len(cited)
    out = []
    for url in urls:
        if (src := by_url.get(url)) is None:
            free += 1
            src = by_url[url] = Source(free, "", url)
        out.append({"number": src.number, "url": url, "title": src.title or None})
    return out


def _logs(item: Mapping[str, Any]) -> str:
    outs = [o for o in item.get("outputs") or () if isinstance(o, dict)]
    return "".join(str(o.get("logs") or "") for o in outs if o.get("type") == "logs")


def hosted_json(items: Items) -> list[dict[str, Any]]:
    """The hosted tools' calls, in output order, as plain data (no image bytes): web search
    {query, sources}; file search {queries, results (filename, file_id, score, text) or None
    when not included}; code interpreter {container_id, code, logs, images}; image generation
    {format, bytes}. Each also has type, id and status."""
    items = list(items)
    cited = cited_sources(items)
    out: list[dict[str, Any]] = []
    for item in items:
        kind = item.get("type")
        if kind not in HOSTED:
            continue
        row: dict[str, Any] = {"type": kind, "id": item.get("id"), "status": item.get("status")}
        if kind == "web_search_call":
            row |= {
                "query": _web_query(item.get("action") or {}) or None,
                "sources": _web_sources(item, cited),
            }
        elif kind == "file_search_call":
            hits = item.get("results")
            row["queries"] = list(item.get("queries") or [])
            row["results"] = (
                None
                if hits is None
                else [
                    {k: h.get(k) for k in ("filename", "file_id", "score", "text")}
                    for h in hits
                    if isinstance(h, dict)
                ]
            )
        elif kind == "code_interpreter_call":
            row |= {
                "container_id": item.get("container_id"),
                "code": item.get("code"),
                "logs": _logs(item),
                "images": len(images([item])),
            }
        else:
            data = image_bytes(str(item.get("result") or ""))
            row |= {
                "format": image_format(data) if data else None,
                "bytes": len(data) if data else 0,
            }
        out.append(row)
    return out


def mcp_json(items: Items) -> list[dict[str, Any]]:
    """MCP listings and calls: {type, server_label, tools | (name, arguments, output,
    error)}; an error as the text the window shows."""
    out: list[dict[str, Any]] = []
    for item in items:
        kind = item.get("type")
        if kind == "mcp_list_tools":
            tools = [str(t.get("name")) for t in item.get("tools") or () if isinstance(t, dict)]
            out.append(
                {
                    "type": kind,
                    "server_label": item.get("server_label"),
                    "tools": tools,
                    "error": item.get("error") or None,
                }
            )
        elif kind == "mcp_call":
            ok, text = call_outcome(dict(item))
            out.append(
                {
                    "type": kind,
                    "server_label": item.get("server_label"),
                    "name": item.get("name"),
                    "arguments": item.get("arguments"),
                    "output": text if ok else None,
                    "error": None if ok else text,
                }
            )
    return out


SHOWN_LINES = 5
"""Lines of code or logs the terminal summary shows; the rest is counted."""


def _short(text: str, indent: str = "    ") -> list[str]:
    lines = text.rstrip("\n").splitlines()
    shown = [indent + line for line in lines[:SHOWN_LINES]]
    if len(lines) > SHOWN_LINES:
        shown.append(f"{indent}… ({len(lines) - SHOWN_LINES} more lines)")
    return shown


def _one_line(text: str, width: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _size(n: int) -> str:
    return f"{n} bytes" if n < 1024 else f"{n / 1024:.1f} kB"


def summary_lines(items: Items, saved: Mapping[str, list[str]], unsaved: str) -> list[str]:
    """The terminal's plain-text summary of the hosted tools' results, MCP listings and calls,
    and the answer's numbered sources ([] when there are none). `saved`: item id -> the
    paths its images were written to; `unsaved`: what to say of an image not written."""
    items = list(items)
    rows = {row["id"]: row for row in hosted_json(items)}
    lines: list[str] = []

    def pictures(iid: str) -> str:
        paths = saved.get(iid) or []
        return ", saved to " + ", ".join(paths) if paths else f" ({unsaved})"

    for item in items:
        kind, row = item.get("type"), rows.get(item.get("id"))
        if kind in HOSTED and row is not None:
            lines += _hosted_lines(row, pictures)
        elif kind == "mcp_list_tools":
            head = f"MCP server {item.get('server_label', '?')}"
            error = item.get("error")
            lines.append(
                f"{head}: listing its tools failed: {_one_line(str(error))}"
                if error
                else f"{head}: {len(item.get('tools') or [])} tools"
            )
        elif kind == "mcp_call":
            ok, text = call_outcome(dict(item))
            what = f"MCP call {item.get('name')} on {item.get('server_label', '?')}"
            lines.append(
                f"{what}: {'done' if ok else 'failed'}" + (f": {_one_line(text)}" if text else "")
            )
    shown = {s["url"] for row in rows.values() for s in row.get("sources") or ()}
    rest = [s for s in cited_sources(items) if s.url is None or s.url not in shown]
    if rest:  # the cited sources no web search above listed (a file, another page)
        lines.append("Sources:")
        lines += [f"  [{s.number}] {s.title}" + (f" <{s.url}>" if s.url else "") for s in rest]
    return lines


def _hosted_lines(row: Mapping[str, Any], pictures: Callable[[str], str]) -> list[str]:
    kind, status = row["type"], str(row.get("status") or "")
    if kind == "web_search_call":
        query = row.get("query")
        lines = [f'Web search "{query}"' if query else f"Web search {status}".rstrip()]
        for src in row["sources"]:
            named = f"{src['title']} <{src['url']}>" if src["title"] else src["url"]
            lines.append(f"  [{src['number']}] {named}")
        return lines
    if kind == "file_search_call":
        queries = ", ".join(f'"{q}"' for q in row["queries"])
        lines = [f"File search {queries}".rstrip()]
        if row["results"] is None:
            return [*lines, "  (results not included: ask for file_search_call.results)"]
        for hit in row["results"]:
            score = hit.get("score")
            shown = f"{score:.2f}" if isinstance(score, int | float) else "?"
            lines.append(f"  {hit.get('filename') or hit.get('file_id') or 'file'}  score {shown}")
        return lines
    if kind == "code_interpreter_call":
        lines = [f"Code interpreter {row.get('container_id') or status}".rstrip()]
        if row.get("code"):
            lines += ["  code:", *_short(str(row["code"]))]
        if row.get("logs"):
            lines += ["  logs:", *_short(str(row["logs"]))]
        if count := row["images"]:
            lines.append(f"  {count} image{'s' if count != 1 else ''}{pictures(row['id'])}")
        return lines
    if not row["bytes"]:
        return [f"{f'Image generation {status}'.rstrip()}: no image that can be shown"]
    made = f"{f'Image generation {status}'.rstrip()}: {row['format']}, {_size(row['bytes'])}"
    return [made + pictures(row["id"])]
