"""The Code tab and importing into the window."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtGui import QGuiApplication

from playground.core import request
from playground.ui.widgets.reasoning_view import ReasoningItemView
from tests.ui.conftest import App


def test_code_view_follows_the_workspace(app: App) -> None:
    w = app.window
    w.exchange.show_code()
    view = w.exchange.view
    assert "await client.responses.create(" in view.text()
    assert "asyncio.run(main())" in view.text()
    view.format.setCurrentIndex(view.format.findData("json"))
    assert json.loads(view.text()) == request.build(w.collect()).body
    w.api_buttons["chat"].click()
    app.qtbot.waitUntil(lambda: '"messages"' in view.text(), timeout=3000)
    view.format.setCurrentIndex(view.format.findData("curl"))
    assert view.text().startswith("curl -N https://api.openai.com/v1/chat/completions")
    view.copy()
    assert QGuiApplication.clipboard().text() == view.text()
    app.shot(w, "code_view")
    view.format.setCurrentIndex(view.format.findData("python-sync"))
    assert view.tool_loop.isEnabled() and view.pydantic.isEnabled()
    assert "client = OpenAI()" in view.text()


def test_code_view_saves_through_the_atomic_writer(app: App, tmp_path: Path) -> None:
    w = app.window
    w.exchange.show_code()
    target = tmp_path / "request.py"
    w.exchange.view.save_requested.emit(str(target), w.exchange.view.text())
    assert target.read_text() == w.exchange.view.text()


def test_paste_a_curl_command(app: App) -> None:
    curl = (
        "curl https://api.openai.com/v1/responses \\\n"
        "  -H 'Content-Type: application/json' \\\n"
        '  -H "Authorization: Bearer $OPENAI_API_KEY" \\\n'
        '  -d \'{"model": "o4-mini", "input": "Plan a trip", '
        '"reasoning": {"effort": "high"}, "max_tokens": 9}\''
    )
    QGuiApplication.clipboard().setText(curl)
    app.window.exchange.paste()
    ws = app.window.collect()
    assert ws.model == "o4-mini" and ws.params.reasoning_effort == "high"
    assert ws.messages[0].text == "Plan a trip"
    banner = app.window.banner.text.text()
    assert "Imported a curl request from the clipboard" in banner
    assert "max_tokens: not a parameter of the Responses API" in banner
    app.run()
    assert app.last_body()["input"] == "Plan a trip"


def test_import_refusal_is_shown_without_a_dialog(app: App) -> None:
    assert app.window.exchange.import_from("print('hi')", "the clipboard") is None
    banner = app.window.banner
    assert banner.isVisible() and "Could not import from the clipboard" in banner.text.text()


def test_import_with_a_base_url_offers_a_profile_and_adds_it_only_when_accepted(
    app: App,
) -> None:
    code = (
        "from openai import OpenAI\nclient = OpenAI(base_url='http://localhost:11434/v1')\n"
        "client.chat.completions.create(model='llama3.1', messages=[{'role': 'user', "
        "'content': 'hi'}])\n"
    )
    app.window.exchange.import_from(code, "example.py")
    banner = app.window.banner
    assert banner.action.isVisible()
    assert banner.action.text() == "Add provider profile 'Imported (localhost:11434)'"
    assert app.window.provider.currentText() == "Offline simulator"  # nothing applied silently
    assert app.pg.settings.profile("Imported (localhost:11434)") is None
    banner.action.click()
    assert app.window.provider.currentText() == "Imported (localhost:11434)"
    assert app.window.collect().profile == "Imported (localhost:11434)"
    saved = app.pg.settings.profile("Imported (localhost:11434)")
    assert saved is not None and saved.base_url == "http://localhost:11434/v1"
    # the same endpoint imported again uses the profile, with nothing more to offer
    app.window.exchange.import_from(code, "example.py")
    assert "uses the provider profile" in banner.text.text()
    assert not banner.action.isVisible()


AZURE_KEY = "f00dfeedf00dfeedf00dfeedf00dfeed"


def test_pasted_azure_curl_offers_an_azure_profile_and_never_stores_the_key(
    app: App, tmp_path: Path
) -> None:
    curl = (
        'curl "https://contoso.openai.azure.com/openai/deployments/gpt-4o-prod/chat/'
        'completions?api-version=2024-10-21" \\\n'
        '  -H "Content-Type: application/json" \\\n'
        f'  -H "api-key: {AZURE_KEY}" \\\n'
        '  -H "x-ms-client-request-id: 42" \\\n'
        """  -d '{"messages": [{"role": "user", "content": "Hello Azure"}]}'"""
    )
    app.window.provider.setCurrentText("OpenAI")
    QGuiApplication.clipboard().setText(curl)
    app.window.exchange.paste()
    banner = app.window.banner
    text = banner.text.text()
    assert app.window.provider.currentText() == "Offline simulator"  # never OpenAI's endpoint
    assert "Imported a curl request from the clipboard" in text
    assert "the key in the command was not imported" in text and "keyring" in text
    assert "https://contoso.openai.azure.com/openai/deployments/gpt-4o-prod?api-version=" in text
    assert banner.action.text() == "Add provider profile 'Azure contoso'"
    card = app.window.conversation.cards[0]
    assert card.message().text == "Hello Azure"
    app.qtbot.waitUntil(card.isVisible, timeout=3000)
    app.shot(app.window, "import_azure_offer")
    banner.action.click()
    profile = app.window.current_profile()
    assert profile.name == "Azure contoso" and profile.auth == "api-key"
    assert profile.query == {"api-version": "2024-10-21"}
    assert profile.headers == {"x-ms-client-request-id": "42"}
    assert app.window.collect().model == "gpt-4o-prod"
    assert "Store its key under Providers" in banner.text.text()
    card = app.window.conversation.cards[0]
    app.qtbot.waitUntil(card.isVisible, timeout=3000)
    app.shot(app.window, "import_azure_added")
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written and all(AZURE_KEY not in p.read_text(errors="replace") for p in written)
    assert AZURE_KEY not in app.window.collect().to_json()


def test_imported_items_stay_as_given_in_the_window(app: App) -> None:
    from tests.core.test_import_roundtrip import CALL, UNEDITED, normalised

    body = {
        "model": "gpt-4.1",
        "input": [{"role": "user", "content": "weather?"}, *UNEDITED, *CALL],
        "tools": [{"type": "function", "name": "lookup", "parameters": {"type": "object"}}],
    }
    app.window.exchange.import_from(json.dumps(body), "the clipboard")
    cards = app.window.conversation.cards
    shown = cards[1].findChildren(ReasoningItemView)  # collapsed, its summary, sent as given
    assert len(shown) == 1 and shown[0].toggle.text().startswith("Reasoning: ")
    assert "rs_1" in shown[0].toggle.toolTip()
    assert cards[1].editor.isReadOnly() and not cards[0].editor.isReadOnly()
    app.qtbot.waitUntil(cards[1].isVisible, timeout=3000)
    app.shot(app.window, "import_items_as_given")
    assert request.build(app.window.collect()).body == normalised(body)
    app.window.exchange.show_code()
    view = app.window.exchange.view
    view.format.setCurrentIndex(view.format.findData("json"))
    assert json.loads(view.text()) == normalised(body)


def test_the_code_tab_shows_encrypted_reasoning_by_its_length_and_copies_it_whole(
    app: App,
) -> None:
    from playground.core.workspace import Message, Workspace

    token = "gAAAA" + "Zq9" * 30
    item = {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": token}
    w = app.window
    w.load(
        Workspace(
            profile="Offline simulator",
            messages=[
                Message(content="hi"),
                Message(role="assistant", item=item),
                Message(role="assistant", content="hello"),
                Message(content="more"),
            ],
        )
    )
    w.exchange.show_code()
    view = w.exchange.view
    for fmt in ("python", "json", "curl"):
        view.format.setCurrentIndex(view.format.findData(fmt))
        app.qtbot.waitUntil(lambda: token in view.text(), timeout=3000)
        assert token not in view.code.toPlainText()
        assert f"<encrypted, {len(token)} chars>" in view.code.toPlainText()
        view.copy()
        assert token in QGuiApplication.clipboard().text()
