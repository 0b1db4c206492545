"""The History tab's list of runs as a Qt table model: rows arrive a page at a time.

The model holds the rows of the current search only; sorting and paging are asked of the
history (SQL), through `sort_requested` and `more_requested`, and answered by `show` and `add`.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from playground.services.history_query import SORT_KEYS, RunRow, SortKey
from playground.ui.widgets.request_meter import usd

Index = QModelIndex | QPersistentModelIndex

TITLES: dict[SortKey, str] = {
    "time": "Time",
    "prompt": "Prompt",
    "api": "API",
    "model": "Model",
    "outcome": "Outcome",
    "tokens": "Tokens",
    "cost": "Cost",
    "latency": "Latency",
}
TIPS: dict[SortKey, str] = {
    "time": "When the run ended",
    "prompt": "The first line of the last user message",
    "api": "Responses or Chat Completions",
    "model": "The model the request named",
    "outcome": "How the run ended",
    "tokens": "Input + output tokens, as the API reported them",
    "cost": "What the run cost at the price of its day (US dollars)",
    "latency": "From sending the request to the end of the answer",
}
_NUMBERS = frozenset({"tokens", "cost", "latency"})
API_NAMES = {"responses": "Responses", "chat": "Chat"}
ID_ROLE = Qt.ItemDataRole.UserRole


def when(seconds: float, today: date | None = None) -> str:
    """A time as short as is clear: "14:05" today, "11-30 14:05" this year, else the date."""
    moment = datetime.fromtimestamp(seconds)
    today = today or date.today()
    if moment.date() == today:
        return moment.strftime("%H:%M")
    return moment.strftime("%m-%d %H:%M" if moment.year == today.year else "%Y-%m-%d")


def cell(row: RunRow, key: SortKey) -> str:
    """A row's text in the column `key`."""
    if key == "time":
        return when(row.started_at)
    if key == "prompt":
        return row.prompt
    if key == "api":
        return API_NAMES.get(row.api, row.api)
    if key == "model":
        return row.model
    if key == "outcome":
        return row.outcome.replace("_", " ")
    if key == "tokens":
        return "" if row.tokens is None else f"{row.tokens:,}"
    if key == "cost":
        return "" if row.cost is None else usd(row.cost)  # $0.000068, not $0.0000
    return "" if row.total_ms is None else f"{row.total_ms / 1000:.2f} s"


def tip(row: RunRow, key: SortKey) -> str:
    """The cell's tooltip: the details behind a short figure."""
    if key == "tokens" and row.tokens is not None:
        parts = [f"{row.input_tokens or 0:,} in ({row.cached_tokens or 0:,} cached)"]
        parts.append(f"{row.output_tokens or 0:,} out ({row.reasoning_tokens or 0:,} reasoning)")
        return ", ".join(parts)
    if key == "latency" and row.total_ms is not None:
        first = "" if row.ttft_ms is None else f"first token after {row.ttft_ms:.0f} ms, "
        return f"{first}done after {row.total_ms:.0f} ms"
    if key == "time":
        return datetime.fromtimestamp(row.started_at).strftime("%Y-%m-%d %H:%M:%S")
    return cell(row, key)


class HistoryTableModel(QAbstractTableModel):
    """See the module docstring."""

    sort_requested = Signal(str, bool)
    """The user sorted by this column key; True: descending."""
    more_requested = Signal(int)
    """The view wants the rows from this offset on."""

    def __init__(self, parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.rows: list[RunRow] = []
        self.total = 0
        self.at_least = False
        """`total` is a floor: that many runs or more match."""
        self._complete = True
        self._waiting = False

    def show(self, rows: list[RunRow], total: int, complete: bool, at_least: bool = False) -> None:
        """A new search's first rows; `total` runs match (or more, with `at_least`);
        `complete`: there are no more."""
        self.beginResetModel()
        self.rows, self.total, self.at_least = list(rows), total, at_least
        self._complete, self._waiting = complete, False
        self.endResetModel()

    def add(self, rows: list[RunRow], offset: int, complete: bool) -> None:
        """More rows of the current search, from `offset` (ignored when they do not follow)."""
        if offset != len(self.rows):
            return
        self._waiting = False
        self._complete = complete
        if rows:
            self.beginInsertRows(QModelIndex(), offset, offset + len(rows) - 1)
            self.rows.extend(rows)
            self.endInsertRows()

    def run_id(self, row: int) -> int:
        return self.rows[row].id

    # -- Qt overrides --------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(SORT_KEYS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        row, key = self.rows[index.row()], SORT_KEYS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell(row, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip(row, key)
        if role == Qt.ItemDataRole.TextAlignmentRole and key in _NUMBERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ID_ROLE:
            return row.id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(SORT_KEYS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return TITLES[SORT_KEYS[section]]
        if role == Qt.ItemDataRole.ToolTipRole:
            return TIPS[SORT_KEYS[section]]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self._complete and not self._waiting

    def fetchMore(self, parent: Index) -> None:
        if self.canFetchMore(parent):
            self._waiting = True
            self.more_requested.emit(len(self.rows))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(SORT_KEYS):
            self.sort_requested.emit(SORT_KEYS[column], order == Qt.SortOrder.DescendingOrder)
