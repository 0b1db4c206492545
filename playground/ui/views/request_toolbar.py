"""The request toolbar: provider, API, model; then, in a toolbar of their own (`run_bar`, so
they are never pushed into the overflow menu of a narrow window), what blocks Run, Run and Stop.

It shows the current tab's Document and writes the user's choices into it (each an undo
step); an undo, a redo or a tab switch redraws it. Built with PySide6 alone: it is part of the
window's first frame."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QStyle,
    QToolBar,
    QToolButton,
    QWidget,
)

from playground.ui.theme import accent
from playground.ui.widgets.common import tool_button
from playground.ui.widgets.elided_label import ElidedLabel
from playground.ui.widgets.provider_box import ProviderBox

if TYPE_CHECKING:
    from playground.core.document import Document
    from playground.ui.widgets.model_picker import ModelPicker

_BOUND = ("", "model", "api", "profile")
"""Document paths the toolbar shows."""
MODEL_WIDTH = (120, 340)
"""The model box's narrowest and widest minimum (px): as wide as the id within these."""
MODEL_CHARS = 24
"""The model box asks for this many characters when there is room."""
BLOCKER_WIDTH = 420
"""The most width what blocks Run asks for (px); it is elided below that."""


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
        pending.setMinimumWidth(MODEL_WIDTH[0])
        self._pending_model = self.addWidget(pending)
        self.setEnabled(False)  # nothing to act on until the panels are built
        # Run and Stop: a toolbar of their own after this one, never in this one's overflow
        self.run_bar = run_bar = QToolBar("Run")
        run_bar.setMovable(False)
        run_bar.setEnabled(False)
        self.run_bar_row = row = QWidget()
        run_layout = QHBoxLayout(row)
        run_layout.setContentsMargins(0, 0, 0, 0)
        run_layout.setSpacing(4)
        run_layout.addStretch(1)
        self.blocker = ElidedLabel(BLOCKER_WIDTH)  # what blocks Run: elided, all in the tooltip
        self.blocker.setStyleSheet(f"color: {accent('error').name()};")
        run_layout.addWidget(self.blocker)
        self.run_button = QPushButton("Run")
        self.run_button.setObjectName("primary")
        self.run_button.setToolTip("Send the request (Ctrl+Enter)")
        run_layout.addWidget(self.run_button)
        self.run_menu = QMenu(self)  # filled by the window: Regenerate, Run and append
        self.run_menu_button = QToolButton()
        self.run_menu_button.setAccessibleName("Run options")
        self.run_menu_button.setArrowType(Qt.ArrowType.DownArrow)
        self.run_menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.run_menu_button.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self.run_menu_button.setToolTip(
            "Regenerate the last answer, run and append, or cache answers"
        )
        self.run_menu_button.setMenu(self.run_menu)
        run_layout.addWidget(self.run_menu_button)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("Stop the run and keep the partial answer (Esc)")
        self.stop_button.setEnabled(False)
        run_layout.addWidget(self.stop_button)
        run_bar.addWidget(row)

    def install_model_picker(self, picker: ModelPicker) -> None:
        """Put the real model picker in place; the toolbar is live from here."""
        from playground.ui.icons import icon

        self.model = picker
        # the badges make the longest entry 700 px wide: ask for about an id's width instead
        picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        picker.setMinimumContentsLength(MODEL_CHARS)
        self.insertWidget(self._pending_model, picker)
        self.removeAction(self._pending_model)
        self.setEnabled(True)
        self.run_bar.setEnabled(True)
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
        self.blocker.setText(f"⚠ {errors[0]}" if errors else "")
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
            self._fit_model(ws.model)

        self._quiet(show)

    def _fit_model(self, model_id: str) -> None:
        """The model box is as wide as the model's id (within MODEL_WIDTH): it shows it whole."""
        low, high = MODEL_WIDTH
        arrow = self.model.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent) + 24
        wanted = self.model.fontMetrics().horizontalAdvance(model_id) + arrow
        self.model.setMinimumWidth(max(low, min(wanted, high)))

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
