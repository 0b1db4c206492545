"""The folder each kind of file dialog opens in: the last one the user chose for that kind
(kept in the settings' `folders`), so Save, Open, Import and Export each go back where they were.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from playground.services.settings import Settings

KINDS = ("open", "save", "import", "export", "export-runs", "test-set", "attach")
"""open/save: workspaces; import: requests to import; export: the Code tab's code; export-runs:
the history's runs; test-set: test sets imported and exported (both ways: one folder);
attach: images and files attached to messages."""

# where a kind with no folder of its own starts: the other side of the same files first
_FALLBACK = {"open": ("save",), "save": ("open",), "export-runs": ("export",)}


class RecentFolders:
    """Reads and records `settings().folders`; `save()` writes the settings after a change."""

    def __init__(self, settings: Callable[[], Settings], save: Callable[[], None]) -> None:
        self._settings = settings
        self._save = save

    def folder(self, kind: str) -> str:
        """The folder to open a `kind` dialog in: its last one, else a related kind's, else
        the home folder; a folder that no longer exists is passed over."""
        folders = self._settings().folders
        for name in (kind, *_FALLBACK.get(kind, ())):
            text = folders.get(name)
            if text and Path(text).is_dir():
                return text
        return str(Path.home())

    def remember(self, kind: str, chosen: str | Path) -> None:
        """The user chose `chosen` (a file, or a folder) in a `kind` dialog: its folder is the
        next one's start."""
        path = Path(chosen)
        folder = str(path if path.is_dir() else path.parent)
        settings = self._settings()
        if settings.folders.get(kind) == folder:
            return
        settings.folders = {**settings.folders, kind: folder}
        self._save()


def folders_of(widget: QWidget) -> RecentFolders | None:
    """The window's RecentFolders (None in a window the app did not compose)."""
    return getattr(widget.window(), "folders", None)


def dialog_folder(widget: QWidget, kind: str) -> str:
    """The folder a `kind` file dialog opened from `widget` starts in."""
    folders = folders_of(widget)
    return folders.folder(kind) if folders is not None else str(Path.home())


def document_folder(widget: QWidget, kind: str, document: str | Path | None) -> str:
    """The folder a dialog for a file that goes with a workspace starts in (its report,
    exported results, its test set): the workspace file's folder when the tab is saved to
    one, else the last `kind` folder (dialog_folder)."""
    if document:
        folder = Path(document).parent
        if folder.is_dir():
            return str(folder)
    return dialog_folder(widget, kind)


def remember(widget: QWidget, kind: str, chosen: str | Path) -> None:
    folders = folders_of(widget)
    if folders is not None:
        folders.remember(kind, chosen)
