"""The dialogs for files that go with a workspace (the evaluation report, Export results, the
test set's Import and Export) start in the workspace file's folder when the tab is saved, else
in the last folder of their kind: never the home folder while a better one is known."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtWidgets import QWidget

from playground.ui.folders import document_folder
from tests.ui.conftest import App
from tests.ui.test_dialog_folders import choose
from tests.ui.test_evaluate_mode import enter, wait_status, workspace


def test_report_and_results_start_beside_the_saved_workspace(app: App, tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    elsewhere = tmp_path / "reports"
    elsewhere.mkdir()
    ev = enter(app, workspace())
    ev.run_button.click()
    wait_status(app, ev, "done")
    view = app.window.current_view
    assert view is not None
    home = str(Path.home())

    # not saved yet: the last folder of the kind (home at first, then the one chosen)
    assert choose(app, ev.report_button.click, elsewhere / "r.html") == home
    assert choose(app, ev.report_button.click, elsewhere / "r.html") == str(elsewhere)

    docs = app.pg.documents
    assert docs is not None
    assert docs.save_to(project / "eval.json")
    assert choose(app, ev.report_button.click, elsewhere / "r2.html") == str(project)
    assert choose(app, ev.earlier.export_button.click, elsewhere / "e.csv") == str(project)
    tests = view.test_set.view
    assert choose(app, tests._on_export, elsewhere / "t.csv") == str(project)
    assert choose(app, tests._on_import, elsewhere / "t.csv") == str(project)


@given(st.booleans(), st.booleans())
def test_the_workspace_folder_wins_when_it_exists(qapp, saved: bool, exists: bool) -> None:  # type: ignore[no-untyped-def]
    import tempfile

    with tempfile.TemporaryDirectory() as root:
        folder = Path(root) / "ws"
        if exists:
            folder.mkdir()
        document = str(folder / "a.json") if saved else None
        got = document_folder(QWidget(), "export", document)
        assert got == (str(folder) if saved and exists else str(Path.home()))
