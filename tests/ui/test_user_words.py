"""Every failure the simulator can produce, driven through the window: what the window shows
(error cards, banners, the status line, the events table, labels and tooltips) is in the
user's words, with no SDK message, Python repr or traceback."""

from __future__ import annotations

import socket

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QLabel,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from playground.core.profiles import ProviderProfile
from playground.services.simulator import HttpError, Scenario
from playground.ui.widgets.tool_step import ErrorCard
from tests.ui.conftest import App
from tests.user_words import problems

NO_RETRY = {"x-should-retry": "false"}

# The simulator's faults (services/simulator/scenarios.py): HTTP errors by status, with and
# without the API's error object; mid-stream errors in each form; a cut, a malformed and a
# stalled stream. Each gives one failure kind. (The "incomplete" form stops at the output-token
# limit, which is an answer to continue, not a failure.)
FAULTS = {
    "bad_request": Scenario(
        http_error=HttpError(400, "Invalid value for 'temperature'.", param="temperature")
    ),
    "authentication": Scenario(http_error=HttpError(401, "Incorrect API key provided: sk-x.")),
    "permission": Scenario(http_error=HttpError(403, "No access to this model.")),
    "not_found": Scenario(http_error=HttpError(404, "The model `x` does not exist.")),
    "conflict": Scenario(http_error=HttpError(409, "Conflict.", headers=NO_RETRY)),
    "unprocessable": Scenario(http_error=HttpError(422, "Unprocessable.")),
    "rate_limit": Scenario(http_error=HttpError(429, "Rate limit reached.", headers=NO_RETRY)),
    "server": Scenario(http_error=HttpError(500, headers=NO_RETRY)),
    "server_html": Scenario(
        http_error=HttpError(
            502, raw_body="<html><body>Bad Gateway</body></html>", headers=NO_RETRY
        )
    ),
    "unknown_status": Scenario(http_error=HttpError(418, "I'm a teapot.")),
    "stream_chat": Scenario(text=["Half ", "an ", "answer"], error_after=3, error_form="chat"),
    "stream_flat": Scenario(text=["Half ", "an ", "answer"], error_after=6, error_form="flat"),
    "stream_nested": Scenario(text=["Half ", "an ", "answer"], error_after=6, error_form="nested"),
    "response_failed": Scenario(text=["Half ", "an "], error_after=6, error_form="failed"),
    "connection_cut": Scenario(text=["Half ", "an ", "answer"], truncate_after=6),
    "unreadable_stream": Scenario(text=["Half ", "an ", "answer"], malformed_after=6),
    "timeout": Scenario(text=["Slow ", "then ", "nothing"], stall_after=5, stall_seconds=3),
}


def shown_texts(root: QWidget) -> list[str]:
    """Every text a user can see in `root` (labels, buttons, read-only text, table cells)
    and can point at (tooltips, status tips)."""
    out: list[str] = []
    for w in [root, *root.findChildren(QWidget)]:
        if not w.isVisibleTo(root) and w is not root:
            continue
        out += [w.toolTip(), w.statusTip(), w.accessibleName(), w.accessibleDescription()]
        if isinstance(w, QLabel | QAbstractButton):
            out.append(w.text())
        elif isinstance(w, QTextEdit | QPlainTextEdit) and w.isReadOnly():
            out.append(w.toPlainText())
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            for r in range(min(model.rowCount(), 500)):
                for c in range(model.columnCount()):
                    for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                        value = model.index(r, c).data(role)
                        if isinstance(value, str):
                            out.append(value)
    return [t for t in out if t]


def assert_in_users_words(app: App) -> list[str]:
    app.window.raw.flush()
    texts = shown_texts(app.window)
    texts.append(app.window.statusBar().currentMessage())
    bad = {t: problems(t) for t in texts if problems(t)}
    assert bad == {}
    return texts


def use_profile(app: App, timeout: float = 5) -> None:
    w = app.window
    profile = ProviderProfile(
        name="Faulty", base_url=app.sim.base_url, max_retries=0, timeout=timeout
    )
    w.set_profiles([*w.profiles, profile])
    w.provider.setCurrentText("Faulty")
    app.keyring.set_password("playground-openai", "Faulty", "sk-faulty-test")


def card(app: App) -> ErrorCard:
    cards = [c for c in app.window.conversation.transient if isinstance(c, ErrorCard)]
    assert cards, "no error card"
    return cards[0]


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_every_fault_is_told_in_the_users_words(app: App, fault: str) -> None:
    use_profile(app, timeout=0.5 if fault == "timeout" else 5)
    app.sim.enqueue(FAULTS[fault])
    app.run()
    shown = card(app)
    shown.details.toggle.click()  # the technical detail too, once unfolded
    texts = assert_in_users_words(app)
    rows = [t for t in texts if t.startswith(("Failure", "rate limited"))]
    assert "Failure" in rows  # the events table names the failed run, in words
    assert shown.message.text().endswith(".")
    # the status line says the run failed (it said "Done" for a failed run)
    status = app.window.status.text()
    assert status.startswith("Failed: ") and shown.title.startswith(status[len("Failed: ") :])


def test_a_missing_key_says_where_to_add_one(app: App) -> None:
    w = app.window
    needy = ProviderProfile(name="Keyless", base_url=app.sim.base_url, max_retries=0)
    w.set_profiles([*w.profiles, needy])
    w.provider.setCurrentText("Keyless")
    app.run()
    assert card(app).message.text() == ("No API key for the profile Keyless: add one in Providers.")
    assert_in_users_words(app)


def test_a_refused_connection_names_the_server(app: App) -> None:
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
    assert card(app).message.text().startswith(f"Could not connect to 127.0.0.1:{port}")
    assert_in_users_words(app)


def test_testing_a_profile_without_a_key_is_not_the_sdks_missing_credentials(app: App) -> None:
    """The providers dialog's Test with no key showed the SDK's "Missing credentials. Please
    pass an `api_key`..."."""
    said: list[tuple[str, bool]] = []
    app.pg.providers.test_result.connect(lambda text, ok: said.append((text, ok)))
    needy = ProviderProfile(name="Keyless", base_url=app.sim.base_url, max_retries=0)
    app.pg.providers.test(needy, "")
    app.qtbot.waitUntil(lambda: bool(said), timeout=5000)
    text, ok = said[0]
    assert not ok and problems(text) == []
    assert text.startswith("No API key for the profile Keyless")


def test_the_technical_detail_goes_to_the_card_and_to_the_log(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    use_profile(app)
    app.sim.enqueue(FAULTS["authentication"])
    app.run()
    shown = card(app)
    assert shown.message.text() == "The server did not accept the API key."
    assert not shown.details.expanded  # folded until asked for
    said = shown.details.text.text().splitlines()
    assert said[:2] == ["The server said: Incorrect API key provided: sk-x.", "HTTP status: 401"]
    assert said[-1].startswith("Request id: req_")
    assert "The server said: Incorrect API key provided" in caplog.text
    assert said[-1].removeprefix("Request id: ") in caplog.text


def test_an_unknown_model_is_named_on_the_card(app: App) -> None:
    use_profile(app)
    view = app.window.current_view
    assert view is not None
    view.doc.set("model", "gpt-9-nope", "Model")
    app.run()
    assert (
        card(app)
        .message.text()
        .startswith(
            "The server does not know the model gpt-9-nope, or the key has no access to it."
        )
    )
    assert_in_users_words(app)
