"""The Code view: the request as JSON, Python (async or sync) or curl, updated as you edit."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from playground.core.export import Format
from playground.core.reasoning_items import placeholder
from playground.ui.folders import dialog_folder
from playground.ui.highlight import PygmentsHighlighter
from playground.ui.widgets.flow_layout import FlowLayout
from playground.ui.widgets.schema_editor import mono_font

CHOICES: list[tuple[str, Format, str]] = [
    ("Python (async)", "python", "py"),
    ("Python (sync)", "python-sync", "py"),
    ("curl", "curl", "sh"),
    ("JSON body", "json", "json"),
]
_LANGUAGES = {"python": "python", "python-sync": "python", "curl": "bash", "json": "json"}
"""The Pygments language of each export format."""


class CodeView(QWidget):
    """Shows the exported request; asks (by signal) for a new export when options change."""

    options_changed = Signal()
    """Format, tool loop, Pydantic or keep-variables option changed."""
    save_requested = Signal(str, str)
    """(path, text) to save."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        layout = QVBoxLayout(self)
        row: QHBoxLayout | FlowLayout = FlowLayout()  # wraps in a narrow pane
        self.format = QComboBox()
        self.format.setToolTip("The form of the export")
        for label, fmt, _ in CHOICES:
            self.format.addItem(label, fmt)
        self.format.currentIndexChanged.connect(self._on_options)
        row.addWidget(self.format)
        self.tool_loop = QCheckBox("Tool loop")
        self.tool_loop.setToolTip(
            "Python: a runnable loop with a stub per tool until no tool calls remain"
        )
        self.tool_loop.toggled.connect(self._on_options)
        row.addWidget(self.tool_loop)
        self.pydantic = QCheckBox("Pydantic")
        self.pydantic.setToolTip(
            "Python: Pydantic models for a JSON schema output, used with .parse()"
        )
        self.pydantic.toggled.connect(self._on_options)
        row.addWidget(self.pydantic)
        self.keep_variables = QCheckBox("Keep variables")
        self.keep_variables.setToolTip(
            "Python: keep the {{variables}} in the texts, with a variables dict and the fill "
            "function in the program (otherwise the texts are filled in)"
        )
        self.keep_variables.toggled.connect(self._on_options)
        row.addWidget(self.keep_variables)
        layout.addLayout(row)
        row = QHBoxLayout()  # actions below the code: the side panel is narrow
        copy = QPushButton("Copy")
        copy.setToolTip("Copy the code to the clipboard")
        copy.clicked.connect(self.copy)
        row.addWidget(copy)
        save = QPushButton("Save…")
        save.setToolTip("Save the code to a file")
        save.clicked.connect(self._on_save_clicked)
        row.addWidget(save)
        self.code = QPlainTextEdit(readOnly=True)
        self.code.setAccessibleName("Exported code")
        self.code.setAccessibleDescription(
            "The request as code in the chosen format, read-only; copy or save it below"
        )
        self.code.setFont(mono_font())
        self.code.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.code.setToolTip("Generated from the same request the app sends")
        layout.addWidget(self.code, 1)
        self.hint = QLabel("The key comes from OPENAI_API_KEY.")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)  # its own line: the buttons fit a narrow pane
        row.insertStretch(0, 1)
        layout.addLayout(row)
        self._highlighter: PygmentsHighlighter | None = None
        self._sync_options()

    def current_format(self) -> Format:
        return self.format.currentData()  # type: ignore[no-any-return]

    def set_code(
        self, text: str, key_env: str = "OPENAI_API_KEY", hidden: Sequence[str] = ()
    ) -> None:
        """Show `text`, code that reads its key from the environment variable `key_env`.
        Each string of `hidden` (reasoning items' encrypted content) is shown as
        "<encrypted, N chars>"; Copy and Save write `text` as it is."""
        self.hint.setText(f"The key comes from {key_env}.")
        self._text = text
        shown = text
        for token in hidden:
            shown = shown.replace(token, placeholder(len(token)))
        if hidden and shown != text:
            self.hint.setText(
                f"The key comes from {key_env}. Encrypted reasoning is shown by its length; "
                "Copy and Save write it whole."
            )
        if shown == self.code.toPlainText():
            return
        bar = self.code.verticalScrollBar()
        position = bar.value()
        self.code.setPlainText(shown)
        bar.setValue(position)

    def text(self) -> str:
        """The code as Copy and Save write it (encrypted content whole)."""
        return self._text

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text())

    def save_as(self) -> None:
        """Ask where to save the code, as Save… does (File > Export…)."""
        self._on_save_clicked()

    def _sync_options(self) -> None:
        python = self.current_format().startswith("python")
        self.tool_loop.setEnabled(python)
        self.pydantic.setEnabled(python)
        self.keep_variables.setEnabled(python)
        language = _LANGUAGES.get(self.current_format(), "python")
        if self._highlighter is None:
            self._highlighter = PygmentsHighlighter(self.code.document(), language)
        else:
            self._highlighter.set_language(language)

    def _on_options(self) -> None:
        self._sync_options()
        self.options_changed.emit()

    def _on_save_clicked(self) -> None:
        ext = next(e for _, f, e in CHOICES if f == self.current_format())
        start = Path(dialog_folder(self, "export")) / f"request.{ext}"
        dialog = QFileDialog(self, "Save the request", str(start))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.fileSelected.connect(lambda path: self.save_requested.emit(path, self.text()))
        dialog.open()
