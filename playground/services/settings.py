"""The settings file: provider profiles and preferences, typed and versioned (no secrets)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from playground.core.ordered_json import dumps
from playground.core.profiles import ProviderProfile, builtin_profiles
from playground.services.files import atomic_write

SETTINGS_VERSION = 1


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore")

    schema_version: int = SETTINGS_VERSION
    profiles: list[ProviderProfile] = Field(default_factory=builtin_profiles)
    last_profile: str | None = None
    banner_dismissed: bool = False

    def profile(self, name: str) -> ProviderProfile | None:
        return next((p for p in self.profiles if p.name == name), None)


def load_settings(path: Path) -> Settings:
    """The settings at `path`; defaults when missing or unreadable (the file is left alone)."""
    try:
        settings = Settings.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError):
        return Settings()
    names = {p.name for p in settings.profiles}
    settings.profiles += [p for p in builtin_profiles() if p.name not in names]
    return settings


def save_settings(path: Path, settings: Settings) -> None:
    atomic_write(path, dumps(settings))  # sorted own keys; headers keep the user's order
