"""The one presenter of run results: status figures, error cards, structured-output badges."""

from __future__ import annotations

import errno
from pathlib import Path

from playground import paths
from playground.core import cost
from playground.core.answer_checks import structured_badge
from playground.core.errors import Failure, FailureKind
from playground.core.learned import LearnedRule, remedy_label
from playground.core.reducer import AssistantTurn
from playground.core.workspace import OutputFormat
from playground.services.cache_use import CacheNote
from playground.services.logs import LOG_NAME
from playground.ui.widgets.message_card import MessageCard
from playground.ui.widgets.tool_step import ErrorCard


def figures(turn: AssistantTurn, request_id: str | None, timed: bool = True) -> str:
    """The run figures for the status line; without times and rate unless `timed` (a
    picked-up background run's stream is a replay: its speed is not the model's)."""
    parts = []
    t = turn.timing
    if t is not None and timed:
        parts.append(
            f"first token {t.ttft_ms:.0f} ms" if t.ttft_ms is not None else "first token n/a"
        )
        parts.append(f"total {t.total_ms / 1000:.2f} s")
        parts.append(f"{t.tokens_per_s:.0f} tok/s" if t.tokens_per_s else "tok/s n/a")
    u = turn.usage
    if u is not None:
        parts.append(f"in {u.input_tokens} (cached {u.cached_tokens})")
        parts.append(f"out {u.output_tokens} (reasoning {u.reasoning_tokens})")
        found = cost.of_run(turn.model or "", u)
        parts.append(f"est. cost {cost.describe(found, u.service_tier)}")
    if request_id:
        parts.append(request_id)
    return "  ·  ".join(parts)


def saved_words(note: CacheNote) -> str:
    """What a cache hit saved: "saved $0.000412 and 1.32 s" (est. cost of the original run,
    its total time)."""
    money = f"${note.saved_usd:.6f}" if note.saved_usd is not None else "an unknown cost"
    secs = f"{note.saved_ms / 1000:.2f} s" if note.saved_ms is not None else "its time"
    return f"saved {money} and {secs}"


def cached_figures(turn: AssistantTurn, note: CacheNote) -> str:
    """The status line of an answer from the response cache: what it saved and its tokens
    (nothing was billed, so no cost)."""
    parts = [f"cached: {saved_words(note)}"]
    u = turn.usage
    if u is not None:
        parts.append(f"in {u.input_tokens} (cached {u.cached_tokens})")
        parts.append(f"out {u.output_tokens} (reasoning {u.reasoning_tokens})")
    return "  ·  ".join(parts)


def mark_cached(card: MessageCard, note: CacheNote) -> None:
    """Mark an answer card as answered from the response cache, with what that saved (a
    structured-output verdict already on the badge stays after it)."""
    text = f"cached · {saved_words(note)}"
    other = card.badge.text() if not card.badge.isHidden() else ""
    if other:
        card.badge.setText(f"{text} · {other}")
    else:
        card.set_badge(text, "info")
    tip = (
        f"Answered from the response cache: no request was sent; {saved_words(note)} "
        "(the estimated cost and the time of the run that made this answer)"
    )
    card.badge.setToolTip(tip)
    card.badge.setAccessibleDescription(tip)  # what a screen reader adds to the badge's text


def unexpected_error(where: str) -> str:
    """The one short message for an error nothing else handled (the log has the traceback)."""
    log = paths.log_dir() / LOG_NAME
    return (
        f"Something went wrong while {where}. The app carries on; "
        f"the details are in the log ({log})."
    )


DEFAULT_TIER = "default_tier"
"""The error card action that sets service_tier to "default" (one undo step) and runs."""


PICK_UP = "pick_up"
"""The failure card's action that picks a background run up again (not a new request)."""


def failure_card(
    f: Failure, learned: LearnedRule | None = None, tier_action: bool = False, pickup: bool = False
) -> ErrorCard:
    """An inline card for a failed run, with the action that fits the failure; a refusal the
    run taught (`learned`) is offered as "drop", which leaves the parameter out and runs.
    With `tier_action`, flex's short capacity (FLEX_UNAVAILABLE) offers DEFAULT_TIER: run
    again now on the default tier (Standard price). With `pickup` (the run picked up a
    background run), the card offers PICK_UP instead of a new request."""
    actions = [(PICK_UP, "Pick up again") if pickup else ("retry", "Run again")]
    if tier_action and f.kind is FailureKind.FLEX_UNAVAILABLE:
        actions.insert(0, (DEFAULT_TIER, "Run on the default tier"))
    if f.kind in (FailureKind.AUTHENTICATION, FailureKind.MISSING_KEY):
        actions.insert(0, ("set_key", "Set API key"))
    if learned is not None:
        actions.insert(0, ("drop", remedy_label(learned)))
    status = f" ({f.status})" if f.status else ""
    message = f.message
    if learned is not None:
        message += (
            f"\nRemembered: {learned.provider} refuses {learned.wire} for {learned.model} "
            "(shown under Parameters, where it can be forgotten)."
        )
    if f.attempts > 1:
        message += f"\nGave up after {f.attempts} attempts."
    hint = f.hint
    if pickup:
        hint += " Pick up again follows the same background response: nothing is sent again."
    return ErrorCard(f"{f.title}{status}", message, hint.strip(), actions, details=f.details())


def badge_structured(card: MessageCard, fmt: OutputFormat | None, text: str) -> None:
    """Paint the verdict on a structured answer (core.answer_checks decides it)."""
    badge = structured_badge(fmt, text)
    if badge is None:
        return
    if badge.pretty is not None:
        card.view.set_markdown("```json\n" + badge.pretty + "\n```")
    card.set_badge(badge.text, badge.tone)


_WRITE_WORDS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "you are not allowed to write there",
    errno.EPERM: "you are not allowed to write there",
    errno.EROFS: "that disk is read-only",
    errno.ENOENT: "that folder does not exist",
    errno.EISDIR: "a folder has that name",
    errno.ENAMETOOLONG: "the name is too long",
}


def write_failure(what: str, path: str | Path, exc: OSError) -> str:
    """ "Could not save the report to /x/r.html: the disk is full.": a file that could not
    be written, in the user's words (the errno decides; the system's own text otherwise)."""
    reason = _WRITE_WORDS.get(exc.errno or 0) or (exc.strerror or "the system refused").lower()
    return f"Could not save {what} to {path}: {reason}."
