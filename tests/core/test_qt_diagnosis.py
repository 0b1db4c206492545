"""Why Qt cannot show a window, in words a person can act on: the missing library named from the
loader's own output (a real recording), the package that ships it, and no display at all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from playground.core import qt_diagnosis as qd

ROOT = Path(__file__).resolve().parents[2]
RECORDED = (ROOT / "tests" / "data" / "qt-plugin-missing-libxcb-cursor.txt").read_text("utf-8")


def apt_packages(text: str) -> set[str]:
    """The package names of the first `apt-get install` command in `text` (continued lines)."""
    start = text.index("apt-get install")
    command = re.split(r"(?<!\\)\n", text[start:].replace("\\\n", " "), maxsplit=1)[0]
    return {w for w in command.split() if re.fullmatch(r"[a-z0-9][a-z0-9.+-]+", w)} - {
        "apt-get",
        "install",
    }


def test_the_recorded_loader_output_names_libxcb_cursor_and_its_package() -> None:
    assert qd.missing_libraries(RECORDED) == ("libxcb-cursor.so.0",)
    said = qd.explain(RECORDED)
    assert said is not None
    assert "libxcb-cursor.so.0" in said and "sudo apt-get install libxcb-cursor0" in said
    assert "Reinstalling the application" not in said  # not Qt's generic advice


def test_every_package_named_is_in_the_ci_apt_line_and_the_readme() -> None:
    ci = apt_packages((ROOT / ".ci" / "run").read_text("utf-8"))
    readme = apt_packages((ROOT / "README.md").read_text("utf-8"))
    assert set(qd.PACKAGES.values()) <= ci
    assert ci <= readme, sorted(ci - readme)  # the README's line is complete


LOADER_LINE = (
    'qt.core.library: "/opt/app/PySide6/Qt/plugins/platforms/libqxcb.so" cannot load: Cannot '
    "load library /opt/app/PySide6/Qt/plugins/platforms/libqxcb.so: {lib}: cannot open shared "
    "object file: No such file or directory"
)


@given(st.lists(st.sampled_from(sorted(qd.PACKAGES)), min_size=1, max_size=6))
def test_each_missing_library_is_named_once_in_order_with_its_package(libs: list[str]) -> None:
    output = "\n".join(LOADER_LINE.format(lib=lib) for lib in libs) + "\n" + RECORDED
    expected = tuple(dict.fromkeys([*libs, "libxcb-cursor.so.0"]))
    assert qd.missing_libraries(output) == expected
    said = qd.explain(output)
    assert said is not None
    for lib in expected:
        assert f"{lib} (package {qd.PACKAGES[lib]})" in said


def test_an_unknown_library_is_named_without_a_package() -> None:
    said = qd.explain(LOADER_LINE.format(lib="libfoo-bar.so.3"))
    assert said == "missing system library libfoo-bar.so.3"


def test_an_unreachable_display_is_said_when_no_library_is_missing() -> None:
    output = RECORDED.replace("cannot open shared object file", "(elided)")
    output += "\nqt.qpa.xcb: could not connect to display :99\n"
    assert qd.missing_libraries(output) == ()
    assert qd.explain(output) == (
        "could not connect to the display :99 (is an X server or Wayland running?)"
    )


@pytest.mark.parametrize(
    ("env", "platform", "needs"),
    [
        ({}, "linux", True),
        ({"DISPLAY": ":0"}, "linux", False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":1"}, "linux", False),
        ({"QT_QPA_PLATFORM": "wayland"}, "linux", True),
        ({"QT_QPA_PLATFORM": "vnc:size=800x600"}, "linux", False),
        ({}, "darwin", False),
        ({}, "win32", False),
        ({}, "freebsd14", True),
    ],
)
def test_a_display_is_needed_only_where_qt_needs_one(
    env: dict[str, str], platform: str, needs: bool
) -> None:
    problem = qd.display_problem(env, platform)
    assert (problem is not None) == needs
    if problem:
        assert "xvfb-run playground" in problem and "QT_QPA_PLATFORM=offscreen" in problem


@given(
    st.dictionaries(
        st.sampled_from(["DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE", "HOME"]),
        st.text(alphabet=":0123456789abc-", max_size=6),
    )
)
def test_offscreen_never_needs_a_display_and_no_variables_always_does(
    env: dict[str, str],
) -> None:
    assert qd.display_problem({**env, "QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    has_one = bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))
    assert (qd.display_problem(env, "linux") is None) == has_one
