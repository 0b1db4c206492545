"""`playground run` learns from a server's refusal, as the window does (core.learned)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playground.core.errors import Failure


def learn(failure: Failure, provider: str, model: str, body: dict[str, Any]) -> str | None:
    """Remember the refusal `failure` teaches (if any) in the learned-rules file; the one line
    that says so for the terminal, else None. A file that cannot be written is said too."""
    from playground.core.learned import rule_from_failure
    from playground.services.learned_rules import LearnedRuleStore

    rule = rule_from_failure(failure, provider, model, body, date.today())
    if rule is None:
        return None
    store = LearnedRuleStore()
    try:
        store.add(rule)
    except OSError as exc:
        return f"learned: {provider} refuses {rule.wire} for {model}, but {store.path} " + (
            f"cannot be written ({exc.strerror or 'no access'})"
        )
    where = f"for this run only: {store.notice}" if store.read_only else f"saved in {store.path}"
    return (
        f"learned: {provider} refuses {rule.wire} for {model}"
        + (f" ({rule.code})" if rule.code else "")
        + f": later runs leave it out ({where}; forget it under Parameters in the window)"
    )
