"""The simulated grading model: a deterministic verdict for a model-graded grader's request
(core/model_grading.py), recognised by its output format's name.

The rule: the rubric's quoted phrases ("…" or “…”, on one line) are what a passing answer
must contain, each, ignoring case. A rubric that quotes nothing passes any non-blank answer.
The answer itself is taken out of the rubric first, so a rubric that quotes `{{answer}}`
does not grade itself.
"""

from __future__ import annotations

import re
from typing import Any

from playground.core.model_grading import ANSWER_HEADER, GRADER_PREAMBLE

_QUOTED = re.compile(r"\"([^\"\n]+)\"|“([^”\n]+)”")


def verdict(instructions: str, user_text: str) -> dict[str, Any]:
    """{"pass": bool, "reason": str} for a grading request with these instructions and this
    last user message."""
    answer = user_text.removeprefix(ANSWER_HEADER).strip()
    rubric = instructions.removeprefix(GRADER_PREAMBLE)
    if answer:
        rubric = rubric.replace(answer, "")
    wanted = [a or b for a, b in _QUOTED.findall(rubric)]
    if not wanted:
        if answer:
            return {
                "pass": True,
                "reason": "The rubric quotes nothing to look for; the answer is not empty.",
            }
        return {"pass": False, "reason": "The answer is empty."}
    folded = answer.casefold()
    lacking = [w for w in wanted if w.casefold() not in folded]
    if lacking:
        return {"pass": False, "reason": f"The answer does not mention “{lacking[0]}”."}
    shown = ", ".join(f"“{w}”" for w in wanted)
    return {"pass": True, "reason": f"The answer mentions {shown}."}
