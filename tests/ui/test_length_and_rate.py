"""The output-token limit in the window (one outcome for both APIs, with Continue), the
figures of a non-streamed run, and text split inside surrogate pairs as the window shows it."""

from __future__ import annotations

import pytest

from playground.core.workspace import Message, Parameters, Workspace
from playground.services.simulator import Scenario
from playground.ui.widgets.tool_step import ErrorCard
from tests.services.sse_builders import chat_chunk, delta, sse
from tests.ui.conftest import App


@pytest.mark.parametrize("api", ["chat", "responses"])
def test_an_answer_stopped_at_the_limit_offers_continue(app: App, api: str) -> None:
    w = app.window
    w.load(
        Workspace(
            api=api,
            profile="Offline simulator",
            model="gpt-4o-mini",
            messages=[Message(content="Explain SSE briefly.")],
            params=Parameters(max_output_tokens=16),
        )
    )
    app.run()
    card = w.conversation.cards[-1]
    partial = card.text()
    assert partial and card.role.currentText() == "assistant"
    assert card.limit_note.isVisible()
    assert card.limit_note.text() == "stopped at the output-token limit"
    assert card.continue_button.isVisible()
    assert not [t for t in w.conversation.transient if isinstance(t, ErrorCard)]  # not a failure
    app.shot(w, f"length_continue_{api}")
    app.shot(card, f"length_continue_card_{api}")
    # the mark is part of the answer: a tab switch or a restart rebuilds the card with it
    saved = w.collect()
    assert saved.messages[-1].finish == "length"
    assert '"finish": "length"' in saved.to_json()
    w.load(Workspace())
    w.load(saved)
    app.wait_idle()
    card = w.conversation.cards[-1]
    assert card.text() == partial and card.limit_note.isVisible()
    assert card.continue_button.isVisible()

    card.continue_button.click()
    app.qtbot.waitUntil(lambda: len(app.sim.bodies()) == 2, timeout=5000)
    app.wait_idle()
    body = app.last_body()
    turns = body["messages"] if api == "chat" else body["input"]
    last = turns[-1]
    assert last["role"] == "assistant" and "finish" not in last  # the app's mark, never sent
    content = last["content"]
    said = content if isinstance(content, str) else "".join(p["text"] for p in content)
    assert said == partial  # the partial answer went back, so the model continues it
    assert not card.continue_button.isVisible()


def test_a_non_streamed_run_shows_no_rate(app: App) -> None:
    w = app.window
    w.load(
        Workspace(
            profile="Offline simulator",
            model="gpt-4o-mini",
            messages=[Message(content="hi")],
            stream=False,
        )
    )
    app.run()
    assert "tok/s n/a" in w.status.text()


def test_a_split_pair_shows_as_one_character(app: App) -> None:
    w = app.window
    app.sim.enqueue(
        Scenario(
            raw_sse=sse(
                [
                    chat_chunk([delta(role="assistant", content="Smile \ud83d")]),
                    chat_chunk([delta(content="\ude00 e")]),
                    chat_chunk([delta(content="\u0301!")]),
                    chat_chunk([delta("stop")]),
                ]
            )
        )
    )
    w.load(
        Workspace(
            api="chat",
            profile="Offline simulator",
            model="gpt-4o-mini",
            messages=[Message(content="hi")],
        )
    )
    app.run()
    assert w.conversation.cards[-1].text() == "Smile 😀 e\u0301!"
    assert w.collect().messages[-1].text == "Smile 😀 e\u0301!"
    w.collect().to_json().encode("utf-8")  # the autosave writes this


def test_a_stream_the_sdk_cannot_read_keeps_the_partial_answer(app: App) -> None:
    from tests.services.test_real_streams import keep_alive_stream

    w = app.window
    app.sim.enqueue(Scenario(raw_sse=keep_alive_stream()))
    w.load(
        Workspace(
            api="chat",
            profile="Offline simulator",
            model="gpt-4o-mini",
            messages=[Message(content="hi")],
        )
    )
    app.run()
    assert w.conversation.cards[-1].text() == "Partial "
    cards = [t for t in w.conversation.transient if isinstance(t, ErrorCard)]
    assert len(cards) == 1
    shown = " ".join(label.text() for label in cards[0].findChildren(type(cards[0].message)))
    host = app.sim.base_url.split("//")[1].split("/")[0]
    assert "The server's stream could not be read" in shown and host in shown
    assert "Traceback" not in shown and "Expecting value" not in shown
    app.shot(w.conversation, "unreadable_stream")
