"""Resources: icons and the style sheet are found through paths.py and look right; the desktop
metadata names the same application id as the running app."""

from __future__ import annotations

import configparser
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from playground import paths
from playground.ui import icons, theme

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", paths.PANEL_ICONS)
def test_panel_icons_draw_in_the_text_colour(qapp: QApplication, name: str) -> None:
    image = icons.icon(name).pixmap(24, 24).toImage().convertToFormat(QImage.Format.Format_ARGB32)
    text = qapp.palette().color(qapp.palette().ColorRole.WindowText)
    drawn = [
        image.pixelColor(x, y)
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() > 200
    ]
    assert len(drawn) > 10  # something visible
    assert all(abs(c.red() - text.red()) < 40 for c in drawn)


def test_a_missing_icon_is_empty_not_an_error(qapp: QApplication) -> None:
    assert icons.icon("no-such-icon").isNull()


def test_style_sheet_comes_from_resources_with_colours_filled_in(qapp: QApplication) -> None:
    sheet = theme.stylesheet()
    assert "QFrame#card" in sheet and "QPushButton#primary" in sheet
    assert "@error" not in sheet and theme.accent("error").name() in sheet
    assert paths.resource("style.qss").is_file()


def test_application_icon_has_every_size(qapp: QApplication) -> None:
    from playground.ui.launch import make_application

    app = make_application()
    sizes = {s.width() for s in app.windowIcon().availableSizes()}
    assert {16, 32, 48, 256, 512} <= sizes
    assert app.desktopFileName() == paths.APP_ID


def test_desktop_entry_and_metainfo_name_the_app_id() -> None:
    linux = ROOT / "packaging" / "linux"
    desktop = linux / f"{paths.APP_ID}.desktop"
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(desktop)
    assert entry["Desktop Entry"]["Icon"] == paths.APP_ID
    assert entry["Desktop Entry"]["Exec"].split()[0] == "playground"
    meta = ET.parse(linux / f"{paths.APP_ID}.metainfo.xml").getroot()
    assert meta.findtext("id") == paths.APP_ID
    assert meta.findtext("launchable") == desktop.name
