"""Help > About and Help > Copy diagnostics: the versions, and a report for a bug report.

The report holds the self-test's checks that can run beside the open window (Qt's platform,
the keyring, the model catalog: the request and window checks would start a second app) and
what the app is set up with: folders, provider profiles by name, kind and endpoint. It never
holds a key: no header or query value is written, and the whole text goes through the log's
redaction (every key the key store has handled, sk- keys, key=... and bearer values).
"""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtGui import QGuiApplication

from playground import __version__, paths
from playground.core.profiles import ProviderProfile, base_url_problem
from playground.services.logs import redact
from playground.ui.selftest import Check, check_catalog

DIST = "openai-playground-desktop"
"""The distribution's name in pyproject.toml."""


@dataclass(frozen=True)
class Facts:
    """What the composition root knows that the report needs."""

    settings_path: Path
    data_dir: Path
    keyring: str
    """The key store's backend, as the user knows it."""
    keyring_secure: bool


def versions() -> list[tuple[str, str]]:
    """(name, version) of the app, Qt, PySide6, the openai SDK and Python."""
    try:
        sdk = metadata.version("openai")
    except metadata.PackageNotFoundError:
        sdk = "not installed"
    return [
        ("Playground", __version__),
        ("Qt", qVersion()),
        ("PySide6", pyside_version),
        ("openai SDK", sdk),
        ("Python", platform.python_version()),
    ]


def report(facts: Facts, profiles: list[ProviderProfile], tabs: int) -> str:
    """The diagnostics text (see the module docstring)."""
    lines = [f"Playground {__version__} diagnostics"]
    lines += [f"{name}: {version}" for name, version in versions()]
    lines.append(f"System: {platform.platform()} ({sys.platform})")
    app = QGuiApplication.instance()
    name = app.platformName() if isinstance(app, QGuiApplication) else "none"  # type: ignore[attr-defined]
    checks = [
        Check("Qt", True, f"platform plugin {name} (running)"),
        Check("keyring", True, facts.keyring, warning=not facts.keyring_secure),
        check_catalog(),
    ]
    lines += ["", "Self-test checks that run beside the window:"]
    lines += [check.line() for check in checks]
    lines += [
        "",
        f"Settings file: {facts.settings_path}",
        f"Data folder: {facts.data_dir}",
        f"Log folder: {paths.log_dir()}",
        f"Open tabs: {tabs}",
        "Provider profiles:",
    ]
    lines += [f"  {p.name} ({p.kind}): {_endpoint(p)}" for p in profiles]
    return redact("\n".join(lines)) + "\n"


def _endpoint(profile: ProviderProfile) -> str:
    """The profile's base URL without its query or user info (they may carry credentials)."""
    if profile.kind == "simulator":
        return "built in (a local server on 127.0.0.1, started when needed)"
    if base_url_problem(profile.base_url) is not None:
        return "not a usable URL (see Providers)"
    parts = urlsplit(profile.effective_base_url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"
