"""File inputs on the simulator: a PDF's text is read (inline or uploaded), what it cannot
read is named, and the request limits and image detail values are checked."""

from __future__ import annotations

import base64
import io
from typing import Any

import openai
import pytest

from playground.services.simulator import Simulator
from tests.conftest import run
from tests.services.sim_client import strict_client, tiny_pdf

PDF = tiny_pdf("Quarterly report: otters raised 42 fish.", "Second line of text.")


def _data_url(data: bytes, media: str = "application/pdf") -> str:
    return f"data:{media};base64,{base64.b64encode(data).decode()}"


def _ask(*parts: dict[str, Any]) -> list[Any]:
    return [
        {
            "role": "user",
            "content": [{"type": "input_text", "text": "Summarise the file."}, *parts],
        }
    ]


def test_a_pdf_sent_inline_is_read(simulator: Simulator) -> None:
    async def go() -> None:
        async with strict_client(simulator) as c:
            answer = await c.responses.create(
                model="gpt-4o-mini",
                input=_ask(
                    {"type": "input_file", "filename": "report.pdf", "file_data": _data_url(PDF)}
                ),
            )
            assert "`report.pdf` (1 page," in answer.output_text
            assert "otters raised 42 fish" in answer.output_text
            assert "Summarise the file." in answer.output_text  # the usual answer follows

    run(go())


def test_a_pdf_uploaded_for_user_data_is_read_by_its_id(simulator: Simulator) -> None:
    async def go() -> None:
        async with strict_client(simulator) as c:
            uploaded = await c.files.create(
                file=("report.pdf", io.BytesIO(PDF), "application/pdf"), purpose="user_data"
            )
            answer = await c.responses.create(
                model="gpt-4o-mini", input=_ask({"type": "input_file", "file_id": uploaded.id})
            )
            assert "otters raised 42 fish" in answer.output_text
            with pytest.raises(openai.NotFoundError):
                await c.responses.create(
                    model="gpt-4o-mini", input=_ask({"type": "input_file", "file_id": "file-nope"})
                )

    run(go())


def test_files_the_simulator_cannot_read_are_named(simulator: Simulator) -> None:
    async def go() -> None:
        async with strict_client(simulator) as c:
            with pytest.raises(openai.BadRequestError) as broken:
                await c.responses.create(
                    model="gpt-4o-mini",
                    input=_ask(
                        {
                            "type": "input_file",
                            "filename": "broken.pdf",
                            "file_data": _data_url(b"%PDF-1.4 not really"),
                        }
                    ),
                )
            assert "'broken.pdf' could not be read as a PDF" in broken.value.message
            assert broken.value.param == "input[0].content[1]"
            docx = await c.responses.create(
                model="gpt-4o-mini",
                input=_ask(
                    {
                        "type": "input_file",
                        "filename": "notes.docx",
                        "file_data": _data_url(b"PK\x03\x04", "application/octet-stream"),
                    }
                ),
            )
            assert "`notes.docx`: not read (the simulator cannot read .docx files)" in (
                docx.output_text
            )
            with pytest.raises(openai.BadRequestError) as none:
                await c.responses.create(
                    model="gpt-4o-mini", input=_ask({"type": "input_file", "filename": "x.pdf"})
                )
            assert none.value.code == "missing_required_parameter"

    run(go())


def test_files_over_the_request_limit_are_refused_with_the_limit_named(
    simulator: Simulator,
) -> None:
    big = b"%PDF" + b"0" * (32 * 1024 * 1024)

    async def go() -> None:
        async with strict_client(simulator, timeout=30) as c:
            with pytest.raises(openai.BadRequestError) as info:
                await c.responses.create(
                    model="gpt-4o-mini",
                    input=_ask(
                        {"type": "input_file", "filename": "big.pdf", "file_data": _data_url(big)}
                    ),
                )
            assert "at most 32 MB" in info.value.message
            assert info.value.param == "input"

    run(go())


def test_image_detail_takes_the_api_values(simulator: Simulator) -> None:
    pixel = _data_url(b"\x89PNG\r\n\x1a\n", "image/png")

    async def go() -> None:
        async with strict_client(simulator) as c:
            for detail in ("auto", "low", "high"):
                await c.responses.create(
                    model="gpt-4o-mini",
                    input=_ask({"type": "input_image", "image_url": pixel, "detail": detail}),
                )
            with pytest.raises(openai.BadRequestError) as info:
                await c.responses.create(
                    model="gpt-4o-mini",
                    input=_ask({"type": "input_image", "image_url": pixel, "detail": "medium"}),
                )
            assert info.value.param == "input[0].content[1].detail"
            assert "'medium'" in info.value.message

    run(go())
