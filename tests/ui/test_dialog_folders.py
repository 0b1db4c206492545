"""Save, Open, Import and Export dialogs each open in the folder last used for their kind, and
remember it across restarts (the settings' `folders`); a saved workspace follows the umask."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QFileDialog

from playground.core.workspace import Message, Workspace
from playground.services.settings import Settings
from playground.ui.folders import KINDS, RecentFolders
from tests.ui.conftest import App


def newest_dialog(app: App) -> QFileDialog:
    dialogs = [d for d in app.window.findChildren(QFileDialog) if d.isVisible()]
    assert dialogs, "a file dialog is open"
    return dialogs[-1]


def choose(app: App, open_dialog: Callable[[], Any], path: Path) -> str:
    """Open a dialog, note the folder it starts in, choose `path` in it."""
    open_dialog()
    dialog = newest_dialog(app)
    start = dialog.directory().absolutePath()
    dialog.fileSelected.emit(str(path))
    dialog.close()
    return start


def test_each_kind_of_dialog_goes_back_to_its_own_folder(app: App, tmp_path: Path) -> None:
    saves, opens, imports, exports = (tmp_path / n for n in ("saves", "opens", "in", "out"))
    for folder in (saves, opens, imports, exports):
        folder.mkdir()
    docs = app.pg.documents
    assert docs is not None
    w = app.window
    home = str(Path.home())

    assert choose(app, docs.menus.save_as, saves / "first.json") == home
    assert (saves / "first.json").exists()
    (opens / "other.json").write_text(Workspace().to_json())
    # Open starts where the last save went, until something is opened elsewhere
    assert choose(app, docs.menus.open, opens / "other.json") == str(saves)
    (imports / "body.json").write_text(json.dumps({"model": "gpt-4o", "input": "hi"}))
    assert choose(app, w.exchange.open_import, imports / "body.json") == home
    w.exchange.show_code()
    assert choose(app, w.exchange.view._on_save_clicked, exports / "request.py") == home
    assert (exports / "request.py").exists()

    assert choose(app, docs.menus.save_as, saves / "second.json") == str(saves)
    assert choose(app, docs.menus.open, opens / "other.json") == str(opens)
    assert choose(app, w.exchange.open_import, imports / "body.json") == str(imports)
    assert choose(app, w.exchange.view._on_save_clicked, exports / "r.py") == str(exports)

    saved = json.loads(app.pg.settings_path.read_text())["folders"]
    assert saved == {
        "save": str(saves),
        "open": str(opens),
        "import": str(imports),
        "export": str(exports),
    }
    assert stat.S_IMODE(app.pg.settings_path.stat().st_mode) == 0o600


def test_the_folders_are_remembered_after_a_restart(app_on, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "work"
    folder.mkdir()
    first = app_on({})
    docs = first.pg.documents
    choose(first, docs.menus.save_as, folder / "kept.json")
    again = app_on(first.pg.settings_path.read_text())
    assert choose(again, again.pg.documents.menus.open, folder / "kept.json") == str(folder)


def test_a_folder_that_is_gone_is_passed_over(app: App, tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    docs = app.pg.documents
    assert docs is not None
    choose(app, docs.menus.save_as, gone / "a.json")
    (gone / "a.json").unlink()
    for leftover in gone.iterdir():
        leftover.unlink()
    gone.rmdir()
    assert choose(app, docs.menus.save_as, tmp_path / "b.json") == str(Path.home())


def test_save_as_from_the_window_follows_the_umask(app: App, tmp_path: Path) -> None:
    docs = app.pg.documents
    assert docs is not None
    old = os.umask(0o022)
    try:
        choose(app, docs.menus.save_as, tmp_path / "shared.json")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "shared.json").stat().st_mode) == 0o644


def test_the_history_export_goes_back_to_its_folder(app: App, tmp_path: Path) -> None:
    panel = app.pg.history_view.panel  # type: ignore[union-attr]
    out = tmp_path / "runs"
    out.mkdir()
    app.run()  # one run in the history
    assert choose(app, panel._on_export, out / "runs.jsonl") == str(Path.home())
    app.qtbot.waitUntil(lambda: (out / "runs.jsonl").exists(), timeout=5000)
    app.qtbot.waitUntil(lambda: "Exported" in panel.status.text(), timeout=5000)
    assert choose(app, panel._on_export, out / "again.jsonl") == str(out)
    app.qtbot.waitUntil(lambda: (out / "again.jsonl").exists(), timeout=5000)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(KINDS), st.integers(min_value=0, max_value=3), st.booleans()),
        max_size=15,
    )
)
def test_each_kind_starts_in_its_own_last_folder_or_a_related_ones(
    steps: list[tuple[str, int, bool]],
) -> None:
    with tempfile.TemporaryDirectory() as root:
        dirs = [Path(root) / f"d{i}" for i in range(4)]
        for d in dirs:
            d.mkdir()
        held = Settings()
        saves: list[int] = []
        folders = RecentFolders(lambda: held, lambda: saves.append(1))
        last: dict[str, str] = {}
        for kind, index, as_file in steps:
            before = dict(held.folders)
            folders.remember(kind, dirs[index] / "file.json" if as_file else dirs[index])
            last[kind] = str(dirs[index])
            assert held.folders == {**before, kind: str(dirs[index])}
        assert len(saves) <= len(steps)  # written only when a folder changed
        for kind in KINDS:
            related = {"open": "save", "save": "open", "export-runs": "export"}.get(kind)
            expected = last.get(kind) or (last.get(related) if related else None)
            assert folders.folder(kind) == (expected or str(Path.home()))


def test_attach_image_and_file_go_back_to_the_folder_of_the_last_attachment(
    app: App, tmp_path: Path
) -> None:
    from playground.ui.widgets import card_actions

    pics = tmp_path / "pics"
    pics.mkdir()
    (pics / "cat.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (pics / "notes.md").write_text("# notes")
    app.window.load(Workspace(messages=[Message(content="Look at these.")]))
    card = app.window.conversation.cards[0]
    home = str(Path.home())
    assert choose(app, lambda: card_actions._choose_image(card), pics / "cat.png") == home
    # the file dialog starts where the image came from, and so does the next image
    assert choose(app, lambda: card_actions._choose_file(card), pics / "notes.md") == str(pics)
    assert choose(app, lambda: card_actions._choose_image(card), pics / "cat.png") == str(pics)
    assert "attach" in KINDS
