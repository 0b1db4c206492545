"""Syntax highlighting: JSON (schema and raw views) and code blocks in rendered Markdown."""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from playground.ui.theme import is_dark


def _fmt(color: str, bold: bool = False, italic: bool = False) -> QTextCharFormat:
    f = QTextCharFormat()
    f.setForeground(QColor(color))
    if bold:
        f.setFontWeight(QFont.Weight.Bold)
    f.setFontItalic(italic)
    return f


def _palette() -> dict[str, QTextCharFormat]:
    if is_dark():
        return {
            "key": _fmt("#8ab4f8"),
            "string": _fmt("#a5d6a7"),
            "number": _fmt("#ffcc80"),
            "keyword": _fmt("#f28b82", bold=True),
            "comment": _fmt("#9aa0a6", italic=True),
        }
    return {
        "key": _fmt("#1f4fa8"),
        "string": _fmt("#1b7a2e"),
        "number": _fmt("#a15c00"),
        "keyword": _fmt("#a3228f", bold=True),
        "comment": _fmt("#6b7078", italic=True),
    }


_JSON_RULES = [
    (re.compile(r'"(?:[^"\\]|\\.)*"(?=\s*:)'), "key"),
    (re.compile(r':\s*("(?:[^"\\]|\\.)*")'), "string"),
    (re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?"), "number"),
    (re.compile(r"\b(?:true|false|null)\b"), "keyword"),
]

_CODE_RULES = [
    (
        re.compile(
            r"\b(?:def|class|return|import|from|if|elif|else|for|while|in|not|and|or|"
            r"async|await|with|as|try|except|finally|raise|None|True|False|const|let|"
            r"function|var|true|false|null|print)\b"
        ),
        "keyword",
    ),
    (re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?"), "number"),
    (re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\""), "string"),
    (re.compile(r"#[^\n]*|//[^\n]*"), "comment"),
]


class JsonHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._formats = _palette()

    def highlightBlock(self, text: str) -> None:
        for rx, kind in _JSON_RULES:
            for m in rx.finditer(text):
                start, end = (m.start(1), m.end(1)) if m.groups() else (m.start(), m.end())
                self.setFormat(start, end - start, self._formats[kind])


class CodeBlockHighlighter(QSyntaxHighlighter):
    """Colours the fenced code blocks of a Markdown document, leaves prose alone."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._formats = _palette()

    def highlightBlock(self, text: str) -> None:
        fmt = self.currentBlock().blockFormat()
        if not fmt.nonBreakableLines():  # Qt marks code-block lines as non-breakable
            return
        for rx, kind in _CODE_RULES:
            for m in rx.finditer(text):
                self.setFormat(m.start(), m.end() - m.start(), self._formats[kind])


class CodeHighlighter(QSyntaxHighlighter):
    """Colours a whole document of code (Python or shell)."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._formats = _palette()

    def highlightBlock(self, text: str) -> None:
        for rx, kind in _CODE_RULES:
            for m in rx.finditer(text):
                self.setFormat(m.start(), m.end() - m.start(), self._formats[kind])
