"""First start: the welcome notice shows whatever the keyring state, beside the other notices;
notices stack, and each is dismissed on its own."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring.backends.fail
import pytest
import qasync
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QApplication

from playground.services.keystore import KeyStore
from playground.services.simulator import Simulator
from playground.ui.app import Playground
from playground.ui.widgets.banner import MAX_NOTICES, Banner
from tests.services.test_keystore import MemoryKeyring
from tests.ui.conftest import App


@pytest.fixture
def no_keyring_app(
    qtbot: Any, qloop: qasync.QEventLoop, simulator: Simulator, tmp_path: Path
) -> Iterator[App]:
    """The app on a machine with no keyring at all (keyring's fail backend)."""
    pg = Playground(
        tmp_path / "settings.json",
        keys=KeyStore(keyring.backends.fail.Keyring()),
        env={},
        simulator_speed=None,
        strict=True,
        simulator=simulator,
        data_dir=tmp_path / "data",
    )
    window = pg.open_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield App(pg, window, qtbot, simulator, None)  # type: ignore[arg-type]
    window.close()
    closing = asyncio.ensure_future(pg.aclose())
    qtbot.waitUntil(closing.done, timeout=5000)
    closing.result()


def _first_start(app: App) -> None:
    task = asyncio.ensure_future(app.pg.first_start_check())
    app.qtbot.waitUntil(task.done, timeout=3000)
    task.result()


def test_without_a_keyring_the_first_start_still_says_how_to_add_a_key(
    no_keyring_app: App,
) -> None:
    app = no_keyring_app
    _first_start(app)
    texts = app.window.banner.texts()
    welcome = [t for t in texts if "Offline simulator" in t]
    assert len(welcome) == 1 and "Providers" in welcome[0]
    assert "for this session only" in welcome[0] and "OPENAI_API_KEY" in welcome[0]
    # the keyring warning is not hidden by it: both show, one above the other
    assert any("not stored securely" in t for t in texts)
    items = app.window.banner.items
    assert all(i.isVisible() for i in items) and len(items) == 2
    app.qtbot.wait(30)
    app.shot(app.window, "first_run_no_keyring")


def test_dismissing_the_welcome_is_remembered_and_leaves_the_other_notice(
    no_keyring_app: App,
) -> None:
    app = no_keyring_app
    _first_start(app)
    banner = app.window.banner
    welcome = next(i for i in banner.items if "Offline simulator" in i.text.text())
    welcome.close_button.click()
    assert app.pg.settings.banner_dismissed
    assert [t for t in banner.texts() if "not stored securely" in t]
    assert banner.isVisible()
    _first_start(app)  # the next start: not shown again
    assert not [t for t in banner.texts() if "Offline simulator" in t]


def test_dismissing_another_notice_does_not_dismiss_the_welcome(no_keyring_app: App) -> None:
    app = no_keyring_app
    _first_start(app)
    banner = app.window.banner
    other = next(i for i in banner.items if "not stored securely" in i.text.text())
    other.close_button.click()
    assert not app.pg.settings.banner_dismissed
    assert [t for t in banner.texts() if "Offline simulator" in t]


def test_the_welcome_offers_the_providers_dialog(app: App) -> None:
    _first_start(app)
    banner = app.window.banner
    assert "Offline simulator" in banner.text.text() and banner.action.text() == "Providers…"
    banner.action.click()
    assert app.window._dialog.isVisible()
    app.window._dialog.close()


def test_an_import_notice_and_a_window_notice_show_together(app: App) -> None:
    app.window.show_banner("⚠ The history could not be opened")
    app.window.exchange.import_from('{"model": "gpt-4o", "input": "hello"}', "the clipboard")
    texts = app.window.banner.texts()
    assert len(texts) == 2
    assert texts[0].startswith("Imported") and "history" in texts[1]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.tuples(st.just("show"), st.sampled_from(["a", "b", "c", "d", "e", "f"])),
            st.tuples(st.just("dismiss"), st.integers(min_value=0, max_value=5)),
        ),
        max_size=12,
    )
)
def test_notices_stack_newest_first_and_go_one_at_a_time(
    qapp: QApplication, steps: list[tuple[str, Any]]
) -> None:
    banner = Banner()
    dismissed: list[str] = []
    banner.dismissed.connect(lambda item: dismissed.append(item.text.text()))
    expected: list[str] = []  # newest first
    for op, arg in steps:
        if op == "show":
            text = f"notice {arg}"
            if text in expected:
                expected.remove(text)  # the same text again moves to the top, not twice
            expected.insert(0, text)
            banner.show_text(text)
            del expected[MAX_NOTICES:]
        elif expected:
            index = arg % len(expected)
            banner.items[index].close_button.click()
            assert dismissed[-1] == expected.pop(index)
        assert banner.texts() == expected
        assert (not banner.isHidden()) == bool(expected)
    banner.deleteLater()


def test_a_first_start_with_a_key_still_opens_on_openai(app: App) -> None:
    app.keyring.set_password("playground-openai", "OpenAI", "sk-first-run")
    app.pg._welcome = True
    _first_start(app)
    assert app.window.provider.currentText() == "OpenAI"
    assert not [t for t in app.window.banner.texts() if "Offline simulator" in t]


def test_a_fresh_start_is_not_modified_and_quits_at_once(
    qtbot: Any, qloop: qasync.QEventLoop, simulator: Simulator, tmp_path: Path
) -> None:
    pg = Playground(
        tmp_path / "settings.json",
        keys=KeyStore(MemoryKeyring()),
        env={},
        simulator_speed=None,
        strict=True,
        simulator=simulator,
        data_dir=tmp_path / "data",
    )
    window = pg.open_window()  # the first start: the sample tab
    qtbot.addWidget(window)
    window.show()
    try:
        app = App(pg, window, qtbot, simulator, None)  # type: ignore[arg-type]
        _first_start(app)
        qtbot.wait(300)  # the edits' commit timer and the first autosave have run
        doc = pg.documents.current_document()  # type: ignore[union-attr]
        assert doc is not None and not doc.dirty
        assert "•" not in pg.documents.bar.tabText(0)  # type: ignore[union-attr]
        window.menus.quit.trigger()
        assert window.menus.quit_box is None  # nothing asked
        assert not window.isVisible()
    finally:
        window.close()
        closing = asyncio.ensure_future(pg.aclose())
        qtbot.waitUntil(closing.done, timeout=5000)
        closing.result()


def test_the_welcome_goes_when_its_tab_moves_off_the_simulator(app: App) -> None:
    _first_start(app)
    assert [t for t in app.window.banner.texts() if "Offline simulator" in t]
    app.window.provider.setCurrentText("OpenAI")
    app.qtbot.waitUntil(
        lambda: not [t for t in app.window.banner.texts() if "Offline simulator" in t],
        timeout=3000,
    )
    app.window.provider.setCurrentText("Offline simulator")  # it said its piece: not again
    assert not [t for t in app.window.banner.texts() if "Offline simulator" in t]
    assert not app.pg.settings.banner_dismissed  # moving away is not dismissing it
