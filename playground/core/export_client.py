"""The client a generated program makes: where it reads the key, its AsyncOpenAI / OpenAI
arguments (base URL, organization, project, headers, query, the flex guide's longer timeout)
and the note over code composed on the offline simulator. Used by core/export.py,
core/codegen_compare.py and core/codegen_eval.py."""

from __future__ import annotations

from typing import Any

from playground.core import service_tiers
from playground.core.profiles import ProviderProfile
from playground.core.pysource import Raw
from playground.core.workspace import Workspace

# Where exported code reads the key: the SDK's own variables (OpenAI reads OPENAI_API_KEY;
# AzureOpenAI reads AZURE_OPENAI_API_KEY), so a profile's auth style picks the usual one.
KEY_ENV = {"bearer": "OPENAI_API_KEY", "api-key": "AZURE_OPENAI_API_KEY"}


def key_env(profile: ProviderProfile | None) -> str:
    """The environment variable exported code reads the key from, by the profile's auth style."""
    return KEY_ENV[profile.auth if profile is not None else "bearer"]


SIMULATOR_PORT = 8765
"""The port the simulator notes in exported code name (`playground simulator --port 8765`)."""


def simulator_note(profile: ProviderProfile) -> list[str]:
    """The comment lines over the client of code composed on the offline simulator: how to
    run it there (the SDK reads OPENAI_BASE_URL and OPENAI_API_KEY when the client names
    neither; a permissive profile's simulator path ends in /permissive/v1)."""
    path = "/permissive/v1" if profile.permissive else "/v1"
    url = f"http://127.0.0.1:{SIMULATOR_PORT}{path}"
    return [
        "# Composed on the offline simulator. To run it there, start",
        f"# `playground simulator --port {SIMULATOR_PORT}`, then run this with",
        f"# OPENAI_BASE_URL={url} OPENAI_API_KEY=x (any text);",
        "# without them it calls the OpenAI API.",
    ]


def client_kwargs(profile: ProviderProfile | None, tier: object = None) -> dict[str, Any]:
    """The OpenAI(...) arguments for `profile`, with the flex guide's longer `timeout` (in
    seconds: service_tiers.timeout_for) when the requests go at service tier `tier` "flex"."""
    out: dict[str, Any] = {}
    longer = service_tiers.timeout_for(tier if isinstance(tier, str) else None, _timeout(profile))
    if longer is not None:  # flex is slower: the flex guide raises the client's timeout
        out["timeout"] = longer
    if profile is None:
        return out
    headers: dict[str, Any] = dict(profile.headers)
    if profile.auth == "api-key":
        # The SDK sends its key as a Bearer token; Azure reads the `api-key` header.
        env = Raw(f'os.environ["{key_env(profile)}"]')
        out["api_key"] = env
        headers = {"api-key": env, **headers}
    if profile.base_url:
        out["base_url"] = profile.base_url
    if profile.organization:
        out["organization"] = profile.organization
    if profile.project:
        out["project"] = profile.project
    if headers:
        out["default_headers"] = headers
    if profile.query:
        out["default_query"] = dict(profile.query)
    return out


def _timeout(profile: ProviderProfile | None) -> float | None:
    """The profile's timeout in seconds when it is not the SDK's default (600 s)."""
    return profile.timeout if profile is not None and profile.timeout != 600.0 else None


def tier_of(workspaces: list[Workspace], profile: str) -> str | None:
    """ "flex" when a workspace sent through `profile` (a name) goes at the flex tier, so
    that profile's client gets the longer timeout (client_kwargs); None otherwise."""
    flex = any(w.profile == profile and w.params.service_tier == "flex" for w in workspaces)
    return "flex" if flex else None
