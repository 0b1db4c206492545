"""What a screen reader is told: every control the user can reach has a name and a
description, in every setup tab, side tab, in Compare and in Evaluate mode (QAccessible, as
AT-SPI reads it)."""

from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QSlider,
    QTabBar,
    QTextEdit,
    QWidget,
)

from tests.ui.conftest import App

INTERACTIVE = (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QTabBar,
    QSlider,
)


def _part_of_another(widget: QWidget) -> bool:
    """Qt's own inner parts, which the accessible tree folds into their owner: a spin box's
    line edit, a table's header (its sections are named by the model's headers), a tab bar's
    scroll arrows."""
    if widget.objectName() == "qt_spinbox_lineedit" or isinstance(widget, QHeaderView):
        return True
    bar = widget.parentWidget()
    if not isinstance(bar, QTabBar):
        return False
    sides = (QTabBar.ButtonPosition.LeftSide, QTabBar.ButtonPosition.RightSide)
    return not any(bar.tabButton(i, s) is widget for i in range(bar.count()) for s in sides)


def unnamed(window: QWidget) -> dict[str, str]:
    """The visible controls with no accessible name or no description: {what: why}."""
    out = {}
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or not widget.isVisible():
            continue
        if _part_of_another(widget):
            continue
        face = QAccessible.queryAccessibleInterface(widget)
        if isinstance(widget, QTabBar):  # a screen reader reads its tabs, each on its own
            for i in range(widget.count()):
                tab = face.child(i)
                if not tab.text(QAccessible.Text.Description).strip():
                    out[f"tab {widget.tabText(i)!r}"] = "no description"
            continue
        name = face.text(QAccessible.Text.Name).strip() if face else ""
        about = face.text(QAccessible.Text.Description).strip() if face else ""
        if not name or not about:
            what = f"{type(widget).__name__} in {type(widget.parentWidget()).__name__}"
            out[f"{what} {name!r}"] = "no name" if not name else "no description"
    return out


def test_every_reachable_control_has_a_name_and_a_description(app: App) -> None:
    w = app.window
    app.run()
    app.wait_idle()
    missing: dict[str, str] = {}
    for compare in (False, True):
        w.compare.set_compare(compare)
        for setup in range(w.setup_tabs.count()):
            w.setup_tabs.setCurrentIndex(setup)
            for side in range(w.side.count()):
                w.side.setCurrentIndex(side)
                app.qtbot.wait(10)
                missing.update(unnamed(w))
    assert missing == {}, "\n".join(f"{k}: {v}" for k, v in sorted(missing.items()))


def test_every_control_of_evaluate_mode_has_a_name_and_a_description(app: App) -> None:
    from tests.ui.test_evaluate_mode import enter, wait_status, workspace

    ev = enter(app, workspace())
    ev.run_button.click()
    wait_status(app, ev, "done")
    missing = unnamed(app.window)
    assert missing == {}, "\n".join(f"{k}: {v}" for k, v in sorted(missing.items()))
    assert ev.progress_label.accessibleName() and ev.matrix.accessibleDescription()
