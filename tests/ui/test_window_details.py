"""Smaller promises of the window: server models, images, the raw view, layout, first start."""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QColor, QImage

from playground.core.workspace import ImagePart
from tests.ui.conftest import App


def test_server_models_are_merged_into_the_picker(app: App) -> None:
    app.sim.extra_models.add("my-local-model")
    app.window.providers.list_models(app.window.current_profile())
    app.qtbot.waitUntil(lambda: "my-local-model" in app.window.model.model_ids(), timeout=5000)
    ids = app.window.model.model_ids()
    assert ids.index("my-local-model") > ids.index("gpt-5-nano")  # after the catalog groups
    app.window.model.set_model("my-local-model")
    app.window.model.model_chosen.emit("my-local-model")
    assert app.window.params.check("temperature").isEnabled()  # unknown ids are permissive
    app.run()
    assert app.last_body()["model"] == "my-local-model"


def test_pasted_image_becomes_a_thumbnail_and_a_data_url(app: App) -> None:
    card = app.window.conversation.cards[0]
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    mime = QMimeData()
    mime.setImageData(image)
    card.editor.insertFromMimeData(mime)
    msg = card.message()
    assert len(msg.images) == 1 and msg.images[0].path and Path(msg.images[0].path).exists()
    assert card.thumbs.count() == 2  # the thumbnail and the stretch
    app.run()
    part = app.last_body()["input"][0]["content"][1]
    assert part["type"] == "input_image"
    assert part["image_url"].startswith("data:image/png;base64,")
    png = base64.b64decode(part["image_url"].split(",", 1)[1])
    assert png.startswith(b"\x89PNG")


def test_url_image_is_sent_as_given(app: App) -> None:
    card = app.window.conversation.cards[0]
    card.add_image(ImagePart(url="https://example.com/cat.png"))
    app.window.api_buttons["chat"].click()
    app.run()
    content = app.last_body()["messages"][-1]["content"]
    assert content[1] == {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}


def test_raw_tab_shows_the_exact_body_and_the_events(app: App) -> None:
    app.run()
    assert json.loads(app.window.raw.request.toPlainText()) == app.last_body()
    model = app.window.raw.events.model()
    kinds = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert kinds[0] == "RunStarted" and kinds[-1] == "Finished" and "TextDelta" in kinds


def test_layout_is_restored(app: App) -> None:
    app.window.resize(1000, 700)  # smaller than the offscreen screen, so nothing is clamped
    app.window.splitter.setSizes([250, 450, 290])
    sizes = app.window.splitter.sizes()
    app.window.close()
    first = app.window
    again = app.pg.open_window()
    app.qtbot.addWidget(again)
    app.window = again
    again.show()
    again.restore_layout()
    assert again.size() == first.size()
    assert again.splitter.sizes() == sizes


def test_with_a_stored_key_the_app_opens_on_openai(app: App) -> None:
    app.keyring.set_password("playground-openai", "OpenAI", "sk-marker-start")
    app.pg._welcome = True
    task = asyncio.ensure_future(app.pg.first_start_check())
    app.qtbot.waitUntil(task.done, timeout=3000)
    assert app.window.provider.currentText() == "OpenAI"
    assert not app.window.banner.isVisible()


def test_a_huge_paste_goes_in_by_pieces_and_arrives_whole(app: App) -> None:
    card = app.window.conversation.cards[0]
    card.editor.setPlainText("")
    text = "".join(f"line {i} of a very long paste\n" for i in range(120_000))  # ~3.5 MB
    mime = QMimeData()
    mime.setText(text)
    card.editor.insertFromMimeData(mime)
    assert card.editor.pasting  # the call returned before all of it was in: the window paints
    app.qtbot.waitUntil(lambda: not card.editor.pasting, timeout=20_000)
    assert card.editor.toPlainText() == text
    app.window._revalidate()
    assert app.window.collect().messages[0].text == text
