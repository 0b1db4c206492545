"""Checking a custom tool's grammar as it is typed: Lark grammars with the `lark` package,
regex grammars with Python's `re`.

OpenAI reads Lark grammars with its own engine (LLGuidance) and regexes in Rust's syntax
(developers.openai.com/api/docs/guides/function-calling#context-free-grammars, checked
2026-12-01); the `lark` package and `re` accept nearly the same texts, so what they refuse is
shown as a problem, with the line and column where they stopped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

GRAMMAR_ERROR = "grammar.invalid"
"""The code of a grammar problem's finding."""

_AT = re.compile(r"at line (\d+) column (\d+)")
_RULE = re.compile(r"(?:Rule|Terminal) '?([\w.]+)'? used but not defined")


@dataclass(frozen=True)
class GrammarProblem:
    """Why a grammar cannot be used: `message` in plain words, `line` and `column` (1-based)
    where the reader stopped, 0 when it does not say."""

    message: str
    line: int = 0
    column: int = 0

    def describe(self) -> str:
        """The message with its place, e.g. "line 2, column 5: ..."."""
        if self.line:
            return f"line {self.line}, column {self.column}: {self.message}"
        return self.message


def check(syntax: Literal["lark", "regex"], definition: str) -> GrammarProblem | None:
    """None when `definition` is a usable grammar of `syntax`, else what is wrong with it."""
    if not definition.strip():
        return GrammarProblem("the grammar is empty")
    if syntax == "regex":
        return _check_regex(definition)
    return _check_lark(definition)


def _check_regex(definition: str) -> GrammarProblem | None:
    try:
        re.compile(definition)
    except re.error as exc:
        return GrammarProblem(
            f"this regular expression cannot be read: {exc.msg}", exc.lineno or 1, exc.colno or 1
        )
    found = _not_rust(definition)
    if found is None:
        return None
    message, at = found
    line = definition.count("\n", 0, at) + 1
    return GrammarProblem(message, line, at - (definition.rfind("\n", 0, at) + 1) + 1)


_RUST = "Rust's regex syntax (which OpenAI reads regex grammars in) has no"
_GROUPS = (
    ("(?<=", "look-behind"),
    ("(?<!", "look-behind"),
    ("(?=", "look-ahead"),
    ("(?!", "look-ahead"),
    ("(?P=", "backreferences"),
    ("(?>", "atomic groups"),
)
_REPEAT = re.compile(r"\{\d+(,\d*)?\}")


def _not_rust(pattern: str) -> tuple[str, int] | None:
    """What Python's `re` reads but Rust's regex syntax refuses (the regex crate's docs,
    docs.rs/regex "Syntax", checked 2026-12-01): look-around, backreferences, atomic groups,
    and a `{` that starts no repetition (Rust wants `\\{` for a literal brace). (message,
    index) of the first, or None."""
    i, in_class = 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            if not in_class and pattern[i + 1 : i + 2] in tuple("123456789"):
                return f"{_RUST} backreferences ({pattern[i : i + 2]})", i
            i += 2
        elif in_class:
            in_class = c != "]"
            i += 1
        elif c == "[":
            i += 1
            i += pattern.startswith("^", i)
            i += pattern.startswith("]", i)  # a ] first in a class is itself
            in_class = True
        elif c == "(":
            for start, what in _GROUPS:
                if pattern.startswith(start, i):
                    return f"{_RUST} {what} ({start}…)", i
            i += 1
        elif c == "{":
            m = _REPEAT.match(pattern, i)
            if m is None:
                return (
                    "a { that starts no repetition ({n}, {n,} or {n,m}): write \\{ for a "
                    "literal brace, as Rust's regex syntax (which OpenAI uses) wants",
                    i,
                )
            i = m.end()
        else:
            i += 1
    return None


def _check_lark(definition: str) -> GrammarProblem | None:
    from lark import Lark
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        Lark(definition, start="start")
    except UnexpectedInput as exc:
        return GrammarProblem(
            "this Lark grammar cannot be read here", exc.line or 0, exc.column or 0
        )
    except (LarkError, KeyError) as exc:
        text = str(exc).strip()
        first = text.splitlines()[0] if text else type(exc).__name__
        first = _AT.sub("", first).rstrip(" ,")
        if isinstance(exc, KeyError) or "NonTerminal('start')" in first:
            return GrammarProblem("a Lark grammar needs a rule named start (start: ...)")
        first = " ".join(re.sub(r"\s*in <string>:?\s*$", "", first).split())
        at = _AT.search(text)
        if at:
            line, column = int(at.group(1)), int(at.group(2))
            if first.lower() == "unexpected input":
                first = _unexpected(definition, line, column)
            return GrammarProblem(_words(first), line, column)
        return GrammarProblem(_words(first), *_place(definition, _RULE.search(first)))
    return None


def _unexpected(definition: str, line: int, column: int) -> str:
    """Lark's bare "Unexpected input" in words: what is at (line, column), 1-based."""
    lines = definition.splitlines()
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    char = text[column - 1 : column]
    if char in ('"', "/"):
        closing = "a string" if char == '"' else "a regular expression"
        return f"{closing} that starts here is not closed ({char}…{char} on one line)"
    return f"unexpected {char!r} here" if char else "unexpected end of the grammar"


def _words(message: str) -> str:
    """Lark's message in the editor's words: "Rule 'x' used but not defined (in rule y)"
    becomes "rule x is used but not defined (in rule y)"."""
    named = _RULE.search(message)
    if named:
        kind = "terminal" if message.startswith("Terminal") else "rule"
        return f"{kind} {named.group(1)} is used but not defined{message[named.end() :]}"
    return message[:1].lower() + message[1:]


def _place(definition: str, named: re.Match[str] | None) -> tuple[int, int]:
    """The line and column of the first use of the name a message names, else (0, 0)."""
    if named is None:
        return 0, 0
    found = re.search(rf"\b{re.escape(named.group(1))}\b", definition)
    if found is None:
        return 0, 0
    line = definition.count("\n", 0, found.start()) + 1
    return line, found.start() - (definition.rfind("\n", 0, found.start()) + 1) + 1
