"""Syntax highlighting with Pygments: code blocks in rendered Markdown (by their fence's
language), the JSON views (schema editor, Raw pane, Code tab) and the Python and curl views.

One light and one dark Pygments style, chosen by the palette (ui/theme.is_dark). Only token
colours, bold and italics are taken from the style: the background stays the palette's, so a
code block reads as the rest of the theme. A language Pygments does not know, or none, is
plain text (pygments.lexers.get_lexer_by_name, pygments.org/docs/api, checked 2026-11-30).
"""

from __future__ import annotations

import weakref
from functools import lru_cache

from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.styles import get_style_by_name
from pygments.token import Text, Whitespace, _TokenType
from pygments.util import ClassNotFound
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)
from shiboken6 import isValid

from playground.ui.theme import is_dark

LIGHT_STYLE = "default"
DARK_STYLE = "github-dark"  # GitHub's dark colours: the dark palette's greys are GitHub's too
HIGHLIGHT_LIMIT = 2_000_000
"""A whole document longer than this (characters) is shown plain: Pygments lexes JSON at about
10 MB/s and Python at about 1 MB/s, and a view must not stall the window for long."""

Run = tuple[str, QTextCharFormat | None]
"""A piece of one line and its format (None: the surrounding text's)."""


def style_name(dark: bool | None = None) -> str:
    """The Pygments style for the theme (the current palette's when `dark` is None)."""
    return DARK_STYLE if (is_dark() if dark is None else dark) else LIGHT_STYLE


@lru_cache(maxsize=64)
def lexer_for(language: str) -> Lexer | None:
    """The lexer for a fence's info string ("python", "json", "bash", "py {.numbers}"...);
    None when there is none or Pygments does not know it (the block is plain text)."""
    words = language.strip().strip("{}.").split()
    if not words:
        return None
    try:
        # keep the text exactly: no stripped or added newlines, no tab expansion
        return get_lexer_by_name(words[0].lower(), stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


@lru_cache(maxsize=2048)
def token_format(style: str, token: _TokenType) -> QTextCharFormat | None:
    """The character format of `token` in `style`; None for text the style leaves alone."""
    if token in Text or token in Whitespace:
        return None
    found = get_style_by_name(style).style_for_token(token)
    if not (found["color"] or found["bold"] or found["italic"]):
        return None
    fmt = QTextCharFormat()
    if found["color"]:
        fmt.setForeground(QColor(f"#{found['color']}"))
    if found["bold"]:
        fmt.setFontWeight(QFont.Weight.Bold)
    if found["italic"]:
        fmt.setFontItalic(True)
    return fmt


def line_runs(code: str, lexer: Lexer | None, style: str) -> list[list[Run]]:
    """`code` split into lines (at "\\n"), each a list of runs that join to the line."""
    if lexer is None or "\r" in code:  # Pygments turns a carriage return into a newline
        return [[(line, None)] for line in code.split("\n")]
    lines: list[list[Run]] = [[]]
    for token, value in lexer.get_tokens(code):
        fmt = token_format(style, token)
        first, *rest = value.split("\n")
        if first:
            lines[-1].append((first, fmt))
        for piece in rest:
            lines.append([(piece, fmt)] if piece else [])
    # Pygments may add a final newline; the code's own line count is the truth
    wanted = code.count("\n") + 1
    del lines[wanted:]
    lines += [[] for _ in range(wanted - len(lines))]
    return lines


class PygmentsHighlighter(QSyntaxHighlighter):
    """Colours a whole document of one language (its text lexed at once, so strings and
    comments that span lines are right), and again when the theme changes."""

    def __init__(self, document: QTextDocument, language: str) -> None:
        # connect to the document before QSyntaxHighlighter does (it highlights in its slot)
        super().__init__(None)  # type: ignore[call-overload]
        self._language = language  # its lexer is looked up at the first text (Pygments' import)
        self._lines: list[list[Run]] | None = None
        self._style = style_name()
        document.contentsChange.connect(self._on_document_contents_change)
        self.setDocument(document)
        _watch_palette(self)

    @property
    def language(self) -> str:
        return self._language

    def set_language(self, language: str) -> None:
        """Lex the document as `language` from now on."""
        if language != self._language:
            self._language, self._lines = language, None
            self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        if self._lines is None:
            whole = self.document().toPlainText()
            lexer = lexer_for(self._language) if whole else None
            if lexer is None or len(whole) > HIGHLIGHT_LIMIT:
                self._lines = []
            else:
                self._lines = line_runs(whole, lexer, self._style)
        number = self.currentBlock().blockNumber()
        if number >= len(self._lines):
            return
        at = 0
        for piece, fmt in self._lines[number]:
            if fmt is not None:
                self.setFormat(at, len(piece), fmt)
            at += len(piece)

    def _on_app_palette_changed(self, *_: object) -> None:
        style = style_name()
        if style != self._style and self.document() is not None:
            self._style, self._lines = style, None
            self.rehighlight()

    def _on_document_contents_change(self, *_: int) -> None:
        self._lines = None  # relexed once, at the first block the highlighter asks for


_LIVE: weakref.WeakSet[PygmentsHighlighter] = weakref.WeakSet()
_PALETTE_HOOKED: list[bool] = []


def _watch_palette(highlighter: PygmentsHighlighter) -> None:
    """Recolour `highlighter` when the theme changes the application's palette. One
    connection for all of them: a connection per highlighter outlived a highlighter whose
    Qt object was already gone (Qt then raised "Slot not found" at the next theme change)."""
    _LIVE.add(highlighter)
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication) and not _PALETTE_HOOKED:
        app.paletteChanged.connect(_on_palette_changed)
        _PALETTE_HOOKED.append(True)


def _on_palette_changed(*_: object) -> None:
    for highlighter in list(_LIVE):
        if isValid(highlighter):
            highlighter._on_app_palette_changed()


class JsonHighlighter(PygmentsHighlighter):
    """JSON: the schema editor, the Raw pane's request body, the Code tab's JSON body."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document, "json")


def code_lines(
    code: str, language: str, base: QTextCharFormat, dark: bool
) -> list[list[tuple[str, QTextCharFormat]]]:
    """A fenced code block's lines as (text, format) runs: `base` (the block's monospace
    format) with each token's colours on it; plain `base` for an unknown language."""
    merged: dict[int, QTextCharFormat] = {}
    out = []
    for line in line_runs(code, lexer_for(language), style_name(dark)):
        runs = []
        for piece, fmt in line:
            if fmt is None:
                runs.append((piece, base))
                continue
            found = merged.get(id(fmt))  # token formats are cached: their ids are stable
            if found is None:
                found = QTextCharFormat(base)
                found.merge(fmt)
                merged[id(fmt)] = found
            runs.append((piece, found))
        out.append(runs)
    return out
