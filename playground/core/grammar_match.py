"""Whether a custom tool call's input matches its tool's grammar (the tool step's check).

Regex grammars are matched whole (`re.fullmatch`), Lark grammars parsed from `start` with
lark's Earley parser. A grammar that cannot be read (core.grammar.check) is not checked.
"""

from __future__ import annotations

import re

from playground.core.grammar import check
from playground.core.workspace import CustomTool


def input_problem(text: str, tool: CustomTool | None) -> str | None:
    """None when `text` fits `tool`'s format (free-form text fits anything, and so does an
    unknown tool's); else what is wrong, in the tool step's words."""
    if tool is None:
        return "no custom tool has this name"
    fmt = tool.format
    if fmt is None or fmt.type == "text" or check(fmt.syntax, fmt.definition) is not None:
        return None
    if fmt.syntax == "regex":
        if re.fullmatch(fmt.definition, text) is None:
            return "the input does not match the tool's regular expression"
        return None
    from lark import Lark
    from lark.exceptions import LarkError

    try:
        Lark(fmt.definition, start="start").parse(text)
    except LarkError as exc:
        line = getattr(exc, "line", 0)
        column = getattr(exc, "column", 0)
        at = f" (line {line}, column {column})" if isinstance(line, int) and line > 0 else ""
        return f"the input does not follow the tool's Lark grammar{at}"
    return None
