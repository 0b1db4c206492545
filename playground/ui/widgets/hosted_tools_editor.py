"""The hosted tools of the Responses API (web search, file search, code interpreter, image
generation): each one's switch and its options (core/hosted_options.py)."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from playground.core.hosted_options import (
    CONTEXT_SIZES,
    IMAGE_BACKGROUNDS,
    IMAGE_FORMATS,
    IMAGE_MODELS,
    IMAGE_QUALITIES,
    IMAGE_SIZES,
    RANKERS,
    CodeInterpreterOptions,
    FileSearchOptions,
    ImageGenOptions,
    UserLocation,
    WebSearchOptions,
)
from playground.core.workspace import BuiltinTools
from playground.ui.widgets.common import show_problem
from playground.ui.widgets.pane_fit import narrow_form

FIELD_MIN = 110
"""A text field's narrowest (px): narrower, its row puts it under its label (narrow_form)."""
DEFAULT = "(default)"
"""The choice that sends no value (the server's default)."""


def _words(text: str) -> list[str]:
    return [s.strip() for s in text.split(",") if s.strip()]


def _combo(values: tuple[str, ...], editable: bool = False) -> QComboBox:
    box = QComboBox()
    box.addItem(DEFAULT)
    box.addItems(list(values))
    box.setEditable(editable)
    # a long entry (default-2024-11-15, gpt-image-1-mini) must not widen a narrow pane
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(8)
    box.setAccessibleDescription(f"{DEFAULT} sends nothing: the server's default applies")
    line = box.lineEdit() if editable else None
    if line is not None:  # a value of one's own may be typed
        line.setAccessibleName("Value, or type one")
        line.setAccessibleDescription(f"{DEFAULT} sends nothing")
    return box


def _set(box: QComboBox, value: str | None) -> None:
    text = value or DEFAULT
    if box.findText(text) < 0 and box.isEditable():
        box.addItem(text)
    box.setCurrentText(text)


def _get(box: QComboBox) -> Any:
    text = box.currentText().strip()
    return None if text in ("", DEFAULT) else text


class HostedToolsEditor(QGroupBox):
    """Edits the `BuiltinTools` of a workspace; `value()` gives them back with the options kept
    while a tool is switched off."""

    changed = Signal()
    """A hosted tool was switched or one of its options edited."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Built-in tools (Responses API)", parent)
        self._loading = False
        self._filters: dict[str, Any] | None = None
        self._setup_ui()

    # -- public ------------------------------------------------------------------------------

    def load(self, b: BuiltinTools) -> None:
        """Show `b`."""
        self._loading = True
        self.web.setChecked(b.web_search)
        w = b.web_options
        _set(self.context, w.search_context_size)
        for key, edit in self.location.items():
            edit.setText(getattr(w.user_location, key) or "")
        self.domains.setText(", ".join(w.allowed_domains))
        self.sources.setChecked(w.include_sources)
        self.files.setChecked(b.file_search)
        f = b.file_options
        self.stores.setText(", ".join(b.vector_store_ids))
        self.max_results.setValue(f.max_num_results or 0)
        _set(self.ranker, f.ranker)
        self.threshold.setValue(-0.01 if f.score_threshold is None else f.score_threshold)
        self._filters = f.filters
        self.filters.setPlainText(json.dumps(f.filters, indent=2) if f.filters else "")
        show_problem(self.filters_problem, self.filters, "")
        self.results.setChecked(f.include_results)
        self.code.setChecked(b.code_interpreter)
        c = b.code_options
        self.container.setCurrentIndex(1 if c.container_id else 0)
        self.container_id.setText(c.container_id or "")
        self.file_ids.setText(", ".join(c.file_ids))
        self.outputs.setChecked(c.include_outputs)
        self.image.setChecked(b.image_generation)
        i = b.image_options
        for box, value in (
            (self.image_model, i.model),
            (self.image_size, i.size),
            (self.quality, i.quality),
            (self.output_format, i.output_format),
            (self.background, i.background),
        ):
            _set(box, value)
        self._sync()
        self._loading = False

    def value(self) -> BuiltinTools:
        """The hosted tools as edited."""
        threshold = self.threshold.value()
        by_id = self.container.currentIndex() == 1
        return BuiltinTools(
            web_search=self.web.isChecked(),
            web_options=WebSearchOptions(
                search_context_size=_get(self.context),
                user_location=UserLocation(
                    **{k: e.text().strip() or None for k, e in self.location.items()}
                ),
                allowed_domains=_words(self.domains.text()),
                include_sources=self.sources.isChecked(),
            ),
            file_search=self.files.isChecked(),
            vector_store_ids=_words(self.stores.text()),
            file_options=FileSearchOptions(
                max_num_results=self.max_results.value() or None,
                ranker=_get(self.ranker),
                score_threshold=None if threshold < 0 else round(threshold, 3),
                filters=self._filters,
                include_results=self.results.isChecked(),
            ),
            code_interpreter=self.code.isChecked(),
            code_options=CodeInterpreterOptions(
                container_id=(self.container_id.text().strip() or None) if by_id else None,
                file_ids=[] if by_id else _words(self.file_ids.text()),
                include_outputs=self.outputs.isChecked(),
            ),
            image_generation=self.image.isChecked(),
            image_options=ImageGenOptions(
                model=_get(self.image_model),
                size=_get(self.image_size),
                quality=_get(self.quality),
                output_format=_get(self.output_format),
                background=_get(self.background),
            ),
        )

    def hosted_refs(self) -> list[dict[str, Any]]:
        """`{"type": kind}` of each switched-on tool, for the tool choice list."""
        boxes = (
            ("web_search", self.web),
            ("file_search", self.files),
            ("code_interpreter", self.code),
            ("image_generation", self.image),
        )
        return [{"type": kind} for kind, box in boxes if box.isChecked()]

    # -- private -----------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.web, web = self._tool("Web search", "The hosted web_search tool")
        self.context = _combo(CONTEXT_SIZES)
        self.context.setToolTip("search_context_size: how much search context the model uses")
        web.addRow("Context size", self.context)
        self.location: dict[str, QLineEdit] = {}
        hints = {
            "city": "San Francisco",
            "region": "California",
            "country": "US (two-letter ISO code)",
            "timezone": "America/Los_Angeles (IANA)",
        }
        for key, hint in hints.items():
            edit = QLineEdit()
            edit.setPlaceholderText(hint)
            edit.setToolTip(f"user_location.{key} (approximate)")
            self.location[key] = edit
            web.addRow(key.capitalize(), edit)
        self.domains = QLineEdit()
        self.domains.setPlaceholderText("pubmed.ncbi.nlm.nih.gov, …")
        self.domains.setToolTip("filters.allowed_domains, comma separated (subdomains included)")
        web.addRow("Allowed domains", self.domains)
        self.sources = QCheckBox("Include sources")
        self.sources.setToolTip("Adds web_search_call.action.sources to the request's include list")
        web.addRow(self.sources)
        layout.addWidget(self.web)

        self.files, files = self._tool("File search", "The hosted file_search tool")
        self.stores = QLineEdit()
        self.stores.setPlaceholderText("vs_…, vs_…")
        self.stores.setToolTip("Vector store ids for file search, comma separated (required)")
        files.addRow("Vector stores", self.stores)
        self.max_results = QSpinBox()
        self.max_results.setRange(0, 50)
        self.max_results.setSpecialValueText(DEFAULT)
        self.max_results.setToolTip("max_num_results: 1 to 50")
        files.addRow("Max results", self.max_results)
        self.ranker = _combo(RANKERS)
        files.addRow("Ranker", self.ranker)
        self.threshold = QDoubleSpinBox()
        self.threshold.setRange(-0.01, 1.0)
        self.threshold.setSingleStep(0.05)
        self.threshold.setSpecialValueText(DEFAULT)
        self.threshold.setToolTip("ranking_options.score_threshold: 0 to 1")
        files.addRow("Score threshold", self.threshold)
        self.filters = QPlainTextEdit()
        self.filters.setPlaceholderText('{"type": "eq", "key": "lang", "value": "en"}')
        self.filters.setToolTip("filters: a comparison or compound filter, as JSON")
        self.filters.setFixedHeight(56)
        self.filters.textChanged.connect(self._on_filters_edited)
        files.addRow("Filters", self.filters)
        self.filters_problem = QLabel()
        self.filters_problem.setWordWrap(True)
        files.addRow(self.filters_problem)
        self.results = QCheckBox("Include results")
        self.results.setToolTip("Adds file_search_call.results to the request's include list")
        files.addRow(self.results)
        layout.addWidget(self.files)

        self.code, code = self._tool("Code interpreter", "The hosted code_interpreter tool")
        self.container = QComboBox()
        self.container.addItems(["auto", "container id"])
        self.container.setToolTip("A new container (auto, with files) or an existing one")
        code.addRow("Container", self.container)
        self.container_id = QLineEdit()
        self.container_id.setPlaceholderText("cntr_…")
        code.addRow("Container id", self.container_id)
        self.file_ids = QLineEdit()
        self.file_ids.setPlaceholderText("file-…, file-…")
        self.file_ids.setToolTip("container.file_ids: files the code may read, comma separated")
        code.addRow("File ids", self.file_ids)
        self.outputs = QCheckBox("Include outputs")
        self.outputs.setToolTip("Adds code_interpreter_call.outputs to the request's include list")
        code.addRow(self.outputs)
        layout.addWidget(self.code)

        self.image, image = self._tool("Image generation", "The hosted image_generation tool")
        self.image_model = _combo(IMAGE_MODELS, editable=True)
        self.image_size = _combo(IMAGE_SIZES, editable=True)
        self.image_size.setToolTip("WIDTHxHEIGHT or auto")
        self.quality = _combo(IMAGE_QUALITIES)
        self.output_format = _combo(IMAGE_FORMATS)
        self.background = _combo(IMAGE_BACKGROUNDS)
        for label, box in (
            ("Model", self.image_model),
            ("Size", self.image_size),
            ("Quality", self.quality),
            ("Format", self.output_format),
            ("Background", self.background),
        ):
            image.addRow(label, box)
        layout.addWidget(self.image)

        for edit in (*self.location.values(), self.domains, self.stores):
            edit.setMinimumWidth(FIELD_MIN)  # a narrow pane puts it under its label
        for edit in (self.container_id, self.file_ids):
            edit.setMinimumWidth(FIELD_MIN)
        for group in (self.web, self.files, self.code, self.image):
            group.toggled.connect(self._emit)
        for edit in (self.domains, self.stores, self.container_id, self.file_ids):
            edit.textEdited.connect(self._emit)
        for edit in self.location.values():
            edit.textEdited.connect(self._emit)
        for check in (self.sources, self.results, self.outputs):
            check.toggled.connect(self._emit)
        for combo in (
            self.context,
            self.ranker,
            self.container,
            self.image_model,
            self.image_size,
            self.quality,
            self.output_format,
            self.background,
        ):
            combo.currentTextChanged.connect(self._emit)
        self.max_results.valueChanged.connect(self._emit)
        self.threshold.valueChanged.connect(self._emit)

    def _tool(self, title: str, tip: str) -> tuple[QGroupBox, QFormLayout]:
        box = QGroupBox(title)
        box.setCheckable(True)
        box.setChecked(False)
        box.setToolTip(tip)
        return box, narrow_form(QFormLayout(box))

    def problems(self) -> list[str]:
        """Text that does not parse and so is not sent (it blocks Run): the file search filter
        of a switched-on file search."""
        text = self.filters_problem.text()
        return [f"file search filters: {text}"] if text and self.files.isChecked() else []

    def _sync(self) -> None:
        # a field enabled here would stay enabled in a switched-off (disabled) group
        on, by_id = self.code.isChecked(), self.container.currentIndex() == 1
        self.container_id.setEnabled(on and by_id)
        self.file_ids.setEnabled(on and not by_id)

    def _on_filters_edited(self) -> None:
        text = self.filters.toPlainText().strip()
        problem = ""
        if not text:
            self._filters = None
        else:
            try:
                value = json.loads(text)
            except json.JSONDecodeError as e:
                problem = f"not valid JSON: {e.msg} (line {e.lineno}, column {e.colno})"
            else:
                if isinstance(value, dict):
                    self._filters = value
                else:
                    problem = "a filter is a JSON object"
        show_problem(self.filters_problem, self.filters, problem)
        self._emit()

    def _emit(self) -> None:
        self._sync()
        if not self._loading:
            self.changed.emit()
