"""What the headless commands share: stderr, exit codes, and the settings as the CLI reads them.

The settings file is opened once per command (`open_cli_settings`); what opening it found (a
file moved aside, a file used read-only) is printed on stderr once, so that a later "profile
not in settings" is not a mystery.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playground.core.profiles import ProviderProfile
    from playground.services.settings import SettingsFile

EXIT_OK, EXIT_INVALID, EXIT_TOOL_CALLS, EXIT_API, EXIT_LENGTH = 0, 2, 3, 4, 5


def err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


@dataclass
class CliSettings:
    """The settings file as one command read it: where it is and what `open_settings` found."""

    path: Path
    opened: SettingsFile

    @property
    def degraded(self) -> bool:
        """The file was not used as written (moved aside, or kept read-only)."""
        return self.opened.read_only or self.opened.moved_to is not None

    def names(self) -> str:
        return ", ".join(repr(p.name) for p in self.opened.settings.profiles)


def open_cli_settings() -> CliSettings:
    """Open this machine's settings and print what opening them found on stderr (once: call
    this once per command). Keys an older version left in profile headers are not moved by
    the CLI (the window does that); they are not sent, and the note says so."""
    from playground import paths
    from playground.services.settings import open_settings

    path = paths.settings_file()
    opened = open_settings(path)
    if opened.found_keys:
        names = ", ".join(f"{k.profile}: {k.header}" for k in opened.found_keys)
        err(
            f"note: the settings file {path} holds keys in extra headers ({names}); they are "
            "not sent. Open Playground's window once: it moves them to the OS keyring."
        )
    elif opened.notice:
        err(f"note: {opened.notice}")
    return CliSettings(path, opened)


class NoProfile(Exception):
    """The profile the run names is not in this machine's settings; the message says why."""


def base_url_problem(url: str) -> str | None:
    """Why `url` cannot be a --base-url (core.profiles.base_url_problem), or None."""
    from playground.core.profiles import base_url_problem as problem_of

    problem = problem_of(url)
    return None if problem is None else f"--base-url: {problem}, e.g. http://localhost:8000/v1"


def choose_profile(
    args: argparse.Namespace, ws_profile: str, settings: CliSettings | None
) -> ProviderProfile:
    """The profile to run on: --profile, else the workspace's; --base-url alone is an ad-hoc
    "custom endpoint <url>" (never the simulator, never a stored profile's key). `settings`
    may be None only for the ad-hoc case."""
    from playground.core.profiles import ProviderProfile, profile_problem

    if args.base_url and not args.profile:
        return ProviderProfile(name=f"custom endpoint {args.base_url}", base_url=args.base_url)
    assert settings is not None
    name = args.profile or ws_profile
    profile = settings.opened.settings.profile(name)
    if profile is None:
        if args.profile:
            head = f"the provider profile {name!r} given with --profile is not in this machine's "
        else:
            head = (
                f"{args.workspace}: the workspace's provider profile {name!r} is not in this "
                "machine's "
            )
        head += f"settings ({settings.path})"
        if settings.degraded:
            head += ", which could not be used as written (see the note above)"
        head += f"; the profiles there: {settings.names()}. "
        if args.profile:
            raise NoProfile(head + "Or send to an endpoint with --base-url URL.")
        raise NoProfile(
            head + "Name one with --profile, or send to an endpoint with --base-url URL."
        )
    if not args.base_url and (problem := profile_problem(profile)):
        raise NoProfile(f"the provider profile {name!r} cannot be used: {problem}")
    if args.base_url:
        kind = "custom" if profile.kind == "simulator" else profile.kind
        profile = profile.model_copy(update={"base_url": args.base_url, "kind": kind})
    return profile
