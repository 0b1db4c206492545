"""The hosted tools' options the API refuses, refused as it does: 400
`invalid_request_error` with `param` naming the path (`tools[0].user_location.country`).

The rules are the editor's (core/hosted_options.py: bad_country, bad_size,
transparent_jpeg, from the spec's ApproximateLocation and ImageGenTool, checked
2026-12-01), so the editor's warning and the simulator's refusal cannot drift apart. The
messages follow the API's "Invalid value" form (openai-protocol.md section 4); their exact
wording for these fields is not documented [BELIEF].
"""

from __future__ import annotations

from typing import Any

from playground.core.hosted_options import bad_country, bad_size, transparent_jpeg
from playground.services.simulator.protocol import SimError


def _bad(param: str, message: str) -> SimError:
    return SimError(400, message, param=param, code="invalid_value")


def check(tools: Any) -> None:
    """SimError 400 for the first hosted-tool option the API refuses; other tools pass."""
    if not isinstance(tools, list):
        return
    for n, tool in enumerate(tools):
        if not isinstance(tool, dict):
            continue
        kind = tool.get("type")
        if kind in ("web_search", "web_search_preview") or str(kind).startswith("web_search_"):
            where = tool.get("user_location")
            country = where.get("country") if isinstance(where, dict) else None
            if isinstance(country, str) and bad_country(country):
                raise _bad(
                    f"tools[{n}].user_location.country",
                    f"Invalid value: '{country}'. Expected a two-letter ISO country code, "
                    "such as 'US'.",
                )
        if kind != "image_generation":
            continue
        size = tool.get("size")
        if isinstance(size, str) and bad_size(size):
            raise _bad(
                f"tools[{n}].size",
                f"Invalid value: '{size}'. Supported values are: 'auto' or a size as "
                "'WIDTHxHEIGHT', such as '1024x1536'.",
            )
        if transparent_jpeg(tool.get("background"), tool.get("output_format")):
            raise _bad(
                f"tools[{n}].background",
                "Invalid value: 'transparent'. A transparent background needs the output "
                "format 'png' or 'webp', not 'jpeg'.",
            )
