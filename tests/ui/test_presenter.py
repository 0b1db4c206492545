"""The error card's actions: the buttons a failed run offers the user."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from playground.core.errors import Failure, FailureKind
from playground.ui.presenter import failure_card


def _buttons(qtbot: QtBot, failure: Failure) -> list[str]:
    card = failure_card(failure)
    qtbot.addWidget(card)
    return [b.text() for b in card.findChildren(QPushButton)]


def test_an_answer_cut_by_a_content_filter_offers_run_again_not_continue(qtbot: QtBot) -> None:
    """Continue belongs to the output-token limit (offered on the answer card); any other
    incomplete answer can only be run again."""
    assert _buttons(qtbot, Failure(FailureKind.INCOMPLETE, "content_filter")) == ["Run again"]


def test_a_missing_key_offers_to_set_one_first(qtbot: QtBot) -> None:
    buttons = _buttons(qtbot, Failure(FailureKind.MISSING_KEY, "no key"))
    assert buttons == ["Set API key", "Run again"]
