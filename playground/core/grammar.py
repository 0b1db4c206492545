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
        at = _AT.search(text)
        if at:
            return GrammarProblem(_words(first), int(at.group(1)), int(at.group(2)))
        return GrammarProblem(_words(first), *_place(definition, _RULE.search(first)))
    return None


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
