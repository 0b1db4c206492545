"""The settings file: provider profiles and preferences, typed and versioned (no secrets).

A file this version cannot fully read is never lost: unknown fields (top level and in each
profile) are kept and written back; a file from a newer Playground (`schema_version` above
SETTINGS_VERSION) or one that does not validate is used read-only and never overwritten; a
file that is not JSON at all is moved aside (renamed with a timestamp) before defaults are used.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from playground.core.ordered_json import dumps
from playground.core.profiles import ProviderProfile, builtin_profiles, credential_headers
from playground.services.files import atomic_write

SETTINGS_VERSION = 1


class Settings(BaseModel):
    # extra="allow": fields a newer Playground wrote round-trip through every save.
    model_config = ConfigDict(extra="allow")

    schema_version: int = SETTINGS_VERSION
    profiles: list[ProviderProfile] = Field(default_factory=builtin_profiles)
    last_profile: str | None = None
    theme: str = "system"  # View > Theme: "system", "light" or "dark" (anything else: system)
    zoom_percent: int = 100  # View > Zoom of the conversation and the editors
    banner_dismissed: bool = False
    folders: dict[str, str] = Field(default_factory=dict)
    """The folder each kind of file dialog was last used in: open, save, import, export,
    export-runs (workspaces, requests, code, history runs), so the next one starts there."""

    def profile(self, name: str) -> ProviderProfile | None:
        return next((p for p in self.profiles if p.name == name), None)


@dataclass
class SettingsFile:
    """What opening the settings file found.

    `read_only`: the file is kept as it is (newer or unreadable by this version); saves are
    refused. `notice`: one sentence for the window's banner, naming the file (None when the
    file was read in full). `moved_to`: where a file that was not JSON was set aside.
    `found_keys`: keys found in profile headers (already dropped from `settings`).
    """

    settings: Settings
    read_only: bool = False
    notice: str | None = None
    moved_to: Path | None = None
    found_keys: tuple[FoundKey, ...] = ()


@dataclass(frozen=True)
class FoundKey:
    """A key an older version let into a profile's headers: (profile, header, value). The
    value must go to the keyring (see `key_and_style`) and the file be saved without it."""

    profile: str
    header: str
    value: str

    def key_and_style(self) -> tuple[str, str] | None:
        """(key, auth style) that sends the key the way the header did, or None when no
        auth style can (x-api-key, Ocp-Apim-Subscription-Key: only dropped)."""
        name = self.header.lower()
        if name == "authorization" and self.value.lower().startswith("bearer "):
            return self.value[7:].strip(), "bearer"
        if name == "api-key":
            return self.value.strip(), "api-key"
        return None


def set_aside_entry(profile: str, header: str) -> str:
    """The keyring entry (user name under the service `playground-openai`) that keeps a key an
    older version stored in a profile's header, when it cannot become the profile's key."""
    return f"{profile} / {header}"


class SettingsReadOnly(Exception):
    """The settings file on disk must not be overwritten by this version; the message says why."""


def _with_builtins(settings: Settings) -> Settings:
    names = {p.name for p in settings.profiles}
    settings.profiles += [p for p in builtin_profiles() if p.name not in names]
    return settings


def _set_aside(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.unreadable-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.unreadable-{stamp}-{n}")
    path.rename(target)
    return target


def _keys_in_headers(data: dict[str, Any]) -> list[FoundKey]:
    found = []
    for profile in data.get("profiles") or []:
        if isinstance(profile, dict) and isinstance(profile.get("headers"), dict):
            headers = profile["headers"]
            for name in credential_headers(headers):
                value = headers[name]
                if isinstance(value, str) and isinstance(profile.get("name"), str):
                    found.append(FoundKey(profile["name"], name, value))
    return found


def open_settings(path: Path) -> SettingsFile:
    """Read the settings at `path` (see the module docstring for what is never lost).

    A missing file gives defaults. Not JSON or not an object: moved aside, defaults, a notice
    naming where it went. Newer schema_version or fields that do not validate: read-only, with
    what could be read (else defaults) and a notice. Credential headers found in a profile
    (written by an older version) are dropped, and the notice says so.
    """
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        return SettingsFile(_with_builtins(Settings()))
    except OSError as exc:
        return SettingsFile(
            _with_builtins(Settings()),
            read_only=True,
            notice=f"The settings file {path} cannot be read ({exc.strerror or 'no access'}); "
            "it is left as it is and changes to settings are not saved.",
        )
    except ValueError:  # not UTF-8 (UnicodeDecodeError), or not JSON
        data = None
    if not isinstance(data, dict):
        try:
            moved = _set_aside(path)
        except OSError as exc:
            return SettingsFile(
                _with_builtins(Settings()),
                read_only=True,
                notice=f"The settings file {path} is not valid JSON and cannot be moved aside "
                f"({exc.strerror or 'no access'}); it is left as it is and changes to "
                "settings are not saved.",
            )
        return SettingsFile(
            _with_builtins(Settings()),
            notice=f"The settings file was not valid JSON; it was moved to {moved} and "
            "default settings are used.",
            moved_to=moved,
        )
    version = data.get("schema_version", SETTINGS_VERSION)
    newer = not isinstance(version, int) or version > SETTINGS_VERSION
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        where = ".".join(str(p) for p in exc.errors()[0]["loc"]) or "(top level)"
        return SettingsFile(
            _with_builtins(Settings()),
            read_only=True,
            notice=f"The settings file {path} has a value this version cannot read ({where}); "
            "it is left as it is, default settings are used and changes are not saved.",
        )
    if newer:
        return SettingsFile(
            _with_builtins(settings),
            read_only=True,
            notice=f"The settings file {path} was written by a newer Playground "
            f"(schema_version {version}); it is used read-only and changes are not saved.",
        )
    found = _keys_in_headers(data)
    notice = None
    if found:
        names = ", ".join(f"{k.profile}: {k.header}" for k in found)
        notice = (
            f"The settings file {path} held keys in extra headers ({names}). Keys live in the "
            "keyring only: they are removed from the file and kept in the keyring. An "
            "Authorization (Bearer) or api-key header becomes the profile's key when it has "
            "none, and the profile's auth style follows; any other is kept under the keyring "
            "entry 'PROFILE / HEADER' and is not sent."
        )
    return SettingsFile(_with_builtins(settings), notice=notice, found_keys=tuple(found))


def load_settings(path: Path) -> Settings:
    """The settings at `path`, as open_settings reads them."""
    return open_settings(path).settings


def _refusal(path: Path) -> str | None:
    """Why the file now at `path` must not be replaced, or None."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return f"{path} cannot be read as JSON; it is left as it is"
    if not isinstance(data, dict):
        return f"{path} is not a settings object; it is left as it is"
    version = data.get("schema_version", SETTINGS_VERSION)
    if not isinstance(version, int) or version > SETTINGS_VERSION:
        return f"{path} was written by a newer Playground (schema_version {version})"
    try:
        Settings.model_validate(data)
    except ValidationError:
        return f"{path} has values this version cannot read; it is left as it is"
    return None


def save_settings(path: Path, settings: Settings) -> None:
    """Write `settings` atomically, unless the file on disk is one this version must not
    replace (newer, or not fully readable): then SettingsReadOnly, and the file is unchanged."""
    refusal = _refusal(path)
    if refusal is not None:
        raise SettingsReadOnly(refusal)
    # sorted own keys; headers keep the user's order; owner-only (profiles, folders)
    atomic_write(path, dumps(settings), private=True)
