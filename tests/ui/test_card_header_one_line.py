"""A message card's header keeps its buttons on one line at 1000 px with a badge ("cached ·
saved $0.000012 and 1.2 s", a structured-output verdict): the badge elides, its whole text in
its tooltip; the ✕ is never pushed onto a second line."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QApplication, QToolButton

from playground.core.workspace import Message
from playground.ui import theme
from playground.ui.widgets.message_card import MessageCard
from tests.ui.conftest import App
from tests.ui.test_response_cache_window import _regenerate


def button_rows(card: MessageCard) -> set[int]:
    """The tops of the header's visible buttons (one line: one top)."""
    host = card.copy.parentWidget()
    return {b.geometry().top() for b in host.findChildren(QToolButton) if b.isVisible()}


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_cached_badge_keeps_the_buttons_on_one_line(app: App, dark: bool) -> None:
    w = app.window
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    theme.apply(qapp, dark=dark)
    try:
        w.resize(1000, 700)
        assert w.cache_actions is not None
        w.cache_actions.toggle.trigger()
        app.run()
        _regenerate(app, 1)
        app.qtbot.wait(50)
        card = w.conversation.cards[-1]
        assert card.badge.text().startswith("cached · saved $")
        assert len(button_rows(card)) == 1, button_rows(card)
        assert card.badge.text() in card.badge.toolTip() or card.badge.toolTip().startswith(
            "Answered from the response cache"
        )
        app.shot(w, f"fixwin-cached-card-{'dark' if dark else 'light'}")
        card.grab().save(f"/tmp/fixwin-card-{'dark' if dark else 'light'}.png")
    finally:
        theme.apply(qapp, dark=False)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=160))
def test_any_badge_leaves_the_buttons_on_one_line(qtbot: Any, text: str) -> None:
    card = MessageCard(Message(role="assistant", content="An answer."))
    qtbot.addWidget(card)
    card.resize(640, 200)  # the conversation's width in a 1000 px window
    card.show()
    card.set_badge(text, "info")
    qtbot.wait(5)
    assert len(button_rows(card)) == 1, (text, button_rows(card))
    assert card.badge.toolTip() == text or not text
