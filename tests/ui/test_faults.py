"""Faults in the window: no crash, back to idle, the partial answer stays and is saved."""

from __future__ import annotations

import pytest

from playground.core.profiles import ProviderProfile
from playground.services.simulator import HttpError, Scenario
from playground.ui.widgets.tool_step import ErrorCard
from tests.ui.conftest import App


def use_profile(app: App, **settings: object) -> None:
    w = app.window
    profile = ProviderProfile(name="Faulty", base_url=app.sim.base_url, max_retries=0, **settings)  # type: ignore[arg-type]
    w.set_profiles([*w.profiles, profile])
    w.provider.setCurrentText("Faulty")
    app.keyring.set_password("playground-openai", "Faulty", "sk-faulty-test")


def error_title(app: App) -> str:
    cards = [c for c in app.window.conversation.transient if isinstance(c, ErrorCard)]
    assert cards, "no error card"
    return cards[0].findChildren(type(cards[0].message))[0].text()


@pytest.mark.parametrize(
    ("scenario", "title", "partial"),
    [
        (
            Scenario(text=["Half ", "an ", "answer"], truncate_after=6),
            "Connection failed",
            "Half an ",
        ),
        (
            Scenario(text=["Half ", "an ", "answer"], malformed_after=6),
            "The server's stream could not be read",
            "Half an ",
        ),
        (
            Scenario(text=["Half ", "an ", "answer"], error_after=6, error_form="nested"),
            "Error during the stream",
            "Half an ",
        ),
        (
            Scenario(text=["Half ", "an ", "answer"], error_after=6, error_form="failed"),
            "The response failed",
            "Half an ",
        ),
        (
            Scenario(http_error=HttpError(403, "No access to this model.")),
            "Permission denied (403)",
            None,
        ),
        (
            Scenario(http_error=HttpError(404, "The model `x` does not exist.")),
            "Not found (404)",
            None,
        ),
    ],
)
def test_fault_cards_keep_the_partial_answer(
    app: App, scenario: Scenario, title: str, partial: str | None
) -> None:
    use_profile(app)
    app.sim.enqueue(scenario)
    app.run()
    assert error_title(app).startswith(f"⚠ {title}")
    assert not app.window.stop_button.isEnabled() and app.window.run_button.isEnabled()
    last = app.window.conversation.cards[-1].message()
    if partial is None:
        assert last.role == "user"  # nothing arrived, no empty answer card
    else:
        assert (last.role, last.text) == ("assistant", partial)
        app.pg.documents.autosave()
        saved = app.pg.documents.store.read_tab(app.pg.documents.docs[0].tab)
        assert saved is not None and saved.messages[-1].text == partial


def test_a_stalled_stream_times_out(app: App) -> None:
    use_profile(app, timeout=0.5)
    app.sim.enqueue(Scenario(text=["Slow ", "then ", "nothing"], stall_after=5, stall_seconds=3))
    app.run()
    assert error_title(app).startswith("⚠ Timed out")
    assert app.window.conversation.cards[-1].message().text == "Slow "


def test_connection_refused(app: App) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    w = app.window
    dead = ProviderProfile(name="Dead", base_url=f"http://127.0.0.1:{port}/v1", max_retries=0)
    w.set_profiles([*w.profiles, dead])
    w.provider.setCurrentText("Dead")
    app.keyring.set_password("playground-openai", "Dead", "sk-dead-test")
    app.window.run()
    app.qtbot.waitUntil(lambda: bool(app.window.conversation.transient), timeout=10_000)
    app.wait_idle()
    assert error_title(app).startswith("⚠ Connection failed")
