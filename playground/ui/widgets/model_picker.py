"""The model picker: catalog models grouped by family with badges, server models, any typed id."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from playground.core import catalog
from playground.core.lifecycle import ServerModel, server_badges


def _heading(family: str) -> str:
    """A family's heading in the list; never a model id (ids have no spaces), so typing an
    id never picks a heading ("gpt-5" is a model; "GPT-5 family" its heading)."""
    return family if " " in family else f"{family} family"


def _window(tokens: int | None) -> str:
    if not tokens:
        return ""
    return f"{tokens // 1_000_000}M" if tokens >= 1_000_000 else f"{tokens // 1000}k"


def describe(model_id: str, today: date | None = None, lifecycle: bool = True) -> str:
    """The badges of a model: lifecycle (unless not asked), reasoning, vision, tools, context
    window, price."""
    info = catalog.lookup(model_id)
    if not info.known:
        return "custom model"
    status = info.status(today or date.today()) if lifecycle else "active"
    shutdown = info.lifecycle.shutdown
    parts = {"active": [], "deprecated": [f"shuts down on {shutdown}"]}.get(
        status, [f"shut down on {shutdown}"]
    )
    parts += list(info.badges)
    if info.context_window:
        parts.append(f"{_window(info.context_window)} ctx")
    if info.price:
        parts.append(f"${info.price.input:g} / ${info.price.output:g} per 1M")
    if "chat" not in info.apis:
        parts.append("Responses only")
    return " · ".join(parts)


POPUP_ROWS = 18
"""The rows the open list shows at most (it scrolls beyond)."""


class ModelPicker(QComboBox):
    """An editable, searchable combo box of model ids."""

    model_chosen = Signal(str)
    """A model id was picked or typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMinimumWidth(260)
        self.setMaxVisibleItems(POPUP_ROWS)
        self.setToolTip("Pick a model or type any model id (custom servers, new models)")
        self._items = QStandardItemModel(self)
        self.setModel(self._items)
        self._remote: dict[str, ServerModel] = {}
        self.today: date | None = None
        """The day lifecycle badges are judged on (None: today)."""
        self._fill()
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(self._items)
        proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer = QCompleter(proxy, self)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)
        # a suggestion picked from the list leaves the id in the field, not its badges
        completer.activated.connect(self._on_suggestion)
        self.activated.connect(self._on_activated)
        line = self.lineEdit()
        if line is not None:
            line.setAccessibleName("Model")
            line.setAccessibleDescription("The model id: pick one from the list or type it")
            line.editingFinished.connect(self._on_typed)

    def set_model(self, model_id: str) -> None:
        self.blockSignals(True)
        index = self.findData(model_id)
        if index >= 0:
            self.setCurrentIndex(index)
        self.setEditText(model_id)
        self.blockSignals(False)
        self.setToolTip(f"{model_id}: {self.badges(model_id)}")

    def current_model(self) -> str:
        return self.currentText().split("  ")[0].strip()

    def choose(self, model_id: str) -> None:
        """Select `model_id` as if the user had picked it (emits model_chosen)."""
        self.set_model(model_id)
        self.model_chosen.emit(model_id)

    def set_remote_models(self, models: list[ServerModel] | list[str]) -> None:
        """Merge the provider's /v1/models list: ids the catalog does not know are listed under
        "From the server" marked new; a shutdown date the server announces is shown as a badge
        (its date wins over the catalog's)."""
        found = [m if isinstance(m, ServerModel) else ServerModel(m) for m in models]
        self._remote = {m.id: m for m in found}
        current = self.current_model()
        self._fill()
        self.set_model(current)

    def badges(self, model_id: str) -> str:
        """What the list shows after the id: the server's badges, then the catalog's."""
        day = self.today or date.today()
        info = catalog.lookup(model_id)
        listed = self._remote.get(model_id)
        words = list(server_badges(listed, info.known, day)) if listed is not None else []
        if info.known:  # a date the server announces wins over the catalog's
            dated = listed is not None and listed.shutdown_date is not None
            words.append(describe(model_id, day, lifecycle=not dated))
        return " · ".join(words) or "custom model"

    def showPopup(self) -> None:
        """The list is as wide as its longest entry (id and badges), up to the screen's width,
        not only as wide as the box."""
        view = self.view()
        bar = view.verticalScrollBar().sizeHint().width()
        needed = view.sizeHintForColumn(0) + 2 * view.frameWidth() + bar + 8
        screen = self.screen().availableGeometry().width()
        view.setMinimumWidth(min(max(needed, self.width()), screen))
        super().showPopup()

    def model_ids(self) -> list[str]:
        return [
            self._items.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self._items.rowCount())
            if self._items.item(i).data(Qt.ItemDataRole.UserRole)
        ]

    def _fill(self) -> None:
        self._items.clear()
        families: dict[str, list[str]] = {}
        for info in catalog.models():
            families.setdefault(info.family, []).append(info.id)
        groups = [(_heading(f), ids) for f, ids in families.items()]
        listed = {i for ids in families.values() for i in ids}
        extra = sorted(set(self._remote) - listed)
        if extra:
            groups.append(("From the server", extra))
        for title, ids in groups:
            header = QStandardItem(title)
            header.setFlags(Qt.ItemFlag.NoItemFlags)
            font = header.font()
            font.setBold(True)
            header.setFont(font)
            self._items.appendRow(header)
            for model_id in ids:
                badges = self.badges(model_id)
                item = QStandardItem(f"{model_id}  —  {badges}")
                item.setData(model_id, Qt.ItemDataRole.UserRole)
                item.setToolTip(badges)
                self._items.appendRow(item)

    def _on_activated(self, index: int) -> None:
        model_id = self.itemData(index)
        if model_id:
            self.set_model(model_id)
            self.model_chosen.emit(model_id)

    def _on_suggestion(self, text: str) -> None:
        model_id = text.split("  ")[0].strip()
        if model_id:
            self.choose(model_id)
            # the combo box then selects the suggestion's row, which writes the row's whole
            # text (id and badges) into the field: put the id back once it has
            QTimer.singleShot(0, self, lambda: self._show_id(model_id))

    def _show_id(self, model_id: str) -> None:
        if self.current_model() == model_id and self.currentText() != model_id:
            self.set_model(model_id)

    def _on_typed(self) -> None:
        text = self.current_model()
        if text:
            self.set_model(text)
            self.model_chosen.emit(text)
