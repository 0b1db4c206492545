"""Attachments in the window: a PDF and an image with its detail on a user message, a file
over the API's limit refused with the limit named, and the params panel's new rows."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QComboBox, QScrollArea

from playground.core import file_inputs
from playground.core.params import INCLUDE_VALUES, LOGPROBS_INCLUDE
from playground.core.workspace import FilePart, ImagePart, Workspace
from playground.ui import theme
from playground.ui.widgets.param_checks import CheckList
from tests.ui.conftest import App


def _pdf(path: Path) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def _png(path: Path) -> None:
    image = QImage(32, 32, QImage.Format.Format_RGB32)
    image.fill(QColor("teal"))
    image.save(str(path))


def _attach(app: App, tmp_path: Path) -> bytes:
    card = app.window.conversation.cards[0]
    png = tmp_path / "chart.png"
    _png(png)
    card.add_image(ImagePart(path=str(png), detail="auto"))
    data = _pdf(tmp_path / "report.pdf")
    assert card.attach_file(str(tmp_path / "report.pdf")) == ""
    return data


def test_a_pdf_and_an_image_with_its_detail_are_sent(app: App, tmp_path: Path) -> None:
    data = _attach(app, tmp_path)
    card = app.window.conversation.cards[0]
    combos = card.attachments.findChildren(QComboBox)
    detail = next(c for c in combos if c.accessibleName() == "Image detail")
    detail.setCurrentText("low")
    msg = card.message()
    assert [p.detail for p in msg.images] == ["low"]
    assert msg.files == [FilePart(filename="report.pdf", path=str(tmp_path / "report.pdf"))]
    app.run()
    content = app.last_body()["input"][0]["content"]
    assert content[1]["type"] == "input_image" and content[1]["detail"] == "low"
    assert content[2]["type"] == "input_file" and content[2]["filename"] == "report.pdf"
    sent = base64.b64decode(content[2]["file_data"].removeprefix("data:application/pdf;base64,"))
    assert sent == data and len(PdfReader(io.BytesIO(sent)).pages) == 1
    # the choice of upload is kept per file
    combos = card.attachments.findChildren(QComboBox)
    send = next(c for c in combos if c.accessibleName() == "How the file is sent")
    send.setCurrentText("upload")
    assert card.message().files[0].upload


def test_a_file_over_the_limit_is_refused_with_the_limit_named(app: App, tmp_path: Path) -> None:
    big = tmp_path / "scan.pdf"
    with big.open("wb") as f:  # sparse: no disk is used
        f.truncate(file_inputs.MAX_FILE_BYTES + 1)
    card = app.window.conversation.cards[0]
    refusal = card.attach_file(str(big))
    assert refusal == "Not attached: scan.pdf is 32.0 MB; the API takes files of at most 32.0 MB"
    assert card.attachments.problem.isVisible()
    assert card.attachments.problem.text() == refusal
    assert card.message().files == []


def _include(app: App) -> CheckList:
    control = app.window.params.control("include")
    assert isinstance(control, CheckList)
    return control


def test_include_checkboxes_and_the_linked_logprobs(app: App) -> None:
    params = app.window.params
    assert params.check("seed").text() == "seed (deprecated)"
    assert params.check("truncation").text() == "truncation (deprecated)"
    assert "deprecated" in params.check("truncation").toolTip()
    include = _include(app)
    assert list(include.boxes) == list(INCLUDE_VALUES)  # every value the spec lists
    params.check("include").setChecked(True)
    include.boxes["reasoning.encrypted_content"].setChecked(True)
    include.boxes[LOGPROBS_INCLUDE].setChecked(True)
    assert params.check("logprobs").isChecked()  # the box is the logprobs row
    ws = params.apply(Workspace())
    assert ws.params.include == ["reasoning.encrypted_content"]
    assert ws.params.logprobs is True
    params.check("logprobs").setChecked(False)
    assert not include.boxes[LOGPROBS_INCLUDE].isChecked()
    params.check("safety_identifier").setChecked(True)
    line: Any = params.control("safety_identifier")
    line.setText("user-5f2a")
    line.textEdited.emit("user-5f2a")
    app.run()
    body = app.last_body()
    assert body["include"] == ["reasoning.encrypted_content"]
    assert body["safety_identifier"] == "user-5f2a"


def test_screenshots_of_the_attachments_and_the_new_rows(
    app: App, qapp: Any, tmp_path: Path
) -> None:
    w = app.window
    w.resize(1366, 768)
    _attach(app, tmp_path)
    params = w.params
    params.advanced.setChecked(True)
    params.check("include").setChecked(True)
    _include(app).boxes["reasoning.encrypted_content"].setChecked(True)
    params.check("truncation").setChecked(True)
    params.check("max_tool_calls").setChecked(True)
    for dark in (False, True):
        theme.apply(qapp, dark=dark)
        try:
            app.qtbot.wait(50)
            app.shot(w, f"attachments_{'dark' if dark else 'light'}")
            w.setup_tabs.setCurrentWidget(params)
            area = params.parentWidget()
            while area is not None and not isinstance(area, QScrollArea):
                area = area.parentWidget()
            assert area is not None
            area.ensureWidgetVisible(params.check("truncation"), 0, 0)
            app.qtbot.wait(50)
            app.shot(w, f"params_new_rows_{'dark' if dark else 'light'}")
        finally:
            theme.apply(qapp, dark=False)
