"""The window at 1000x700, 1366x768 and 1920x1080: no pane raises its minimum width, Run and
Stop stay in view, the provider and model boxes show their names, a long warning is elided,
forms sit at the top and the schema editor shows a dozen lines."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QComboBox, QPushButton, QStyle, QStyleOptionComboBox, QWidget

from playground.ui.main_window import MainWindow
from playground.ui.widgets.elided_label import ElidedLabel
from playground.ui.widgets.pane_fit import MAX_MIN_WIDTH, SCHEMA_LINES
from tests.ui.conftest import App

SIZES = [(1000, 700), (1366, 768), (1920, 1080)]
SETUP_TABS = ["Parameters", "Tools", "Output format", "Variables", "Test set", "Graders"]


def show(app: App, size: tuple[int, int], setup: str = "Parameters", side: str = "Raw") -> None:
    w = app.window
    for tabs, title in ((w.setup_tabs, setup), (w.side, side)):
        tabs.setCurrentIndex([tabs.tabText(i) for i in range(tabs.count())].index(title))
    w.resize(*size)
    app.qtbot.wait(60)


def inside(window: MainWindow, widget: QWidget) -> bool:
    """`widget` is shown whole inside the window's visible rectangle."""
    top_left = widget.mapTo(window, widget.rect().topLeft())
    rect = widget.rect().translated(top_left)
    return widget.isVisible() and window.rect().contains(rect)


def text_room(box: QComboBox) -> int:
    """The width a combo box has for its text (its edit field)."""
    option = QStyleOptionComboBox()
    box.initStyleOption(option)
    field = box.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, box
    )
    return field.width()


def with_a_tool(app: App) -> None:
    app.window.tools.add_tool("get_weather")
    app.qtbot.wait(30)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_setup_tab_fits_and_run_and_stop_stay_in_view(app: App, size) -> None:
    w = app.window
    with_a_tool(app)
    for setup in SETUP_TABS:
        show(app, size, setup)
        assert w.minimumSizeHint().width() <= min(size[0], MAX_MIN_WIDTH), setup
        assert w.width() == size[0], f"the window grew by itself with {setup} shown"
        assert inside(w, w.run_button) and inside(w, w.stop_button), setup
    app.shot(w, f"layout_{size[0]}x{size[1]}")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_compare_mode_fits(app: App, size) -> None:
    w = app.window
    show(app, size)
    single = w.splitter.sizes()[1]
    w.compare.set_compare(True)
    show(app, size)
    wider = w.splitter.sizes()[1]
    assert wider > single if size[0] > 1000 else wider >= single  # the columns get the room
    assert w.minimumSizeHint().width() <= min(size[0], MAX_MIN_WIDTH)
    assert w.width() == size[0]
    assert inside(w, w.run_button) and inside(w, w.stop_button)
    app.shot(w, f"compare_{size[0]}x{size[1]}")


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    width=st.integers(MAX_MIN_WIDTH, 2200),
    height=st.integers(600, 1300),
    setup=st.sampled_from(SETUP_TABS),
    side=st.sampled_from(["Raw", "Findings", "Code", "History"]),
)
def test_any_size_from_the_minimum_up_keeps_run_and_stop(
    app: App, width: int, height: int, setup: str, side: str
) -> None:
    w = app.window
    show(app, (width, height), setup, side)
    assert w.width() == width
    assert inside(w, w.run_button) and inside(w, w.stop_button)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_provider_and_model_boxes_show_their_names(app: App, size) -> None:
    w = app.window
    show(app, size)
    name = w.provider.currentText()
    assert name == "Offline simulator"
    assert text_room(w.provider) >= w.provider.fontMetrics().horizontalAdvance(name)
    model = w.model.current_model()
    assert text_room(w.model) >= w.model.fontMetrics().horizontalAdvance(model)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_long_warning_is_elided_with_all_of_it_in_the_tooltip(app: App, size) -> None:
    w = app.window
    show(app, size)
    model_width = w.model.width()
    long = "extra_body: " + "this is not valid JSON and the message goes on " * 6
    w.toolbar.show_blockers([long])
    app.qtbot.wait(60)
    assert isinstance(w.blocker, ElidedLabel)
    assert w.blocker.shown_text().endswith("…")
    assert w.blocker.fontMetrics().horizontalAdvance(w.blocker.shown_text()) <= w.blocker.width()
    assert long in w.blocker.toolTip()
    # the warning does not squeeze the model box: its id shows whole (and where there is
    # room, the box keeps its width)
    assert text_room(w.model) >= w.model.fontMetrics().horizontalAdvance(w.model.current_model())
    if size[0] > 1000:
        assert w.model.width() >= model_width - 2
    assert inside(w, w.run_button) and inside(w, w.stop_button)
    app.shot(w, f"warning_{size[0]}x{size[1]}")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_schema_editors_show_a_dozen_lines(app: App, size) -> None:
    w = app.window
    with_a_tool(app)
    show(app, size, "Tools")
    lines = w.tools.schema.edit.fontMetrics().lineSpacing() * SCHEMA_LINES
    assert w.tools.schema.edit.viewport().height() >= lines
    w.output.radios["json_schema"].setChecked(True)
    show(app, size, "Output format")
    assert w.output.schema.edit.viewport().height() >= lines


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_output_format_choices_sit_at_the_top(app: App, size) -> None:
    w = app.window
    show(app, size, "Output format")
    radio = w.output.radios["default"]
    assert radio.mapTo(w.output, radio.rect().topLeft()).y() < 30


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_code_tab_scrolls_its_long_lines_instead_of_cutting_them(app: App, size) -> None:
    w = app.window
    show(app, size, side="Code")
    code = w.exchange.view.code
    app.qtbot.waitUntil(lambda: "AsyncOpenAI" in code.toPlainText(), timeout=3000)
    assert inside(w, code)
    longest = max(
        code.fontMetrics().horizontalAdvance(line) for line in code.toPlainText().split("\n")
    )
    bar = code.horizontalScrollBar()
    assert longest <= code.viewport().width() or bar.maximum() > 0
    assert inside(w, w.exchange.view.format)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_side_tab_shows_its_buttons_whole(app: App, size) -> None:
    # a row of buttons wider than the side pane was cut at its right edge (History's Export…)
    w = app.window
    for side in ("Raw", "Findings", "Code", "History"):
        show(app, size, side=side)
        pane = w.side.currentWidget()
        for button in pane.findChildren(QPushButton):
            if not button.isVisible():
                continue
            top_left = button.mapTo(w.side, button.rect().topLeft())
            assert w.side.rect().contains(button.rect().translated(top_left)), (
                f"{side}: {button.text()!r} is cut off at {size}"
            )
    app.shot(w, f"layout_history_{size[0]}x{size[1]}")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_test_set_and_graders_tabs_show_their_buttons_whole(app: App, size) -> None:
    w = app.window
    view = w.current_view
    view.graders.add_grader("tool_called")  # the editor with most rows of its own
    for setup in ("Test set", "Graders"):
        show(app, size, setup)
        pane = w.setup_tabs.currentWidget()
        # a scroll area may hide what is below its fold; what it shows must be whole
        for button in pane.findChildren(QPushButton):
            if not button.isVisible() or button.visibleRegion().isEmpty():
                continue
            top_left = button.mapTo(w.setup_tabs, button.rect().topLeft())
            rect = button.rect().translated(top_left)
            assert w.setup_tabs.rect().contains(rect), f"{setup}: {button.text()!r} at {size}"
            assert button.visibleRegion().boundingRect() == button.rect(), (
                f"{setup}: {button.text()!r} is cut at {size}"
            )
        app.shot(w, f"layout_{setup.replace(' ', '_').lower()}_{size[0]}x{size[1]}")
