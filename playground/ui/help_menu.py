"""Help: Keyboard shortcuts (a searchable sheet), Documentation (the README), Copy diagnostics
(the self-test report, without secrets) and About (the versions)."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMessageBox

from playground import __version__, paths
from playground.ui.actions import make_action
from playground.ui.diagnostics import DIST, Facts, report, versions
from playground.ui.shortcuts_sheet import ShortcutsSheet
from playground.ui.widgets.common import html_text

if TYPE_CHECKING:
    from playground.ui.main_window import MainWindow

std = QKeySequence.StandardKey


class HelpMenu(QObject):
    """See the module docstring."""

    def __init__(self, window: MainWindow, facts: Facts) -> None:
        super().__init__(window)
        self.window = window
        self.facts = facts
        self.sheet: ShortcutsSheet | None = None
        self.about_box: QMessageBox | None = None
        self.menu = menu = window.menuBar().addMenu("&Help")
        menu.setToolTipsVisible(True)
        self.shortcuts = make_action(
            window, "&Keyboard shortcuts", "Every action and its keys, searchable",
            self.show_shortcuts, [std.HelpContents, "Ctrl+/"],
        )  # fmt: skip
        self.documentation = make_action(
            window, "&Documentation", "Open the README: features, files, keys and shortcuts",
            self.open_documentation,
        )  # fmt: skip
        self.diagnostics = make_action(
            window, "Copy &diagnostics",
            "Copy a report for a bug report to the clipboard: versions, checks, folders "
            "(never a key)",
            self.copy_diagnostics,
        )  # fmt: skip
        self.about = make_action(
            window, "&About Playground", "The versions of Playground, Qt, PySide6, the SDK "
            "and Python", self.show_about,
        )  # fmt: skip
        self.about.setMenuRole(self.about.MenuRole.AboutRole)
        menu.addActions([self.shortcuts, self.documentation])
        menu.addSeparator()
        menu.addActions([self.diagnostics, self.about])

    def show_shortcuts(self) -> None:
        if self.sheet is None:
            self.sheet = ShortcutsSheet(self.window)
        self.sheet.refresh()
        self.sheet.show()
        self.sheet.raise_()
        self.sheet.activateWindow()
        self.sheet.filter.setFocus()

    def open_documentation(self) -> None:
        url = documentation_url()
        if url.isEmpty() or not QDesktopServices.openUrl(url):
            self.window.show_banner("⚠ No documentation was found in this installation.")

    def copy_diagnostics(self) -> None:
        documents = self.window.documents
        tabs = len(documents.docs) if documents is not None else 0
        text = report(self.facts, self.window.profiles, tabs)
        QGuiApplication.clipboard().setText(text)
        self.window.statusBar().showMessage("Copied: the diagnostics are on the clipboard", 4000)

    def show_about(self) -> None:
        rows = "".join(
            f"<tr><td>{html_text(name)}</td><td>&nbsp;{html_text(version)}</td></tr>"
            for name, version in versions()
        )
        box = QMessageBox(self.window)
        box.setWindowTitle("About Playground")
        box.setIconPixmap(QGuiApplication.windowIcon().pixmap(64, 64))
        box.setText(
            f"<b>Playground {html_text(__version__)}</b><br>A desktop playground for the "
            f"OpenAI API, with an offline simulator.<br><br><table>{rows}</table>"
        )
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.open()
        self.about_box = box


def documentation_url() -> QUrl:
    """The README: beside the package in a checkout; in an installed app, the one its
    metadata carries (written to the cache folder), else its project URL; empty if none."""
    readme = Path(__file__).resolve().parents[2] / "README.md"
    if readme.is_file():
        return QUrl.fromLocalFile(str(readme))
    try:
        meta = metadata.metadata(DIST)
    except metadata.PackageNotFoundError:
        return QUrl()
    text = meta.get_payload()  # type: ignore[attr-defined]
    if isinstance(text, str) and text.strip():
        target = paths.cache_dir() / "README.md"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            return QUrl.fromLocalFile(str(target))
        except OSError:
            pass
    for entry in meta.get_all("Project-URL") or []:
        return QUrl(entry.split(",", 1)[-1].strip())
    return QUrl()
