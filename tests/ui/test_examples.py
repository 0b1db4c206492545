"""File ▸ New from example: every example opens from the menu and runs end to end on the
simulator (the tool loop on its mock), with an answer that fits what the example shows."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from playground.core import examples
from playground.core.workspace import Message, Workspace
from playground.ui.widgets.reasoning_view import ReasoningItemView
from playground.ui.widgets.tool_step import ToolStep
from tests.ui.conftest import App


def example_menu(app: App) -> QMenu:
    menus = [
        a.menu()
        for a in app.window.file_menu.actions()
        if a.menu() is not None and "example" in a.text().replace("&", "").lower()
    ]
    assert len(menus) == 1, "File has one New from example menu"
    return menus[0]  # type: ignore[return-value]


def open_from_menu(app: App, name: str) -> None:
    menu = example_menu(app)
    action = next(a for a in menu.actions() if a.objectName() == f"example-{name}")
    action.trigger()
    app.qtbot.wait(20)


def answer(app: App) -> str:
    card = app.window.conversation.cards[-1]
    assert card.message().role == "assistant"
    return card.message().text


def finished_response_id(app: App) -> str:
    model = app.window.raw.events.model()
    for row in range(model.rowCount()):
        if model.index(row, 0).data() == "Finished":
            found = re.search(r"resp_\w+", str(model.index(row, 2).data()))
            assert found, model.index(row, 2).data()
            return found.group(0)
    raise AssertionError("no Finished event in the Raw tab")


def test_the_menu_offers_every_example_with_its_description(app: App) -> None:
    menu = example_menu(app)
    titles = [a.text() for a in menu.actions()]
    assert titles == [e.title for e in examples.EXAMPLES]
    assert len(titles) == 7
    assert all(a.toolTip() and a.statusTip() for a in menu.actions())


def test_an_example_opens_in_a_new_tab_unless_the_current_one_is_empty(app: App) -> None:
    docs = app.pg.documents
    assert docs is not None
    before = len(docs.docs)  # the fixture's tab has a message: not empty
    open_from_menu(app, "first-chat")
    assert len(docs.docs) == before + 1
    assert app.window.ws.messages[-1].text.startswith("What is the difference")
    assert docs.bar.tabText(docs.current).startswith("A first chat completion")
    assert "Example: A first chat completion" in app.window.banner.text.text()
    docs.new()  # an empty tab: the next example goes into it
    count = len(docs.docs)
    open_from_menu(app, "streaming")
    assert len(docs.docs) == count
    assert docs.bar.tabText(docs.current).startswith("Streaming")
    assert app.window.ws.stream and app.window.ws.api == "chat"


def _run_clean(app: App) -> None:
    errors = [f for f in app.window.findings if f.severity == "error"]
    assert not errors, errors
    app.run()
    cards = app.window.conversation.cards
    assert cards[-1].message().role == "assistant", "the run ended in an answer"


def test_first_chat_completion_answers_in_one_piece(app: App) -> None:
    open_from_menu(app, "first-chat")
    _run_clean(app)
    body = app.last_body()
    assert "stream" not in body and body["max_completion_tokens"] == 512
    assert body["messages"][0]["role"] == "system"
    assert "process and a thread" in answer(app)


def test_streaming_streams(app: App) -> None:
    open_from_menu(app, "streaming")
    _run_clean(app)
    assert app.last_body()["stream"] is True
    model = app.window.raw.events.model()
    deltas = [r for r in range(model.rowCount()) if model.index(r, 0).data() == "TextDelta"]
    assert len(deltas) > 5
    assert "transformer attention" in answer(app)


def test_the_stock_price_tool_loop_answers_from_the_mock(app: App) -> None:
    open_from_menu(app, "stock-tool-loop")
    _run_clean(app)
    step = next(w for w in app.window.conversation.transient if isinstance(w, ToolStep))
    step.mocks.click()
    app.qtbot.waitUntil(lambda: len(app.sim.bodies()) >= 2, timeout=5000)
    app.wait_idle()
    sent = app.sim.bodies()[1]["messages"]
    assert sent[-1]["role"] == "tool" and json.loads(sent[-1]["content"])["price"] == 182.34
    text = answer(app)
    assert "get_stock_price" in text and "182.34" in text


def test_job_posting_answer_fits_its_schema(app: App) -> None:
    open_from_menu(app, "job-posting")
    _run_clean(app)
    assert app.last_body()["response_format"]["json_schema"]["name"] == "JobPosting"
    posting = json.loads(answer(app))
    jsonschema.validate(posting, examples.JOB_POSTING.json_schema)
    assert set(posting) == {"title", "company", "required_skills", "years_experience", "remote"}


def test_previous_response_id_continues_the_stored_conversation(app: App) -> None:
    open_from_menu(app, "previous-response")
    _run_clean(app)
    assert "joke about computers" in answer(app)
    first = finished_response_id(app)
    assert app.window.ws.state == "chain"  # the example chains its turns
    ws = app.window.ws
    follow = ws.model_copy(
        update={"messages": [*ws.messages, Message(content="Why is that funny?")]}
    )
    app.window.load(follow, "Add the follow-up")
    # the findings are checked again after the edit ("nothing new to send" goes)
    app.qtbot.waitUntil(
        lambda: not [f for f in app.window.findings if f.severity == "error"], timeout=3000
    )
    _run_clean(app)
    body = app.last_body()
    assert body["previous_response_id"] == first
    assert body["input"] == [{"role": "user", "content": "Why is that funny?"}]
    assert "Why is that funny?" in answer(app)
    assert finished_response_id(app) != first


def test_the_reasoning_model_shows_its_summary(app: App) -> None:
    open_from_menu(app, "reasoning-summary")
    _run_clean(app)
    assert app.last_body()["reasoning"] == {"effort": "high", "summary": "auto"}
    card = app.window.conversation.cards[-1]
    assert not card.reasoning_toggle.isVisible()  # the summary is on the reasoning item's card
    item = app.window.conversation.cards[-2].findChildren(ReasoningItemView)[0]
    item.toggle.click()
    assert item.summary.isVisible()
    assert item.summary.textFormat() == Qt.TextFormat.MarkdownText  # rendered, not raw
    assert "day trading strategy" in item.summary.text()
    assert "day trading strategy" in answer(app)
    app.qtbot.wait(30)
    app.shot(app.window, "example_reasoning_summary")


def test_model_routing_picks_a_route_the_schema_allows(app: App) -> None:
    open_from_menu(app, "model-routing")
    _run_clean(app)
    routed = json.loads(answer(app))
    jsonschema.validate(routed, examples.ROUTE_FORMAT.json_schema)
    assert examples.ROUTES[routed["route"]] in {examples.CHEAP, examples.REASONING}


@pytest.mark.parametrize("name", examples.names())
def test_each_example_is_a_valid_workspace_that_round_trips(name: str) -> None:
    ws = examples.get(name).workspace()
    assert Workspace.model_validate_json(ws.to_json()) == ws
    assert ws.profile == "Offline simulator"
