"""Inputs for custom tool calls that match the tool's grammar.

A regex grammar: a string drawn from the pattern by walking its parse (Python's own
`re._parser`), each repeat bounded to a few more than its minimum, then checked with
`re.fullmatch`. A small walker is used rather than a library: exrex draws with the `random`
module's global state (the simulator must be deterministic per request), and hypothesis'
`from_regex` is a test tool, not a runtime dependency. A Lark grammar: a random derivation from
`start` (lark reads the grammar into rules and terminals), deeper rules cut off at a depth by
taking each rule's shortest expansion, then checked with lark's parser. Each draw is retried
with other choices until one checks; None when none does (a lookaround that never holds).
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Callable
from re import _constants as C
from re import _parser as P
from typing import Any

_POOL = string.ascii_letters + string.digits + " _-.,:;!?/()[]{}@#$%&*+=<>'\"\n\t"
_EXTRA = 3  # a repeat goes at most this far past its minimum
_TRIES = 40
_DEPTH = 12


def from_regex(pattern: str, rng: random.Random, flags: int = 0) -> str | None:
    """A string that `re.fullmatch(pattern, s, flags)` matches, drawn with `rng`; None when
    no draw matched. Raises re.error for a pattern that does not compile."""
    compiled = re.compile(pattern, flags)
    parsed = P.parse(pattern, flags)
    for _ in range(_TRIES):
        text = _Regex(rng).walk(list(parsed), {})
        if compiled.fullmatch(text) is not None:
            return text
    return None


class _Regex:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def walk(self, items: list[Any], groups: dict[int, str]) -> str:
        return "".join(self.item(op, av, groups) for op, av in items)

    def item(self, op: Any, av: Any, groups: dict[int, str]) -> str:
        if op is C.LITERAL:
            return chr(av)
        if op is C.NOT_LITERAL:
            return self.rng.choice([c for c in _POOL if ord(c) != av])
        if op is C.ANY:
            return self.rng.choice(string.ascii_letters + string.digits)
        if op is C.IN:
            chosen = [c for c in _POOL + "".join(_literals(av)) if _in_set(c, av)]
            return self.rng.choice(chosen) if chosen else ""
        if op is C.BRANCH:
            return self.walk(list(self.rng.choice(av[1])), groups)
        if op is C.SUBPATTERN:
            group, _add, _del, sub = av
            text = self.walk(list(sub), groups)
            if group is not None:
                groups[group] = text
            return text
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)):
            low, high, sub = av
            top = low + _EXTRA if high is C.MAXREPEAT else min(high, low + _EXTRA)
            return "".join(self.walk(list(sub), groups) for _ in range(self.rng.randint(low, top)))
        if op is C.GROUPREF:
            return groups.get(av, "")
        if op is C.GROUPREF_EXISTS:
            group, yes, no = av
            chosen = yes if group in groups else no
            return self.walk(list(chosen), groups) if chosen is not None else ""
        if op is getattr(C, "ATOMIC_GROUP", None):
            return self.walk(list(av), groups)
        return ""  # AT (anchors), ASSERT, ASSERT_NOT: nothing to write; fullmatch checks them


def _literals(items: list[Any]) -> list[str]:
    out = []
    for op, av in items:
        if op is C.LITERAL:
            out.append(chr(av))
        elif op is C.RANGE:
            out += [chr(av[0]), chr(av[1])]
    return out


_CATEGORY: dict[str, Callable[[str], bool]] = {
    "CATEGORY_DIGIT": str.isdigit,
    "CATEGORY_NOT_DIGIT": lambda c: not c.isdigit(),
    "CATEGORY_SPACE": str.isspace,
    "CATEGORY_NOT_SPACE": lambda c: not c.isspace(),
    "CATEGORY_WORD": lambda c: c.isalnum() or c == "_",
    "CATEGORY_NOT_WORD": lambda c: not (c.isalnum() or c == "_"),
}


def _in_set(ch: str, items: list[Any]) -> bool:
    negate = any(op is C.NEGATE for op, _ in items)
    hit = False
    for op, av in items:
        if op is C.LITERAL:
            hit = hit or ord(ch) == av
        elif op is C.RANGE:
            hit = hit or av[0] <= ord(ch) <= av[1]
        elif op is C.CATEGORY:
            test = _CATEGORY.get(str(av))
            hit = hit or bool(test and test(ch))
    return hit != negate


def from_lark(definition: str, rng: random.Random) -> str | None:
    """A string lark's parser accepts for `definition` (start rule `start`), drawn with
    `rng`; None when no draw parsed. Raises lark's errors for a grammar it cannot read."""
    from lark import Lark
    from lark.exceptions import LarkError

    parser = Lark(definition, start="start")
    rules: dict[str, list[list[Any]]] = {}
    for rule in parser.rules:
        rules.setdefault(rule.origin.name, []).append(list(rule.expansion))
    terminals = {t.name: t.pattern for t in parser.terminals}
    height = _heights(rules)
    spaced = bool(parser.ignore_tokens)
    for attempt in range(_TRIES):
        tokens = _derive("start", rules, terminals, height, rng, 0)
        if tokens is None:
            continue
        for sep in (" ", "") if spaced or attempt % 2 else ("", " "):
            text = sep.join(tokens)
            try:
                parser.parse(text)
            except LarkError:
                continue
            return text
    return None


def _heights(rules: dict[str, list[list[Any]]]) -> dict[str, int]:
    """Each rule's smallest derivation height (rules that never end are left out)."""
    height: dict[str, int] = {}
    changed = True
    while changed:
        changed = False
        for name, expansions in rules.items():
            for exp in expansions:
                subs = [height.get(s.name) for s in exp if not s.is_term]
                if any(h is None for h in subs):
                    continue
                h = 1 + max((x for x in subs if x is not None), default=0)
                if h < height.get(name, 1 << 30):
                    height[name] = h
                    changed = True
    return height


def _derive(
    name: str,
    rules: dict[str, list[list[Any]]],
    terminals: dict[str, Any],
    height: dict[str, int],
    rng: random.Random,
    depth: int,
) -> list[str] | None:
    ending = [e for e in rules.get(name, []) if all(s.is_term or s.name in height for s in e)]
    if not ending:
        return None
    if depth >= _DEPTH:
        ending = [
            min(ending, key=lambda e: max((height[s.name] for s in e if not s.is_term), default=0))
        ]
    out: list[str] = []
    for sym in rng.choice(ending):
        if sym.is_term:
            pattern = terminals[sym.name]
            if pattern.type == "str":
                out.append(pattern.value)
            else:
                text = from_regex(pattern.to_regexp(), rng)
                if text is None:
                    return None
                out.append(text)
        else:
            sub = _derive(sym.name, rules, terminals, height, rng, depth + 1)
            if sub is None:
                return None
            out += sub
    return out


def grammar_input(fmt: dict[str, Any] | None, seed: str) -> str | None:
    """The input the simulated model gives a custom tool whose format (Responses' flat shape,
    `{"type": "grammar", "syntax", "definition"}`) is `fmt`: a grammar's draw, seeded with
    `seed` (the same request gets the same input); None for text formats."""
    if not isinstance(fmt, dict) or fmt.get("type") != "grammar":
        return None
    rng = random.Random(seed)
    definition = str(fmt.get("definition") or "")
    try:
        if fmt.get("syntax") == "regex":
            return from_regex(definition, rng)
        return from_lark(definition, rng)
    except Exception:  # noqa: BLE001 - a grammar the simulator cannot read gets no draw
        return None
