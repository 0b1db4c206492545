"""The evaluation report page (core/eval_report.py, services/eval_report.py): whatever text a
user or a model wrote cannot add markup or a link to it, the page loads nothing, a failed cell
says so in words, the bodies shown are the ones the run sends, up to the cap, and no key or
header is in it."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.cli_eval_inputs import prepare
from playground.core import request
from playground.core.eval_report import ExactRequest, Report, ReportColumn, render
from playground.core.evaluation_results import Cell, CellGrade, summarize
from playground.core.evaluation_spec import TestRow
from playground.core.profiles import ProviderProfile
from playground.core.variants import Variant
from playground.core.workspace import Message, Workspace
from playground.services.eval_report import (
    LONG_STRING,
    REQUEST_ROWS,
    build_report,
    default_name,
    exact_requests,
)
from playground.services.evaluation import columns_of

ALLOWED = {
    "html": {"lang"},
    "head": set(),
    "meta": {"charset", "http-equiv", "content", "name"},
    "title": set(),
    "style": set(),
    "body": set(),
    "header": set(),
    "section": {"id"},
    "h1": set(),
    "h2": set(),
    "h3": set(),
    "p": {"class", "id"},
    "ul": {"class"},
    "li": {"class"},
    "b": set(),
    "i": set(),
    "code": set(),
    "table": {"class", "id"},
    "thead": set(),
    "tbody": set(),
    "tr": {"data-variant"},
    "th": {"scope", "class"},
    "td": {"class", "data-figure"},
    "div": {"class"},
    "span": {"class"},
    "blockquote": {"class"},
    "figure": set(),
    "img": {"src", "alt"},
    "figcaption": set(),
    "details": {"open"},
    "summary": set(),
    "pre": set(),
}
"""Every tag the page may have and the attributes each may carry."""


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    tags.close()
    return tags


def png(width: int = 2, height: int = 2) -> bytes:
    """A tiny valid RGB PNG, written by hand (zlib and crc32)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\xff\x00\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + (chunk(b"IEND", b""))
    )


def report(text: str, **over: object) -> Report:
    row = TestRow(id=text or "r", values={"v": text}, expected={"expected": text}, note=text)
    cells = [
        Cell("a", row.id, "failed", preview=text, grades=(CellGrade(False, text, text),)),
        Cell("b", row.id, "error", error_kind="server", error_message=text),
    ]
    kw: dict[str, object] = {
        "evaluation_id": text,
        "workspace": text,
        "columns": [
            ReportColumn("a", text, text, "chat", text),
            ReportColumn("b", text, text, "x", text),
        ],
        "rows": [row],
        "cells": cells,
        "summaries": summarize(cells, ["a", "b"]),
        "charts": [(text, png())],
        "requests": {"a": [ExactRequest(row.id, text, body={text: text}, problem=text)]},
        "requests_note": text,
        "charts_note": text,
    }
    kw.update(over)
    return Report(**kw)  # type: ignore[arg-type]


def check_clean(page: str) -> Tags:
    tags = parsed(page)
    for tag, attrs in tags.tags:
        assert tag in ALLOWED, tag
        assert set(attrs) <= ALLOWED[tag], (tag, attrs)
        for name in ("src", "href"):
            value = attrs.get(name)
            if value is not None:
                assert value.startswith("data:image/png;base64,"), value[:60]
    assert "<script" not in page.lower() and "url(" not in page
    return tags


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(max_size=60)
    | st.sampled_from(
        [
            "<script>alert(1)</script>",
            '"><img src=https://x.example/a.png>',
            "</td></tr><a href='http://e'>",
            "<!-- ",
            "]]>",
            "&lt;b&gt;",
            "javascript:alert(1)",
            "\x00\ufeff",
            "<style>body{}</style>",
        ]
    )
)
def test_no_text_from_a_user_or_a_model_adds_markup_or_a_link(text: str) -> None:
    page = render(report(text))
    tags = check_clean(page)
    # the text is there, as text: in the matrix, the reasons, the bodies, the header
    if text.strip() and "\x00" not in text and "\r" not in text:
        assert sum(text in t for t in tags.text) >= 3


def test_a_failed_cell_says_so_in_words_and_the_summary_carries_its_figures() -> None:
    page = render(report("plum"))
    assert "✗ FAILED" in page and "⚠ ERROR" in page
    assert 'data-figure="pass_rate">0%<' in page and 'data-figure="failed">1<' in page
    assert "img-src data:" in page and "default-src 'none'" in page  # the browser loads nothing
    assert page.count("data:image/png;base64,") == 1


def test_a_cell_shows_what_its_grading_cost_beside_its_own_cost() -> None:
    row = TestRow(id="r1", values={"v": "x"})
    cells = [Cell("a", "r1", "passed", cost_usd=0.0002, grading_cost_usd=0.00005)]
    page = render(report("x", rows=[row], cells=cells, summaries=summarize(cells, ["a"])))
    assert "grading $0.000050" in page
    assert 'data-figure="cost_usd">$0.000250<' in page  # the summary counts both


def test_only_png_goes_into_the_page_as_an_image() -> None:
    page = render(report("x", charts=[("svg", b"<svg onload=alert(1)>"), ("ok", png())]))
    assert page.count("<img ") == 1 and "onload" not in page
    none = render(report("x", charts=[], charts_note="No charts: no display"))
    assert "<img" not in none and "No charts: no display" in none


def workspace() -> Workspace:
    return Workspace(
        api="chat",
        model="gpt-4o-mini",
        profile="Keyed",
        instructions="Be brief about {{word}}.",
        messages=[Message(role="user", content="Say {{word}}")],
        variables={"word": "interactive-only"},
    )


KEYED = ProviderProfile(
    name="Keyed",
    kind="custom",
    base_url="https://proxy.example/v1?api-key=sk-query-secret",
    headers={"X-Api-Key": "sk-header-secret"},
)


def test_the_bodies_are_the_ones_the_run_sends_and_no_key_or_header_is_in_the_page() -> None:
    ws = workspace()
    variants = [Variant(key="a", name="mini"), Variant(key="b", overrides={"model": "gpt-4.1"})]
    columns = columns_of(
        ws, variants, lambda _ws: KEYED, lambda _ws, p: request.Target.for_profile(p)
    )
    rows = [TestRow(id=f"r{i}", values={"word": f"w{i}"}) for i in range(3)]
    page = build_report(
        "e-1", "ws.json", columns, {"a": "mini"}, rows, [], summarize([], ["a", "b"]), prepare
    )
    check_clean(page)
    for secret in ("sk-query-secret", "sk-header-secret", "X-Api-Key", "proxy.example"):
        assert secret not in page
    found, note = exact_requests(columns, rows, prepare)
    assert note == "" and [len(v) for v in found.values()] == [3, 3]
    for column in columns:
        for row, req in zip(rows, found[column.key], strict=True):
            sent = request.build(
                prepare(column.workspace, column.variant, row), target=column.target
            )
            assert req.body == sent.body and req.endpoint == "/chat/completions"
            assert req.body["messages"][-1]["content"] == f"Say {row.id.replace('r', 'w')}"
            shown = json.dumps(req.body, indent=2, ensure_ascii=False)
            assert shown.replace('"', "&quot;") in page
    assert "interactive-only" not in page  # the Variables tab's value is never a row's


def test_past_the_cap_the_template_stands_for_the_other_rows() -> None:
    ws = workspace()
    columns = columns_of(ws, [], lambda _ws: KEYED)
    rows = [TestRow(id=f"r{i}", values={"word": f"w{i}"}) for i in range(REQUEST_ROWS + 5)]
    found, note = exact_requests(columns, rows, prepare)
    (reqs,) = found.values()
    assert len(reqs) == REQUEST_ROWS + 1 and reqs[-1].row is None
    assert reqs[-1].body is not None and reqs[-1].body["messages"][-1]["content"] == "Say {{word}}"
    assert f"first {REQUEST_ROWS} of {REQUEST_ROWS + 5} rows" in note


def test_a_row_the_run_refused_and_a_huge_text_say_so() -> None:
    only = {"messages": [Message(role="user", content="{{word}}")], "variables": {}}
    ws = workspace().model_copy(update=only)
    columns = columns_of(ws, [], lambda _ws: KEYED)
    rows = [
        TestRow(id="empty", values={}),
        TestRow(id="big", values={"word": "x" * (LONG_STRING + 7)}),
    ]
    found, _ = exact_requests(columns, rows, prepare)
    (refused, big) = found["base"]
    assert refused.body is None and refused.problem and "{{word}}" in refused.problem
    assert big.body is not None and big.problem is not None
    assert big.problem == "2 long texts cut short in this copy (the request sent them whole)"
    assert big.body["messages"][-1]["content"].endswith("[7 more characters not shown]")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ws.json", "ws-eval-1970-01-02.html"),
        ("/a/My prompt!.json", "My-prompt-eval-1970-01-02.html"),
        ("", "evaluation-eval-1970-01-02.html"),
    ],
)
def test_the_default_file_name_is_the_workspace_and_the_day(name: str, expected: str) -> None:
    assert default_name(name, 86_400) == expected


def test_the_page_is_one_file(tmp_path: Path) -> None:
    from playground.services.eval_report import write_report

    target = tmp_path / "r.html"
    write_report(target, render(report("x")))
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]
