"""The one place that computes paths: platformdirs folders and the resources/ folder."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "playground"
APP_ID = "io.github.playground.Playground"
APP_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
"""resources/icons/app/playground-<N>.png exist for these N (packaging/make_icons.py)."""
PANEL_ICONS = ("run", "stop", "add", "delete", "up", "down", "copy", "image", "providers", "raw")
"""resources/icons/<name>.svg that the panels draw (ui/icons.py)."""


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def state_dir() -> Path:
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def settings_file() -> Path:
    return config_dir() / "settings.json"


def models_override_file() -> Path:
    """The user's model catalog override (the format of core/catalog.json), merged over it."""
    return config_dir() / "models.json"


def resources_dir() -> Path:
    """The resources folder: `playground/resources` inside an installed wheel or a PyInstaller
    bundle (pyproject.toml maps it there), else the top-level `resources/` beside the package in a
    checkout or an editable install."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "resources", here.parent / "resources"):
        if candidate.is_dir():
            return candidate
    return here / "resources"


def resource(name: str) -> Path:
    return resources_dir() / name
