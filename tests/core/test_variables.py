"""Prompt variables (core/variables.py): the grammar, literal filling, the escape, where they
are read, and the exported program's fill agreeing with core's."""

from __future__ import annotations

import re
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.core import variables
from playground.core.evaluation_spec import VARIABLE_NAME
from playground.core.variables import MissingValues, fill_text, names_in
from playground.core.workspace import FunctionTool, Message, TextPart, ToolCall, Workspace

var_names = st.from_regex(VARIABLE_NAME, fullmatch=True).filter(lambda n: len(n) < 20)
# text that leans on the grammar's characters, so braces, backslashes and names meet often
_PIECES = [*"{}\\ \tab.x_-1(')!:é", "{{", "}}", "\\{{", "{{a}}", "{{ b }}"]
texts = st.lists(st.sampled_from(_PIECES), max_size=20).map("".join)
values = st.dictionaries(var_names | st.sampled_from(["a", "b", "x"]), texts, max_size=4)
plain = st.text(st.characters(exclude_characters="{\\", exclude_categories=("Cs",)), max_size=12)

_AUDITED: list[str] = []
_WATCH = [False]
_RISKY = ("exec", "compile", "import", "os.system", "subprocess.Popen", "open", "builtins.input")


def _audit(event: str, _args: Any) -> None:
    if _WATCH[0] and event in _RISKY:
        _AUDITED.append(event)


sys.addaudithook(_audit)


def _reference(text: str, vals: dict[str, str]) -> str:
    """Another reading of the grammar, scanned by hand: the fill must agree with it."""
    out, i = [], 0
    name_re = re.compile(VARIABLE_NAME.pattern)
    while i < len(text):
        if text.startswith("\\{{", i):
            out.append("{{")
            i += 3
            continue
        if text.startswith("{{", i):
            j = i + 2
            while j < len(text) and text[j] in " \t":
                j += 1
            m = name_re.match(text, j)
            if m:
                k = m.end()
                while k < len(text) and text[k] in " \t":
                    k += 1
                if text.startswith("}}", k) and m.group(0) in vals:
                    out.append(vals[m.group(0)])
                    i = k + 2
                    continue
        out.append(text[i])
        i += 1
    return "".join(out)


@given(texts, values)
def test_filling_only_looks_values_up_and_runs_nothing(text: str, vals: dict[str, str]) -> None:
    code = text + "{{__import__('os').system('true')}}{{x!r}}{{x:>9}}{{x.__class__}}"
    _WATCH[0] = True
    try:
        out = fill_text(code, vals, strict=False)
    finally:
        _WATCH[0] = False
    assert not _AUDITED
    assert out == _reference(code, vals)


def test_no_format_spec_attribute_or_expression_is_read() -> None:
    vals = {"x": "v"}
    assert fill_text("{{x!r}} {{x:>9}} {{ x + 1 }} {{x()}}", vals) == (
        "{{x!r}} {{x:>9}} {{ x + 1 }} {{x()}}"
    )
    with pytest.raises(MissingValues) as caught:
        fill_text("{{x.__class__}}", vals)  # a dotted name is a name, never an attribute
    assert caught.value.names == ("x.__class__",)


@given(texts, values)
def test_an_escaped_text_fills_back_to_itself(text: str, vals: dict[str, str]) -> None:
    assert fill_text(variables.escape(text), vals) == text
    assert names_in(variables.escape(text)) == []


@given(st.text(max_size=60).filter(lambda t: "{{" not in t), values)
def test_text_without_placeholders_is_unchanged(text: str, vals: dict[str, str]) -> None:
    assert fill_text(text, vals) is text


@given(st.lists(st.tuples(plain, var_names), max_size=5), plain, st.data())
def test_a_full_fill_is_the_pieces_and_the_values_and_is_never_filled_again(
    pieces: list[tuple[str, str]], tail: str, data: st.DataObject
) -> None:
    """Values that themselves hold `{{x}}` (or an escape) are inserted as written."""
    used = {n for _, n in pieces}
    vals = {n: data.draw(texts | st.just("{{a}}") | st.just("{{" + n + "}}")) for n in used}
    spaces = data.draw(st.sampled_from(["", " ", "\t", "  "]))
    template = "".join(f"{p}{{{{{spaces}{n}{spaces}}}}}" for p, n in pieces) + tail
    expected = "".join(p + vals[n] for p, n in pieces) + tail
    assert fill_text(template, vals) == expected
    assert names_in(template) == list(dict.fromkeys(n for _, n in pieces))
    if not any("{{" in v for v in vals.values()):
        assert names_in(fill_text(template, vals)) == []


def test_a_value_holding_a_placeholder_is_not_expanded() -> None:
    assert fill_text("{{a}}", {"a": "{{b}}", "b": "B"}) == "{{b}}"
    assert fill_text("{{a}}", {"a": "\\{{b}}"}) == "\\{{b}}"


def test_missing_values_name_every_variable_in_order() -> None:
    with pytest.raises(MissingValues) as caught:
        fill_text("{{b}} {{ a }} {{b}} {{c}}", {"c": "C"})
    assert caught.value.names == ("b", "a")
    assert str(caught.value) == "no value for {{b}}, {{a}}"
    assert fill_text("{{b}} {{c}}", {"c": "C"}, strict=False) == "{{b}} C"


def test_the_escape_and_what_is_not_a_placeholder() -> None:
    assert fill_text("\\{{city}} {{city}}", {"city": "Rome"}) == "{{city}} Rome"
    assert fill_text('{"a": {{x}}}', {"x": "1"}) == '{"a": 1}'
    assert fill_text("{{{x}}}", {"x": "1"}) == "{1}"
    assert fill_text("{{ }} {{1x}} {{}}", {}) == "{{ }} {{1x}} {{}}"
    assert fill_text("{{\nx\n}}", {"x": "1"}) == "{{\nx\n}}"  # spaces and tabs only


@given(texts, values)
def test_the_exported_fill_agrees_with_core(text: str, vals: dict[str, str]) -> None:
    space: dict[str, Any] = {"re": re}
    exec(variables.FILL_SOURCE, space)  # the program's own source, as exported
    try:
        core: str | None = fill_text(text, vals)
    except MissingValues:
        core = None
    try:
        program: str | None = space["fill"](text, vals)
    except KeyError:
        program = None
    assert program == core


def _ws() -> Workspace:
    return Workspace(
        instructions="You help travellers in {{city}}.",
        messages=[
            Message(content="Weather in {{ city }} on {{day}}?"),
            Message(role="assistant", content="In Vue: {{ message }}"),
            Message(role="system", content=[TextPart(text="Units: {{units}}")]),
            Message(role="user", item={"type": "message", "content": "{{raw}}"}),
            Message(
                role="assistant",
                tool_calls=[ToolCall(id="c1", name="weather", arguments="{}")],
            ),
            Message(role="tool", tool_call_id="c1", content="{{tool_said}}"),
        ],
        tools=[
            FunctionTool(name="weather", description="For {{city}}", mock_output="{{temp}} C"),
            FunctionTool(name="off", enabled=False, description="{{disabled}}"),
        ],
    )


def test_names_are_read_where_a_person_writes_in_order_of_first_use() -> None:
    assert variables.names(_ws()) == ["city", "day", "units", "temp"]
    paths = [p for p, _ in variables.spots(_ws())]
    assert paths == [
        "instructions",
        "messages[0].content",
        "messages[2].content[0].text",
        "tools[0].description",
        "tools[0].mock_output",
    ]


def test_fill_changes_only_the_template_texts() -> None:
    ws = _ws()
    vals = {"city": "Rome", "day": "Monday", "units": "metric", "temp": "{{city}}"}
    out = variables.fill(ws, vals)
    assert out.instructions == "You help travellers in Rome."
    assert out.messages[0].content == "Weather in Rome on Monday?"
    assert out.messages[1] is ws.messages[1]  # the model's words are sent as written
    assert out.messages[2].text == "Units: metric"
    assert out.messages[3] is ws.messages[3]
    assert out.messages[5].content == "{{tool_said}}"
    assert out.tools[0].mock_output == "{{city}} C"  # a value is not filled again
    assert out.tools[1] is ws.tools[1]
    plain = Workspace(messages=[Message(content="no variables")])
    assert variables.fill(plain, {}) is plain


def test_a_workspace_with_missing_values_raises_or_finds_them_at_their_spots() -> None:
    ws = _ws().model_copy(update={"variables": {"city": "Rome"}})
    with pytest.raises(MissingValues) as caught:
        variables.fill(ws, ws.variables)
    assert caught.value.names == ("day", "units", "temp")
    found = variables.findings(ws)
    assert [(f.path, f.severity, f.code) for f in found] == [
        ("messages[0].content", "error", variables.MISSING),
        ("messages[2].content[0].text", "error", variables.MISSING),
        ("tools[0].mock_output", "error", variables.MISSING),
    ]
    assert "{{day}}" in found[0].message and "Variables" in found[0].message
    left = variables.filled(ws)
    assert left.messages[0].content == "Weather in Rome on {{day}}?"


@settings(max_examples=50)
@given(texts)
def test_escaping_a_workspace_keeps_what_it_sends(text: str) -> None:
    ws = Workspace(
        instructions=text,
        messages=[Message(content=text), Message(content=[TextPart(text=text)])],
        tools=[FunctionTool(name="t", description=text, mock_output=text)],
    )
    assert variables.fill(variables.escaped(ws), {"a": "A", "b": "B"}) == ws


def test_the_audit_hook_would_see_code_run() -> None:
    """The no-code-runs test can fail: running code under the watch is seen."""
    _WATCH[0] = True
    try:
        exec("1")
    finally:
        _WATCH[0] = False
    assert "exec" in _AUDITED
    _AUDITED.clear()
