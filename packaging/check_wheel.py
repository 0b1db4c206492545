"""Check a built wheel: the resources the app finds through paths.py are inside, and sound.

Usage: python packaging/check_wheel.py dist/openai_playground_desktop-*.whl
Exit status 0 when all is there; otherwise each missing or broken file is named.
"""

from __future__ import annotations

import struct
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from playground.paths import APP_ICON_SIZES, PANEL_ICONS


def required() -> list[str]:
    res = "playground/resources/"
    return [
        f"{res}style.qss",
        f"{res}icons/playground.svg",
        f"{res}icons/app/playground.ico",
        f"{res}icons/app/playground.icns",
        *(f"{res}icons/app/playground-{n}.png" for n in APP_ICON_SIZES),
        *(f"{res}icons/{name}.svg" for name in PANEL_ICONS),
        "playground/core/catalog.json",
        "playground/core/catalog.schema.json",
        "playground/cli.py",
    ]


def png_size(data: bytes) -> tuple[int, int] | None:
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def problems(wheel: Path) -> list[str]:
    found = []
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        for name in required():
            if name not in names:
                found.append(f"missing: {name}")
                continue
            data = zf.read(name)
            if name.endswith(".png"):
                size = int(name.rsplit("-", 1)[1].removesuffix(".png"))
                if png_size(data) != (size, size):
                    found.append(f"{name}: not a {size}×{size} PNG (got {png_size(data)})")
            elif name.endswith(".ico") and data[:4] != b"\x00\x00\x01\x00":
                found.append(f"{name}: not an ICO file")
            elif name.endswith(".icns") and data[:4] != b"icns":
                found.append(f"{name}: not an ICNS file")
            elif name.endswith(".svg") and b"<svg" not in data:
                found.append(f"{name}: not an SVG file")
        leaked = sorted(n for n in names if n.startswith(("tests/", "packaging/")))
        found += [f"should not be in the wheel: {n}" for n in leaked]
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    wheel = Path(argv[0])
    found = problems(wheel)
    for line in found:
        print(line, file=sys.stderr)
    if not found:
        print(f"{wheel.name}: all {len(required())} resources present")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
