"""A theme switch reaches the tabs that were hidden during it: once shown, a tab's code blocks,
source links, cards and error notes wear the new theme (a switch polishes hidden widgets again
only when they are shown, ui/restyle.py)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from playground.core.workspace import Message, Workspace
from playground.ui import theme
from playground.ui.documents import Tab
from playground.ui.widgets.message_card import MessageCard
from tests.ui.conftest import App

SOURCE = "https://example.com/sse"
WORKSPACE = Workspace(
    profile="Offline simulator",
    model="gpt-4o-mini",
    messages=[
        Message(role="user", content="Search the web: what are server-sent events?"),
        Message(
            role="assistant",
            item={
                "type": "web_search_call",
                "id": "ws_1",
                "status": "completed",
                "action": {
                    "type": "search",
                    "query": "server-sent events",
                    "sources": [{"type": "url", "url": SOURCE}],
                },
            },
        ),
        Message(role="assistant", content="Like this:\n\n```python\nx = 1\n```\n"),
    ],
)


def _code_background(card: MessageCard) -> QColor:
    doc = card.view.document()
    block = doc.begin()
    while block.isValid() and "x = 1" not in block.text():
        block = block.next()
    assert block.isValid()
    return block.blockFormat().background().color()


def _link_labels(card: MessageCard) -> list[str]:
    return [w.text() for w in card.results.findChildren(QLabel) if SOURCE in w.text()]


def _card_fill(card: MessageCard) -> QColor:
    """The colour the card is painted with, inside its border and rounded corners."""
    image = card.grab().toImage()
    return image.pixelColor(image.width() // 2, 3)


def _select(app: App, tab: Tab) -> None:
    documents = app.pg.documents
    assert documents is not None
    documents.select(documents.docs.index(tab))
    app.qtbot.waitUntil(lambda: tab.view.conversation.isVisible(), timeout=5000)


def _show(app: App, tab: Tab) -> tuple[MessageCard, MessageCard]:
    """Show the hosted tab, its Output page too; its web search card and its answer."""
    _select(app, tab)
    tab.view.setup_tabs.setCurrentWidget(tab.view.output)
    schema = tab.view.output.schema
    if not schema.status.isVisible():  # a schema with a problem: the note and field in red
        tab.view.output.radios["json_schema"].click()
        schema.edit.setPlainText('{"type": ')
        app.qtbot.waitUntil(schema.status.isVisible, timeout=5000)
    cards = tab.view.conversation.cards
    search, answer = cards[1], cards[2]
    app.qtbot.waitUntil(lambda: answer.isVisible() and search.isVisible(), timeout=5000)
    app.qtbot.wait(30)
    return search, answer


def _assert_wears(search: MessageCard, answer: MessageCard, tab: Tab, dark: bool) -> None:
    name = "dark" if dark else "light"
    palette = theme.dark_palette() if dark else theme.light_palette()
    assert (_code_background(answer).lightness() < 128) == dark, name
    links = _link_labels(search)
    assert links and all(theme.ACCENTS["info"][dark] in t for t in links), (name, links)
    roles = (QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase)
    base = {palette.color(r).name() for r in roles}
    assert _card_fill(answer).name() in base, (name, _card_fill(answer).name(), base)
    schema = tab.view.output.schema
    colour = schema.status.palette().color(QPalette.ColorRole.WindowText).name()
    assert colour == theme.ACCENTS["error"][dark], (name, colour)
    edge = schema.edit.grab().toImage()
    border = edge.pixelColor(0, edge.height() // 2).name()
    assert border == theme.ACCENTS["error"][dark], (name, border)


def test_a_tab_hidden_during_a_theme_switch_wears_the_new_theme_when_shown(app: App) -> None:
    documents = app.pg.documents
    assert documents is not None
    first = documents.docs[documents.current]
    hosted = documents.new(WORKSPACE, title="hosted")
    search, answer = _show(app, hosted)
    _assert_wears(search, answer, hosted, dark=False)
    view = app.window.menus.view
    try:
        for dark in (True, False):
            _select(app, first)  # the hosted tab is hidden during the switch
            assert not hosted.view.conversation.isVisible()
            view.set_theme("dark" if dark else "light")
            assert theme.is_dark() == dark
            search, answer = _show(app, hosted)
            _assert_wears(search, answer, hosted, dark)
    finally:
        view.set_theme("light")


def test_a_widget_shown_at_the_switch_wears_the_new_theme_at_once(app: App) -> None:
    documents = app.pg.documents
    assert documents is not None
    hosted = documents.new(WORKSPACE, title="hosted")
    search, answer = _show(app, hosted)
    view = app.window.menus.view
    try:
        view.set_theme("dark")
        app.qtbot.wait(30)
        _assert_wears(search, answer, hosted, dark=True)
        assert QApplication.palette().color(QPalette.ColorRole.Base).lightness() < 128
    finally:
        view.set_theme("light")
