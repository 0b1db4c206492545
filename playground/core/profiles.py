"""Provider profiles: where requests go (OpenAI, the offline simulator, any compatible server)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

OPENAI = "OpenAI"
SIMULATOR = "Offline simulator"
DEFAULT_BASE_URL = "https://api.openai.com/v1"


class ProviderProfile(BaseModel):
    """Connection settings of one provider. The key is never part of a profile: it lives in
    the OS keyring under the profile's name."""

    model_config = ConfigDict(extra="forbid")

    name: str
    kind: Literal["openai", "simulator", "custom"] = "custom"
    base_url: str | None = None
    organization: str | None = None
    project: str | None = None
    headers: dict[str, str] = Field(default_factory=dict)
    timeout: float = 600.0
    max_retries: int = 2

    @property
    def effective_base_url(self) -> str:
        return self.base_url or DEFAULT_BASE_URL

    @property
    def needs_key(self) -> bool:
        return self.kind != "simulator"


def builtin_profiles() -> list[ProviderProfile]:
    return [
        ProviderProfile(name=OPENAI, kind="openai"),
        ProviderProfile(name=SIMULATOR, kind="simulator"),
    ]
