"""Why Qt cannot show a window here, in words a person can act on (no Qt imported).

Two questions, asked before and after Qt is tried:

- `display_problem(env, platform)`: is there a display to open a window on at all? Asked
  before the QApplication is made, because Qt ends the process (abort, exit status 134) when
  its platform plugin cannot connect.
- `missing_libraries(output)`: which shared libraries the dynamic loader could not find, read
  from Qt's own plugin-loader output (`QT_DEBUG_PLUGINS=1`), e.g. the line
  `... libqxcb.so: (libxcb-cursor.so.0: cannot open shared object file: No such file or
  directory)`. `package_for(library)` names the Debian/Ubuntu package that ships it.

Sources: Qt 6 "Qt for X11 Requirements" and "Qt Platform Abstraction" (QT_QPA_PLATFORM, the
plugin names; doc.qt.io, checked 2026-11-30); the loader message is glibc's dlerror text, as
recorded in tests/data/qt-plugin-missing-libxcb-cursor.txt (PySide6 6.11.3, Debian 12).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

EXIT_NO_DISPLAY = 69
"""The exit status when there is no display to open the window on (sysexits EX_UNAVAILABLE)."""

# Platform plugins that draw without a window system (Qt 6 platform plugins list).
_NO_DISPLAY_NEEDED = frozenset(
    {"offscreen", "minimal", "minimalegl", "vnc", "eglfs", "linuxfb", "vkkhrdisplay", "windows",
     "cocoa", "direct2d", "ios", "android"}
)  # fmt: skip

# The shared libraries Qt's xcb and EGL plugins load, and the Debian/Ubuntu package of each
# (the same packages .ci/run installs; each checked with `dpkg -S <library>` on Debian 12).
PACKAGES: dict[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
}

# glibc's dlerror() for a dependency it cannot find: "<name>: cannot open shared object file"
_MISSING = re.compile(r"([\w.+-]+\.so(?:\.\d+)*): cannot open shared object file")
_NO_CONNECTION = re.compile(r"could not connect to display\s*(\S*)", re.IGNORECASE)


def display_problem(env: Mapping[str, str], platform: str) -> str | None:
    """Why no window can be shown, or None when a display (or a platform plugin that needs
    none) is there. `platform` is `sys.platform`; only X11 and Wayland systems need DISPLAY or
    WAYLAND_DISPLAY. QT_QPA_PLATFORM may name several plugins (`wayland;xcb`): one usable is
    enough."""
    if not platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None
    wanted = [p.split(":", 1)[0].strip() for p in env.get("QT_QPA_PLATFORM", "").split(";")]
    wanted = [p for p in wanted if p]
    x11, wayland = bool(env.get("DISPLAY")), bool(env.get("WAYLAND_DISPLAY"))
    if not wanted:
        usable = x11 or wayland
    else:
        usable = any(
            p in _NO_DISPLAY_NEEDED or (p == "xcb" and x11) or (p.startswith("wayland") and wayland)
            for p in wanted
        )
    if usable:
        return None
    named = f"QT_QPA_PLATFORM={env['QT_QPA_PLATFORM']} needs " if wanted else "it needs "
    return (
        f"Playground cannot open its window: there is no display ({named}"
        "DISPLAY or WAYLAND_DISPLAY, and neither is set). Start it from a desktop session; on "
        "a machine without one use `xvfb-run playground`, or run it without a window with "
        "QT_QPA_PLATFORM=offscreen. The headless commands (playground run, compare, export, "
        "import, models, simulator) need no display."
    )


def missing_libraries(output: str) -> tuple[str, ...]:
    """The shared libraries the loader could not find, in the order named, each once."""
    found: dict[str, None] = {}
    for match in _MISSING.finditer(output):
        found.setdefault(match.group(1), None)
    return tuple(found)


def package_for(library: str) -> str | None:
    """The Debian/Ubuntu package that ships `library` (a soname), when it is one Qt needs."""
    return PACKAGES.get(library)


def display_unreachable(output: str) -> str | None:
    """The display Qt could not connect to (":0", or "" when unnamed), or None."""
    match = _NO_CONNECTION.search(output)
    return None if match is None else match.group(1)


def explain(output: str) -> str | None:
    """One sentence naming what stopped the platform plugin, from Qt's loader output; None
    when the output names neither a missing library nor an unreachable display."""
    missing = missing_libraries(output)
    if missing:
        named = []
        for lib in missing:
            package = package_for(lib)
            named.append(f"{lib} (package {package})" if package else lib)
        packages = [p for p in (package_for(lib) for lib in missing) if p]
        fix = f"; install it: sudo apt-get install {' '.join(packages)}" if packages else ""
        noun = "library" if len(missing) == 1 else "libraries"
        return f"missing system {noun} {', '.join(named)}{fix}"
    display = display_unreachable(output)
    if display is not None:
        where = f" {display}" if display else ""
        return f"could not connect to the display{where} (is an X server or Wayland running?)"
    return None
