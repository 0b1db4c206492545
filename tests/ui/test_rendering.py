"""Rendering: code blocks coloured by their fence's language with Pygments (light and dark
styles), the JSON and Python views likewise, reasoning summaries as Markdown, no false alarm
on an empty schema editor, the model id left in the picker after a pick."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pygments.styles import get_style_by_name
from pygments.token import Keyword, Name, Number, String, _TokenType
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from playground.core.workspace import Workspace
from playground.services.simulator import HttpError, Scenario
from playground.ui import theme
from playground.ui.highlight import DARK_STYLE, LIGHT_STYLE, code_lines
from playground.ui.widgets.code_view import CodeView
from playground.ui.widgets.markdown_view import MarkdownView
from playground.ui.widgets.model_picker import ModelPicker
from playground.ui.widgets.raw_panel import RawPanel
from playground.ui.widgets.schema_editor import SchemaEditor
from playground.ui.widgets.tool_step import ErrorCard
from playground.ui.widgets.tools_panel import ToolsPanel
from tests.ui.conftest import SHOTS, App


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[None]:
    theme.apply(qapp, dark=False)
    yield
    theme.apply(qapp, dark=False)


def style_color(token: _TokenType, dark: bool = False) -> str:
    """The colour the app's Pygments style gives `token`."""
    found = get_style_by_name(DARK_STYLE if dark else LIGHT_STYLE).style_for_token(token)
    return QColor(f"#{found['color']}").name()


def rendered_color(doc: QTextDocument, word: str, nth: int = 0) -> str | None:
    """The foreground colour a rendered (Markdown) document gives `word`; None: none set."""
    cursor = QTextCursor(doc)
    for _ in range(nth + 1):
        cursor = doc.find(word, cursor)
        assert not cursor.isNull(), word
    probe = QTextCursor(doc)
    probe.setPosition(cursor.selectionStart() + 1)
    fmt = probe.charFormat()
    if fmt.hasProperty(fmt.Property.ForegroundBrush):
        return fmt.foreground().color().name()
    return highlighted_color(doc, word, nth)  # or a syntax highlighter's colour


def highlighted_color(doc: QTextDocument, word: str, nth: int = 0) -> str | None:
    """The colour a syntax highlighter gave `word` (its formats live in the block's layout)."""
    cursor = QTextCursor(doc)
    for _ in range(nth + 1):
        cursor = doc.find(word, cursor)
        assert not cursor.isNull(), word
    block = cursor.block()
    column = cursor.selectionStart() - block.position()
    for r in block.layout().formats():
        if r.start <= column < r.start + r.length and r.format.hasProperty(
            r.format.Property.ForegroundBrush
        ):
            return r.format.foreground().color().name()
    return None


_VIEWS: list[MarkdownView] = []


def markdown(qtbot: QtBot, text: str) -> QTextDocument:
    """The document of a view showing `text` (the view is kept until the test ends)."""
    view = MarkdownView()
    qtbot.addWidget(view)
    view.set_markdown(text)
    _VIEWS.append(view)
    return view.document()


@pytest.fixture(autouse=True)
def _views() -> Iterator[None]:
    yield
    _VIEWS.clear()


PYTHON = '```python\ndef area(r):\n    """Half\n    of it."""\n    return 3.14 * r\n```'
JSON = '```json\n{"city": "Paris", "days": 3}\n```'
BASH = "```bash\necho hello | grep h\n```"


def test_a_python_block_is_coloured_as_python(qtbot: QtBot, themed: None) -> None:
    doc = markdown(qtbot, PYTHON)
    assert rendered_color(doc, "def") == style_color(Keyword)
    assert rendered_color(doc, "3.14") == style_color(Number)
    # a docstring over two lines is a string on both (a line-by-line regex cannot know)
    assert rendered_color(doc, "of it") == style_color(String.Doc)
    assert rendered_color(doc, "area") != rendered_color(doc, "def")


def test_a_json_block_is_coloured_as_json(qtbot: QtBot, themed: None) -> None:
    doc = markdown(qtbot, JSON)
    assert rendered_color(doc, '"city"') == style_color(Name.Tag)
    assert rendered_color(doc, '"Paris"') == style_color(String.Double)
    assert rendered_color(doc, "3") == style_color(Number.Integer)


def test_a_bash_block_is_coloured_as_bash(qtbot: QtBot, themed: None) -> None:
    doc = markdown(qtbot, BASH)
    assert rendered_color(doc, "echo") == style_color(Name.Builtin)
    assert rendered_color(doc, "grep") is None  # a command, not a keyword: plain


@pytest.mark.parametrize("fence", ["```klingon", "```", "~~~"])
def test_an_unknown_or_missing_language_is_plain_text(
    qtbot: QtBot, themed: None, fence: str
) -> None:
    """The hand-written highlighter coloured Python keywords in any block, even prose."""
    close = fence[:3]
    doc = markdown(qtbot, f"{fence}\nif you return for 42 items, print 'them'\n{close}")
    for word in ("if", "return", "42", "print", "'them'"):
        assert rendered_color(doc, word) is None, word
    assert doc.toPlainText() == "if you return for 42 items, print 'them'"


def test_dark_and_light_styles_differ(qtbot: QtBot, qapp: QApplication, themed: None) -> None:
    light = rendered_color(markdown(qtbot, PYTHON), "def")
    theme.apply(qapp, dark=True)
    dark_doc = markdown(qtbot, PYTHON)
    dark = rendered_color(dark_doc, "def")
    assert light == style_color(Keyword) and dark == style_color(Keyword, dark=True)
    assert light != dark
    # a view already shown follows a theme change (a hidden one when it is shown:
    # tests/ui/test_theme_hidden_tabs.py)
    view = _VIEWS[-1]
    view.show()
    qtbot.waitExposed(view)
    theme.apply(qapp, dark=False)
    assert rendered_color(dark_doc, "def") == light


def test_the_code_tab_colours_python_and_curl_and_follows_the_theme(
    qtbot: QtBot, qapp: QApplication, themed: None
) -> None:
    view = CodeView()
    qtbot.addWidget(view)
    view.set_code('import openai\n\nasync def main():\n    """Run."""\n    await x\n')
    doc = view.code.document()
    assert highlighted_color(doc, "async") == style_color(Keyword)
    assert highlighted_color(doc, '"""Run."""') == style_color(String.Doc)
    theme.apply(qapp, dark=True)
    assert highlighted_color(doc, "async") == style_color(Keyword, dark=True)
    theme.apply(qapp, dark=False)
    view.format.setCurrentIndex(view.format.findData("curl"))
    view.set_code('curl https://api.openai.com/v1/responses \\\n  -d \'{"model": "x"}\'\n')
    assert highlighted_color(doc, "'{") == style_color(String.Single)
    view.format.setCurrentIndex(view.format.findData("json"))
    view.set_code('{\n  "model": "gpt-5"\n}')
    assert highlighted_color(doc, '"model"') == style_color(Name.Tag)


def test_the_raw_pane_colours_the_request_as_json(qtbot: QtBot, themed: None) -> None:
    raw = RawPanel()
    qtbot.addWidget(raw)
    raw.set_request({"model": "gpt-5", "temperature": 0.2, "stream": True})
    doc = raw.request.document()
    assert highlighted_color(doc, '"model"') == style_color(Name.Tag)
    assert highlighted_color(doc, "0.2") == style_color(Number.Float)
    assert highlighted_color(doc, "true") == style_color(Keyword.Constant)


def test_the_empty_disabled_schema_editor_shows_no_error(qtbot: QtBot, themed: None) -> None:
    """The Tools tab with no tool showed a red "JSON syntax error" under an empty, disabled
    schema editor."""
    panel = ToolsPanel()
    qtbot.addWidget(panel)
    panel.load(Workspace())
    panel.show()
    editor = panel.schema
    assert not editor.edit.isEnabledTo(panel) and editor.edit.toPlainText() == ""
    assert not editor.status.isVisible() and editor.status.text() == ""
    assert editor.edit.property("invalid") is False
    assert editor.edit.placeholderText()  # says what to type, in the field's own grey
    SHOTS.mkdir(exist_ok=True)
    panel.resize(420, 520)
    panel.grab().save(str(SHOTS / "tools_without_a_tool.png"))
    alone = SchemaEditor()
    qtbot.addWidget(alone)
    alone.show()
    alone.edit.setPlainText("   ")
    assert not alone.status.isVisible() and alone.edit.property("invalid") is False
    alone.edit.setPlainText("{")
    assert alone.status.isVisible() and alone.edit.property("invalid") is True  # a real one


def test_the_picker_shows_the_id_after_a_suggestion_is_picked(qtbot: QtBot) -> None:
    """Picking a suggestion (by keyboard or mouse) left "o4-mini  —  shut down on … ·
    reasoning · …" in the field."""
    picker = ModelPicker()
    qtbot.addWidget(picker)
    picker.show()
    qtbot.waitExposed(picker)
    picker.set_model("gpt-4o")
    line = picker.lineEdit()
    completer = picker.completer()
    assert line is not None and completer is not None
    popup = completer.popup()
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, "o4-m")
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    assert str(completer.completionModel().index(0, 0).data()).startswith("o4-mini  —  ")
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.wait(50)
    assert line.text() == "o4-mini" and picker.current_model() == "o4-mini"
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, "gpt-5-m")
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    spot = popup.visualRect(completer.completionModel().index(0, 0)).center()
    qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    qtbot.wait(50)
    assert line.text() == "gpt-5-mini" and picker.currentText() == "gpt-5-mini"


def test_a_reasoning_summary_renders_as_markdown(app: App) -> None:
    """Summaries showed their Markdown raw: "**Reading the request**"."""
    w = app.window
    w.model.set_model("o4-mini")
    w.model.model_chosen.emit("o4-mini")
    w.params.check("reasoning_summary").setChecked(True)
    app.sim.enqueue(
        Scenario(
            reasoning=["**Reading the request**\n\n", "It asks for `SSE`; ", "answer briefly."],
            text=["SSE is a one-way stream."],
        )
    )
    app.run()
    card = w.conversation.cards[-1]
    card.reasoning_toggle.click()
    summary = card.reasoning
    assert summary is not None and summary.isVisible()
    doc = summary.document()
    assert doc.toPlainText() == "Reading the request\nIt asks for SSE; answer briefly."
    bold = doc.find("Reading the request")
    probe = QTextCursor(doc)
    probe.setPosition(bold.selectionStart() + 1)
    assert probe.charFormat().fontWeight() >= QFont.Weight.Bold.value
    for theme_name, dark in (("light", False), ("dark", True)):
        theme.apply(QApplication.instance(), dark=dark)  # type: ignore[arg-type]
        app.qtbot.wait(30)
        app.shot(w, f"reasoning_summary_{theme_name}")
    theme.apply(QApplication.instance(), dark=False)  # type: ignore[arg-type]


ANSWER = (
    "Here is the call:\n\n"
    + PYTHON
    + "\n\nIts arguments:\n\n"
    + JSON
    + "\n\nAnd from a shell:\n\n"
    + BASH
    + "\n\nOr in a language nobody knows:\n\n```klingon\nif return print 42\n```\n"
)


@pytest.mark.parametrize("size", [(1000, 700), (1366, 768), (1920, 1080)])
def test_screenshots_of_code_blocks_and_an_error_card(app: App, size: tuple[int, int]) -> None:
    """Looked at: the code blocks of an answer and an error card with its details unfolded, in
    both themes (tests/screenshots/rendering_*.png)."""
    w = app.window
    w.resize(*size)
    app.sim.enqueue(Scenario(text=[ANSWER]))
    app.run()
    app.sim.enqueue(
        Scenario(http_error=HttpError(400, "Invalid value for 'temperature'.", param="temperature"))
    )
    app.run()
    card = next(c for c in w.conversation.transient if isinstance(c, ErrorCard))
    card.details.toggle.click()
    answer = next(c for c in w.conversation.cards if "def area" in c.text())
    assert rendered_color(answer.view.document(), "def") == style_color(Keyword)
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    for name, dark in (("light", False), ("dark", True)):
        theme.apply(qapp, dark=dark)
        app.qtbot.wait(50)
        assert rendered_color(answer.view.document(), "def") == style_color(Keyword, dark=dark)
        app.shot(w, f"rendering_{size[0]}x{size[1]}_{name}")
    theme.apply(qapp, dark=False)


def test_a_last_code_block_followed_by_a_newline_shows_no_fence(qtbot: QtBot) -> None:
    doc = markdown(qtbot, "Said:\n\n```klingon\nif return print 42\n```\n")
    assert doc.toPlainText() == "Said:\nif return print 42"


code_texts = st.lists(
    st.sampled_from(
        [
            "def f(x):",
            '    """doc',
            'still doc"""',
            '{"a": [1, 2.5, true, null]}',
            "echo $HOME | grep x",
            "",
            "\t# comment",
            "'unclosed",
            "x = 'é😀'",
            "   ",
            "\\",
            "```",
            "a\rb",
        ]
    )
    | st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20).map(
        lambda t: t.replace("\n", " ")
    ),
    max_size=12,
).map("\n".join)


@given(
    code=code_texts, language=st.sampled_from(["python", "json", "bash", "klingon", "", "py {.x}"])
)
@settings(max_examples=200, deadline=None)
def test_highlighting_keeps_every_character(qapp: QApplication, code: str, language: str) -> None:
    """Whatever the code and its language, the coloured lines are the code's lines exactly."""
    base = QTextCharFormat()
    for dark in (False, True):
        lines = code_lines(code, language, base, dark)
        assert ["".join(piece for piece, _ in line) for line in lines] == code.split("\n")
