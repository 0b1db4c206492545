"""Export and import in the window: the Code tab, File > Import, and pasting a request."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QFileDialog

from playground.core.export import export
from playground.core.import_sources import import_text
from playground.core.importer import ImportRefused, ImportResult
from playground.core.profiles import ProviderProfile
from playground.services.files import atomic_write
from playground.ui.widgets.code_view import CodeView

if TYPE_CHECKING:
    from playground.ui.main_window import MainWindow


class RequestExchange(QObject):
    """Keeps the Code tab current and brings imported requests into the window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.view = CodeView()
        window.side.addTab(self.view, "Code")
        window.side.currentChanged.connect(lambda _i: self.refresh())
        self.view.options_changed.connect(self.refresh)
        self.view.save_requested.connect(self._on_save)
        menu = window.file_menu
        for text, keys, slot, tip in (
            (
                "&Import request…",
                "Ctrl+I",
                self.open_import,
                "Import a JSON body, curl command or Python file",
            ),
            (
                "&Paste request",
                "Ctrl+Shift+V",
                self.paste,
                "Import the request on the clipboard (JSON, curl or Python)",
            ),
            ("Show &code", "Ctrl+Shift+C", self.show_code, "The request as Python, curl or JSON"),
        ):
            action = QAction(text, window)
            action.setShortcut(QKeySequence(keys))
            action.setToolTip(tip)
            action.triggered.connect(slot)
            menu.addAction(action)

    def refresh(self) -> None:
        """Regenerate the code when the Code tab is showing."""
        if self.window.side.currentWidget() is not self.view:
            return
        view = self.view
        ws = self.window.ws
        text = export(
            ws,
            view.current_format(),
            self.window.current_profile(),
            tool_loop=view.tool_loop.isChecked(),
            pydantic=view.pydantic.isChecked(),
        )
        view.set_code(text)

    def show_code(self) -> None:
        self.window.side.setCurrentWidget(self.view)
        self.refresh()

    def paste(self) -> None:
        self.import_from(QGuiApplication.clipboard().text(), "the clipboard")

    def open_import(self) -> None:
        dialog = QFileDialog(
            self.window,
            "Import a request",
            str(Path.home()),
            "Requests (*.json *.sh *.txt *.py *.curl);;All files (*)",
        )
        dialog.fileSelected.connect(self._on_file_chosen)
        dialog.open()

    def import_from(self, text: str, source: str) -> ImportResult | None:
        """Import `text`; say what happened in the banner, never in a modal dialog."""
        try:
            result = import_text(text)
        except ImportRefused as exc:
            self.window.show_banner(f"⚠ <b>Could not import from {source}:</b> {_html(str(exc))}")
            return None
        ws = result.workspace
        if result.profile is not None:
            ws = ws.model_copy(update={"profile": self._profile_for(result.profile).name})
        else:
            ws = ws.model_copy(update={"profile": self.window.current_profile().name})
        self.window.load(ws)
        notes = "".join(f"<li>{_html(n)}</li>" for n in result.notes)
        head = f"Imported a {result.kind} request from {source}."
        self.window.show_banner(head + (f"<ul>{notes}</ul>" if notes else " Nothing was left out."))
        return result

    def _profile_for(self, imported: ProviderProfile) -> ProviderProfile:
        for profile in self.window.profiles:
            if profile.base_url == imported.base_url and profile.headers == imported.headers:
                return profile
        host = urlparse(imported.base_url or "").netloc or "api.openai.com"
        profile = imported.model_copy(update={"name": f"Imported ({host})"})
        profiles = [p for p in self.window.profiles if p.name != profile.name] + [profile]
        self.window.set_profiles(profiles)
        self.window._on_profiles_changed(profiles)
        return profile

    def _on_file_chosen(self, path: str) -> None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.window.show_banner(f"⚠ <b>Could not read {_html(path)}:</b> {_html(str(exc))}")
            return
        self.import_from(text, Path(path).name)

    def _on_save(self, path: str, text: str) -> None:
        try:
            atomic_write(Path(path), text)
        except OSError as exc:
            self.window.show_banner(f"⚠ <b>Could not save {_html(path)}:</b> {exc.strerror}")


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
