"""The file findings that block sending, as validation (the Findings tab, Run, `run`,
`export`, compare) finds them without reading a byte: sizes come from the file system."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.core import file_inputs, request, validation
from playground.core.workspace import FilePart, ImagePart, Message, TextPart, Workspace

MB = 1024 * 1024
LIMIT = file_inputs.MAX_REQUEST_FILE_BYTES


def _ws(api: str, *parts: FilePart | ImagePart) -> Workspace:
    content = [TextPart(text="Summarise"), *parts]
    return Workspace(api=api, model="gpt-4o-mini", messages=[Message(content=content)])  # type: ignore[arg-type]


def _sized(folder: Path, name: str, size: int) -> str:
    path = folder / name
    with path.open("wb") as f:
        f.truncate(size)  # sparse: nothing to write, nothing read
    return str(path)


def _codes(ws: Workspace) -> set[str]:
    return {f.code for f in validation.validate(ws) if f.severity == "error"}


@pytest.mark.parametrize("api", ["responses", "chat"])
@pytest.mark.parametrize("upload", [False, True], ids=["inline", "upload"])
def test_each_file_fault_is_an_error_finding_before_sending(
    tmp_path: Path, api: str, upload: bool
) -> None:
    missing = FilePart(path=str(tmp_path / "gone.pdf"), upload=upload)
    assert _codes(_ws(api, missing)) == {file_inputs.FILE_UNREADABLE}
    big = FilePart(path=_sized(tmp_path, "huge.pdf", 33 * MB), upload=upload)
    (found,) = [f for f in validation.validate(_ws(api, big)) if f.severity == "error"]
    assert found.code == file_inputs.FILE_TOO_LARGE
    assert "huge.pdf is 33.0 MB" in found.message and "at most 32.0 MB" in found.message
    two = [FilePart(path=_sized(tmp_path, f"{n}.pdf", 20 * MB), upload=upload) for n in "ab"]
    assert _codes(_ws(api, *two)) == {file_inputs.FILES_OVER_LIMIT}


def test_a_missing_image_file_is_an_error_finding(tmp_path: Path) -> None:
    image = ImagePart(path=str(tmp_path / "gone.png"))
    assert _codes(_ws("responses", image)) == {file_inputs.FILE_UNREADABLE}


def test_a_file_sent_by_id_still_counts_toward_the_total_by_its_local_size(
    tmp_path: Path,
) -> None:
    there = ("OpenAI", "https://api.openai.com/v1")
    by_id = FilePart(path=_sized(tmp_path, "a.pdf", 20 * MB), upload=True, file_id="file-1",
                     uploaded_to=there[0], upload_server=there[1])  # fmt: skip
    inline = FilePart(path=_sized(tmp_path, "b.pdf", 20 * MB))
    target = request.Target(files_origin=there)
    found = validation.validate(_ws("responses", by_id, inline), target=target)
    assert file_inputs.FILES_OVER_LIMIT in {f.code for f in found if f.severity == "error"}


@settings(max_examples=40, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=0, max_value=LIMIT + MB), min_size=1, max_size=4),
    api=st.sampled_from(["responses", "chat"]),
)
def test_a_request_is_refused_exactly_when_a_file_or_the_total_is_over(
    sizes: list[int], api: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        parts = [FilePart(path=_sized(Path(folder), f"f{i}.pdf", s)) for i, s in enumerate(sizes)]
        codes = _codes(_ws(api, *parts))
    one_over = any(s > LIMIT for s in sizes)
    kept = [s for s in sizes if s <= LIMIT]
    assert (file_inputs.FILE_TOO_LARGE in codes) == one_over
    assert (file_inputs.FILES_OVER_LIMIT in codes) == (sum(kept) > LIMIT)
    assert bool(codes) == (one_over or sum(kept) > LIMIT)
