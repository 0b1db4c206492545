"""Files and images as input: what is sent in each API, the size limit, image detail, and the
way back through export (JSON, curl, Python async and sync) and import."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from playground.core import file_inputs, request, token_estimate
from playground.core.export import export
from playground.core.import_sources import import_text
from playground.core.importer import from_body
from playground.core.migrations import migrate
from playground.core.workspace import FilePart, ImagePart, Message, TextPart, Workspace
from tests.services.test_spec_matrix import validator

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PDF_URL = "data:application/pdf;base64," + base64.b64encode(PDF).decode()


def _ws(api: str, *parts: Any) -> Workspace:
    content = [TextPart(text="What is in these?"), *parts]
    return Workspace(api=api, model="gpt-5.5", messages=[Message(content=content)])  # type: ignore[arg-type]


def test_a_local_pdf_is_sent_inline_with_its_name_in_both_apis(tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(PDF)
    part = FilePart(path=str(pdf))
    body = request.build(_ws("responses", part)).body
    assert body["input"][0]["content"][1] == {
        "type": "input_file",
        "filename": "report.pdf",
        "file_data": PDF_URL,
    }
    validator("responses").validate(body)
    chat = request.build(_ws("chat", part)).body
    assert chat["messages"][0]["content"][1] == {
        "type": "file",
        "file": {"filename": "report.pdf", "file_data": PDF_URL},
    }
    validator("chat").validate(chat)


def test_a_file_id_is_sent_by_id_where_its_upload_went() -> None:
    there = ("OpenAI", "https://api.openai.com/v1")
    part = FilePart(
        file_id="file-abc123",
        path="/gone/report.pdf",
        upload=True,
        uploaded_to=there[0],
        upload_server=there[1],
    )
    target = request.Target(files_origin=there)
    built = request.build(_ws("responses", part), target=target)
    assert built.body["input"][0]["content"][1] == {"type": "input_file", "file_id": "file-abc123"}
    validator("responses").validate(built.body)
    (note,) = [f for f in built.findings if f.code == file_inputs.FILE_ID_STORED]
    assert note.severity == "info" and "file-abc123 uploaded to 'OpenAI'" in note.message
    chat = request.build(_ws("chat", part), target=target).body
    assert chat["messages"][0]["content"][1] == {"type": "file", "file": {"file_id": "file-abc123"}}


def test_a_file_id_the_user_gave_is_sent_as_it_is() -> None:
    body = request.build(_ws("responses", FilePart(file_id="file-given"))).body
    assert body["input"][0]["content"][1] == {"type": "input_file", "file_id": "file-given"}


def test_a_file_marked_for_upload_without_an_id_yet_is_sent_inline_and_says_so(
    tmp_path: Path,
) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(PDF)
    built = request.build(_ws("responses", FilePart(path=str(pdf), upload=True)))
    assert built.body["input"][0]["content"][1]["file_data"] == PDF_URL
    notes = [f for f in built.findings if f.path == "messages[0].content[1]"]
    assert [f.severity for f in notes] == ["info"] and "marked for upload" in notes[0].message


def test_a_missing_file_is_an_error_finding_not_a_silent_gap(tmp_path: Path) -> None:
    built = request.build(_ws("responses", FilePart(path=str(tmp_path / "gone.pdf"))))
    assert [f.severity for f in built.findings if f.path == "messages[0].content[1]"] == ["error"]


def test_a_file_over_the_limit_is_refused_with_the_limit_named() -> None:
    with pytest.raises(file_inputs.FileTooLarge) as err:
        file_inputs.check_size("big.pdf", file_inputs.MAX_FILE_BYTES + 1)
    assert str(err.value) == "big.pdf is 32.0 MB; the API takes files of at most 32.0 MB"
    file_inputs.check_size("ok.pdf", file_inputs.MAX_FILE_BYTES)  # at the limit: taken
    big = "data:application/pdf;base64," + "A" * (file_inputs.MAX_FILE_BYTES // 3 * 4 + 8)
    built = request.build(_ws("responses", FilePart(filename="big.pdf", file_data=big)))
    found = [f for f in built.findings if f.path == "messages[0].content[1]"]
    assert found and found[0].severity == "error" and "at most 32.0 MB" in found[0].message


def test_files_over_the_request_limit_together_are_an_error_finding() -> None:
    each = "data:application/pdf;base64," + "A" * (30_000_000 // 3 * 4)
    parts = [FilePart(filename=f"{i}.pdf", file_data=each) for i in range(2)]
    built = request.build(_ws("responses", *parts))
    found = [f for f in built.findings if f.path == "messages"]
    assert found and found[0].severity == "error"
    assert found[0].message == (
        "the attached files add up to 57.2 MB; one request takes at most 32.0 MB of files"
    )


def test_image_detail_is_sent_and_required_detail_defaults_to_auto() -> None:
    url = "https://example.com/cat.png"
    body = request.build(_ws("responses", ImagePart(url=url, detail="low"), ImagePart(url=url)))
    parts = body.body["input"][0]["content"]
    assert parts[1]["detail"] == "low" and parts[2]["detail"] == "auto"
    validator("responses").validate(body.body)
    chat = request.build(_ws("chat", ImagePart(url=url, detail="high"))).body
    assert chat["messages"][0]["content"][1]["image_url"] == {"url": url, "detail": "high"}
    validator("chat").validate(chat)
    original = request.build(_ws("chat", ImagePart(url=url, detail="original")))
    assert any(f.severity == "error" for f in original.findings if f.path.endswith(".detail"))


BODIES = {
    "responses": {
        "model": "gpt-5.5",
        "input": [
            {
                "role": "user",
                "content": [
                    {"type": "input_text", "text": "Compare these."},
                    {"type": "input_file", "filename": "report.pdf", "file_data": PDF_URL},
                    {"type": "input_file", "file_id": "file-abc123"},
                    {"type": "input_image", "image_url": "https://e.com/a.png", "detail": "low"},
                ],
            }
        ],
    },
    "chat": {
        "model": "gpt-5.5",
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "Compare these."},
                    {"type": "file", "file": {"filename": "report.pdf", "file_data": PDF_URL}},
                    {"type": "file", "file": {"file_id": "file-abc123"}},
                    {
                        "type": "image_url",
                        "image_url": {"url": "https://e.com/a.png", "detail": "high"},
                    },
                ],
            }
        ],
    },
}


@pytest.mark.parametrize("api", ["responses", "chat"])
def test_file_parts_and_image_detail_import_editable_and_export_the_same(api: str) -> None:
    body = BODIES[api]
    result = from_body(body)
    msg = result.workspace.messages[0]
    assert msg.item is None  # editable, not kept as given
    assert [p.filename for p in msg.files] == ["report.pdf", None]
    assert msg.files[1].file_id == "file-abc123"
    assert msg.images[0].detail == ("low" if api == "responses" else "high")
    for fmt in ("json", "curl", "python", "python-sync"):
        again = import_text(export(result.workspace, fmt))  # type: ignore[arg-type]
        assert request.build(again.workspace).body == body, fmt
        assert again.workspace.messages[0].files == msg.files, fmt


def test_an_input_image_without_detail_is_kept_as_given() -> None:
    given = {"type": "input_image", "image_url": "https://e.com/a.png"}
    body = {"model": "m", "input": [{"role": "user", "content": [given]}]}
    assert request.build(from_body(body).workspace).body == body


def test_an_older_workspace_file_gets_detail_auto_on_its_images() -> None:
    old = {
        "schema_version": 6,
        "messages": [{"role": "user", "content": [{"type": "image", "url": "https://e/a.png"}]}],
    }
    ws = Workspace.model_validate(migrate(old))
    assert ws.messages[0].images[0].detail == "auto"
    assert json.loads(ws.model_dump_json())["messages"][0]["content"][0]["detail"] == "auto"


def test_the_token_estimate_takes_file_parts(tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(PDF)
    for api in ("responses", "chat"):
        kwargs = request.build(_ws(api, FilePart(path=str(pdf)), FilePart(file_id="f"))).kwargs
        assert token_estimate.estimate(api, kwargs) > 0
