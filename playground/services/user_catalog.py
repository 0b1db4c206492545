"""The user's catalog override, `<config dir>/models.json`, loaded at app and CLI start."""

from __future__ import annotations

from pathlib import Path

from playground.core import catalog


def load_user_catalog(path: Path) -> str | None:
    """Merge the override file at `path` over the shipped catalog (a missing file is none).

    Returns None when the file was used or there is none; otherwise what is wrong with it, for
    the user, naming the file, line and column ("<path>:3:14: models/0/id: ..."), and the
    shipped catalog is used alone."""
    try:
        catalog.load_override(path)
    except catalog.CatalogError as exc:
        catalog.load_override(None)
        return f"Your model catalog file was not used; the shipped catalog is used alone. {exc}"
    return None
