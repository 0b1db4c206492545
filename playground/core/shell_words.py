r"""Split a pasted command line into words, as the shell it was copied for would.

Three dialects, the ones browsers' "Copy as cURL" and API docs produce:

- bash: `'...'`, `"..."` (backslash escapes only `$ \` " \\` and newline), `$'...'` ANSI-C
  quoting (`\\n`, `\\xHH`, `\\uHHHH`, `\\'`...), `'\\''` joins, backslash-newline continuations
  (GNU Bash manual, "Quoting", checked 2026-11-30);
- Windows cmd: `^` escapes the next character, `^` at a line end continues the line, and words
  are then split by the C runtime's rules where `\\"` is a literal quote (Chrome DevTools'
  `escapeStringWin`, "Copy as cURL (cmd)", checked 2026-11-30);
- PowerShell: a backtick escapes the next character and continues a line; `'...'` with `''`,
  `"..."` with backtick escapes and `""`.

`shlex` covers plain POSIX quoting but not `$'...'`, cmd or PowerShell, and it does not say
where a quote was left open; this module does, so a refusal can name the line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Dialect = Literal["bash", "cmd", "powershell"]


class ShellSyntaxError(ValueError):
    """The command cannot be split: `where` is a 0-based offset into the text."""

    def __init__(self, message: str, where: int) -> None:
        super().__init__(message)
        self.where = where


@dataclass(frozen=True)
class Word:
    """One word of the command and the offset of its first character in the pasted text."""

    text: str
    start: int


_CMD_START = re.compile(r'\s*(\$ )?curl(\.exe)?\s+\^"')


@dataclass(frozen=True)
class Separator(Word):
    """An unquoted `;`, `|` or `&`: the command ends here; the words stop."""


def dialect_of(text: str) -> Dialect:
    """The shell the command was written for, judged by its escapes and continuations."""
    # A JSON body never ends a line with ^ or a backtick, so quoted bodies do not mislead this.
    lines = text.splitlines()
    if _CMD_START.match(text) or any(line.rstrip().endswith("^") for line in lines):
        return "cmd"
    if any(line.rstrip().endswith("`") for line in lines) or text.lstrip().startswith("curl.exe"):
        return "powershell"
    return "bash"


def location(text: str, where: int) -> str:
    """'line L, column C' (1-based) of offset `where` in `text`."""
    before = text[:where]
    line = before.count("\n") + 1
    column = where - (before.rfind("\n") + 1) + 1
    return f"line {line}, column {column}"


def split(text: str, dialect: Dialect | None = None) -> list[Word]:
    """The words of `text` in `dialect` (detected when not given)."""
    dialect = dialect or dialect_of(text)
    if dialect == "cmd":
        return _split_cmd(text)
    if dialect == "powershell":
        return _split_powershell(text)
    return _split_bash(text)


_ANSI_C = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "E": "\x1b",
    "f": "\f",
    "v": "\v",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "?": "?",
}
_HEX_DIGITS = {"x": 2, "u": 4, "U": 8}


def _ansi_c(text: str, i: int) -> tuple[str, int]:
    """The ANSI-C quoted string whose body starts at `i`; returns (value, index after `'`)."""
    out: list[str] = []
    start = i
    while i < len(text):
        c = text[i]
        if c == "'":
            return "".join(out), i + 1
        if c == "\\" and i + 1 < len(text):
            n = text[i + 1]
            if n in _ANSI_C:
                out.append(_ANSI_C[n])
                i += 2
                continue
            if n in _HEX_DIGITS:
                j = i + 2
                digits = ""
                while j < len(text) and len(digits) < _HEX_DIGITS[n] and text[j] in _HEX:
                    digits += text[j]
                    j += 1
                if digits:
                    out.append(chr(int(digits, 16)))
                    i = j
                    continue
            if n in "01234567":
                j = i + 1
                digits = ""
                while j < len(text) and len(digits) < 3 and text[j] in "01234567":
                    digits += text[j]
                    j += 1
                out.append(chr(int(digits, 8)))
                i = j
                continue
            out.append(c)
            i += 1
            continue
        out.append(c)
        i += 1
    raise ShellSyntaxError("a $'...' string is not closed", start - 2)


_HEX = frozenset("0123456789abcdefABCDEF")


def _split_bash(text: str) -> list[Word]:
    words: list[Word] = []
    word: list[str] | None = None
    start = 0
    i = 0
    while i < len(text):
        c = text[i]
        if c in " \t\r\n":
            if word is not None:
                words.append(Word("".join(word), start))
                word = None
            i += 1
            continue
        if c in ";|&":  # the end of this command ("Copy all as cURL" joins them with ;)
            if word is not None:
                words.append(Word("".join(word), start))
            words.append(Separator(c, i))
            return words
        if word is None:
            if c == "#":  # a comment runs to the end of the line
                end = text.find("\n", i)
                i = len(text) if end < 0 else end
                continue
            word, start = [], i
        if c == "\\":
            if text.startswith("\r\n", i + 1):
                i += 3
            elif i + 1 < len(text) and text[i + 1] == "\n":
                i += 2
            else:
                word.append(text[i + 1 : i + 2])
                i += 2
            if not word and (i >= len(text) or text[i] in " \t\r\n"):
                word = None
            continue
        if c == "'":
            end = text.find("'", i + 1)
            if end < 0:
                raise ShellSyntaxError("a '...' string is not closed", i)
            word.append(text[i + 1 : end])
            i = end + 1
        elif c == "$" and text.startswith("'", i + 1):
            value, i = _ansi_c(text, i + 2)
            word.append(value)
        elif c == '"':
            i = _bash_double(text, i, word)
        else:
            word.append(c)
            i += 1
    if word is not None:
        words.append(Word("".join(word), start))
    return words


def _bash_double(text: str, i: int, word: list[str]) -> int:
    start = i
    i += 1
    while i < len(text):
        c = text[i]
        if c == '"':
            return i + 1
        if c == "\\" and i + 1 < len(text):
            n = text[i + 1]
            if n == "\n":
                i += 2
                continue
            if n in '$`"\\':
                word.append(n)
                i += 2
                continue
        word.append(c)
        i += 1
    raise ShellSyntaxError('a "..." string is not closed', start)


def _split_cmd(text: str) -> list[Word]:
    # cmd.exe first: `^` + newline + newline is an escaped newline inside a string, `^` +
    # newline continues the line, `^X` is X. Offsets map back to the pasted text.
    chars: list[tuple[str, int]] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "^":
            rest = text[i + 1 : i + 5]
            for nl in ("\r\n\r\n", "\n\n"):
                if rest.startswith(nl):
                    chars.append(("\n", i))
                    i += 1 + len(nl)
                    break
            else:
                if rest.startswith("\r\n"):
                    chars.append((" ", i))
                    i += 3
                elif rest.startswith("\n"):
                    chars.append((" ", i))
                    i += 2
                elif rest:
                    chars.append((rest[0], i + 1))
                    i += 2
                else:
                    i += 1
            continue
        chars.append((c, i))
        i += 1
    # then the C runtime: "..." groups, \" is a quote, \\ is a backslash (as Chrome writes them)
    words: list[Word] = []
    word: list[str] | None = None
    start = 0
    quoted_at = -1
    j = 0
    while j < len(chars):
        c, at = chars[j]
        if c in " \t\r\n" and quoted_at < 0:
            if word is not None:
                words.append(Word("".join(word), start))
                word = None
            j += 1
            continue
        if word is None:
            word, start = [], at
        if c == "\\" and j + 1 < len(chars) and chars[j + 1][0] in '"\\':
            word.append(chars[j + 1][0])
            j += 2
            continue
        if c == '"':
            quoted_at = at if quoted_at < 0 else -1
        else:
            word.append(c)
        j += 1
    if quoted_at >= 0:
        raise ShellSyntaxError('a "..." string is not closed', quoted_at)
    if word is not None:
        words.append(Word("".join(word), start))
    return words


_PS_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "`": "`", '"': '"', "$": "$"}


def _split_powershell(text: str) -> list[Word]:
    words: list[Word] = []
    word: list[str] | None = None
    start = 0
    i = 0
    while i < len(text):
        c = text[i]
        if c == "`" and text[i + 1 : i + 2] in ("\n", "\r"):
            i += 3 if text.startswith("\r\n", i + 1) else 2
            c = " "
            if word is not None:
                words.append(Word("".join(word), start))
                word = None
            continue
        if c in " \t\r\n":
            if word is not None:
                words.append(Word("".join(word), start))
                word = None
            i += 1
            continue
        if word is None:
            word, start = [], i
        if c == "`":
            n = text[i + 1 : i + 2]
            word.append(_PS_ESCAPES.get(n, n))
            i += 2
        elif c == "'":
            begin = i
            i += 1
            while True:
                end = text.find("'", i)
                if end < 0:
                    raise ShellSyntaxError("a '...' string is not closed", begin)
                word.append(text[i:end])
                if text.startswith("''", end):
                    word.append("'")
                    i = end + 2
                    continue
                i = end + 1
                break
        elif c == '"':
            begin = i
            i += 1
            while True:
                if i >= len(text):
                    raise ShellSyntaxError('a "..." string is not closed', begin)
                ch = text[i]
                if ch == "`" and i + 1 < len(text):
                    word.append(_PS_ESCAPES.get(text[i + 1], text[i + 1]))
                    i += 2
                elif ch == '"' and text.startswith('""', i):
                    word.append('"')
                    i += 2
                elif ch == '"':
                    i += 1
                    break
                else:
                    word.append(ch)
                    i += 1
        else:
            word.append(c)
            i += 1
    if word is not None:
        words.append(Word("".join(word), start))
    return words
