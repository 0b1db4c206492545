"""Files on every way in from the command line: `playground run` and `playground export`
refuse a file that is missing, over the per-file limit, or files over the request's total
(exit 2, the file and the limit named, nothing sent or printed), and both say how a file
marked for upload, or with an id from another server, is sent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_cli import cli, write
from tests.services.sim_client import tiny_pdf

WAYS = [
    ("run",),
    ("export", "--format", "json"),
    ("export", "--format", "python"),
    ("export", "--format", "curl"),
]
REFUSED = [*WAYS, ("export", "--format", "batch")]  # batch lines name the cell instead


def _ws(*parts: dict[str, Any]) -> dict[str, Any]:
    content = [{"type": "text", "text": "Summarise"}, *parts]
    return {
        "profile": "Offline simulator",
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": content}],
    }


def _sized(path: Path, size: int) -> str:
    with path.open("wb") as f:  # sparse: the size is on disk without the bytes
        f.truncate(size)
    return str(path)


def _fault(kind: str, tmp_path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """The file parts of a fault, and what stderr must say."""
    if kind == "missing":
        return [{"type": "file", "path": str(tmp_path / "gone.pdf")}], [
            "gone.pdf is not there (missing from disk)"
        ]
    if kind == "too large":
        big = _sized(tmp_path / "huge.pdf", 33 * 1024 * 1024)
        return [{"type": "file", "path": big, "upload": True}], [
            "huge.pdf is 33.0 MB",
            "at most 32.0 MB",
        ]
    twenty = 20 * 1024 * 1024
    a, b = _sized(tmp_path / "a.pdf", twenty), _sized(tmp_path / "b.pdf", twenty)
    return [{"type": "file", "path": a}, {"type": "file", "path": b}], [
        "add up to 40.0 MB",
        "at most 32.0 MB",
    ]


@pytest.mark.parametrize("way", REFUSED, ids=lambda w: " ".join(w))
@pytest.mark.parametrize("kind", ["missing", "too large", "over the total"])
def test_a_file_that_cannot_go_is_refused_on_every_way_out(
    tmp_path: Path, way: tuple[str, ...], kind: str
) -> None:
    parts, said = _fault(kind, tmp_path)
    proc = cli(*way[:1], str(write(tmp_path, _ws(*parts))), *way[1:])
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""  # no answer, no body, no program
    assert all(s in proc.stderr for s in said), proc.stderr
    assert "Traceback" not in proc.stderr
    assert ("error:" in proc.stderr) == (way[-1] != "batch")


def _stale(tmp_path: Path) -> dict[str, Any]:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(tiny_pdf("Revenue grew nine percent"))
    return {
        "type": "file",
        "path": str(pdf),
        "upload": True,
        "file_id": "file-old",
        "uploaded_to": "Offline simulator",
        "upload_server": "in-process:an-earlier-start",
    }


@pytest.mark.parametrize("way", WAYS, ids=lambda w: " ".join(w))
@pytest.mark.parametrize("stored", [False, True], ids=["marked", "id from elsewhere"])
def test_run_and_export_say_the_same_of_a_file_marked_for_upload(
    tmp_path: Path, way: tuple[str, ...], stored: bool
) -> None:
    part = _stale(tmp_path)
    if not stored:
        part = {k: v for k, v in part.items() if k in ("type", "path", "upload")}
    proc = cli(*way[:1], str(write(tmp_path, _ws(part))), *way[1:])
    assert proc.returncode == 0, proc.stderr
    line = "is marked for upload" if not stored else "was uploaded to 'Offline simulator'"
    (said,) = [s for s in proc.stderr.splitlines() if line in s]
    assert said.startswith("info:") and "send it inline" in said
    assert "file-old" not in proc.stdout  # the id is never sent where it is not known
    if way[0] == "run":
        assert "Revenue grew nine percent" in proc.stdout
    if way[-1] == "json":
        sent = json.loads(proc.stdout)["input"][0]["content"][1]
        assert sent["filename"] == "report.pdf" and sent["file_data"].startswith(
            "data:application/pdf;base64,"
        )


@pytest.mark.parametrize("kind", ["missing", "too large", "over the total"])
def test_the_evaluation_program_refuses_a_file_that_cannot_go(tmp_path: Path, kind: str) -> None:
    parts, said = _fault(kind, tmp_path)
    ws = {**_ws(*parts), "test_set": {"rows": [{"id": "r1"}, {"id": "r2"}]}}
    proc = cli("export", str(write(tmp_path, ws)), "--format", "eval-python")
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""  # no program
    assert all(s in proc.stderr for s in said), proc.stderr
    assert "[base] error:" in proc.stderr and "[base] nothing exported" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_the_evaluation_program_says_how_a_file_marked_for_upload_goes(tmp_path: Path) -> None:
    part = {k: v for k, v in _stale(tmp_path).items() if k in ("type", "path", "upload")}
    ws = {**_ws(part), "test_set": {"rows": [{"id": "r1"}]}}
    proc = cli("export", str(write(tmp_path, ws)), "--format", "eval-python")
    assert proc.returncode == 0, proc.stderr
    (said,) = [s for s in proc.stderr.splitlines() if "is marked for upload" in s]
    assert said.startswith("[base] info:") and "send it inline" in said
