"""The provider profile an imported request proposes: where it was sent, never its key.

Azure OpenAI endpoints (learn.microsoft.com, "Azure OpenAI in Azure AI Foundry Models REST API
reference" and "API version lifecycle", checked 2026-11-30) come in two shapes:
`https://RES.openai.azure.com/openai/deployments/NAME/chat/completions?api-version=V` (the
deployment names the model) and `https://RES.openai.azure.com/openai/v1/responses` (the v1 API,
the body names the model). Both take the key in an `api-key` header (or an Entra ID token as
`Authorization: Bearer`). A proposal keeps the deployment in the base URL and `api-version` in
the profile's query; credential headers (`profiles.is_credential_header`) are never kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from playground.core.profiles import DEFAULT_BASE_URL, ProviderProfile, is_credential_header

ENDPOINTS = {"/chat/completions": "chat", "/responses": "responses"}
_AZURE_HOSTS = (".openai.azure.com", ".cognitiveservices.azure.com", ".services.ai.azure.com")
# headers a browser or the SDK adds on its own: not part of what a provider needs
_SILENT = frozenset({"content-type", "accept", "content-length", "host"})
_NOISE = frozenset(
    {
        "accept-encoding",
        "accept-language",
        "user-agent",
        "origin",
        "referer",
        "connection",
        "content-length",
        "host",
        "dnt",
        "priority",
        "pragma",
        "cache-control",
        "te",
    }
)
KEY_NOTE = "store the key under Providers (it lives in the OS keyring)"


@dataclass
class Endpoint:
    """Where a request went: the proposed profile (None: the current one will do) and notes."""

    profile: ProviderProfile | None = None
    api: str | None = None
    deployment: str | None = None
    notes: list[str] = field(default_factory=list)


def is_azure(url: str | None) -> bool:
    host = (urlsplit(url or "").hostname or "").lower()
    return host.endswith(_AZURE_HOSTS)


def _is_reference(value: str) -> bool:
    """A value that names a variable instead of carrying a secret ($KEY, ${KEY}, %KEY%)."""
    v = value.removeprefix("Bearer ").removeprefix("bearer ").strip()
    return v.startswith("$") or (v.startswith("%") and v.endswith("%")) or v.startswith("<")


def from_request(
    url: str | None, headers: list[tuple[str, str]], source: str = "the command"
) -> Endpoint:
    """The endpoint a request with `url` and `headers` went to, as a proposal."""
    out = Endpoint()
    extra: dict[str, str] = {}
    org = project = None
    key_header: str | None = None
    dropped: list[str] = []
    for name, value in headers:
        low = name.lower()
        if is_credential_header(name):
            key_header = key_header or low
            if not _is_reference(value):
                out.notes.append(f"{name}: the key in {source} was not imported; {KEY_NOTE}")
        elif low == "openai-organization":
            org = value
        elif low == "openai-project":
            project = value
        elif low in _SILENT:
            continue
        elif low in _NOISE or low.startswith(("sec-", "x-stainless-")):
            dropped.append(name)
        else:
            extra[name] = value
    if dropped:
        out.notes.append(
            f"headers {', '.join(dropped)}: set by the browser or client on its own; not imported"
        )
    base, query = _base_and_query(url, out)
    azure = is_azure(url)
    auth = "api-key" if azure and key_header in (None, "api-key") else "bearer"
    if not azure and base in (None, DEFAULT_BASE_URL) and not (org or project or extra or query):
        return out
    where = urlsplit(base or DEFAULT_BASE_URL)
    host = where.hostname or "api.openai.com"
    name = f"Azure {host.split('.')[0]}" if azure else f"Imported ({where.netloc or host})"
    out.profile = ProviderProfile(
        name=name,
        base_url=None if base == DEFAULT_BASE_URL else base,
        organization=org,
        project=project,
        headers=extra,
        auth=auth,
        query=query,
    )
    return out


def _base_and_query(url: str | None, out: Endpoint) -> tuple[str | None, dict[str, str]]:
    if not url:
        return None, {}
    if "$" in url or "%" in url.split("?")[0]:
        out.notes.append(f"URL {shown(url)}: names a variable; set the base URL under Providers")
        return None, {}
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    query = {}
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if is_credential_header(name):  # `?key=...`, `?access_token=...`
            out.notes.append(f"URL query {name}: a key in the URL was not imported; {KEY_NOTE}")
        else:
            query[name] = value
    for suffix, api in ENDPOINTS.items():
        if path.endswith(suffix):
            out.api = api
            path = path[: -len(suffix)]
            break
    else:
        out.notes.append(
            f"URL {shown(url)}: not a /responses or /chat/completions endpoint; "
            "the base URL is taken as given"
        )
    segments = path.split("/")
    if len(segments) >= 2 and segments[-2] == "deployments":
        out.deployment = segments[-1]
    base = urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    return base, query


def shown(url: str) -> str:
    """`url` as a note may show it: without its query string, which may carry a key."""
    return url.split("?", 1)[0] + ("?…" if "?" in url else "")


def from_client(
    base_url: str | None,
    api_version: str | None = None,
    deployment: str | None = None,
    headers: dict[str, str] | None = None,
    organization: str | None = None,
    project: str | None = None,
    azure: bool = False,
) -> Endpoint:
    """The endpoint of an SDK client: `OpenAI(base_url=...)` or `AzureOpenAI(...)`.

    `AzureOpenAI(azure_endpoint=E, azure_deployment=D)` sends to `E/openai/deployments/D`;
    without a deployment, to `E/openai` (openai-python `lib/azure.py`, checked 2026-11-30).
    """
    if azure and base_url and "/openai" not in urlsplit(base_url).path:
        base_url = base_url.rstrip("/") + "/openai"
        if deployment:
            base_url += f"/deployments/{deployment}"
    pairs = list((headers or {}).items())
    if organization:
        pairs.append(("OpenAI-Organization", organization))
    if project:
        pairs.append(("OpenAI-Project", project))
    url = base_url
    if url and api_version:
        url += ("&" if "?" in url else "?") + f"api-version={api_version}"
    out = from_request(url, pairs, "the code")
    out.notes = [n for n in out.notes if not n.startswith("URL ")]
    if out.profile is not None and (azure or is_azure(base_url)):
        out.profile = out.profile.model_copy(update={"auth": "api-key"})
    return out


ADD_UNDER_PROVIDERS = "Add it under Providers and store its key there (keys live in the OS keyring)"


def proposal_text(profile: ProviderProfile, action: str = ADD_UNDER_PROVIDERS) -> str:
    """One line that proposes `profile` to the user: where, how the key goes, what else,
    then `action` (what the user can do to take it)."""
    parts = [f"base URL {profile.effective_base_url}"]
    if profile.query:
        parts.append("query " + "&".join(f"{k}={v}" for k, v in profile.query.items()))
    parts.append("the key in an api-key header" if profile.auth == "api-key" else "a Bearer key")
    if profile.organization:
        parts.append(f"organization {profile.organization}")
    if profile.project:
        parts.append(f"project {profile.project}")
    if profile.headers:
        parts.append("headers " + ", ".join(profile.headers))
    return f"proposed provider profile '{profile.name}': {'; '.join(parts)}. {action}"


# What makes two profiles the same connection (a name is only a label).
CONNECTION_FIELDS = ("base_url", "query", "auth", "headers", "organization", "project")


def placement(
    profiles: list[ProviderProfile], proposal: ProviderProfile
) -> tuple[ProviderProfile, bool]:
    """Where an imported request goes among `profiles`: (a stored profile with the same
    connection settings, False), else (the proposal under a name no profile has, True)."""
    wanted = {k: getattr(proposal, k) for k in CONNECTION_FIELDS}
    for p in profiles:
        if {k: getattr(p, k) for k in CONNECTION_FIELDS} == wanted:
            return p, False
    taken = {p.name for p in profiles}
    n, name = 2, proposal.name
    while name in taken:
        name, n = f"{proposal.name} ({n})", n + 1
    return proposal.model_copy(update={"name": name}), True
