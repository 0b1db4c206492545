"""A provider profile whose base URL cannot work (wrong scheme, a space in the host, a port out
of range) is named as such wherever it would be used: Run is blocked with the reason, Test
connection does not connect (nor retry), and Copy diagnostics still reports."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QGuiApplication

from playground.core.profiles import ProviderProfile, base_url_problem, profile_problem
from tests.ui.conftest import App
from tests.ui.test_menus import entry

BAD = ["htp://local host:99999/v1", "http://local host:8000/v1", "http://localhost:99999/v1"]


def use(app: App, url: str) -> None:
    w = app.window
    w.profiles_edited([*w.profiles, ProviderProfile(name="Gateway", base_url=url)])
    w.provider.setCurrentText("Gateway")
    app.keyring.set_password("playground-openai", "Gateway", "sk-gateway-test")
    w.validation.check()


@pytest.mark.parametrize("url", BAD)
def test_run_is_blocked_with_the_reason_and_nothing_is_sent(app: App, url: str) -> None:
    use(app, url)
    w = app.window
    assert not w.run_button.isEnabled()
    assert "The profile Gateway cannot be used: the base URL" in w.run_button.toolTip()
    assert "Providers" in w.run_button.toolTip()
    w.run()
    app.qtbot.wait(100)
    assert app.sim.requests == []


def test_test_connection_says_why_at_once(app: App) -> None:
    use(app, BAD[0])
    w = app.window
    w.open_providers()
    dialog = w._dialog
    dialog.select("Gateway")
    dialog.test.click()
    app.qtbot.waitUntil(lambda: dialog.test_result.text().startswith("Not tested"), timeout=3000)
    assert "must start with http:// or https://" in dialog.test_result.text()
    assert "%20" not in dialog.test_result.text()
    dialog.close()


def test_copy_diagnostics_reports_a_bad_url_and_the_simulator_as_built_in(app: App) -> None:
    use(app, BAD[0])
    QGuiApplication.clipboard().setText("")
    entry(app, "Help", "Copy diagnostics").trigger()
    report = QGuiApplication.clipboard().text()
    assert "Gateway (custom): not a usable URL" in report
    assert "Offline simulator (simulator): built in" in report
    assert "api.openai.com" not in report.split("Offline simulator")[1].splitlines()[0]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_the_check_never_raises_and_a_usable_url_parses(text: str) -> None:
    from urllib.parse import urlsplit

    problem = base_url_problem(text)
    assert problem is None or problem.startswith("the base URL “")
    if problem is None and text.strip():
        parts = urlsplit(text)
        assert parts.scheme in ("http", "https") and parts.hostname and parts.port != 0
    profile = ProviderProfile(name="p", base_url=text or None)  # a query moves to `query`
    said = profile_problem(profile)
    assert (said is None) == (base_url_problem(profile.base_url) is None)


def test_an_unclosed_bracket_is_a_bad_url_not_a_crash() -> None:
    assert base_url_problem("http://[::1/v1") == "the base URL “http://[::1/v1” is not a URL"
