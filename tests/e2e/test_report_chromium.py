"""The evaluation report (issue 17, item 5) opened as a reader opens it: a real evaluation of
2 variants x 3 rows on the simulator (a grader fails on one row), its report written, then
Debian's headless Chromium, cut off from the network, renders it: the DOM after rendering has
the summary figures of each variant, the failed cells say so, every request body shown is one
the simulator received, the chart embedded as a data: URI is drawn, and the screenshot is not
blank. Without Chromium these tests FAIL: CI installs Debian's `chromium` (.ci/run)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from playground.cli_eval_inputs import grader, prepare
from playground.core.eval_report import ms, rate, usd
from playground.core.evaluation_results import VariantSummary
from playground.core.evaluation_spec import GraderSpec, TestRow
from playground.core.profiles import ProviderProfile
from playground.core.variants import Variant
from playground.core.workspace import Message, Workspace
from playground.services.backend import OpenAIBackend
from playground.services.eval_report import build_report, write_report
from playground.services.evaluation import Evaluation, columns_of
from playground.services.runs import fixed_key
from playground.services.simulator import Simulator
from tests.conftest import run

SHOTS = Path(__file__).resolve().parents[1] / "screenshots"
ROWS = [("apple", "apple"), ("pear", "pear"), ("plum", "banana")]  # the last one fails
TITLES = {"a": "mini", "b": "warm"}
BAR = QColor(214, 39, 40)  # the chart's bars: a red nothing else on the page has


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail(
            "chromium is not on PATH: install Debian's `chromium` package "
            "(apt-get install chromium; .ci/run does)",
            pytrace=False,
        )
    return found


def render(page: Path, tmp_path: Path) -> tuple[str, QImage]:
    """(the DOM after rendering, the screenshot) of `page` in headless Chromium, no network."""
    shot = tmp_path / "shot.png"
    base = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--host-resolver-rules=MAP * ~NOTFOUND",
    ]
    url = page.resolve().as_uri()
    dom = subprocess.run(
        [*base, "--dump-dom", url], capture_output=True, text=True, timeout=120, check=True
    ).stdout  # stderr: Chromium's D-Bus complaints, not ours
    subprocess.run(
        [*base, f"--screenshot={shot}", "--window-size=1280,2000", url],
        capture_output=True,
        timeout=120,
        check=True,
    )
    image = QImage(str(shot))
    assert not image.isNull() and (image.width(), image.height()) == (1280, 2000)
    return dom, image


class Page(HTMLParser):
    """The summary table's figures by variant, every <pre>'s text, and every URL attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.figures: dict[str, dict[str, str]] = {}
        self.pres: list[str] = []
        self.urls: list[str] = []
        self.failed_cells = 0
        self._variant: str | None = None
        self._figure: str | None = None
        self._pre = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.urls += [v or "" for k, v in attrs if k in ("src", "href", "action", "poster")]
        if tag == "tr" and a.get("data-variant"):
            self._variant = a["data-variant"]
            self.figures[self._variant or ""] = {}
        elif tag == "td" and a.get("data-figure") and self._variant is not None:
            self._figure = a["data-figure"]
            self.figures[self._variant][self._figure or ""] = ""
        elif tag == "td" and "failed" in (a.get("class") or "").split():
            self.failed_cells += 1
        elif tag == "pre":
            self._pre = True
            self.pres.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._figure = None
        elif tag == "tr":
            self._variant = None
        elif tag == "pre":
            self._pre = False

    def handle_data(self, data: str) -> None:
        if self._figure is not None and self._variant is not None:
            self.figures[self._variant][self._figure] += data
        if self._pre:
            self.pres[-1] += data


def parse(dom: str) -> Page:
    page = Page()
    page.feed(dom)
    page.close()
    return page


def expected_figures(s: VariantSummary | dict[str, Any]) -> dict[str, str]:
    """What the summary table must say, from the VariantSummary (or its asdict)."""
    d = s if isinstance(s, dict) else {f: getattr(s, f) for f in s.__dataclass_fields__}
    return {
        "pass_rate": rate(d["pass_rate"]),
        "passed": str(d["passed"]),
        "failed": str(d["failed"]),
        "errors": str(d["errors"]),
        "finished": f"{d['finished']} of {d['cells']}",
        "mean_ms": ms(d["mean_ms"]),
        "p95_ms": ms(d["p95_ms"]),
        "tokens": f"{d['input_tokens']:,} / {d['output_tokens']:,}",
        "cost_usd": usd(d["cost_usd"]),
    }


def check_no_network(html: str, page: Page) -> None:
    assert all(u.startswith("data:image/png;base64,") for u in page.urls), page.urls
    assert "url(" not in html and "@import" not in html and "<link" not in html
    assert "<script" not in html.lower()


def workspace() -> Workspace:
    return Workspace.model_validate(
        {
            "api": "chat",
            "model": "gpt-4o-mini",
            "messages": [Message(role="user", content="Say {{word}}").model_dump()],
            "variants": [
                Variant(key="a", name="mini", overrides={}).model_dump(),
                Variant(key="b", name="warm", overrides={"params.temperature": 0.2}).model_dump(),
            ],
            "graders": [GraderSpec(kind="contains", name="says it", value="{{expected}}")],
        }
    )


def rows() -> list[TestRow]:
    return [
        TestRow(id=f"r{i}", values={"word": w}, expected={"expected": e})
        for i, (w, e) in enumerate(ROWS)
    ]


def chart(summaries: list[VariantSummary]) -> bytes:
    """A bar chart of the pass rates, drawn with QPainter (the charts module stands in)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    image = QImage(480, 220, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setPen(QColor("#333a40"))
    painter.drawLine(40, 190, 460, 190)
    for i, s in enumerate(summaries):
        height = int(150 * (s.pass_rate or 0))
        left = 80 + i * 200
        painter.fillRect(QRect(left, 190 - height, 120, height), BAR)
        label = f"{TITLES[s.variant]}  {rate(s.pass_rate)}"
        painter.drawText(QRect(left - 20, 194, 160, 20), Qt.AlignmentFlag.AlignCenter, label)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def near(c: QColor, want: QColor, slack: int = 12) -> bool:
    return all(abs(a - b) <= slack for a, b in zip(c.getRgb()[:3], want.getRgb()[:3], strict=True))


def test_the_report_of_a_real_evaluation_renders_its_figures_and_chart_offline(
    qapp: Any, simulator: Simulator, tmp_path: Path
) -> None:
    profile = ProviderProfile(name="Sim", kind="custom", base_url=simulator.base_url)
    ws = workspace()
    columns = columns_of(ws, ws.variants, lambda _ws: profile)
    backend = OpenAIBackend(strict=True)
    key = fixed_key("sk-report-secret-key")
    ev = Evaluation(
        columns,
        rows(),
        backend=backend,
        resolve=key,
        prepare=prepare,
        grade=grader(ws.graders, ws, profile, backend, key),
    )

    async def go() -> None:
        try:
            await ev.run()
        finally:
            await backend.aclose()

    started = time.time()
    run(go())
    summaries = ev.summary()
    assert [s.failed for s in summaries] == [1, 1]  # the plum row fails in both variants
    page = build_report(
        ev.id, "fruit.json", columns, TITLES, rows(), ev.cells.values(), summaries, prepare,
        charts=[("Pass rate per variant", chart(summaries))], started_at=started,
    )  # fmt: skip
    target = tmp_path / "report.html"
    write_report(target, page)
    assert "sk-report-secret-key" not in page

    dom, shot = render(target, tmp_path)
    seen = parse(dom)
    check_no_network(target.read_text(encoding="utf-8"), seen)
    for s in summaries:
        shown = seen.figures[s.variant]
        assert {k: shown[k] for k in expected_figures(s)} == expected_figures(s)
    assert seen.figures["a"]["pass_rate"] == "67%" and seen.failed_cells == 2
    assert "4 of 6 finished cells passed (67%)" in dom
    # every body shown is one the simulator received, and each one it received is shown
    received = simulator.bodies("/chat/completions")
    shown_bodies = [json.loads(p) for p in seen.pres]

    def same(bodies: list[Any]) -> list[str]:
        return sorted(json.dumps(b, sort_keys=True) for b in bodies)

    assert len(received) == 6 and same(shown_bodies) == same(received)
    # the screenshot: not blank, and the chart (a data: URI, nothing fetched) is drawn
    colors = {shot.pixel(x, y) for x in range(0, 1280, 16) for y in range(0, 2000, 16)}
    assert len(colors) > 8
    red = sum(
        near(shot.pixelColor(x, y), BAR) for x in range(0, 1280, 4) for y in range(0, 2000, 4)
    )
    assert red > 100, "the chart's bars are not in the screenshot"
    SHOTS.mkdir(exist_ok=True)
    shot.save(str(SHOTS / "report.png"))


def test_playground_eval_report_renders_the_summary_the_json_gives(
    simulator: Simulator, tmp_path: Path
) -> None:
    ws = tmp_path / "ws.json"
    data = workspace().model_dump(mode="json")
    data["test_set"] = {
        "columns": ["word"],
        "expected": ["expected"],
        "rows": [r.model_dump() for r in rows()],
    }
    ws.write_text(json.dumps(data))
    report = tmp_path / "out" / "report.html"
    env = {**os.environ, "OPENAI_API_KEY": "sk-cli-secret", "XDG_DATA_HOME": str(tmp_path / "d")}
    done = subprocess.run(
        [sys.executable, "-m", "playground", "eval", str(ws), "--base-url", simulator.base_url,
         "--json", "--report", str(report)],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert done.returncode == 6, done.stderr  # a grader failed
    result = json.loads(done.stdout)
    html = report.read_text(encoding="utf-8")
    assert "sk-cli-secret" not in html and "No charts" in html
    dom, shot = render(report, tmp_path)
    seen = parse(dom)
    check_no_network(html, seen)
    for s in result["summary"]:
        shown = seen.figures[s["variant"]]
        assert {k: shown[k] for k in expected_figures(s)} == expected_figures(s)
    assert seen.failed_cells == 2
    assert len({shot.pixel(x, y) for x in range(0, 1280, 16) for y in range(0, 800, 16)}) > 8
