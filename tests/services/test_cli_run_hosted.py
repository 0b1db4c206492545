"""`playground run` with hosted tools, over the simulator: after the answer, a plain summary of
each tool's results (stdout, never inside --json's text), the same as data in --json, and
`--save-images DIR` writes the images."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playground import cli_run
from playground.cli_settings import EXIT_OK
from playground.core.profiles import ProviderProfile
from playground.core.workspace import Workspace
from playground.services.simulator import Simulator
from tests.conftest import run

TOOLS = {
    "web_search": {"web_search": True, "web_options": {"include_sources": True}},
    "file_search": {
        "file_search": True,
        "vector_store_ids": ["vs_abc123"],
        "file_options": {"include_results": True},
    },
    "code_interpreter": {"code_interpreter": True, "code_options": {"include_outputs": True}},
    "image_generation": {"image_generation": True},
}
ASK = {
    "web_search": "Search the web: what are server-sent events?",
    "file_search": "Search the files: which document describes the shipping times?",
    "code_interpreter": "Calculate the squares of 1 to 5 in python and plot them",
    "image_generation": "Draw a picture of a lighthouse at dusk",
}


def hosted_ws(tool: str) -> Workspace:
    return Workspace.model_validate(
        {
            "api": "responses",
            "model": "gpt-6-luna",
            "messages": [{"role": "user", "content": ASK[tool]}],
            "builtin_tools": TOOLS[tool],
        }
    )


def run_on(
    simulator: Simulator, ws: Workspace, as_json: bool = False, images: Path | None = None
) -> int:
    profile = ProviderProfile(name="sim", kind="custom", base_url=simulator.base_url)
    target = cli_run.Target(profile, True, None)
    job = cli_run._run_async(ws, target, "k", as_json=as_json, images_to=images, strict=True)
    return run(job)


def after_answer(out: str) -> list[str]:
    """The lines printed after the streamed answer and its blank line."""
    return out.split("\n\n", 1)[1].splitlines()


def test_web_search_lists_its_query_and_numbered_sources(simulator: Simulator, capsys: Any) -> None:
    assert run_on(simulator, hosted_ws("web_search")) == EXIT_OK
    lines = after_answer(capsys.readouterr().out)
    assert lines[0] == f'Web search "{ASK["web_search"]}"'
    assert lines[1].startswith("  [1] Source 1 on ") and lines[1].endswith("/1>")
    assert lines[2].startswith("  [2] Source 2 on ") and "Sources:" not in lines  # once


def test_json_keeps_the_text_and_carries_the_results_as_data(
    simulator: Simulator, capsys: Any
) -> None:
    assert run_on(simulator, hosted_ws("web_search"), as_json=True) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert "Web search" not in data["text"] and data["text"].startswith("Here is what the web")
    (call,) = data["hosted_tool_calls"]
    assert call["type"] == "web_search_call" and call["query"] == ASK["web_search"]
    assert [s["number"] for s in call["sources"]] == [1, 2]
    assert [s["url"] for s in data["sources"]] == [s["url"] for s in call["sources"]]


def test_file_search_lists_each_hit_with_its_score(simulator: Simulator, capsys: Any) -> None:
    assert run_on(simulator, hosted_ws("file_search")) == EXIT_OK
    lines = after_answer(capsys.readouterr().out)
    assert lines[0] == f'File search "{ASK["file_search"]}"'
    hits = [line for line in lines[1:] if "  score " in line]
    assert hits and all(line.split("  score ")[1][:2] == "0." for line in hits)
    assert "Sources:" in lines and lines[-1].startswith("  [1] ")  # the file the answer cites


def test_code_interpreter_shows_code_logs_and_where_its_image_is(
    simulator: Simulator, capsys: Any
) -> None:
    assert run_on(simulator, hosted_ws("code_interpreter")) == EXIT_OK
    lines = after_answer(capsys.readouterr().out)
    assert lines[0].startswith("Code interpreter cntr_")
    assert lines[lines.index("  logs:") + 1] == "    30"
    assert "print(sum(values))" in "\n".join(lines[lines.index("  code:") : lines.index("  logs:")])
    assert (
        lines[-1]
        == "  1 image (not saved: add --save-images DIR, or --save to keep it in the workspace)"
    )


def test_save_images_writes_the_generated_image(
    simulator: Simulator, tmp_path: Path, capsys: Any
) -> None:
    folder = tmp_path / "images"
    assert run_on(simulator, hosted_ws("image_generation"), images=folder) == EXIT_OK
    (saved,) = folder.iterdir()
    assert saved.read_bytes().startswith(b"\x89PNG") and saved.name.startswith("ig_")
    (line,) = after_answer(capsys.readouterr().out)
    assert line.startswith("Image generation completed: png, ")
    assert line.endswith(f"saved to {saved}")
