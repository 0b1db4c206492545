"""A whole session with a marker key: it is used, and no file the app wrote contains it."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from playground.core.export import FORMATS
from playground.core.profiles import ProviderProfile
from playground.services.logs import close_logging, redact, setup_logging
from tests.ui.conftest import App

MARKER = "sk-marker-SECRET-4f1d2c9e8b7a6d5c"


def files_with(root: Path, needle: bytes) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_a_marker_key_never_reaches_a_file(app: App, tmp_path: Path) -> None:
    log_dir = tmp_path / "logs"
    setup_logging(log_dir)
    try:
        w = app.window
        app.sim.api_key = MARKER
        profile = ProviderProfile(name="Marked", base_url=app.sim.base_url, max_retries=0)
        w.set_profiles([*w.profiles, profile])
        w._on_profiles_changed(w.profiles)
        w.provider.setCurrentText("Marked")
        # store the key the way the providers dialog does
        app.pg.providers.save_key("Marked", MARKER)
        app.qtbot.waitUntil(
            lambda: app.keyring.items.get(("playground-openai", "Marked")) == MARKER, timeout=3000
        )
        app.run()
        assert app.sim.requests[-1].headers["authorization"] == f"Bearer {MARKER}"
        assert "Simulated answer" in w.conversation.cards[-1].message().text  # key accepted
        w.exchange.show_code()
        for fmt in FORMATS:
            w.exchange.view.format.setCurrentIndex(w.exchange.view.format.findData(fmt))
            out = tmp_path / f"export.{fmt}"
            w.exchange.view.save_requested.emit(str(out), w.exchange.view.text())
            assert out.exists() and MARKER not in out.read_text()
        assert app.pg.documents.save_to(tmp_path / "workspace.json")
        app.pg.documents.autosave()
        logging.getLogger("playground.test").warning(
            "headers: {'Authorization': 'Bearer %s'} api_key=%s", MARKER, MARKER
        )
        app.qtbot.waitUntil(lambda: len(app.pg.history.search()) == 1, timeout=3000)
    finally:
        close_logging()
    home = Path(os.environ["XDG_CONFIG_HOME"]).parent
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name == "history.sqlite3" for p in written)
    assert any(p.name == "playground.log" for p in written)
    assert files_with(tmp_path, MARKER.encode()) == []
    assert files_with(home, MARKER.encode()) == []
    assert "Bearer [redacted]" in (log_dir / "playground.log").read_text()


def test_redaction() -> None:
    assert redact("Authorization: Bearer sk-abc123456789") == "Authorization: Bearer [redacted]"
    assert redact('{"api_key": "sk-live-1234567890"}') == '{"api_key": "[redacted]"}'
    assert redact("key sk-proj-ABCDEFGHIJ in text") == "key sk-[redacted] in text"
