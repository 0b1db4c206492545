"""An image a hosted tool made (a generated image, a code interpreter's chart): a preview in
the card, a larger view on click, and "Save image…" as a PNG (the button and the context menu).

One picture, one save path: image generation and code interpreter results both use it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QPoint, QSaveFile, Qt, Signal
from PySide6.QtGui import QGuiApplication, QImage, QMouseEvent, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

PREVIEW_SIDE = (128, 256)
"""The preview's longest side, in pixels: a larger image is scaled down to the second, a
smaller one (a 32 px chart) scaled up to the first."""
LARGE_SIDE = 512
"""The larger view shows a small image scaled up to this side (a large one at its own size)."""


def save_png(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically (QSaveFile: a temporary file renamed over the target).
    Raises OSError when it cannot be written."""
    out = QSaveFile(str(path))
    if not out.open(QIODevice.OpenModeFlag.WriteOnly):
        raise OSError(out.errorString())
    out.write(data)
    if not out.commit():
        raise OSError(out.errorString())


def png_of(data: bytes) -> bytes:
    """`data` as PNG bytes: a PNG as it is, a webp or jpeg converted."""
    if data.startswith(b"\x89PNG"):
        return data
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    QImage.fromData(data).save(buffer, b"PNG")
    return bytes(buffer.data().data())


def scaled(image: QImage, low: int, high: int) -> QPixmap:
    """`image` with its longest side brought within [low, high] (crisp pixels when enlarged)."""
    pixmap = QPixmap.fromImage(image)
    side = max(image.width(), image.height())
    if low <= side <= high:
        return pixmap
    up = side < low
    target = low if up else high
    how = (
        Qt.TransformationMode.FastTransformation
        if up
        else Qt.TransformationMode.SmoothTransformation
    )
    return pixmap.scaled(target, target, Qt.AspectRatioMode.KeepAspectRatio, how)


def ask_png_path(parent: QWidget, suggested: str) -> str:
    """Where to save a PNG, asked in a file dialog; "" when cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, "Save image", suggested, "PNG image (*.png)")
    return path


class Picture(QWidget):
    """An image's preview (`label`, clickable) and its "Save image…" button (`save`)."""

    saved = Signal(str)
    """The image was saved at this path."""
    copied = Signal()
    """The image was put on the clipboard."""
    ask_path: Callable[[QWidget, str], str] = staticmethod(ask_png_path)  # type: ignore[assignment]
    """Asks where to save the image ("" when cancelled); tests replace it."""

    def __init__(self, data: bytes, tip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = data
        self.image = QImage.fromData(data)
        self.viewer: QDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = _Clickable(self._on_view)
        self.label.setObjectName("picture")
        self.label.setPixmap(scaled(self.image, *PREVIEW_SIDE))
        size = f"{self.image.width()} × {self.image.height()} pixels"
        self.label.setToolTip(f"{size}: click to view it larger; right-click to save")
        self.label.setAccessibleName(f"Image, {size}")
        self.label.setCursor(Qt.CursorShape.PointingHandCursor)
        self.label.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.label.customContextMenuRequested.connect(self._on_menu)
        layout.addWidget(self.label, 0, Qt.AlignmentFlag.AlignLeft)
        self.save = QPushButton("Save image…")
        self.save.setToolTip(tip)
        self.save.clicked.connect(self.save_as)
        layout.addWidget(self.save, 0, Qt.AlignmentFlag.AlignLeft)

    def save_as(self) -> None:
        """Ask where, then write the image there as a PNG; `saved` says where."""
        path = self.ask_path(self, "image.png")
        if not path:
            return
        try:
            save_png(Path(path), png_of(self.data))
        except OSError as exc:
            self.save.setToolTip(f"Not saved: {exc}")
            return
        self.saved.emit(path)

    def view_larger(self) -> QDialog:
        """A window with the image at LARGE_SIDE (or its own size, scrolled when larger)."""
        dialog = QDialog(self)
        dialog.setWindowTitle(f"Image, {self.image.width()} × {self.image.height()} pixels")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(dialog)
        shown = QLabel()
        shown.setObjectName("large")
        shown.setPixmap(scaled(self.image, LARGE_SIDE, 1 << 15))
        area = QScrollArea()
        shown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        area.setWidget(shown)
        area.setWidgetResizable(True)
        layout.addWidget(area, 1)
        row = QHBoxLayout()
        save = QPushButton("Save image…")
        save.clicked.connect(self.save_as)
        row.addWidget(save)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.close)
        row.addWidget(buttons, 1)
        layout.addLayout(row)
        screen = self.screen().availableGeometry()
        hint = shown.sizeHint()
        frame = 2 * area.frameWidth() + 2 * layout.contentsMargins().left() + 24
        dialog.resize(  # the whole image without scrollbars when the screen has room
            min(hint.width() + frame, int(screen.width() * 0.9)),
            min(
                hint.height() + frame + save.sizeHint().height() + layout.spacing(),
                int(screen.height() * 0.9),
            ),
        )
        dialog.show()  # not exec(): the run loop goes on (STYLE §3)
        self.viewer = dialog
        return dialog

    # -- private -----------------------------------------------------------------------------

    def _on_view(self) -> None:
        self.view_larger()

    def copy(self) -> None:
        """Put the image on the clipboard; `copied` says so."""
        QGuiApplication.clipboard().setImage(self.image)
        self.copied.emit()

    def _on_menu(self, at: QPoint) -> None:
        menu = QMenu(self)
        menu.addAction("View larger", self.view_larger)
        menu.addAction("Save image…", self.save_as)
        menu.addAction("Copy image", self.copy)
        menu.popup(self.label.mapToGlobal(at))
        self.menu = menu


class _Clickable(QLabel):
    """A label that calls `clicked` on a left click."""

    def __init__(self, clicked: Callable[[], None]) -> None:
        super().__init__()
        self._clicked = clicked

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self._clicked()
        super().mouseReleaseEvent(event)
