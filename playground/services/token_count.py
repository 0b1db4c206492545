"""How many input tokens a request will bill, before it is sent.

In order:
1. "server": a Responses request on a provider that offers `POST /v1/responses/input_tokens`
   (spec 2.3.0 path /responses/input_tokens; SDK `client.responses.input_tokens.count`,
   checked 2026-11-30) is counted by the server: exact. A provider that answers 404 (other
   than `model_not_found`), 405 or cannot be reached does not offer it: that is remembered per
   profile for the session, and the count falls back.
2. "tiktoken": a local count with tiktoken's encoder, only when tiktoken is installed AND its
   encoding file is already in tiktoken's cache (tiktoken downloads encodings on first use;
   the app never triggers that download). An estimate: it cannot know the server's framing.
3. "characters": `core.token_estimate` at about four characters a token. An estimate.

Chat Completions has no count endpoint: it is always estimated. The client comes from
`OpenAIBackend.client` (the key travels in its header only); no SDK message is shown.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import importlib.util
import logging
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from playground.core import token_estimate
from playground.core.profiles import ProviderProfile
from playground.core.request import BuiltRequest
from playground.services.backend import OpenAIBackend
from playground.services.connection import Connections

log = logging.getLogger(__name__)

Method = Literal["server", "tiktoken", "characters"]

# What the count endpoint takes (TokenCountsBody): the rest of a Responses request (stream,
# store, sampling, limits, ...) does not change the input and the endpoint refuses it.
COUNT_KEYS = (
    "model",
    "input",
    "instructions",
    "tools",
    "tool_choice",
    "parallel_tool_calls",
    "text",
    "reasoning",
    "previous_response_id",
    "truncation",
    "conversation",
    "personality",
)
# tiktoken's encoding files and their SHA-256 (tiktoken 0.14.0, tiktoken_ext/openai_public.py).
# A cached file with another hash would make tiktoken download it again: it is not used.
ENCODINGS = {
    "o200k_base": (
        "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
        "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    ),
    "cl100k_base": (
        "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
        "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    ),
}
COUNT_TIMEOUT_S = 10.0


@dataclass(frozen=True, slots=True)
class TokenCount:
    """`tokens` input tokens; `exact` only when the server counted them (`method`)."""

    tokens: int
    exact: bool
    method: Method

    @property
    def label(self) -> str:
        """ "1,234 input tokens", or "~1,234 input tokens (estimate)"."""
        noun = "input token" if self.tokens == 1 else "input tokens"
        if self.exact:
            return f"{self.tokens:,} {noun}"
        return f"~{self.tokens:,} {noun} (estimate)"


class TokenCounter:
    """Counts requests' input tokens; remembers, per profile name, which providers do not
    offer the count endpoint (for the session: a new TokenCounter asks again)."""

    def __init__(
        self,
        connections: Connections,
        backend: OpenAIBackend | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self._connections = connections
        self._backend = backend or OpenAIBackend()
        self._env = env
        self._refused: set[tuple[str, str]] = set()  # (profile name, base URL)

    async def count(self, built: BuiltRequest, profile: ProviderProfile | None) -> TokenCount:
        """The input tokens of `built` on `profile`: by the server when it can, else an
        estimate (always, with no profile). Never raises for a server's answer; cancelling
        it cancels the request."""
        if built.api == "responses" and profile is not None and self.offers(profile):
            found = await self._server_count(built, profile)
            if found is not None:
                return found
        return await asyncio.to_thread(local_count, built, self._env)

    async def _server_count(
        self, built: BuiltRequest, profile: ProviderProfile
    ) -> TokenCount | None:
        resolved, key = await self._connections.resolve(profile)
        if resolved.needs_key and not key:
            return None  # nothing to ask with; not a fact about the server
        openai = await asyncio.to_thread(importlib.import_module, "openai")  # not on the UI thread
        client = self._backend.client(resolved, key).with_options(
            max_retries=0, timeout=COUNT_TIMEOUT_S
        )
        args = {k: built.kwargs[k] for k in COUNT_KEYS if k in built.kwargs}
        try:
            # The body goes as extra_body: it is already plain JSON, and the SDK's walk over
            # typed parameters costs about 0.4 s of the window's thread for a 5 MB input.
            result = await client.responses.input_tokens.count(extra_body=args)
        except openai.NotFoundError as exc:
            if _code(exc) != "model_not_found":
                self._not_offered(profile, "404")
            return None
        except openai.APIConnectionError:  # includes timeouts
            self._not_offered(profile, "no connection")
            return None
        except openai.APIStatusError as exc:
            if exc.status_code == 405:
                self._not_offered(profile, "405")
            return None
        except (openai.OpenAIError, ValueError):  # an answer the SDK could not read
            return None
        tokens = getattr(result, "input_tokens", None)
        if not isinstance(tokens, int) or isinstance(tokens, bool) or tokens < 0:
            return None
        return TokenCount(tokens, True, "server")

    def offers(self, profile: ProviderProfile) -> bool:
        """False once `profile` (as configured now: a changed base URL asks again) was found
        not to offer POST /responses/input_tokens in this session."""
        return (profile.name, profile.effective_base_url) not in self._refused

    def _not_offered(self, profile: ProviderProfile, why: str) -> None:
        log.info("token count endpoint not offered by %s (%s)", profile.name, why)
        self._refused.add((profile.name, profile.effective_base_url))

    async def aclose(self) -> None:
        await self._backend.aclose()


def _code(exc: Any) -> str | None:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        code = inner.get("code") if isinstance(inner, dict) else None
        return code if isinstance(code, str) else None
    return None


# -- local counts --------------------------------------------------------------------------


def local_count(built: BuiltRequest, env: Mapping[str, str] | None = None) -> TokenCount:
    """An estimate of `built`'s input tokens: tiktoken's when its encoding is cached,
    else characters. Blocks (reads and hashes a file): call it off the UI thread."""
    model = str(built.kwargs.get("model") or "")
    encoder = tiktoken_encoder(model, env)
    if encoder is not None:
        try:
            tokens = token_estimate.estimate(built.api, built.kwargs, encoder)
        except (ValueError, TypeError):  # tiktoken refused a text
            tokens = None
        if tokens is not None:
            return TokenCount(tokens, False, "tiktoken")
    return TokenCount(token_estimate.estimate(built.api, built.kwargs), False, "characters")


def cached_encoding(name: str, env: Mapping[str, str] | None = None) -> Path | None:
    """Where tiktoken keeps encoding `name`, when it is there with the right hash; None
    otherwise (then tiktoken would download it). Mirrors tiktoken.load.read_file_cached:
    TIKTOKEN_CACHE_DIR, else DATA_GYM_CACHE_DIR, else <temp dir>/data-gym-cache; "" turns
    the cache off; the file is named by the SHA-1 of the encoding's URL."""
    known = ENCODINGS.get(name)
    if known is None:
        return None
    url, sha256 = known
    env = os.environ if env is None else env
    if "TIKTOKEN_CACHE_DIR" in env:
        folder = env["TIKTOKEN_CACHE_DIR"]
    elif "DATA_GYM_CACHE_DIR" in env:
        folder = env["DATA_GYM_CACHE_DIR"]
    else:
        folder = os.path.join(tempfile.gettempdir(), "data-gym-cache")
    if not folder:
        return None
    path = Path(folder) / hashlib.sha1(url.encode()).hexdigest()  # tiktoken names it so
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return path if hashlib.sha256(data).hexdigest() == sha256 else None


_encoders: dict[tuple[str, Path], Any] = {}


def tiktoken_encoder(
    model: str, env: Mapping[str, str] | None = None
) -> token_estimate.Measure | None:
    """A token measure from tiktoken for `model`, or None: tiktoken not installed, or its
    encoding not cached (never downloads)."""
    if importlib.util.find_spec("tiktoken") is None:
        return None
    try:
        tiktoken: Any = importlib.import_module("tiktoken")
        try:
            name = str(tiktoken.encoding_name_for_model(model))
        except KeyError:  # models tiktoken does not list: the current models' encoding
            name = "o200k_base"
    except ImportError:
        return None
    path = cached_encoding(name, env)
    if path is None:
        return None
    encoding = _encoders.get((name, path))
    if encoding is None:
        try:
            encoding = tiktoken.get_encoding(name)
        except (OSError, ValueError, KeyError) as exc:  # a cache it cannot read
            log.info("tiktoken encoding %s unusable: %s", name, type(exc).__name__)
            return None
        _encoders[(name, path)] = encoding

    def measure(text: str) -> int:
        return len(encoding.encode(text, disallowed_special=()))

    return measure
