"""Export report… in Evaluate mode (issue 17, item 5), as a user does it: after a real
evaluation on the simulator the button is enabled, its save dialog offers
"<workspace>-eval-<day>.html", the page written holds what the view shows, the status line
names the file, and a disk that is full or a folder that refuses is said in the user's words."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from playground.ui import presenter
from playground.ui.views import evaluate_report
from tests.ui.conftest import App
from tests.ui.test_evaluate_mode import enter, run, wait_status, workspace
from tests.user_words import problems


def finished(app: App) -> None:
    ev = enter(app, workspace())
    assert not ev.report_button.isEnabled()  # nothing to report before a cell finished
    app.window.current_view.runner.set_status("")  # type: ignore[union-attr]
    run(app)
    wait_status(app, ev, "done")
    assert ev.report_button.isEnabled()


def test_export_report_writes_the_page_the_view_summarises(app: App, tmp_path: Path) -> None:
    finished(app)
    view = app.window.current_view
    assert view is not None
    view.evaluate.report_button.click()
    dialog = app.window.window_runs.evaluate.reports.dialog
    assert dialog is not None and dialog.isVisible()
    day = time.strftime("%Y-%m-%d", time.gmtime())
    assert dialog.selectedFiles()[0].endswith(f"-eval-{day}.html")
    target = tmp_path / "shared" / "fruit"  # no suffix: .html is added
    dialog.fileSelected.emit(str(target))
    dialog.close()
    page_path = target.with_suffix(".html")
    app.qtbot.waitUntil(lambda: "Report saved" in app.window.status.text(), timeout=10_000)
    assert str(page_path) in app.window.status.text()
    page = page_path.read_text(encoding="utf-8")
    summary = {row[0]: row for row in view.evaluate.summary_model.texts()}
    assert summary["mini"][1] == "67%" and summary["warm"][1] == "67%"
    assert page.count('data-figure="pass_rate">67%<') == 2
    assert page.count("✗ FAILED") == 2 and "<h3>mini</h3>" in page
    assert "No charts in this report." not in page
    assert page.count('src="data:image/png;base64,') == 4  # the four charts of the Charts tab
    assert "Say plum" in page  # the exact bodies are there


def test_the_charts_hook_puts_its_images_in_the_page(app: App, tmp_path: Path) -> None:
    finished(app)
    view = app.window.current_view
    assert view is not None
    reports = app.window.window_runs.evaluate.reports
    seen: list[dict[str, str]] = []

    def charts(_summaries: object, titles: dict[str, str]) -> list[tuple[str, bytes]]:
        seen.append(titles)
        return [("Pass rate", b"\x89PNG\r\n\x1a\n" + b"\x00" * 8)]

    reports.chart_images = charts
    view.evaluate.report_button.click()
    assert reports.dialog is not None
    reports.dialog.fileSelected.emit(str(tmp_path / "r.html"))
    reports.dialog.close()
    app.qtbot.waitUntil(lambda: (tmp_path / "r.html").exists(), timeout=10_000)
    app.qtbot.waitUntil(lambda: "Report saved" in app.window.status.text(), timeout=10_000)
    assert seen == [{"a": "mini", "b": "warm"}]
    assert "data:image/png;base64," in (tmp_path / "r.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("code", "words"),
    [(errno.ENOSPC, "the disk is full"), (errno.EACCES, "you are not allowed to write there")],
)
def test_a_full_disk_or_a_refusing_folder_is_said_in_user_words(
    app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, words: str
) -> None:
    finished(app)
    view = app.window.current_view
    assert view is not None

    def refuse(_path: Path, _page: str) -> None:  # the disk as the OS answers, not a mock of Qt
        raise OSError(code, "system words")

    monkeypatch.setattr(evaluate_report, "write_report", refuse)
    view.evaluate.report_button.click()
    reports = app.window.window_runs.evaluate.reports
    assert reports.dialog is not None
    reports.dialog.fileSelected.emit(str(tmp_path / "r.html"))
    reports.dialog.close()
    app.qtbot.waitUntil(lambda: view.evaluate.error.isVisible(), timeout=10_000)
    text = view.evaluate.error.text()
    assert text == f"Could not save the report to {tmp_path / 'r.html'}: {words}."
    assert "Report saved" not in app.window.status.text()
    assert not (tmp_path / "r.html").exists()
    app.window.resize(1366, 768)
    app.qtbot.wait(50)
    app.shot(app.window, "evaluate-report-error")


@given(st.sampled_from(sorted(errno.errorcode)))
def test_every_write_failure_is_in_user_words(code: int) -> None:
    exc = OSError(code, os.strerror(code))
    text = presenter.write_failure("the report", "/tmp/r.html", exc)
    assert text.startswith("Could not save the report to /tmp/r.html: ") and text.endswith(".")
    assert not problems(text)
