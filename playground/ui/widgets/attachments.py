"""A message's attachments: images (with their detail) and files (sent inline or uploaded).

The parts keep their order in the message; a part the window does not edit (RawPart) is
kept in its place and not shown here. A file over the API's limit is refused when it is
attached, and the refusal, naming the limit, shows under the attachments.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground.core import file_inputs
from playground.core.workspace import IMAGE_DETAILS, FilePart, ImagePart, RawPart
from playground.ui.icons import icon
from playground.ui.theme import accent

THUMB = 56
Attachment = ImagePart | FilePart | RawPart
SENDS = {
    False: ("inline", "Sent in the request as base64 file_data"),
    True: ("upload", 'Uploaded through the Files API (purpose "user_data") and sent by file_id'),
}

_NO_ID = {"file_id": None, "uploaded_to": None, "upload_server": None}
"""A file's upload forgotten when its sending changes."""


class Attachments(QWidget):
    """The non-text parts of one message, in order; images and files are shown and edited."""

    changed = Signal()
    """An attachment was added, removed or its detail or sending changed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._parts: list[Attachment] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        self.thumbs = QHBoxLayout()
        self.thumbs.addStretch(1)
        outer.addLayout(self.thumbs)
        self.problem = QLabel(wordWrap=True)
        self.problem.setStyleSheet(f"color: {accent('error').name()};")
        self.problem.setAccessibleName("Attachment problem")
        self.problem.setVisible(False)
        outer.addWidget(self.problem)

    # -- public ------------------------------------------------------------------------------

    def set_parts(self, parts: list[Attachment]) -> None:
        self._parts = list(parts)
        self.problem.setVisible(False)
        self._refresh()

    def parts(self) -> list[Attachment]:
        return list(self._parts)

    def add(self, part: ImagePart | FilePart) -> None:
        self._parts.append(part)
        self.problem.setVisible(False)
        self._refresh()
        self.changed.emit()

    def attach_file(self, path: str) -> str:
        """Attach the file at `path` (read when the request is built); "" or the refusal
        shown (a file over the API's limit, a file that cannot be read)."""
        name = file_inputs.file_name(path)
        try:
            file_inputs.check_size(name, Path(path).stat().st_size)
        except file_inputs.FileTooLarge as exc:
            return self._refuse(f"Not attached: {exc}")
        except OSError as exc:
            return self._refuse(f"Not attached: cannot read {name}: {exc.strerror or exc}")
        self.add(FilePart(filename=name, path=path))
        return ""

    # -- private -----------------------------------------------------------------------------

    def _refuse(self, text: str) -> str:
        self.problem.setText(text)
        self.problem.setVisible(True)
        return text

    def _refresh(self) -> None:
        while self.thumbs.count() > 1:
            item = self.thumbs.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        shown = 0
        for i, part in enumerate(self._parts):
            if isinstance(part, ImagePart):
                self.thumbs.insertWidget(shown, self._image(part, i))
            elif isinstance(part, FilePart):
                self.thumbs.insertWidget(shown, self._file(part, i))
            else:
                continue
            shown += 1

    def _chip(self) -> tuple[QFrame, QVBoxLayout]:
        chip = QFrame()
        chip.setObjectName("attachment")
        lay = QVBoxLayout(chip)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        return chip, lay

    def _image(self, part: ImagePart, index: int) -> QWidget:
        chip, lay = self._chip()
        box = QToolButton()
        box.setToolTip(f"{part.path or part.url}\nClick to remove")
        box.setAccessibleName("Remove image")
        box.setIconSize(QSize(THUMB, THUMB))
        pix = QPixmap(part.path) if part.path else QPixmap()
        if pix.isNull():
            box.setText("URL" if part.url else "missing")
            box.setIcon(icon("image"))
            box.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        else:
            box.setIcon(
                pix.scaled(
                    THUMB,
                    THUMB,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        box.clicked.connect(lambda: self._remove(index))
        lay.addWidget(box)
        detail = QComboBox()
        detail.addItems(list(IMAGE_DETAILS))
        detail.setCurrentText(part.detail or "auto")
        detail.setToolTip(
            "Image detail: auto lets the model choose, low costs fewer tokens, high and "
            "original (Responses only) look closer"
        )
        detail.setAccessibleName("Image detail")
        detail.currentTextChanged.connect(lambda text: self._update(index, detail=text))
        lay.addWidget(detail)
        return chip

    def _file(self, part: FilePart, index: int) -> QWidget:
        chip, lay = self._chip()
        row = QHBoxLayout()
        name = part.filename or (file_inputs.file_name(part.path) if part.path else "file")
        label = QToolButton()  # a button, so a theme change redraws its icon (ui/icons.py)
        label.setIcon(icon("file"))
        label.setText(name)
        label.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        label.setAutoRaise(True)
        label.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        label.setToolTip(part.path or part.file_id or name)
        row.addWidget(label)
        remove = QToolButton()
        remove.setText("✕")
        remove.setToolTip("Remove this file")
        remove.setAccessibleName(f"Remove {name}")
        remove.clicked.connect(lambda: self._remove(index))
        row.addWidget(remove)
        lay.addLayout(row)
        if part.file_id and not part.upload:
            sent = QLabel(part.file_id)
            sent.setToolTip("Sent by this Files API id")
            lay.addWidget(sent)
            return chip
        send = QComboBox()
        for upload in (False, True):
            send.addItem(SENDS[upload][0], upload)
        send.setCurrentIndex(int(part.upload))
        send.setToolTip(f"{SENDS[False][0]}: {SENDS[False][1]}\n{SENDS[True][0]}: {SENDS[True][1]}")
        send.setAccessibleName("How the file is sent")
        send.setEnabled(part.path is not None)  # only a local file can be uploaded
        send.currentIndexChanged.connect(
            lambda i: self._update(index, upload=bool(send.itemData(i)), **_NO_ID)
        )
        lay.addWidget(send)
        return chip

    def _update(self, index: int, **changes: object) -> None:
        self._parts[index] = self._parts[index].model_copy(update=changes)
        self.changed.emit()

    def _remove(self, index: int) -> None:
        del self._parts[index]
        self._refresh()
        self.changed.emit()
