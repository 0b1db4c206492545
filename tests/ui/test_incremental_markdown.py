"""The streamed answer is rendered incrementally; the result must equal a full render.

Random Markdown (paragraphs, lists, tables, fenced code, headings, stray fences) is cut at random
points and fed to the live view with updates at random moments, as a stream of any speed would
be. After the stream ends, the document must be the one a full render of the text gives:
same text, same block structure and formats (compared as Qt's HTML of the document).
"""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.core.markdown_blocks import BlockSplitter, split_blocks
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


@given(st.data())
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_incremental_render_equals_a_full_render(qapp: Any, data: Any) -> None:
    text = data.draw(TEXTS)
    pieces = data.draw(cut(text))
    frames = data.draw(st.lists(st.booleans(), min_size=len(pieces), max_size=len(pieces)))
    live = MarkdownView()
    live.reset()
    for piece, frame in zip(pieces, frames, strict=True):
        live.append(piece)
        if frame:  # the view updates here, with an open block still streaming
            live._flush()
    live.finish()
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
    full = MarkdownView()
    full.set_markdown("".join(deltas))
    assert live.document().toHtml() == full.document().toHtml()
    assert live.document().blockCount() > 1000
