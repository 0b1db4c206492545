"""Light and dark themes from QPalette roles, plus the few style rules the palette cannot say."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QStyleFactory, QWidget

from playground import paths
from playground.ui import restyle, zoom


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether `palette` (the application's by default) is a dark theme: light text. The text
    colour decides, not the window colour, which a widget's style sheet may make transparent
    (a transparent window reads as black)."""
    pal = palette or QGuiApplication.palette()
    return pal.color(QPalette.ColorRole.WindowText).lightness() >= 128


def dark_palette() -> QPalette:
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#202124",
        QPalette.ColorRole.WindowText: "#e8eaed",
        QPalette.ColorRole.Base: "#17181a",
        QPalette.ColorRole.AlternateBase: "#26282b",
        QPalette.ColorRole.Text: "#e8eaed",
        QPalette.ColorRole.Button: "#2b2d31",
        QPalette.ColorRole.ButtonText: "#e8eaed",
        QPalette.ColorRole.Highlight: "#3d7be0",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#2b2d31",
        QPalette.ColorRole.ToolTipText: "#e8eaed",
        QPalette.ColorRole.PlaceholderText: "#8a8f98",
        QPalette.ColorRole.Link: "#8ab4f8",
        QPalette.ColorRole.Mid: "#3c4043",
        QPalette.ColorRole.Dark: "#111214",
        QPalette.ColorRole.Light: "#44474c",
    }
    for role, color in roles.items():
        pal.setColor(role, QColor(color))
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.WindowText,
    ):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6b7078"))
    return pal


def light_palette() -> QPalette:
    pal = QStyleFactory.create("Fusion").standardPalette()
    pal.setColor(QPalette.ColorRole.Window, QColor("#f6f7f9"))
    pal.setColor(QPalette.ColorRole.AlternateBase, QColor("#eef0f3"))
    pal.setColor(QPalette.ColorRole.Highlight, QColor("#2f6fdb"))
    return pal


ACCENTS = {
    "error": ("#c62828", "#ff8a80"),
    "warning": ("#a15c00", "#ffcc80"),
    "ok": ("#2b772f", "#a5d6a7"),
    "info": ("#1f5fbf", "#8ab4f8"),
    "muted": ("#5f6368", "#9aa0a6"),
}
"""Semantic colours (light, dark): each at least 4.5:1 (WCAG AA) on the theme's Base,
AlternateBase and Window (tests/ui/test_accent_contrast.py)."""
_HEX = re.compile(r"#[0-9a-fA-F]{6}\b")


def accent(name: str) -> QColor:
    """Semantic colours that read well on both themes."""
    return QColor(ACCENTS[name][1 if is_dark() else 0])


def retint(dark: bool) -> None:
    """The accents that widgets wrote into their own style sheets and rich text (a card made
    in the other theme) become this theme's, so no salmon title stays on a white card."""
    swap = {pair[1 - dark]: pair[dark] for pair in ACCENTS.values()}

    def sub(text: str) -> str:
        return _HEX.sub(lambda m: swap.get(m.group(0).lower(), m.group(0)), text)

    for widget in QApplication.allWidgets():
        sheet = widget.styleSheet()
        if sheet and sub(sheet) != sheet:
            widget.setStyleSheet(sub(sheet))
        text = widget.text() if isinstance(widget, QLabel) else ""
        if "color" in text and sub(text) != text:
            widget.setText(sub(text))  # type: ignore[attr-defined]


def stylesheet() -> str:
    """resources/style.qss with both themes' error colours filled in: the same text in both
    themes (a window's "theme" property picks the colours, see `mark`)."""
    try:
        sheet = paths.resource("style.qss").read_text("utf-8")
    except OSError:
        return ""  # a broken installation still starts, in the plain palette
    light, dark = ACCENTS["error"]
    return sheet.replace("@dark-error", dark).replace("@error", light)


def mark(window: QWidget) -> None:
    """Say the theme on a window, for style.qss's dark rules (nothing is polished again:
    ui/restyle.py does that on a theme change)."""
    window.setProperty("theme", "dark" if is_dark() else "light")


CHOICES = ("system", "light", "dark")
"""View > Theme: follow the system, or always light, or always dark."""
_system_dark: list[bool] = []  # the system palette's darkness, seen before ours replaced it


def system_dark(app: QGuiApplication) -> bool:
    """Whether the system asks for dark: its colour scheme when the platform says, else the
    palette the application started with."""
    scheme = app.styleHints().colorScheme()
    if scheme != Qt.ColorScheme.Unknown:
        return scheme == Qt.ColorScheme.Dark
    if not _system_dark:
        _system_dark.append(is_dark(app.palette()))
    return _system_dark[0]


def apply(app: QApplication, dark: bool | None = None) -> None:
    """Fusion style with a palette that follows the system unless `dark` says otherwise.

    The style and the style sheet are set once (each polishes every widget again); a later
    call changes the palette and polishes again only what draws with it (`restyle`)."""
    styled = app.property("playground_styled") is True
    if not styled:
        app.setStyle("Fusion")
    if dark is None:
        dark = system_dark(app)
    app.setPalette(dark_palette() if dark else light_palette())
    sheet = stylesheet()
    if app.styleSheet() != sheet:  # the first call (or a changed resources/style.qss)
        app.setStyleSheet(sheet)
        styled = False
    app.setProperty("playground_styled", True)
    for window in app.topLevelWidgets():
        mark(window)
    if styled:
        restyle.palette_changed()
    else:
        zoom.reapply()  # the new style forgot View > Zoom


def apply_choice(app: QApplication, choice: str) -> None:
    """Apply a View > Theme choice (an unknown one follows the system) to the running app:
    palette, style sheet and the icons already shown. Widgets hear QEvent.PaletteChange."""
    from playground.ui.icons import redraw_all

    apply(app, {"light": False, "dark": True}.get(choice))
    retint(is_dark())
    redraw_all()
