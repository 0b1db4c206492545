"""The top level matches the design card (pyproject.toml, playground, resources, tests, packaging,
README.md), and pyproject.toml maps the top-level resources/ into the wheel as
playground/resources with every file the wheel check requires."""

from __future__ import annotations

import fnmatch
import sys
import tomllib
from pathlib import Path

from playground import paths

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "packaging"))
import check_wheel  # noqa: E402


def _setuptools() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]


def test_the_top_level_is_the_design_cards() -> None:
    for name in ("pyproject.toml", "playground", "resources", "tests", "packaging", "README.md"):
        assert (ROOT / name).exists(), name
    assert not (ROOT / "playground" / "resources").exists()


def test_paths_finds_the_top_level_resources_in_a_checkout() -> None:
    assert paths.resources_dir() == ROOT / "resources"
    assert paths.resource("style.qss").is_file()


def test_every_package_folder_is_listed_for_the_wheel() -> None:
    listed = set(_setuptools()["packages"])
    folders = {
        ".".join(d.relative_to(ROOT).parts)
        for d in (ROOT / "playground").rglob("*")
        if d.is_dir() and any(d.glob("*.py"))
    }
    assert folders | {"playground"} <= listed


def test_the_wheel_maps_resources_and_holds_every_required_file() -> None:
    config = _setuptools()
    assert config["package-dir"]["playground.resources"] == "resources"
    globs = config["package-data"]["playground.resources"]
    prefix = "playground/resources/"
    required = [n.removeprefix(prefix) for n in check_wheel.required() if n.startswith(prefix)]
    assert len(required) > 20
    for name in required:
        assert (ROOT / "resources" / name).is_file(), name
        assert any(fnmatch.fnmatch(name, g) and name.count("/") == g.count("/") for g in globs), (
            name
        )
