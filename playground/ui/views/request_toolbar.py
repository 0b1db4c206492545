"""The request toolbar: provider, API, model, what blocks Run, Run and Stop.

It shows the current tab's Document and writes the user's choices into it (each an undo
step); an undo, a redo or a tab switch redraws it. Built with PySide6 alone: it is part of the
window's first frame."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QLabel,
    QMenu,
    QPushButton,
    QToolBar,
    QToolButton,
    QWidget,
)

from playground.ui.theme import accent
from playground.ui.widgets.common import tool_button
from playground.ui.widgets.provider_box import ProviderBox

if TYPE_CHECKING:
    from playground.core.document import Document
    from playground.ui.widgets.model_picker import ModelPicker

_BOUND = ("", "model", "api", "profile")
"""Document paths the toolbar shows."""


class RequestToolbar(QToolBar):
    """See the module docstring."""

    model: ModelPicker

    def __init__(self) -> None:
        super().__init__("Request")
        self.setMovable(False)
        self.doc: Document | None = None
        self.addWidget(QLabel(" Provider "))
        self.provider = ProviderBox()
        self.addWidget(self.provider)
        self.manage = tool_button("…", "Providers and API keys (Ctrl+,)", raised=True)
        self.addWidget(self.manage)
        self.addSeparator()
        self.api_group = QButtonGroup(self)
        self.api_buttons: dict[str, QToolButton] = {}
        for key, label, tip in (
            ("responses", "Responses", "POST /v1/responses"),
            ("chat", "Chat Completions", "POST /v1/chat/completions"),
        ):
            b = tool_button(label, f"Use the {label} API ({tip})", checkable=True)
            self.api_group.addButton(b)
            self.api_buttons[key] = b
            self.addWidget(b)
        self.addSeparator()
        self.addWidget(QLabel(" Model "))
        pending = QComboBox()  # stands where the model picker goes in install_model_picker()
        pending.setMinimumWidth(260)
        pending.setSizePolicy(
            pending.sizePolicy().Policy.Expanding, pending.sizePolicy().Policy.Fixed
        )
        self._pending_model = self.addWidget(pending)
        self.setEnabled(False)  # nothing to act on until the panels are built
        spacer = QWidget()
        spacer.setSizePolicy(
            spacer.sizePolicy().Policy.Expanding, spacer.sizePolicy().Policy.Preferred
        )
        self.addWidget(spacer)
        self.blocker = QLabel()
        self.blocker.setStyleSheet(f"color: {accent('error').name()};")
        self.addWidget(self.blocker)
        self.run_button = QPushButton("Run")
        self.run_button.setObjectName("primary")
        self.run_button.setToolTip("Send the request (Ctrl+Enter)")
        self.addWidget(self.run_button)
        self.run_menu = QMenu(self)  # filled by the window: Regenerate, Run and append
        self.run_menu_button = QToolButton()
        self.run_menu_button.setArrowType(Qt.ArrowType.DownArrow)
        self.run_menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.run_menu_button.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self.run_menu_button.setToolTip("Regenerate the last answer, or run and append")
        self.run_menu_button.setMenu(self.run_menu)
        self.addWidget(self.run_menu_button)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("Stop the run and keep the partial answer (Esc)")
        self.stop_button.setEnabled(False)
        self.addWidget(self.stop_button)

    def install_model_picker(self, picker: ModelPicker) -> None:
        """Put the real model picker in place; the toolbar is live from here."""
        from playground.ui.icons import icon

        self.model = picker
        self.insertWidget(self._pending_model, picker)
        self.removeAction(self._pending_model)
        self.setEnabled(True)
        self.run_button.setIcon(icon("run"))
        self.stop_button.setIcon(icon("stop"))
        self.manage.setIcon(icon("providers"))
        self.provider.currentTextChanged.connect(lambda name: self._write("profile", name))
        self.api_group.buttonToggled.connect(self._on_api_toggled)
        picker.model_chosen.connect(lambda m: self._write("model", m))

    def bind(self, doc: Document) -> None:
        """Show `doc` and write the user's choices into it."""
        if self.doc is not None:
            self.doc.changed.disconnect(self._on_doc_changed)
        self.doc = doc
        doc.changed.connect(self._on_doc_changed)
        self._on_doc_changed("")

    def current_api(self) -> str:
        return "chat" if self.api_buttons["chat"].isChecked() else "responses"

    def show_blockers(self, errors: list[str]) -> None:
        """Enable Run, or say (elided, all of it in the tooltip) what blocks it."""
        self.run_button.setEnabled(not errors)
        self.run_button.setToolTip(
            "Send the request (Ctrl+Enter)"
            if not errors
            else "Cannot run: " + "; ".join(errors[:3])
        )
        first = errors[0] if errors else ""
        first = self.blocker.fontMetrics().elidedText(first, Qt.TextElideMode.ElideRight, 320)
        self.blocker.setText(f"⚠ {first}  " if errors else "")
        self.blocker.setToolTip("\n".join(errors))

    def fill_profiles(self, names: list[str], current: str) -> None:
        self._quiet(lambda: self.provider.fill(names, current))

    # -- private -----------------------------------------------------------------------------

    def _on_doc_changed(self, path: str) -> None:
        if path not in _BOUND or self.doc is None:
            return
        ws = self.doc.workspace

        def show() -> None:
            if self.provider.currentText() != ws.profile:
                self.provider.fill(self.provider.names(), ws.profile)
            self.api_buttons[ws.api].setChecked(True)
            self.model.set_model(ws.model)

        self._quiet(show)

    def _on_api_toggled(self, _button: Any, checked: bool) -> None:
        if checked:
            self._write("api", self.current_api())

    def _write(self, path: str, value: str) -> None:
        if self.doc is None or getattr(self, "_quieted", False) or not value:
            return
        label = {"profile": "Change provider", "api": "Change API", "model": "Change model"}
        self.doc.set(path, value, label[path])

    def _quiet(self, action: Any) -> None:
        """Redraw without writing the redrawn values back."""
        self._quieted = True
        try:
            action()
        finally:
            self._quieted = False
