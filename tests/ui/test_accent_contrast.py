"""The semantic colours (error, warning, ok, info, muted) meet WCAG AA (4.5:1) on the card and
window backgrounds of both themes, and a card drawn in one theme takes the other's colours
when the theme changes (a dark theme's salmon error title on a light card was 2:1)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from playground.ui import theme
from playground.ui.widgets.tool_step import ErrorCard
from tests.ui.conftest import App

ROLES = (QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase, QPalette.ColorRole.Window)


def luminance(colour: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: QColor, b: QColor) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_every_accent_meets_wcag_aa_on_the_theme_backgrounds(
    qapp: QApplication, dark: bool
) -> None:
    palette = theme.dark_palette() if dark else theme.light_palette()
    old = QApplication.palette()
    QApplication.setPalette(palette)
    try:
        for name in ("error", "warning", "ok", "info", "muted"):
            for role in ROLES:
                ratio = contrast(theme.accent(name), palette.color(role))
                assert ratio >= 4.5, (name, role, round(ratio, 2))
    finally:
        QApplication.setPalette(old)


def _title_colour(card: ErrorCard) -> QColor:
    head = card.findChild(type(card.message), "cardTitle")
    found = re.search(r"#[0-9a-fA-F]{6}", head.styleSheet())
    assert found is not None
    return QColor(found.group(0))


def test_an_error_card_keeps_its_contrast_across_a_theme_change(app: App) -> None:
    view = app.window.menus.view
    try:
        for first, then in (("dark", "light"), ("light", "dark")):
            view.set_theme(first)
            card = ErrorCard("Bad request (400)", "The server refused it.", "Check it.", [])
            app.qtbot.addWidget(card)
            view.set_theme(then)
            base = QApplication.palette().color(QPalette.ColorRole.Base)
            assert _title_colour(card).name() == theme.accent("error").name(), (first, then)
            assert contrast(_title_colour(card), base) >= 4.5
    finally:
        view.set_theme("light")
