"""Options of the Responses API's hosted tools: web search, file search, code interpreter and
image generation, as workspace models, as request `tools` entries and read back from them.

Shapes from the spec (openapi.json WebSearchTool, WebSearchApproximateLocation,
FileSearchTool, RankingOptions, Filters, CodeInterpreterTool, AutoCodeInterpreterToolParam,
ImageGenTool, IncludeEnum; checked 2026-12-01). A field left at ``None`` (or an empty list) is
not sent, so a tool written with only some options comes back with exactly those.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

ContextSize = Literal["low", "medium", "high"]
CONTEXT_SIZES: tuple[str, ...] = ("low", "medium", "high")
RANKERS: tuple[str, ...] = ("auto", "default-2024-11-15")
IMAGE_SIZES: tuple[str, ...] = ("auto", "1024x1024", "1024x1536", "1536x1024")
IMAGE_QUALITIES: tuple[str, ...] = ("auto", "low", "medium", "high")
IMAGE_FORMATS: tuple[str, ...] = ("png", "webp", "jpeg")
IMAGE_BACKGROUNDS: tuple[str, ...] = ("auto", "transparent", "opaque")
IMAGE_MODELS: tuple[str, ...] = (
    "gpt-image-1",
    "gpt-image-1-mini",
    "gpt-image-1.5",
    "gpt-image-2",
    "gpt-image-2-2026-04-21",
)

WEB_SOURCES = "web_search_call.action.sources"
FILE_RESULTS = "file_search_call.results"
CODE_OUTPUTS = "code_interpreter_call.outputs"
HOSTED_INCLUDES: tuple[str, ...] = (WEB_SOURCES, FILE_RESULTS, CODE_OUTPUTS)
"""The `include` values that ask for a hosted tool's sources or results (spec IncludeEnum),
in the order the builder appends them."""


class _Options(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UserLocation(_Options):
    """`user_location` of a web search: `{"type": "approximate", city, region, country,
    timezone}`; country is a two-letter ISO code, timezone an IANA name."""

    city: str | None = None
    region: str | None = None
    country: str | None = None
    timezone: str | None = None

    def wire(self) -> dict[str, Any] | None:
        """The location as sent, or None when no part is set."""
        parts = {k: v for k, v in self.model_dump().items() if v}
        return {"type": "approximate", **parts} if parts else None


class WebSearchOptions(_Options):
    """`{"type": "web_search", search_context_size?, user_location?, filters?}`."""

    search_context_size: ContextSize | None = None
    user_location: UserLocation = Field(default_factory=UserLocation)
    allowed_domains: list[str] = Field(default_factory=list)
    include_sources: bool = False
    """Ask for `web_search_call.action.sources` in `include`."""


class FileSearchOptions(_Options):
    """`{"type": "file_search", vector_store_ids, max_num_results?, ranking_options?,
    filters?}`; the vector store ids stay in `BuiltinTools.vector_store_ids`."""

    max_num_results: int | None = Field(default=None, ge=1, le=50)
    ranker: Literal["auto", "default-2024-11-15"] | None = None
    score_threshold: float | None = Field(default=None, ge=0, le=1)
    filters: dict[str, Any] | None = None
    """A ComparisonFilter or CompoundFilter object, kept as written."""
    include_results: bool = False
    """Ask for `file_search_call.results` in `include`."""


class CodeInterpreterOptions(_Options):
    """`container`: `{"type": "auto", "file_ids"?}` when `container_id` is None, else the id."""

    container_id: str | None = None
    file_ids: list[str] = Field(default_factory=list)
    include_outputs: bool = False
    """Ask for `code_interpreter_call.outputs` in `include`."""


class ImageGenOptions(_Options):
    """`{"type": "image_generation", model?, size?, quality?, output_format?, background?}`."""

    model: str | None = None
    size: str | None = None
    quality: Literal["auto", "low", "medium", "high"] | None = None
    output_format: Literal["png", "webp", "jpeg"] | None = None
    background: Literal["auto", "transparent", "opaque"] | None = None


def web_search_tool(o: WebSearchOptions) -> dict[str, Any]:
    """The web search `tools` entry."""
    tool: dict[str, Any] = {"type": "web_search"}
    if o.search_context_size is not None:
        tool["search_context_size"] = o.search_context_size
    location = o.user_location.wire()
    if location is not None:
        tool["user_location"] = location
    if o.allowed_domains:
        tool["filters"] = {"allowed_domains": list(o.allowed_domains)}
    return tool


def file_search_tool(ids: list[str], o: FileSearchOptions) -> dict[str, Any]:
    """The file search `tools` entry over vector stores `ids`."""
    tool: dict[str, Any] = {"type": "file_search", "vector_store_ids": list(ids)}
    if o.max_num_results is not None:
        tool["max_num_results"] = o.max_num_results
    ranking: dict[str, Any] = {}
    if o.ranker is not None:
        ranking["ranker"] = o.ranker
    if o.score_threshold is not None:
        ranking["score_threshold"] = o.score_threshold
    if ranking:
        tool["ranking_options"] = ranking
    if o.filters is not None:
        tool["filters"] = o.filters
    return tool


def code_interpreter_tool(o: CodeInterpreterOptions) -> dict[str, Any]:
    """The code interpreter `tools` entry."""
    if o.container_id:
        return {"type": "code_interpreter", "container": o.container_id}
    container: dict[str, Any] = {"type": "auto"}
    if o.file_ids:
        container["file_ids"] = list(o.file_ids)
    return {"type": "code_interpreter", "container": container}


def image_generation_tool(o: ImageGenOptions) -> dict[str, Any]:
    """The image generation `tools` entry."""
    tool: dict[str, Any] = {"type": "image_generation"}
    for key in ("model", "size", "quality", "output_format", "background"):
        value = getattr(o, key)
        if value is not None:
            tool[key] = value
    return tool


_SIZE = re.compile(r"auto|[1-9][0-9]*x[1-9][0-9]*")


def bad_country(country: str | None) -> bool:
    """Whether a web search's user_location.country is not a two-letter ISO code (spec
    ApproximateLocation.country: "The two-letter ISO country code of the user, e.g. `US`",
    checked 2026-12-01)."""
    return bool(country) and not re.fullmatch(r"[A-Za-z]{2}", country or "")


def bad_size(size: str | None) -> bool:
    """Whether an image generation size is neither `auto` nor `WIDTHxHEIGHT` (spec
    ImageGenTool.size, checked 2026-12-01)."""
    return bool(size) and not _SIZE.fullmatch(size or "")


def transparent_jpeg(background: str | None, output_format: str | None) -> bool:
    """Whether an image generation asks a transparent background in JPEG, which has no alpha
    (the image generation guide: transparency needs png or webp, checked 2026-12-01)."""
    return background == "transparent" and output_format == "jpeg"


def option_findings(b: Any) -> list[tuple[str, str]]:
    """(path, warning) for options of switched-on tools (`b`: a workspace's BuiltinTools) the
    server is likely to refuse: a country that is not two letters, an image size that is not
    `auto` or `WIDTHxHEIGHT`, a transparent background in JPEG."""
    out: list[tuple[str, str]] = []
    country = b.web_options.user_location.country
    if b.web_search and bad_country(country):
        out.append(
            (
                "builtin_tools.web_options",
                f"web search country {country!r}: use a two-letter ISO code, such as US",
            )
        )
    image = b.image_options
    if b.image_generation and bad_size(image.size):
        out.append(
            (
                "builtin_tools.image_options",
                f"image size {image.size!r}: use auto or WIDTHxHEIGHT, such as 1024x1536",
            )
        )
    if b.image_generation and transparent_jpeg(image.background, image.output_format):
        out.append(
            (
                "builtin_tools.image_options",
                "a transparent background needs the png or webp format",
            )
        )
    return out


# -- reading a tool back ---------------------------------------------------------------------


def read_web_search(t: dict[str, Any]) -> WebSearchOptions | None:
    """The options of a `web_search` tool, or None when it has a field or value the editor
    does not write (it is then kept as given)."""
    if t.get("type") != "web_search" or not set(t) <= {
        "type",
        "search_context_size",
        "user_location",
        "filters",
    }:
        return None
    try:
        loc = t.get("user_location")
        location = UserLocation()
        if loc is not None:
            if not isinstance(loc, dict) or loc.get("type") != "approximate":
                return None
            location = UserLocation(**{k: v for k, v in loc.items() if k != "type"})
            if location.wire() != loc:
                return None
        domains: list[str] = []
        if "filters" in t:
            f = t["filters"]
            if not isinstance(f, dict) or set(f) != {"allowed_domains"}:
                return None
            domains = f["allowed_domains"]
            if not isinstance(domains, list) or not domains:
                return None
        out = WebSearchOptions(
            search_context_size=t.get("search_context_size"),
            user_location=location,
            allowed_domains=domains,
        )
    except (ValidationError, TypeError):
        return None
    return out if web_search_tool(out) == t else None


def read_file_search(t: dict[str, Any]) -> tuple[list[str], FileSearchOptions] | None:
    """The vector store ids and options of a `file_search` tool, or None (kept as given)."""
    keys = {"type", "vector_store_ids", "max_num_results", "ranking_options", "filters"}
    ids = t.get("vector_store_ids")
    if t.get("type") != "file_search" or not set(t) <= keys or not isinstance(ids, list):
        return None
    if not all(isinstance(i, str) for i in ids):
        return None
    ranking = t.get("ranking_options", {})
    if not isinstance(ranking, dict) or not set(ranking) <= {"ranker", "score_threshold"}:
        return None
    filters = t.get("filters")
    try:
        out = FileSearchOptions(
            max_num_results=t.get("max_num_results"),
            ranker=ranking.get("ranker"),
            score_threshold=ranking.get("score_threshold"),
            filters=filters if isinstance(filters, dict) else None,
        )
    except ValidationError:
        return None
    return (list(ids), out) if file_search_tool(ids, out) == t else None


def read_code_interpreter(t: dict[str, Any]) -> CodeInterpreterOptions | None:
    """The options of a `code_interpreter` tool, or None (kept as given)."""
    if t.get("type") != "code_interpreter" or set(t) != {"type", "container"}:
        return None
    c = t["container"]
    try:
        if isinstance(c, str):
            out = CodeInterpreterOptions(container_id=c)
        elif isinstance(c, dict) and c.get("type") == "auto":
            out = CodeInterpreterOptions(file_ids=c.get("file_ids") or [])
        else:
            return None
    except ValidationError:
        return None
    return out if code_interpreter_tool(out) == t else None


def read_image_generation(t: dict[str, Any]) -> ImageGenOptions | None:
    """The options of an `image_generation` tool, or None (kept as given)."""
    keys = {"type", "model", "size", "quality", "output_format", "background"}
    if t.get("type") != "image_generation" or not set(t) <= keys:
        return None
    try:
        out = ImageGenOptions(**{k: v for k, v in t.items() if k != "type"})
    except (ValidationError, TypeError):
        return None
    return out if image_generation_tool(out) == t else None
