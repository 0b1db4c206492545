"""Provider profiles: where requests go (OpenAI, the offline simulator, any compatible server)."""

from __future__ import annotations

import re
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, model_validator

OPENAI = "OpenAI"
SIMULATOR = "Offline simulator"
DEFAULT_BASE_URL = "https://api.openai.com/v1"

# How a profile's key is sent: `Authorization: Bearer KEY` (OpenAI and most compatible servers)
# or `api-key: KEY` (Azure OpenAI; learn.microsoft.com "Azure OpenAI REST API reference",
# checked 2026-11-30). The key itself always comes from the keyring.
AuthStyle = Literal["bearer", "api-key"]

# Header names that carry a credential: never stored in a profile, workspace, history or export.
_CREDENTIAL_HEADER = re.compile(
    r"^(authorization|proxy-authorization|api-key|x-api-key|ocp-apim-subscription-key|cookie)$"
    r"|key|token|secret|passw|credential|auth",
    re.IGNORECASE,
)


def is_credential_header(name: str) -> bool:
    """True when a header named `name` carries a secret (Authorization, api-key, x-api-key,
    Ocp-Apim-Subscription-Key, or any name that says key, token, secret, password, auth)."""
    return bool(_CREDENTIAL_HEADER.search(name.strip()))


def _without_credential_params(url: str) -> str:
    parts = urlsplit(url)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    kept = [(k, v) for k, v in kept if not is_credential_header(k)]
    netloc = parts.netloc.rpartition("@")[2]  # user:password@ is a credential too
    return urlunsplit(parts._replace(netloc=netloc, query=urlencode(kept)))


def credential_headers(headers: dict[str, str]) -> list[str]:
    """The names in `headers` that carry a credential (see is_credential_header)."""
    return [name for name in headers if is_credential_header(name)]


class ProviderProfile(BaseModel):
    """Connection settings of one provider. The key is never part of a profile: it lives in
    the OS keyring under the profile's name.

    Every way in goes through validation, which drops credential headers (Authorization,
    api-key, ...) and any unknown field whose name says key, token or secret, so no settings
    file, import or dialog can store a key here. Other unknown fields (written by a newer
    Playground) are kept and written back unchanged.
    """

    model_config = ConfigDict(extra="allow")

    name: str
    kind: Literal["openai", "simulator", "custom"] = "custom"
    base_url: str | None = None
    organization: str | None = None
    project: str | None = None
    headers: dict[str, str] = Field(default_factory=dict)
    # How the key is sent, and query parameters sent on every request (Azure's api-version).
    auth: AuthStyle = "bearer"
    query: dict[str, str] = Field(default_factory=dict)
    timeout: float = 600.0
    max_retries: int = 2
    # Chat Completions' name for the output-token limit on this server, for models the
    # catalog does not know: "auto" sends max_completion_tokens to OpenAI's endpoint and
    # max_tokens elsewhere (the name OpenAI-compatible servers take).
    chat_token_param: Literal["auto", "max_tokens", "max_completion_tokens"] = "auto"
    # Simulator only: accept any model id (served under /permissive/v1), for custom names offline.
    permissive: bool = False

    @model_validator(mode="before")
    @classmethod
    def _drop_credentials(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        known = set(cls.model_fields)
        out = {
            k: v
            for k, v in data.items()
            if k in known or not (isinstance(k, str) and is_credential_header(k))
        }
        for name in ("headers", "query"):  # `?api-key=` and `?key=` carry keys as well
            pairs = out.get(name)
            if isinstance(pairs, dict):
                out[name] = {
                    k: v
                    for k, v in pairs.items()
                    if not (isinstance(k, str) and is_credential_header(k))
                }
        url = out.get("base_url")
        if isinstance(url, str) and ("?" in url or "@" in url):
            out["base_url"] = _without_credential_params(url)
        return out

    @property
    def effective_base_url(self) -> str:
        return self.base_url or DEFAULT_BASE_URL

    @property
    def openai_endpoint(self) -> bool:
        """True for OpenAI's own API (where a shut-down model id is refused for sure)."""
        if self.kind == "openai":
            return True
        if self.kind == "simulator":
            return False
        try:
            host = urlsplit(self.effective_base_url).hostname or ""
        except ValueError:
            return False
        return host == "api.openai.com"

    @property
    def needs_key(self) -> bool:
        return self.kind != "simulator"


def builtin_profiles() -> list[ProviderProfile]:
    return [
        ProviderProfile(name=OPENAI, kind="openai"),
        ProviderProfile(name=SIMULATOR, kind="simulator"),
    ]


def base_url_problem(url: str | None, what: str = "the base URL") -> str | None:
    """What is wrong with a profile's base URL (or another URL the app sends to, named by
    `what`: "the server URL"), in the user's words, or None when it can be used: it must be
    an http or https URL with a host (no spaces) and, when it has a port, a port from 1 to
    65535 (RFC 3986 section 3; urllib.parse.urlsplit reads it). None (the default endpoint)
    is fine."""
    if url is None or not url.strip():
        return None
    text = url
    try:
        parts = urlsplit(text)
    except ValueError:  # an unclosed [IPv6] bracket
        return f"{what} “{text}” is not a URL"
    if parts.scheme not in ("http", "https"):
        return f"{what} “{text}” must start with http:// or https://"
    try:
        port = parts.port
    except ValueError:
        return f"{what} “{text}” has a port that is not a number from 1 to 65535"
    host = parts.hostname or ""
    if not host or any(c.isspace() for c in text) or "%20" in parts.netloc:
        return f"{what} “{text}” has no valid host name (a space, or nothing after //)"
    if port == 0:
        return f"{what} “{text}” has port 0: use a port from 1 to 65535"
    return None


def profile_problem(profile: ProviderProfile) -> str | None:
    """Why `profile` cannot send requests as configured, in the user's words ("the base URL
    … must start with http:// or https://; fix it in Providers"), or None."""
    if profile.kind == "simulator":
        return None
    problem = base_url_problem(profile.base_url)
    return None if problem is None else f"{problem}; fix it in Providers (Ctrl+,)"
