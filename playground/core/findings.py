"""Findings: what validation and request building have to say about a workspace."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One remark about a workspace: where (a dotted field path), how bad, and a sentence."""

    path: str
    severity: Severity
    message: str
    code: str = ""
    """What kind of finding it is ("context_exceeded", ...), for code to act on; "" for
    findings that predate codes."""

    def __str__(self) -> str:
        return f"{self.severity}: {self.path}: {self.message}"


def errors(findings: list[Finding] | tuple[Finding, ...]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]
