"""View: zoom of the conversation and the editors, the theme (System, Light, Dark: applied at
once, icons included), showing or hiding the setup and side panes, and Compare mode. Zoom and
theme are kept in the settings file."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication

from playground.ui import theme
from playground.ui.actions import give_tips, make_action
from playground.ui.zoom import Zoom

if TYPE_CHECKING:
    from playground.ui.main_window import MainWindow

std = QKeySequence.StandardKey
THEMES = (
    ("system", "&System", "Follow the system's light or dark appearance"),
    ("light", "&Light", "Always the light theme"),
    ("dark", "&Dark", "Always the dark theme"),
)


class ViewMenu(QObject):
    """See the module docstring; `save(name, value)` keeps a preference."""

    def __init__(
        self, window: MainWindow, theme_choice: str, zoom_percent: int,
        save: Callable[[str, object], None],
    ) -> None:  # fmt: skip
        super().__init__(window)
        self.window = window
        self._save = save
        self.menu = menu = window.menuBar().addMenu("&View")
        menu.setToolTipsVisible(True)
        self.zoom = Zoom(zoom_percent, lambda p: save("zoom_percent", p), self)
        self.zoom.changed.connect(self._on_zoom_changed)
        self.zoom_in = make_action(
            window, "Zoom &in", "Larger text in the conversation and the editors",
            self.zoom.zoom_in, [std.ZoomIn, "Ctrl+="],
        )  # fmt: skip
        self.zoom_out = make_action(
            window, "Zoom &out", "Smaller text in the conversation and the editors",
            self.zoom.zoom_out, [std.ZoomOut],
        )  # fmt: skip
        self.zoom_reset = make_action(
            window, "&Reset zoom", "Text in the conversation and the editors at normal size",
            self.zoom.reset, ["Ctrl+0"],
        )  # fmt: skip
        self._on_zoom_changed(self.zoom.percent, quiet=True)
        menu.addActions([self.zoom_in, self.zoom_out, self.zoom_reset])
        menu.addSeparator()
        themes = menu.addMenu("&Theme")
        themes.setToolTipsVisible(True)
        give_tips(themes.menuAction(), "Light, dark, or as the system is")
        group = QActionGroup(self)
        self.themes = {}
        for choice, text, tip in THEMES:
            action = make_action(window, text, tip, partial(self.set_theme, choice), (), True)
            group.addAction(action)
            themes.addAction(action)
            self.themes[choice] = action
        self.theme = theme_choice if theme_choice in self.themes else "system"
        self.themes[self.theme].setChecked(True)
        if self.theme != "system":  # the window started in the system's palette
            theme.apply_choice(QApplication.instance(), self.theme)  # type: ignore[arg-type]
        menu.addSeparator()
        area = window.splitter
        self.panes = {}
        for index, text, tip in (
            (0, "S&etup pane", "Show or hide the parameters, tools and output format"),
            (2, "Si&de pane", "Show or hide Raw, Findings, Code, History and the other side tabs"),
        ):
            pane = area.widget(index)
            assert pane is not None
            action = make_action(window, text, tip, None, (), True)
            action.setChecked(True)
            action.toggled.connect(pane.setVisible)
            menu.addAction(action)
            self.panes[index] = action
        menu.addSeparator()
        compare = window.compare.action
        give_tips(compare, compare.toolTip())
        menu.addAction(compare)
        evaluate = window.window_runs.evaluate.action
        give_tips(evaluate, evaluate.toolTip())
        menu.addAction(evaluate)

    def set_theme(self, choice: str) -> None:
        """Apply a theme now (palette, style sheet, icons) and keep it."""
        self.theme = choice
        self.themes[choice].setChecked(True)
        theme.apply_choice(QApplication.instance(), choice)  # type: ignore[arg-type]
        self._save("theme", choice)

    def _on_zoom_changed(self, percent: int, quiet: bool = False) -> None:
        self.zoom_reset.setText(f"&Reset zoom ({percent} %)")
        if not quiet:
            self.window.statusBar().showMessage(f"Zoom {percent} %", 2000)
