"""File ▸ New from example: one action per ready-made workspace (core/examples.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from playground.core.examples import EXAMPLES, Example
from playground.core.profiles import SIMULATOR
from playground.ui.tab_notices import Notice
from playground.ui.widgets.common import html_text

if TYPE_CHECKING:
    from playground.ui.main_window import MainWindow


def fill_examples(menu: QMenu, window: MainWindow) -> None:
    """Add one action per example to `menu`; each opens its example in a new tab, or in the
    current tab when that one is empty (as Import does)."""
    for example in EXAMPLES:
        action = QAction(example.title, menu)
        action.setToolTip(example.description)
        action.setStatusTip(example.description)
        action.setObjectName(f"example-{example.name}")
        action.triggered.connect(lambda _=False, e=example: open_example(window, e))
        menu.addAction(action)


def open_example(window: MainWindow, example: Example) -> None:
    """Open `example` on the current tab's provider and say what it shows in the tab's notice."""
    documents = window.documents
    profile = window.current_profile().name
    if window.provider.missing():  # a tab on a missing profile: the example runs offline
        profile = SIMULATOR
    ws = example.workspace(profile)
    current = documents.current_document() if documents is not None else None
    if documents is None or current is None or documents.is_empty(current):
        window.load(ws, f"Open the example “{example.title}”")
        if documents is not None and current is not None:
            current.tab.title = example.title
            documents.retitle(current)
    else:
        current = documents.new(ws, title=example.title)
    html = (
        f"<b>Example: {html_text(example.title)}.</b> {html_text(example.description)} "
        f"<i>From {html_text(example.source)}.</i>"
    )
    if documents is None or current is None:
        window.show_banner(html)
    else:
        documents.notices.post(current.tab.id, Notice(html))
