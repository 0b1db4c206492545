"""Files marked for upload go through the simulator's Files API (purpose user_data) and the
request sends them by file_id; a file over the limit is refused before anything is sent."""

from __future__ import annotations

from pathlib import Path

import pytest

from playground.core import file_inputs, request
from playground.core.workspace import FilePart, Message, TextPart, Workspace
from playground.services.file_upload import upload_marked, upload_user_file
from playground.services.simulator import Simulator
from tests.conftest import run
from tests.services.test_simulator_batches import client
from tests.services.test_spec_matrix import validator

ORIGIN = ("Offline simulator", "in-process:test")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _ws(api: str, *parts: FilePart) -> Workspace:
    content = [TextPart(text="Summarise."), *parts]
    return Workspace(api=api, model="gpt-4o-mini", messages=[Message(content=content)])  # type: ignore[arg-type]


@pytest.mark.parametrize("api", ["responses", "chat"])
def test_a_marked_file_is_uploaded_and_sent_by_id(
    simulator: Simulator, tmp_path: Path, api: str
) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(PDF)
    ws = _ws(api, FilePart(path=str(pdf), upload=True), FilePart(path=str(pdf)))

    async def go() -> tuple[Workspace, bytes, str]:
        async with client(simulator) as c:
            sent = await upload_marked(c, ws, ORIGIN)
            file_id = sent.messages[0].files[0].file_id or ""
            stored = await c.files.retrieve(file_id)
            content = await c.files.content(file_id)
            return sent, content.content, stored.purpose

    sent, stored, purpose = run(go())
    assert stored == PDF and purpose == "user_data"
    uploaded, inline = sent.messages[0].files
    assert uploaded.file_id and uploaded.file_id.startswith("file-")
    assert inline.file_id is None  # not marked: stays inline
    body = request.build(sent, target=request.Target(files_origin=ORIGIN)).body
    validator(api).validate(body)
    parts = body["input" if api == "responses" else "messages"][0]["content"]
    wanted = {"file_id": uploaded.file_id, "filename": "report.pdf"}
    assert parts[1] == (
        {"type": "input_file", **wanted} if api == "responses" else {"type": "file", "file": wanted}
    )
    assert "file_data" in (parts[2] if api == "responses" else parts[2]["file"])


def test_nothing_marked_means_nothing_uploaded(simulator: Simulator) -> None:
    ws = _ws("responses", FilePart(file_id="file-given"))

    async def go() -> Workspace:
        async with client(simulator) as c:
            return await upload_marked(c, ws, ORIGIN)

    assert run(go()) is ws


def test_a_file_over_the_limit_is_refused_before_it_is_sent(simulator: Simulator) -> None:
    big = b"\0" * (file_inputs.MAX_FILE_BYTES + 1)

    async def go() -> None:
        async with client(simulator) as c:
            before = len((await c.files.list()).data)
            with pytest.raises(file_inputs.FileTooLarge, match=r"at most 32\.0 MB"):
                await upload_user_file(c, "huge.pdf", big)
            assert len((await c.files.list()).data) == before

    run(go())
