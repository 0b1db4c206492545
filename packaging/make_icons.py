"""Render the application icon's SVG source into the sizes each platform wants.

Writes, under resources/icons/app/: playground-<N>.png for N in 16..512, a Windows
playground.ico and a macOS playground.icns (both made of PNG images, which every Windows since
Vista and every macOS since 10.7 read). Run it after editing icons/playground.svg, and commit
the results:  python packaging/make_icons.py
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from playground.paths import APP_ICON_SIZES as SIZES  # noqa: E402

ICONS = ROOT / "resources" / "icons"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09"}


def render(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """ICONDIR, one ICONDIRENTRY per size, then the PNG images."""
    sizes = [s for s in ICO_SIZES if s in pngs]
    head = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(head) + 16 * len(sizes)
    entries, images = b"", b""
    for size in sizes:
        png = pngs[size]
        side = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        images += png
        offset += len(png)
    return head + entries + images


def icns(pngs: dict[int, bytes]) -> bytes:
    """'icns' and the total length, then one (type, length, PNG) element per size."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
        for size, kind in ICNS_TYPES.items()
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - images need a GUI application
    renderer = QSvgRenderer(str(ICONS / "playground.svg"))
    if not renderer.isValid():
        print("icons/playground.svg is not a valid SVG", file=sys.stderr)
        return 1
    out = ICONS / "app"
    out.mkdir(exist_ok=True)
    pngs = {size: render(renderer, size) for size in SIZES}
    for size, png in pngs.items():
        (out / f"playground-{size}.png").write_bytes(png)
    (out / "playground.ico").write_bytes(ico(pngs))
    (out / "playground.icns").write_bytes(icns(pngs))
    print(f"wrote {len(pngs)} PNGs, playground.ico and playground.icns to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
