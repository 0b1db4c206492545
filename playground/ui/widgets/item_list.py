"""The top of the Tools panel's list editors (function tools, custom tools, MCP servers): a
title with Add and Remove, a list whose ticks say what is sent, and the form that edits the
selected item. One builder, so the three editors look and behave alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from playground.ui.widgets.flow_layout import FlowLayout


@dataclass(frozen=True)
class ItemList:
    """What `item_list` made: the Remove button, the ticked list, the editor and its form."""

    remove: QPushButton
    list: QListWidget
    editor: QWidget
    form: QFormLayout


def item_list(
    layout: QVBoxLayout,
    title: str,
    add: tuple[str, str, Callable[[], object]],
    remove: tuple[str, Callable[[], object]],
    listing: tuple[str, str, int],
    on_selected: Callable[[int], object],
    on_ticked: Callable[[QListWidgetItem], object],
) -> ItemList:
    """Adds the title line (title, Add, Remove) and the list to `layout`, and makes the editor
    (not added: the caller places it). `add`: (text, tooltip, slot); `remove`: (tooltip, slot);
    `listing`: (accessible name, tooltip, maximum height in pixels)."""
    head = FlowLayout()
    head.addWidget(QLabel(title))
    add_text, add_tip, on_add = add
    add_button = QPushButton(add_text)
    add_button.setToolTip(add_tip)
    add_button.clicked.connect(lambda: on_add())
    head.addWidget(add_button)
    remove_button = QPushButton("Remove")
    remove_button.setToolTip(remove[0])
    remove_button.clicked.connect(remove[1])
    head.addWidget(remove_button)
    layout.addLayout(head)
    items = QListWidget()
    name, tip, height = listing
    items.setAccessibleName(name)
    items.setToolTip(tip)
    items.setMaximumHeight(height)
    items.currentRowChanged.connect(on_selected)
    items.itemChanged.connect(on_ticked)
    layout.addWidget(items)
    editor = QWidget()
    form = QFormLayout(editor)
    form.setContentsMargins(0, 0, 0, 0)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # fields get the width
    return ItemList(remove_button, items, editor, form)
