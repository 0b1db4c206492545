"""What the app says about a model that is going away or gone, and what a server's model list adds.

A model's lifecycle comes from the catalog (`catalog.Lifecycle`: a shutdown date and a suggested
replacement, sourced from OpenAI's deprecations page, developers.openai.com/api/docs/deprecations,
checked 2026-11-30). A server's `GET /v1/models` may add its own: the `Model` object carries an
optional `shutdown_date` (`YYYY-MM-DD` or null; spec components.schemas.Model, openapi.json 2.3.0).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from playground.core.catalog import ModelInfo, successor
from playground.core.findings import Finding
from playground.core.profiles import ProviderProfile

OPENAI_HOST = "api.openai.com"


def lifecycle_finding(info: ModelInfo, today: date, openai_endpoint: bool) -> Finding | None:
    """The finding at path "model" for a deprecated or shut-down catalog model, else None.

    Shut down: an error on OpenAI's own endpoint (the API no longer serves the id, so Run is
    blocked) and a warning elsewhere (other servers may still serve this id). Deprecated (a
    shutdown date ahead): a warning. The message names the date and the suggested replacement:
    "o1 was shut down on 2026-10-23; suggested replacement: gpt-5.6-sol"."""
    life = info.lifecycle
    status = life.status(today)
    if status == "active" or life.shutdown is None:
        return None
    if status == "shut_down":
        text = f"{info.id} was shut down on {life.shutdown}"
    else:
        text = f"{info.id} shuts down on {life.shutdown}"
    target = replacement(info, today)
    if target:
        text += f"; suggested replacement: {target}"
        if life.replacement_note and target == life.replacement:
            text += f" ({life.replacement_note})"
    if status == "shut_down" and not openai_endpoint:
        text += "; other servers may still serve this id"
    if status == "shut_down" and openai_endpoint:
        return Finding("model", "error", text, code="lifecycle")
    return Finding("model", "warning", text, code="lifecycle")


def replacement(info: ModelInfo, today: date) -> str | None:
    """The id to offer a one-click switch to: the replacement of a deprecated or shut-down
    model, followed past replacements that are shut down themselves (catalog.successor);
    None for an active model or one without a running replacement."""
    if info.lifecycle.status(today) == "active":
        return None
    found = successor(info, today)
    return found.entry_id if found is not None else None


def is_openai_endpoint(base_url: str | None) -> bool:
    """Whether requests to `base_url` (None: the SDK's default) go to OpenAI's own API."""
    if not base_url:
        return True
    try:
        host = urlsplit(base_url).hostname
    except ValueError:
        return False
    return host == OPENAI_HOST


def profile_is_openai(profile: ProviderProfile) -> bool:
    """Whether `profile` sends to OpenAI's own API (the simulator never does)."""
    return profile.openai_endpoint


def describe_status(info: ModelInfo, today: date) -> str:
    """ "active", "deprecated, shuts down 2027-01-14 -> gpt-6-luna", "shut down 2026-10-23 ->
    gpt-5.6-sol": the catalog lifecycle in a few words (the CLI's listing)."""
    life = info.lifecycle
    status = life.status(today)
    if status == "active":
        return "active"
    head = (
        f"shut down {life.shutdown}"
        if status == "shut_down"
        else f"deprecated, shuts down {life.shutdown}"
    )
    target = replacement(info, today)
    return f"{head} -> {target}" if target else head


@dataclass(frozen=True)
class ServerModel:
    """One entry of a server's `GET /v1/models`: its id and the shutdown date it announces
    (ISO `YYYY-MM-DD`, or None when the server says none or sends no such field)."""

    id: str
    shutdown_date: str | None = None


def server_badges(model: ServerModel, known: bool, today: date) -> tuple[str, ...]:
    """The picker's badges for a model a server lists: "new" for an id the catalog does not
    know, and "shut down on D" (date reached) or "shuts down on D" (date ahead) when the server
    announces a shutdown date. A date that is not ISO is ignored."""
    out: tuple[str, ...] = () if known else ("new",)
    day = _iso(model.shutdown_date)
    if day is not None:
        past = day <= today
        out += (f"shut down on {day.isoformat()}" if past else f"shuts down on {day.isoformat()}",)
    return out


def _iso(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None
