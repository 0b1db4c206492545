"""The SDK client the simulator state tests use: strict response validation, no retries."""

from __future__ import annotations

import openai

from playground.services.simulator import Simulator

WEATHER_TOOL = {
    "type": "function",
    "name": "get_weather",
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
        "additionalProperties": False,
    },
    "strict": True,
}
"""A strict function tool in the Responses shape, for the simulator tests."""


def strict_client(sim: Simulator, timeout: float = 5) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(
        base_url=sim.base_url,
        api_key="sk-test",
        max_retries=0,
        _strict_response_validation=True,
        timeout=timeout,
    )


def tiny_pdf(*lines: str) -> bytes:
    """A one-page PDF whose text is `lines` (Helvetica, one line each), built by hand so the
    tests need no PDF writer: objects, a cross-reference table and a trailer (PDF 1.4)."""
    ops = ["BT /F1 14 Tf 20 120 Td 16 TL"]
    ops += [f"({line}) Tj T*" for line in lines]
    content = (" ".join(ops) + " ET").encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 144] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for n, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out
