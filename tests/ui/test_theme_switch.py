"""A theme switch reaches what was drawn before it: an answer view with a transparent
background (Compare's columns) recolours its code blocks, and hosted-tool source links take
the theme's link colour."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from playground.ui import theme
from playground.ui.widgets.hosted_results import HostedResults
from playground.ui.widgets.markdown_view import MarkdownView

CODE = "Here:\n\n```python\nx = 1\n```\n"


def _code_background(view: MarkdownView) -> int:
    """The lightness of the code block's background as drawn."""
    doc = view.document()
    block = doc.begin()
    while block.isValid() and "x = 1" not in block.text():
        block = block.next()
    assert block.isValid()
    return block.blockFormat().background().color().lightness()


def test_a_transparent_answer_view_recolours_its_code_when_the_theme_changes(
    qtbot: Any, qapp: Any
) -> None:
    theme.apply(qapp, dark=False)
    try:
        host = QWidget()
        layout = QVBoxLayout(host)
        view = MarkdownView()
        view.setStyleSheet("background: transparent;")  # as in a Compare column
        layout.addWidget(view)
        results = HostedResults()
        layout.addWidget(results)
        qtbot.addWidget(host)
        host.show()
        assert not theme.is_dark(view.palette())  # a transparent window is not "dark"
        view.set_markdown(CODE)
        results.show_item(
            {
                "type": "web_search_call",
                "id": "ws_1",
                "status": "completed",
                "action": {
                    "type": "search",
                    "query": "q",
                    "sources": [{"type": "url", "url": "https://example.com/a"}],
                },
            }
        )
        light = _code_background(view)
        theme.apply_choice(qapp, "dark")  # as View > Theme > Dark does
        qtbot.waitUntil(lambda: view._dark, timeout=2000)
        dark = _code_background(view)
        assert light >= 128 > dark, (light, dark)
        links = [w.text() for w in results.findChildren(QLabel) if "href" in w.text()]
        assert links and all(theme.ACCENTS["info"][1] in t for t in links)
    finally:
        theme.apply_choice(qapp, "light")
