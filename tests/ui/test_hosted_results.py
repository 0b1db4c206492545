"""Hosted tools' results in the conversation, run on the simulator: a web search shows its
query and sources and the answer numbered links with a source list; a file search its hits;
code its highlighted code, logs and image; a generated image shows and saves as a PNG."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QLabel, QPlainTextEdit

from playground.core.citations import cited_markdown
from playground.core.workspace import Message, ToolChoice, Workspace
from playground.services.simulator import Scenario
from playground.ui import theme
from playground.ui.widgets.hosted_results import HostedResults
from playground.ui.widgets.message_card import MessageCard
from playground.ui.widgets.picture import LARGE_SIDE, PREVIEW_SIDE, Picture
from tests.core.test_hosted_options import FULL
from tests.core.test_import_roundtrip import HOSTED_ITEMS
from tests.ui.conftest import App, new_gate

KINDS = ("web_search", "file_search", "code_interpreter", "image_generation")
CHOICE = {"web_search": "web_search_preview"}


def hosted_ws(kind: str) -> Workspace:
    b = FULL.model_copy(update={k: k == kind for k in KINDS}, deep=True)
    b.file_options.score_threshold = None
    return Workspace(
        profile="Offline simulator",
        model="gpt-4.1-mini",
        builtin_tools=b,
        tool_choice=ToolChoice(mode="hosted", hosted=CHOICE.get(kind, kind)),
        messages=[Message(content="Please look into refunds")],
    )


def labels(w: HostedResults) -> str:
    return "\n".join(label.text() for label in w.findChildren(QLabel))


def run_kind(app: App, kind: str) -> list[MessageCard]:
    app.window.resize(1366, 768)
    app.window.load(hosted_ws(kind))
    app.run()
    cards = app.window.conversation.cards
    assert len(cards) == 3, [c.message() for c in cards]
    return cards


def test_web_search_shows_query_sources_and_numbered_citations(app: App, qapp: Any) -> None:
    _, call, answer = run_kind(app, "web_search")
    assert call.results.isVisible() and not call.stack.isVisible()
    shown = labels(call.results)
    assert "Web search" in shown and "&quot;Please look into refunds&quot;" in shown
    assert "https://example.org/please-look-into-refunds/1" in shown
    html = answer.view.toHtml()
    for n in (1, 2):
        assert f'href="https://example.org/please-look-into-refunds/{n}"' in html
        assert f"[{n}]" in answer.view.toPlainText()
    sources = labels(answer.results)
    assert "Source 1 on please-look-into-refunds" in sources and "<ol" in sources
    assert answer.message().text == app.sim.responses_output()[1]["content"][0]["text"]
    shots(app, qapp, "web_search")


def test_file_search_shows_its_hits(app: App, qapp: Any) -> None:
    _, call, answer = run_kind(app, "file_search")
    shown = labels(call.results)
    assert "handbook.md" in shown and "score 0." in shown and "Refunds are paid" in shown
    assert "\\[1\\]" not in answer.view.toPlainText() and "[1]" in answer.view.toPlainText()
    assert "handbook.md" in labels(answer.results)
    shots(app, qapp, "file_search")


def test_code_shows_highlighted_code_logs_and_image(app: App, qapp: Any) -> None:
    _, call, _ = run_kind(app, "code_interpreter")
    code = call.results.findChild(QPlainTextEdit)
    assert code is not None and "print(sum(values))" in code.toPlainText()
    block = code.document().findBlockByNumber(2)  # print(...): "print" is a builtin name
    assert any(r.format.foreground().color().isValid() for r in block.layout().formats())
    logs = call.results.findChild(QLabel, "logs")
    assert logs is not None and logs.text().strip().isdigit()
    picture = call.results.findChild(QLabel, "picture")
    assert picture is not None and picture.pixmap().width() == PREVIEW_SIDE[0]  # a 32 px chart
    shots(app, qapp, "code_interpreter")


def test_a_code_image_opens_larger_on_click_and_saves(app: App, qapp: Any, tmp_path: Path) -> None:
    _, call, _ = run_kind(app, "code_interpreter")
    picture = call.results.findChild(Picture)
    assert picture is not None
    app.qtbot.mouseClick(picture.label, Qt.MouseButton.LeftButton)
    viewer = picture.viewer
    assert viewer is not None and viewer.isVisible()
    large = viewer.findChild(QLabel, "large")
    assert large is not None and large.pixmap().width() == LARGE_SIDE
    app.shot(viewer, "code_interpreter_image_larger")
    viewer.close()
    picture.label.customContextMenuRequested.emit(picture.label.rect().center())
    menu = picture.menu
    assert [a.text() for a in menu.actions()] == ["View larger", "Save image…", "Copy image"]
    menu.close()
    target = tmp_path / "chart.png"
    call.results.ask_path = lambda _parent, _name: str(target)  # type: ignore[method-assign]
    next(a for a in menu.actions() if a.text() == "Save image…").trigger()
    image = QImage(str(target))
    assert not image.isNull() and image.width() == 32  # saved at its own size
    assert call.results.save.text() == "Save image…" and call.results.save.isVisible()
    assert app.window.status.text() == f"Saved image to {target}"
    next(a for a in menu.actions() if a.text() == "Copy image").trigger()
    copied = QGuiApplication.clipboard().image()
    assert copied.width() == 32 and app.window.status.text() == "Copied the image"


def test_a_generated_image_shows_and_saves_as_a_png(app: App, qapp: Any, tmp_path: Path) -> None:
    _, call, _ = run_kind(app, "image_generation")
    results = call.results
    picture = results.findChild(QLabel, "picture")
    assert picture is not None and picture.pixmap().width() == PREVIEW_SIDE[0]
    out = tmp_path / "out"
    out.mkdir()
    target = out / "saved.png"
    results.ask_path = lambda _parent, _name: str(target)  # type: ignore[method-assign]
    saved: list[str] = []
    results.image_saved.connect(saved.append)
    results.save.click()
    assert saved == [str(target)]
    assert app.window.status.text() == f"Saved image to {target}"  # said on the status line
    image = QImage(str(target))
    assert not image.isNull() and image.width() == 96 and image.height() == 96
    assert [p.name for p in out.iterdir()] == ["saved.png"]  # no temporary file is left
    shots(app, qapp, "image_generation")


def shots(app: App, qapp: Any, kind: str) -> None:
    w = app.window
    for dark in (False, True):
        theme.apply(qapp, dark=dark)
        try:
            app.qtbot.wait(50)
            app.shot(w, f"hosted_{kind}_{'dark' if dark else 'light'}")
        finally:
            theme.apply(qapp, dark=False)


notes = st.lists(
    st.fixed_dictionaries(
        {
            "type": st.just("url_citation"),
            "url": st.sampled_from(["https://a.org/1", "https://b.org/(x)", "https://c.org/"]),
            "title": st.text(max_size=8),
            "start_index": st.integers(-3, 60),
            "end_index": st.integers(-3, 60),
        }
    ),
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=50), notes)
def test_any_annotations_over_any_text_render_and_number_their_sources(
    qapp: Any, text: str, annotations: list[dict[str, Any]]
) -> None:
    _, found = cited_markdown(text, annotations)
    assert [s.number for s in found] == list(range(1, len(found) + 1))
    assert len({s.url for s in found}) == len(found)
    item = {
        "type": "message",
        "role": "assistant",
        "content": [{"type": "output_text", "text": text, "annotations": annotations}],
    }
    card = MessageCard(Message(role="assistant", content=text or "x", item=item))
    shown = card.view.toHtml()
    plain = card.view.toPlainText()
    card.deleteLater()
    valid = [
        a
        for a in annotations
        if 0 <= a["start_index"] <= a["end_index"] <= len(text or "x") and text
    ]
    for a in valid:
        number = next(s.number for s in found if s.url == a["url"])
        assert f"[{number}]" in plain
    for s in found:
        if any(a["url"] == s.url for a in valid):
            assert "href=" in shown


def test_a_loaded_conversation_shows_its_kept_results(app: App) -> None:
    items = [i for i in HOSTED_ITEMS if i["type"] != "message"]
    answer = next(i for i in HOSTED_ITEMS if i["type"] == "message")
    ws = Workspace(
        messages=[
            Message(content="Hi"),
            *[Message(role="assistant", item=i) for i in items],
            Message(role="assistant", content="See A.", item=answer),
        ]
    )
    app.window.load(ws)
    app.qtbot.wait(50)
    cards = list(app.window.conversation.cards)
    web, image, code, files, cited = cards[1:]
    assert "no image that can be shown" in labels(image.results)  # a cut PNG: no Save
    assert "https://a.org/" in labels(web.results)
    assert code.results.findChild(QPlainTextEdit).toPlainText() == "print(1)"
    assert "results not included" in labels(files.results)
    assert "[1]" in cited.view.toPlainText() and 'href="https://a.org/"' in cited.view.toHtml()
    assert app.window.conversation.apply(Workspace()).messages == ws.messages


def test_a_held_web_search_shows_its_step_then_its_results(app: App) -> None:
    gate = new_gate()
    # frames: created, in_progress, item added, search in_progress, searching | completed ...
    app.sim.enqueue(Scenario(gate_after=5, gate=gate))
    app.window.load(hosted_ws("web_search"))
    app.window.run()
    conversation = app.window.conversation
    app.qtbot.waitUntil(
        lambda: conversation.live is not None and "searching" in conversation.live.badge.text(),
        timeout=5000,
    )
    assert conversation.live.badge.text() == "web search: searching"
    assert len(conversation.cards) == 2  # the call's card comes when it is done
    gate.set()
    app.wait_idle()
    cards = conversation.cards
    assert len(cards) == 3 and not cards[2].badge.isVisible()
    assert "Web search" in labels(cards[1].results)


def test_short_code_fits_its_box_in_a_narrow_column(app: App, qapp: Any) -> None:
    w = app.window
    w.resize(1000, 700)
    question = "Please add up the squares of the first few numbers and show me"
    w.load(
        hosted_ws("code_interpreter").model_copy(update={"messages": [Message(content=question)]})
    )
    app.run()
    call = w.conversation.cards[1]
    app.qtbot.wait(100)
    code = call.results.findChild(QPlainTextEdit)
    assert code is not None and code.toPlainText().startswith("# Please add up")
    assert code.horizontalScrollBar().isVisible()  # the first line is wider than the column
    assert not code.verticalScrollBar().isVisible()  # 3 lines: no vertical scrollbar
    assert code.verticalScrollBar().value() == 0 and code.firstVisibleBlock().blockNumber() == 0
    last = code.document().lastBlock()
    bottom = code.blockBoundingGeometry(last).translated(code.contentOffset()).bottom()
    assert bottom <= code.viewport().height()  # the last line is whole, above any scrollbar
    code.setPlainText("x = 1\n" + "y = '" + "long " * 60 + "'\nprint(x)")
    app.qtbot.wait(50)
    assert code.horizontalScrollBar().isVisible() and not code.verticalScrollBar().isVisible()
    bottom = code.blockBoundingGeometry(code.document().lastBlock()).bottom()
    assert bottom + code.contentOffset().y() <= code.viewport().height()
    app.shot(w, "hosted_code_narrow_1000")
