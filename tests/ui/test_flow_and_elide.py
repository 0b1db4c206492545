"""The two pieces that let a narrow pane keep its content: a row of buttons that wraps, and a
label that elides. Drawn over many texts, widths and button sets."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QPushButton, QWidget

from playground.ui.widgets.elided_label import ElidedLabel
from playground.ui.widgets.flow_layout import FlowLayout

FIXTURES = [HealthCheck.function_scoped_fixture]
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=200)


@settings(max_examples=60, deadline=None, suppress_health_check=FIXTURES)
@given(text=TEXT, width=st.integers(10, 600))
def test_an_elided_label_draws_what_fits_and_keeps_the_whole_text(
    qtbot: Any, text: str, width: int
) -> None:
    label = ElidedLabel(max_width=400)
    qtbot.addWidget(label)
    label.setText(text)
    # a layout never gives a widget less than its minimum
    label.resize(max(width, label.minimumSizeHint().width()), label.sizeHint().height())
    shown = label.shown_text()
    assert label.text() == text
    assert label.fontMetrics().horizontalAdvance(shown) <= label.contentsRect().width() or not shown
    if label.fontMetrics().horizontalAdvance(text) <= label.contentsRect().width():
        assert shown == text
    else:
        assert shown != text
    assert label.sizeHint().width() <= 400
    assert label.minimumSizeHint().width() <= label.sizeHint().width()


@settings(max_examples=40, deadline=None, suppress_health_check=FIXTURES)
@given(
    words=st.lists(st.text("abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=24), max_size=9),
    extra=st.integers(0, 900),
)
def test_a_flow_of_buttons_wraps_within_any_width_it_is_given(
    qtbot: Any, words: list[str], extra: int
) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    flow = FlowLayout(host)
    buttons = [QPushButton(word) for word in words]
    for button in buttons:
        flow.addWidget(button)
    width = flow.minimumSize().width() + extra
    height = flow.heightForWidth(width)
    flow.setGeometry(QRect(0, 0, width, height))
    rects = [b.geometry() for b in buttons]
    for i, rect in enumerate(rects):
        assert rect.left() >= 0 and rect.right() < max(width, 1), (rect, width)
        assert rect.bottom() < height
        assert not any(rect.intersects(other) for other in rects[i + 1 :])
    assert flow.minimumSize().width() <= max([b.sizeHint().width() for b in buttons], default=0) + 1
