"""The streamed answer is rendered incrementally; the result must equal a full render.

Random Markdown (paragraphs, lists, tables, fenced code, headings, stray fences) is cut at random
points and fed to the live view with updates at random moments, as a stream of any speed would
be. After the stream ends, the document must be the one a full render of the text gives:
same text, same block structure and formats (compared as Qt's HTML of the document).
"""

from __future__ import annotations

import itertools
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.core.markdown_blocks import BlockSplitter, split_blocks
from playground.ui.widgets import markdown_view
from playground.ui.widgets.markdown_view import MarkdownView

LINES = st.sampled_from(
    [
        "Plain words and `code` and **bold**.",
        "",
        "",
        "# A heading",
        "## Another heading",
        "- a list item",
        "- another item with *emphasis*",
        "  continued under the item",
        "1. first",
        "2. second",
        "| a | b |",
        "|---|---|",
        "| 1 | 2 |",
        "```python",
        "```",
        "~~~",
        "    indented code",
        "def f(x):",
        "    return x * 2",
        "> a quote",
        "---",
    ]
)
TEXTS = st.lists(LINES, min_size=1, max_size=40).map("\n".join)


@st.composite
def cut(draw: Any, text: str) -> list[str]:
    points = sorted(draw(st.sets(st.integers(0, len(text)), max_size=30)))
    bounds = [0, *points, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds) if b > a]


@given(st.data())
@settings(max_examples=60, deadline=None)
def test_block_splitter_finds_the_same_blocks_however_the_text_is_cut(data: Any) -> None:
    text = data.draw(TEXTS)
    splitter = BlockSplitter()
    blocks: list[str] = []
    for piece in data.draw(cut(text)):
        blocks += splitter.feed(piece)
    assert blocks + splitter.close() == split_blocks(text)


def rendered(qapp: Any, view: MarkdownView) -> None:
    """Let the event loop run the update's remaining slices."""
    for _ in range(10_000):
        if not view.rendering:
            return
        qapp.processEvents()
    raise AssertionError("the update's slices never finished")


@given(st.data())
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_incremental_render_equals_a_full_render(qapp: Any, data: Any) -> None:
    text = data.draw(TEXTS)
    pieces = data.draw(cut(text))
    frames = data.draw(st.lists(st.booleans(), min_size=len(pieces), max_size=len(pieces)))
    # sliced: every update renders one finished block and leaves the rest to its next slice
    sliced = data.draw(st.booleans())
    live = MarkdownView()
    live.reset()
    with mock.patch.object(markdown_view, "SLICE_MS", 0 if sliced else markdown_view.SLICE_MS):
        for piece, frame in zip(pieces, frames, strict=True):
            live.append(piece)
            if frame:  # the view updates here, with an open block still streaming
                live._flush()
        live.finish()
        rendered(qapp, live)
    full = MarkdownView()
    full.set_markdown(text)
    assert live.text == text
    assert live.toPlainText() == full.toPlainText()
    assert live.document().toHtml() == full.document().toHtml()
    live.deleteLater()
    full.deleteLater()


def test_a_100k_delta_answer_renders_as_a_whole(qapp: Any) -> None:
    """The benchmark's material: a long realistic answer streamed in token-sized pieces."""
    from tests.benchmarks.streamdata import markdown_deltas

    deltas = markdown_deltas(20_000)
    live = MarkdownView()
    for i, delta in enumerate(deltas):
        live.append(delta)
        if i % 500 == 0:
            live._flush()
    live.finish()
    rendered(qapp, live)
    full = MarkdownView()
    full.set_markdown("".join(deltas))
    assert live.document().toHtml() == full.document().toHtml()
    assert live.document().blockCount() > 1000


def test_an_update_with_many_blocks_is_shown_once_all_its_slices_are_rendered(
    qtbot: Any, monkeypatch: Any
) -> None:
    """A big update renders in slices with the loop running in between; the view keeps showing
    what it showed (no half-done update, no open block missing) until the last slice."""
    monkeypatch.setattr(markdown_view, "SLICE_MS", 0)  # one block a slice
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    box = QWidget()  # as in a card: the view grows with its text
    qtbot.addWidget(box)
    view = MarkdownView()
    column = QVBoxLayout(box)
    column.addWidget(view)
    column.addStretch()
    box.resize(500, 3000)
    box.show()
    view.append("First paragraph.\n\nStill open")
    view._flush()
    assert view.toPlainText() == "First paragraph.\nStill open" and view.updatesEnabled()
    qtbot.wait(50)
    shown = view.height()
    view.append(" block.\n\n" + "".join(f"Paragraph {i}.\n\n" for i in range(6)) + "Tail")
    view._flush()  # the first slice: one finished block
    assert not view.updatesEnabled(), "a half-rendered update was painted"
    assert view.height() == shown, "the view grew before its update was complete"
    qtbot.waitUntil(view.updatesEnabled, timeout=2000)  # the other slices ran on the loop
    text = view.toPlainText()
    assert text.startswith("First paragraph.\nStill open block.\nParagraph 0.")
    assert text.endswith("Paragraph 5.\nTail")
    qtbot.waitUntil(lambda: view.height() > shown, timeout=2000)
