"""Export and import in the window: the Code tab, File > Import, and pasting a request."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QFileDialog

from playground.core import variables
from playground.core.export import export
from playground.core.export_client import key_env
from playground.core.import_profile import placement
from playground.core.import_sources import import_text
from playground.core.importer import ImportRefused, ImportResult
from playground.core.profiles import ProviderProfile
from playground.core.reasoning_items import reasoning_item
from playground.core.workspace import Workspace
from playground.services.files import atomic_write
from playground.ui.folders import dialog_folder, remember
from playground.ui.views.compare_mode import compare_program
from playground.ui.widgets.code_view import CodeView
from playground.ui.widgets.common import html_text
from playground.ui.widgets.provider_box import missing_text

if TYPE_CHECKING:
    from playground.ui.documents import Tab
    from playground.ui.main_window import MainWindow


class RequestExchange(QObject):
    """Keeps the Code tab current and brings imported requests into the window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.view = CodeView()
        window.add_side_tab(self.view, "Code", "The request as Python, curl or JSON")
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
        profile = self.window.current_profile()
        text = export(
            ws,
            view.current_format(),
            profile,
            tool_loop=view.tool_loop.isChecked(),
            pydantic=view.pydantic.isChecked(),
            # exactly what Run sends to this provider (its learned rules included)
            target=self.window.runs.target(profile, ws),
            keep_variables=view.keep_variables.isChecked(),
        )
        compare = ws.mode == "compare" and view.current_format() == "python"
        program = compare_program(ws, self.window.profiles) if compare else None
        tokens = [
            str(m.item["encrypted_content"])
            for m in ws.messages
            if reasoning_item(m) is not None and m.item and m.item.get("encrypted_content")
        ]
        view.set_code(program or text, key_env(profile), hidden=tokens)
        if program:  # Compare mode: the program that runs every variant at once
            view.hint.setText(
                f"Runs the {len(ws.variants)} variants at once and prints their figures; "
                f"the key comes from {key_env(profile)}."
            )
        keep = view.keep_variables.isChecked() and view.current_format().startswith("python")
        unfilled = [] if keep else variables.names_without_value(ws)
        if unfilled:  # the code would carry the template, not the request Run sends
            named = ", ".join("{{" + name + "}}" for name in unfilled)
            view.hint.setText(
                f"{named} has no value, so this code sends it as written (Run refuses it): "
                "give it a value under Variables, or tick Keep variables (Python)."
            )
        missing = self.window.provider.missing()
        if missing:  # the code cannot name an endpoint it does not know
            view.hint.setText(f"{missing_text(missing)}. Until then this code uses {profile.name}.")

    def show_code(self) -> None:
        self.window.side.setCurrentWidget(self.view)
        self.refresh()

    def paste(self) -> None:
        self.import_from(QGuiApplication.clipboard().text(), "the clipboard")

    def open_import(self) -> None:
        dialog = QFileDialog(
            self.window,
            "Import a request",
            dialog_folder(self.window, "import"),
            "Requests (*.json *.sh *.txt *.py *.curl);;All files (*)",
        )
        dialog.fileSelected.connect(self._on_file_chosen)
        dialog.open()

    def import_from(self, text: str, source: str) -> ImportResult | None:
        """Import `text`; say what happened in the banner, never in a modal dialog.

        A request sent elsewhere proposes a provider profile: a profile with the same
        connection settings is used; otherwise the banner offers to add it, and nothing is
        added until the user accepts.
        """
        try:
            result = import_text(text)
        except ImportRefused as exc:
            self._notify(f"⚠ <b>Could not import from {source}:</b> {html_text(str(exc))}")
            return None
        proposal = result.profile
        offer, new = placement(self.window.profiles, proposal) if proposal else (None, False)
        existing = offer if proposal is not None and not new else None
        profile = existing or self.window.current_profile()
        if proposal is not None and existing is None:
            # sent elsewhere: until the user adds that profile, Run stays on the simulator
            profile = next((p for p in self.window.profiles if p.kind == "simulator"), profile)
        self._place(result.workspace.model_copy(update={"profile": profile.name}), result.kind)
        notes = "".join(f"<li>{html_text(n)}</li>" for n in result.notes)
        head = f"Imported a {result.kind} request from {source}."
        if existing is not None:
            head += f" It uses the provider profile <b>{html_text(existing.name)}</b>."
        html = head + (f"<ul>{notes}</ul>" if notes else " Nothing was left out.")
        if offer is None or existing is not None:
            self._notify(html)
            return result
        html = (
            f"{head} It was sent to <b>{html_text(_endpoint(offer))}</b>; this tab uses "
            f"<b>{html_text(profile.name)}</b> until you add that profile."
            + (f"<ul>{notes}</ul>" if notes else "")
        )
        documents = self.window.documents
        doc = documents.current_document() if documents is not None else None  # the importer
        self._notify(
            html, f"Add provider profile '{offer.name}'", lambda: self.add_profile(offer, doc)
        )
        return result

    def _place(self, ws: Workspace, kind: str) -> None:
        """An import opens a new tab; it goes into the current tab only when that is empty
        (then as one undo step)."""
        documents = self.window.documents
        current = documents.current_document() if documents is not None else None
        if documents is None or current is None or documents.is_empty(current):
            self.window.load(ws, f"Import {kind} request")
        else:
            documents.new(ws, title=f"Imported {kind}")

    def add_profile(self, profile: ProviderProfile, doc: Tab | None = None) -> None:
        """Add `profile` to the settings and make the tab that imported (`doc`; None: the
        current tab) use it."""
        documents = self.window.documents
        if placement(self.window.profiles, profile)[1]:  # no stored twin yet
            profiles = [*self.window.profiles, profile]
            self.window.profiles_edited(profiles)
        if doc is None or documents is None or documents.is_current(doc):
            self.window.provider.setCurrentText(profile.name)
        else:  # that tab is not showing: its workspace changes, the current one does not
            doc.doc.set("profile", profile.name, "Use the imported provider")
        text = (
            f"Added the provider profile <b>{html_text(profile.name)}</b>. Store its key under "
            "Providers: keys live in the OS keyring, never in settings or workspaces."
        )
        if doc is None or documents is None or documents.is_current(doc):
            self._notify(text, "Providers…", self.window.open_providers)

    def _notify(
        self, html: str, action: str | None = None, callback: Callable[[], None] | None = None
    ) -> None:
        """A notice for the current tab only (the window's banner when there are no tabs)."""
        documents = self.window.documents
        if documents is None:
            self.window.show_banner(html, action, callback)
        else:
            documents.post_notice(html, action, callback)

    def _on_file_chosen(self, path: str) -> None:
        remember(self.window, "import", path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            self._notify(
                f"⚠ <b>Could not read {html_text(path)}:</b> {exc.strerror or 'no access'}"
            )
            return
        except UnicodeDecodeError:
            self._notify(f"⚠ <b>Could not read {html_text(path)}:</b> it is not UTF-8 text")
            return
        self.import_from(text, Path(path).name)

    def _on_save(self, path: str, text: str) -> None:
        remember(self.window, "export", path)
        try:
            atomic_write(Path(path), text)
        except OSError as exc:
            self._notify(f"⚠ <b>Could not save {html_text(path)}:</b> {exc.strerror}")


def _endpoint(profile: ProviderProfile) -> str:
    query = "&".join(f"{k}={v}" for k, v in profile.query.items())
    return profile.effective_base_url + (f"?{query}" if query else "")
