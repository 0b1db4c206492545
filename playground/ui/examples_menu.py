"""File > New from example: the examples engineer's hook (issue 16, part F).

`fill_examples(menu, window)` adds one action per example workspace to `menu`; each opens the
example in a new tab. Until the examples exist it adds nothing, and the menu is shown disabled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu

    from playground.ui.main_window import MainWindow


def fill_examples(menu: QMenu, window: MainWindow) -> None:
    """Add the examples to `menu` (none yet)."""
