"""The Code tab with a {{variable}} that has no value: the hint says the code sends it as
written (Run refuses it) instead of passing the template off as the request; Keep variables
(Python), where the template is the point, says nothing of it."""

from __future__ import annotations

from tests.ui.conftest import App


def test_the_code_tab_says_a_variable_without_a_value_is_sent_as_written(app: App) -> None:
    w, bot = app.window, app.qtbot
    w.conversation.cards[0].editor.setPlainText("Convert 10 {{co}} to {{to}}")
    w.current_view.doc.set("variables", {"to": "EUR"})
    w.exchange.show_code()
    view = w.exchange.view
    bot.waitUntil(lambda: "{{co}}" in view.text(), timeout=3000)
    hint = view.hint.text()
    assert "{{co}} has no value" in hint and "{{to}}" not in hint
    view.keep_variables.setChecked(True)
    assert "has no value" not in view.hint.text()
    view.format.setCurrentIndex(view.format.findData("curl"))  # keep does not apply to curl
    assert "{{co}} has no value" in view.hint.text()
    w.current_view.doc.set("variables", {"to": "EUR", "co": "USD"})
    w.exchange.refresh()
    bot.waitUntil(lambda: "10 USD to EUR" in view.text(), timeout=3000)
    assert "has no value" not in view.hint.text()
