"""A short string that a regular expression matches: for `pattern` in generated instances.

Parses the pattern with the standard library's own parser (`re._parser`, the module behind
`re.compile`) and walks the tree, taking the fewest repetitions and the first branch.
JSON Schema patterns are ECMA-262 and unanchored; the common subset parses the same way.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

_parser: Any = importlib.import_module("re._parser")
_c: Any = importlib.import_module("re._constants")

_CATEGORY = {
    "CATEGORY_DIGIT": "0",
    "CATEGORY_NOT_DIGIT": "a",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_SPACE": "a",
    "CATEGORY_WORD": "a",
    "CATEGORY_NOT_WORD": "-",
    "CATEGORY_LINEBREAK": "\n",
    "CATEGORY_NOT_LINEBREAK": "a",
}
_PREFERRED = "aA0 -_.@x"


class _Unsupported(Exception):
    pass


def sample(pattern: str, min_length: int = 0) -> str | None:
    """A string matched by `pattern` (searched, as JSON Schema does), or None when unsure.

    `min_length` asks for at least that many characters where a repetition allows it.
    """
    try:
        tree = _parser.parse(pattern)
        text = _walk(tree, {}, min_length)
    except (re.error, _Unsupported, RecursionError, OverflowError):
        return None
    try:
        ok = re.search(pattern, text) is not None
    except re.error:
        return None
    return text if ok else None


def _walk(tree: Any, groups: dict[int, str], grow: int) -> str:
    out: list[str] = []
    for op, arg in tree:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "NOT_LITERAL":
            out.append(next(ch for ch in _PREFERRED + "b" if ord(ch) != arg))
        elif name == "ANY":
            out.append("a")
        elif name == "IN":
            out.append(_in(arg))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = arg
            count = low
            if grow > 0 and (high is _c.MAXREPEAT or high > low):
                limit = 64 if high is _c.MAXREPEAT else int(high)
                count = min(max(low, grow), limit)
                grow = 0
            out.append("".join(_walk(sub, groups, 0) for _ in range(count)))
        elif name == "SUBPATTERN":
            group, _add, _del, sub = arg
            text = _walk(sub, groups, grow)
            if group is not None:
                groups[group] = text
            out.append(text)
        elif name == "BRANCH":
            out.append(_walk(arg[1][0], groups, grow))
        elif name == "GROUPREF":
            out.append(groups.get(arg, ""))
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        else:
            raise _Unsupported(name)
    return "".join(out)


def _in(items: Any) -> str:
    negate = any(str(op) == "NEGATE" for op, _ in items)
    if negate:
        for ch in _PREFERRED + "bcdefghijklmnopqrstuvwyz":
            if not _matches_set(items, ch):
                return ch
        raise _Unsupported("NEGATE")
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            return chr(arg)
        if name == "RANGE":
            return chr(arg[0])
        if name == "CATEGORY":
            return _CATEGORY.get(str(arg), "a")
    raise _Unsupported("IN")


def _matches_set(items: Any, ch: str) -> bool:
    for op, arg in items:
        name = str(op)
        if name == "LITERAL" and chr(arg) == ch:
            return True
        if name == "RANGE" and arg[0] <= ord(ch) <= arg[1]:
            return True
        if name == "CATEGORY" and re.fullmatch(_category_class(str(arg)), ch):
            return True
    return False


def _category_class(name: str) -> str:
    return {
        "CATEGORY_DIGIT": r"\d",
        "CATEGORY_NOT_DIGIT": r"\D",
        "CATEGORY_SPACE": r"\s",
        "CATEGORY_NOT_SPACE": r"\S",
        "CATEGORY_WORD": r"\w",
        "CATEGORY_NOT_WORD": r"\W",
    }.get(name, ".")
