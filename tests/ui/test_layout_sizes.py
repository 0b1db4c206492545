"""The window at 1000x700, 1366x768 and 1920x1080: no pane raises its minimum width, Run and
Stop stay in view, the provider and model boxes show their names, a long warning is elided,
forms sit at the top and the schema editor shows a dozen lines."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyleOptionComboBox,
    QWidget,
)

from playground.ui.main_window import MainWindow
from playground.ui.widgets.copy_buttons import is_code
from playground.ui.widgets.elided_label import ElidedLabel
from playground.ui.widgets.markdown_view import MarkdownView
from playground.ui.widgets.pane_fit import CENTER_MIN, MAX_MIN_WIDTH, SCHEMA_LINES
from playground.ui.widgets.tool_step import ErrorCard
from tests.ui.conftest import App

SIZES = [(1000, 700), (1366, 768), (1920, 1080)]
SETUP_TABS = ["Parameters", "Tools", "Output format", "Variables", "Test set", "Graders"]


def show(app: App, size: tuple[int, int], setup: str = "Parameters", side: str = "Raw") -> None:
    w = app.window
    for tabs, title in ((w.setup_tabs, setup), (w.side, side)):
        names = [tabs.tabBar().accessibleTabName(i) or tabs.tabText(i) for i in range(tabs.count())]
        tabs.setCurrentIndex(names.index(title))  # the full names (the setup tabs' are short)
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


def cut_at_the_right(widget: QWidget, pane: QWidget) -> bool:
    """`widget` reaches past the right edge of an ancestor (up to `pane`) that clips it and
    cannot be scrolled to."""
    parent = widget.parentWidget()
    while parent is not None:
        area = parent.parentWidget()
        scrolls = isinstance(area, QScrollArea) and area.horizontalScrollBar().isVisible()
        left = widget.mapTo(parent, widget.rect().topLeft()).x()
        if not scrolls and (left + widget.width() > parent.width() or left < 0):
            return True
        if parent is pane:
            return False
        parent = parent.parentWidget()
    return False


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("advanced", [False, True], ids=["basic", "advanced"])
def test_every_setup_tab_shows_its_controls_whole(app: App, size, advanced: bool) -> None:
    # with Advanced open the parameters went two columns wider than the pane: "Reset to
    # defaults" read "Reset" and the value boxes and their notes were cut at the right edge
    w = app.window
    with_a_tool(app)
    w.params.advanced.setChecked(advanced)
    kinds = (QAbstractButton, QAbstractSpinBox, QComboBox, QLabel, QLineEdit)
    cut = []
    for setup in SETUP_TABS:
        show(app, size, setup)
        pane = w.splitter.widget(0)
        page = w.setup_tabs.currentWidget()
        for kind in kinds:
            for widget in page.findChildren(kind):
                if widget.isVisible() and widget.width() > 0 and cut_at_the_right(widget, pane):
                    name = getattr(widget, "text", lambda: "")() or widget.accessibleName()
                    cut.append(f"{setup}: {type(widget).__name__} {name!r}")
        app.shot(w, f"layout_setup_{setup.split()[0].lower()}_{advanced}_{size[0]}x{size[1]}")
    assert not cut, f"cut at the pane's right edge at {size}: {cut}"


@pytest.mark.parametrize("size", SIZES[:2], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_model_list_is_wide_enough_for_its_entries(app: App, size) -> None:
    # the popup was only as wide as the box: "gpt-6.2-sol — r…· $2 / $10 per 1M", 9 rows
    w = app.window
    show(app, size)
    picker = w.model
    picker.showPopup()
    view = picker.view()
    app.qtbot.waitUntil(view.isVisible, timeout=2000)
    metrics = view.fontMetrics()
    widest = max(metrics.horizontalAdvance(picker.itemText(i)) for i in range(picker.count()))
    screen = picker.screen().availableGeometry().width()
    assert view.viewport().width() >= min(widest, screen - 40)
    row = view.sizeHintForRow(1)
    assert view.viewport().height() >= min(16, picker.count()) * row - row // 2
    app.shot(view.window(), f"model_list_{size[0]}x{size[1]}")
    picker.hidePopup()


@pytest.mark.parametrize("size", SIZES[:2], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_run_figures_elide_before_the_token_meter(app: App, size) -> None:
    # at 1000 the figures ended in "· ϵ" (cost and request id lost); at 1366 the request id
    # ran into the token meter
    w = app.window
    show(app, size)
    app.run()
    long = (
        "first token 14 ms · total 0.01 s · tok/s n/a · in 31 (cached 0) · out 75 (reasoning 0)"
        " · est. cost $0.000041 · req_" + "0" * 40
    )
    w.status.setText(long)
    status, meter = w.status, w.meter
    app.qtbot.waitUntil(lambda: "input tokens" in meter.tokens.text(), timeout=5000)
    app.qtbot.wait(60)
    assert isinstance(status, ElidedLabel)
    shown = status.shown_text()
    assert shown == long or shown.endswith("…")
    assert status.fontMetrics().horizontalAdvance(shown) <= status.contentsRect().width()
    assert long in status.toolTip()
    right = status.mapTo(w, status.rect().topRight()).x()
    assert meter.isVisible(), (status.geometry(), meter.geometry())
    assert right < meter.mapTo(w, meter.rect().topLeft()).x()
    for child in w.statusBar().findChildren(QWidget):
        if child.isVisible() and child is not status and child.parentWidget() is w.statusBar():
            left = child.mapTo(w, child.rect().topLeft()).x()
            assert right < left or child.mapTo(w, child.rect().topRight()).x() < status.x()
    app.shot(w, f"status_{size[0]}x{size[1]}")


def code_text_rects(view: MarkdownView) -> list[QRect]:
    """Where the code lines' text is drawn, in the view's viewport."""
    doc = view.document()
    layout = doc.documentLayout()
    dx, dy = view.horizontalScrollBar().value(), view.verticalScrollBar().value()
    rects = []
    block = doc.begin()
    while block.isValid():
        if is_code(block):
            box = layout.blockBoundingRect(block)
            lines = block.layout()
            for i in range(lines.lineCount()):
                line = lines.lineAt(i)
                rect = line.naturalTextRect().translated(box.topLeft()).toRect()
                rects.append(rect.translated(-dx, -dy))
        block = block.next()
    return rects


@pytest.mark.parametrize("size", SIZES[:2], ids=lambda s: f"{s[0]}x{s[1]}")
def test_answer_cards_take_the_panes_width_and_copy_covers_no_code(app: App, size) -> None:
    # at 1000 the answer card was wider than the pane (a sideways scroll bar, its right edge
    # cut off) and the code block's Copy button covered the code line
    w = app.window
    w.conversation.cards[0].editor.setPlainText(
        "Explain server-sent events in three bullet points, with an example of each."
    )
    show(app, size)
    app.run()
    scroller = w.conversation.scroller
    app.qtbot.wait(100)
    assert not scroller.horizontalScrollBar().isVisible()
    viewport = scroller.viewport()
    for card in w.conversation.cards:
        if card.isVisible():
            right = card.mapTo(viewport, card.rect().topRight()).x()
            assert right < viewport.width(), f"a card reaches past the pane at {size}"
    view = w.conversation.cards[-1].view
    buttons = [b for b in view.copy_buttons.buttons if b.isVisible()]
    assert buttons
    code = code_text_rects(view)
    assert code
    for button in buttons:
        assert view.viewport().rect().contains(button.geometry())
        for rect in code:
            assert not button.geometry().intersects(rect), "Copy covers a line of code"
    app.shot(w, f"answer_{size[0]}x{size[1]}")
    # a code line longer than the card wraps inside it
    view.set_markdown("Code:\n\n```python\nvalue = compute(" + "argument, " * 60 + ")\n```\n")
    app.qtbot.wait(200)
    assert not scroller.horizontalScrollBar().isVisible()
    code = code_text_rects(view)
    assert len(code) > 1 and all(r.right() <= view.viewport().width() for r in code)
    for button in (b for b in view.copy_buttons.buttons if b.isVisible()):
        assert not any(button.geometry().intersects(r) for r in code)


@pytest.mark.parametrize("size", SIZES[:2], ids=lambda s: f"{s[0]}x{s[1]}")
def test_an_error_card_wraps_its_text_inside_the_pane(app: App, size) -> None:
    # the error card's text was cut mid-sentence at the pane's right edge
    w = app.window
    show(app, size)
    w.splitter.setSizes([250, CENTER_MIN, size[0] - 250 - CENTER_MIN])  # a wide side pane
    app.qtbot.wait(60)
    details = (
        "The server said: The model `gpt-nonexistent-model-name` does not exist or you do not"
        " have access to it.\nHTTP status: 404\nCode: model_not_found\nRequest id: req_" + "0" * 44
    )
    card = ErrorCard(
        "Not found (404)",
        "The server does not know the model or the address: check the model id and the base"
        " URL of the provider, then run again.",
        "Check the model id and the base URL.",
        [("retry", "Run again")],
        details=details,
    )
    w.conversation.add_transient(card)
    card.details.toggle.setChecked(True)
    app.qtbot.wait(100)
    scroller = w.conversation.scroller
    assert not scroller.horizontalScrollBar().isVisible()
    viewport = scroller.viewport()
    assert card.mapTo(viewport, card.rect().topRight()).x() < viewport.width()
    for widget in card.findChildren(QWidget):
        if widget.isVisible():
            assert not cut_at_the_right(widget, card), type(widget).__name__
    app.shot(w, f"error_card_{size[0]}x{size[1]}")


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


@pytest.mark.parametrize("size", SIZES[:2], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_tools_pane_fits_without_scrolling_sideways(app: App, qapp, size, dark) -> None:
    # at 1000 the Tools pane scrolled sideways: its fields and the MCP server's "no value in
    # the keyring" note were cut at the right edge
    from playground.core.mcp_tools import McpTool
    from playground.core.workspace import CustomTool, FunctionTool, Message, Workspace
    from playground.ui import theme
    from tests.core.test_hosted_options import FULL

    w = app.window
    secure = McpTool(
        server_label="secure", server_url="https://mcp.example.org/sse", secret_headers=["Auth"]
    )
    w.load(
        Workspace(
            model="gpt-4.1-mini",
            messages=[Message(content="hi")],
            tools=[FunctionTool(name="get_weather")],
            custom_tools=[CustomTool(name="run_sql")],
            mcp_tools=[secure],
            builtin_tools=FULL,
        )
    )
    theme.apply(qapp, dark=dark)
    try:
        show(app, size, "Tools")
        pane = w.tools
        mcp = w.tools.mcp
        app.qtbot.waitUntil(lambda: "no value in the keyring" in mcp.secrets.text(), timeout=3000)
        app.qtbot.wait(50)
        area = pane.findChild(QScrollArea)
        assert not area.horizontalScrollBar().isVisible()
        outer = w.splitter.widget(0)
        assert not outer.horizontalScrollBar().isVisible()
        view = area.viewport()
        cut = []
        for widget in area.widget().findChildren(QWidget):
            if widget.isVisible() and widget.width() > 0 and not widget.isWindow():
                right = widget.mapTo(view, widget.rect().topRight()).x()
                if right > view.width():
                    cut.append(f"{type(widget).__name__} {widget.accessibleName()!r} {right}")
        assert not cut, f"past the Tools pane's right edge ({view.width()} px): {cut}"
        for target, name in ((mcp.secrets, "mcp"), (w.tools.hosted.web, "hosted")):
            area.ensureWidgetVisible(target)
            app.qtbot.wait(30)
            app.shot(w, f"tools_pane_{name}_{size[0]}_{'dark' if dark else 'light'}")
    finally:
        theme.apply(qapp, dark=False)
