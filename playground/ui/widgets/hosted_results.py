"""What a hosted tool's call shows under its card: a web search's query and sources, a file
search's hits, a code interpreter's code (highlighted with Pygments), logs and images, a
generated image with "Save image…"; and under an answer with citations, its numbered sources.

Items are shown as the server gave them (core/citations.py numbers the sources; spec
WebSearchToolCall, FileSearchToolCall, CodeInterpreterToolCall, ImageGenToolCall, checked
2026-12-01). Nothing here edits an item.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QImage, QResizeEvent
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from playground.core.citations import annotations_of, cited_markdown, sources
from playground.core.turn_items import image_bytes
from playground.ui.highlight import PygmentsHighlighter
from playground.ui.theme import accent
from playground.ui.widgets.picture import Picture, ask_png_path

CODE_LINES = 16
"""A code interpreter's code box grows to this many lines, then scrolls."""


def shown_markdown(text: str, item: dict[str, Any] | None) -> str:
    """The Markdown a card shows for an answer: `text` with numbered citation links when its
    kept output item has annotations, else `text` as it is."""
    notes = annotations_of(item)
    return cited_markdown(text, notes)[0] if notes else text


def _link(url: str, title: str) -> str:
    # the link colour is written out (an accent), so a theme switch retints it (theme.retint)
    color = accent("info").name()
    href = html.escape(url, quote=True)
    return f"<li><a style='color:{color}' href='{href}'>{html.escape(title)}</a></li>"


class CodeBox(QPlainTextEdit):
    """Read-only code as tall as its lines (up to CODE_LINES, then it scrolls): a horizontal
    scrollbar only for a line wider than the box, and room kept for it below the last line."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.setReadOnly(True)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.textChanged.connect(self._fit)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        lines = max(1, self.document().blockCount())
        self.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAsNeeded
            if lines > CODE_LINES
            else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )
        margin = self.document().documentMargin()
        widest = max(
            (self.fontMetrics().horizontalAdvance(line) for line in self.toPlainText().split("\n")),
            default=0,
        )
        wide = widest + 2 * margin + 2 > self.viewport().width()
        bar = self.horizontalScrollBar().sizeHint().height() if wide else 0
        text = min(lines, CODE_LINES) * self.fontMetrics().lineSpacing()
        height = int(text + 2 * margin + 2 * self.frameWidth() + bar) + 2
        if height != self.height():
            self.setFixedHeight(height)


class HostedResults(QWidget):
    """The result of the card's kept item (Message.item), or nothing for other items."""

    image_saved = Signal(str)
    """An image was saved at this path."""
    image_copied = Signal()
    """An image was put on the clipboard."""
    ask_path: Callable[[QWidget, str], str] = staticmethod(ask_png_path)  # type: ignore[assignment]
    """Asks where to save an image ("" when cancelled); tests replace it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._item: dict[str, Any] | None = None
        self.image: bytes | None = None
        self.setVisible(False)

    def show_item(self, item: dict[str, Any] | None) -> None:
        """Show what `item` holds (a hosted call, or an answer's sources)."""
        if item == self._item:
            return
        self._item = item
        while self._layout.count():
            got = self._layout.takeAt(0)
            widget = got.widget() if got is not None else None
            if widget is not None:
                widget.deleteLater()
        self.image = None
        kind = (item or {}).get("type")
        build = {
            "web_search_call": self._web,
            "file_search_call": self._files,
            "code_interpreter_call": self._code,
            "image_generation_call": self._image,
            "message": self._sources,
            "reasoning": self._reasoning,
        }.get(str(kind))
        if item is not None and build is not None:
            build(item)
        self.setVisible(self._layout.count() > 0)

    # -- kinds -------------------------------------------------------------------------------

    def _label(self, text: str, rich: bool = True) -> QLabel:
        label = QLabel(text, wordWrap=True)
        label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        label.setOpenExternalLinks(True)
        self._layout.addWidget(label)
        return label

    def _head(self, what: str, detail: str = "") -> None:
        muted = accent("muted").name()
        extra = f" <span style='color:{muted}'>{html.escape(detail)}</span>" if detail else ""
        self._label(f"▸ <b>{html.escape(what)}</b>{extra}")

    def _reasoning(self, item: dict[str, Any]) -> None:
        from playground.ui.widgets.reasoning_view import ReasoningItemView

        self._layout.addWidget(ReasoningItemView(item))

    def _web(self, item: dict[str, Any]) -> None:
        action = item.get("action") or {}
        query = action.get("query") or ", ".join(action.get("queries") or []) or action.get("url")
        self._head("Web search", f'"{query}"' if query else str(item.get("status", "")))
        found = [s for s in action.get("sources") or [] if isinstance(s, dict) and s.get("url")]
        if found:
            rows = "".join(_link(str(s["url"]), str(s["url"])) for s in found)
            self._label(f"Sources:<ol style='margin:0'>{rows}</ol>")

    def _files(self, item: dict[str, Any]) -> None:
        self._head("File search", ", ".join(f'"{q}"' for q in item.get("queries") or []))
        hits = [h for h in item.get("results") or [] if isinstance(h, dict)]
        if not hits and item.get("results") is None:
            self._label("(results not included: ask for file_search_call.results)", rich=False)
        for hit in hits:
            score = hit.get("score")
            shown = f"{score:.2f}" if isinstance(score, int | float) else "?"
            name = html.escape(str(hit.get("filename") or hit.get("file_id") or "file"))
            text = html.escape(str(hit.get("text") or ""))[:400]
            self._label(f"<b>{name}</b> <code>score {shown}</code><br>{text}")

    def _code(self, item: dict[str, Any]) -> None:
        self._head("Code interpreter", str(item.get("container_id") or ""))
        code = CodeBox(str(item.get("code") or ""))
        code.highlighter = PygmentsHighlighter(code.document(), "python")  # type: ignore[attr-defined]
        self._layout.addWidget(code)
        for out in item.get("outputs") or []:
            if not isinstance(out, dict):
                continue
            if out.get("type") == "logs":
                logs = self._label(str(out.get("logs") or ""), rich=False)
                logs.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
                logs.setObjectName("logs")
            elif out.get("type") == "image":
                data = image_bytes(str(out.get("url") or ""))
                if data is not None:
                    self._picture(data, "Save the code's output image as a PNG file")

    def _image(self, item: dict[str, Any]) -> None:
        self._head("Image generation", str(item.get("status", "")))
        data = image_bytes(str(item.get("result") or ""))
        if data is None or QImage.fromData(data).isNull():
            self._label("(no image that can be shown)", rich=False)
            return
        self.image = data
        self._picture(data, "Save the generated image as a PNG file")

    def _sources(self, item: dict[str, Any]) -> None:
        found = sources(annotations_of(item))
        if not found:
            return
        rows = "".join(
            _link(s.url, s.title) if s.url else f"<li>{html.escape(s.title)}</li>" for s in found
        )
        self.sources = self._label(f"Sources:<ol style='margin:0'>{rows}</ol>")

    def _picture(self, data: bytes, tip: str) -> None:
        if QImage.fromData(data).isNull():
            return
        picture = Picture(data, tip)
        picture.ask_path = lambda parent, name: self.ask_path(parent, name)  # type: ignore[method-assign]
        picture.saved.connect(self.image_saved)
        picture.copied.connect(self.image_copied)
        self.save = picture.save  # the last picture's (a card shows one, mostly)
        self._layout.addWidget(picture)
