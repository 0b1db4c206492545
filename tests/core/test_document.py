"""The Document: committed workspace, drafts, undo and redo, dirty state, snapshot/restore."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.core.document import Document, PathError
from playground.core.workspace import Message, Workspace


def _doc() -> Document:
    return Document(Workspace(messages=[Message(content="hi"), Message(content="there")]))


def test_a_change_is_committed_announced_and_undone() -> None:
    doc = _doc()
    seen: list[str] = []
    dirty: list[bool] = []
    doc.changed.connect(seen.append)
    doc.dirty_changed.connect(dirty.append)
    doc.set("params.temperature", 0.3, "Set temperature")
    assert doc.workspace.params.temperature == 0.3
    assert seen == ["params.temperature"] and dirty == [True] and doc.dirty
    assert doc.undo_label == "Set temperature"
    assert doc.undo()
    assert doc.workspace.params.temperature is None and not doc.dirty
    assert doc.redo_label == "Set temperature"
    assert doc.redo()
    assert doc.workspace.params.temperature == 0.3
    assert dirty == [True, False, True]


def test_typing_in_one_field_is_one_step() -> None:
    doc = _doc()
    for text in ("h", "he", "hel", "hello"):
        doc.set("messages[1].content", text, "Typing", coalesce=True)
    doc.set("instructions", "Be brief", "Typing", coalesce=True)
    assert doc.undo()  # the instructions
    assert doc.get("messages[1].content") == "hello"
    assert doc.undo()  # all the typing at once
    assert doc.get("messages[1].content") == "there"
    assert not doc.undo()


def test_bad_values_and_paths_change_nothing() -> None:
    doc = _doc()
    with pytest.raises(PathError):
        doc.set("params.temperature", "hot")
    with pytest.raises(PathError):
        doc.set("params.warmth", 1)
    with pytest.raises(PathError):
        doc.set("messages[9].content", "x")
    with pytest.raises(PathError):
        doc.set("messages[x", "x")
    assert doc.workspace == _doc().workspace and not doc.dirty


def test_drafts_keep_half_typed_text_until_it_parses() -> None:
    doc = _doc()
    doc.set_draft("extra_body", '{"safety_identifier": ')
    assert doc.workspace.extra_body is None  # the committed value stays
    assert doc.dirty and doc.drafts == {"extra_body": '{"safety_identifier": '}
    restored = Document.restore(doc.snapshot())
    assert restored.drafts == doc.drafts and restored.dirty
    restored.set("extra_body", {"safety_identifier": "u1"}, "Edit extra_body")
    assert restored.drafts == {} and restored.workspace.extra_body == {"safety_identifier": "u1"}


def test_saving_makes_it_clean_and_undo_past_the_save_makes_it_dirty(tmp_path: Path) -> None:
    doc = _doc()
    doc.set("instructions", "A")
    doc.mark_saved(tmp_path / "ws.json")
    assert not doc.dirty and doc.path == tmp_path / "ws.json"
    doc.undo()
    assert doc.dirty
    doc.redo()
    assert not doc.dirty


def test_typing_after_a_save_is_a_change() -> None:
    doc = _doc()
    doc.set("instructions", "Be", "Typing", coalesce=True)
    doc.mark_saved()
    doc.set("instructions", "Be brief", "Typing", coalesce=True)
    assert doc.dirty
    doc.undo()
    assert doc.workspace.instructions == "Be" and not doc.dirty


def test_replace_is_one_step() -> None:
    doc = _doc()
    other = Workspace(model="gpt-5.4", messages=[Message(content="imported")])
    doc.replace(other, "Import")
    assert doc.workspace == other and doc.undo_label == "Import"
    doc.undo()
    assert doc.workspace == _doc().workspace


def test_a_long_history_of_a_large_workspace_stays_small() -> None:
    big = "x" * 1_000_000
    doc = Document(Workspace(messages=[Message(content=big)]))
    for i in range(200):
        doc.set("params.temperature", i / 100, "Set temperature")
    steps = doc._undo
    assert len(steps) == 200
    # each step keeps the values at its path, never a copy of the 1 MB message
    assert all(len(repr(s.changes)) < 200 for s in steps)


EDITS = st.lists(
    st.tuples(
        st.sampled_from(["params.temperature", "params.top_p", "instructions", "params.seed"]),
        st.integers(0, 100),
    ),
    max_size=30,
)


@settings(max_examples=80, deadline=None)
@given(EDITS)
def test_undo_all_gives_back_the_start_and_redo_all_the_end(edits: list[tuple[str, int]]) -> None:
    doc = _doc()
    start = doc.workspace
    for path, n in edits:
        value: object = f"text {n}" if path == "instructions" else n / 100
        if path == "params.seed":
            value = n
        doc.set(path, value)
    end = doc.workspace
    while doc.undo():
        pass
    assert doc.workspace == start and not doc.dirty
    while doc.redo():
        pass
    assert doc.workspace == end


# -- commit: what a panel shows, taken in as one step of only what changed ---------------------


def test_commit_records_only_the_paths_that_changed() -> None:
    doc = _doc()
    ws = doc.workspace
    edited = ws.model_copy(
        update={
            "params": ws.params.model_copy(update={"temperature": 0.5}),
            "messages": [ws.messages[0], Message(content="there, edited")],
        }
    )
    assert doc.commit(edited, "Edit")
    (step,) = doc._undo
    assert [p for p, _, _ in step.changes] == ["messages[1]", "params.temperature"]
    assert not doc.commit(edited, "Edit again")  # nothing changed: no step
    assert doc.undo() and doc.workspace == _doc().workspace


def test_commits_under_one_key_coalesce_until_a_save_or_another_key() -> None:
    doc = _doc()
    for text in ("a", "ab", "abc"):
        doc.commit(doc.workspace.model_copy(update={"instructions": text}), "Type", "conv")
    assert len(doc._undo) == 1 and doc.undo_label == "Type"
    doc.mark_saved()
    doc.commit(doc.workspace.model_copy(update={"instructions": "abcd"}), "Type", "conv")
    assert len(doc._undo) == 2 and doc.dirty  # typing after a save is a new step
    doc.commit(
        doc.workspace.model_copy(
            update={"params": doc.workspace.params.model_copy(update={"seed": 1})}
        ),
        "Params",
        "params",
    )
    assert len(doc._undo) == 3
    doc.undo()
    doc.undo()
    assert doc.workspace.instructions == "abc" and not doc.dirty


def test_adding_then_deleting_a_message_are_two_steps_even_under_one_key() -> None:
    """An answer appended, then deleted by hand: Undo brings the answer back first."""
    doc = _doc()
    first = doc.workspace.messages
    added = [*first, Message(role="assistant", content="An answer")]
    doc.commit(doc.workspace.model_copy(update={"messages": added}), "Edit", "conversation")
    doc.commit(doc.workspace.model_copy(update={"messages": first}), "Edit", "conversation")
    assert len(doc._undo) == 2
    doc.undo()
    assert doc.workspace.messages[-1].text == "An answer"
    doc.undo()
    assert doc.workspace.messages == first


def test_a_removed_message_is_one_change_of_the_list() -> None:
    doc = _doc()
    doc.commit(doc.workspace.model_copy(update={"messages": doc.workspace.messages[:1]}), "Del")
    assert [p for p, _, _ in doc._undo[0].changes] == ["messages"]
    doc.undo()
    assert [m.text for m in doc.workspace.messages] == ["hi", "there"]


def test_replace_drafts_sets_and_clears_only_its_own_paths() -> None:
    doc = _doc()
    doc.set_draft("extra_body", "{")
    doc.replace_drafts(("tools",), {"tools[0].parameters": '{"type":'})
    assert doc.drafts == {"extra_body": "{", "tools[0].parameters": '{"type":'}
    doc.replace_drafts(("tools",), {})
    assert doc.drafts == {"extra_body": "{"} and doc.dirty


def test_a_restored_dirty_document_stays_dirty_until_saved() -> None:
    doc = Document(Workspace(instructions="from a session"), dirty=True)
    assert doc.dirty
    doc.mark_saved()
    assert not doc.dirty


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.text(max_size=8)), min_size=1, max_size=20))
def test_any_series_of_commits_undoes_to_the_start(edits: list[tuple[int, str]]) -> None:
    doc = _doc()
    start = doc.workspace
    states = [start]
    for kind, text in edits:
        ws = doc.workspace
        if kind == 0:
            ws = ws.model_copy(update={"instructions": text})
        elif kind == 1:
            ws = ws.model_copy(update={"messages": [*ws.messages, Message(content=text)]})
        elif kind == 2 and ws.messages:
            ws = ws.model_copy(update={"messages": ws.messages[:-1]})
        else:
            ws = ws.model_copy(update={"params": ws.params.model_copy(update={"user": text})})
        if doc.commit(ws, f"edit {kind}"):
            states.append(doc.workspace)
    for expected in reversed(states[:-1]):
        assert doc.undo()
        assert doc.workspace == expected
    assert not doc.undo() and not doc.dirty


def test_adopting_what_a_save_wrote_adds_no_step_and_undo_keeps_the_rows_file() -> None:
    from playground.core.evaluation_spec import TestRow, TestSet

    doc = Document(Workspace())
    events: list[str] = []
    doc.changed.connect(events.append)
    rows = [TestRow(id="r1", values={"city": "Oslo"})]
    doc.set("test_set", TestSet(columns=["city"], rows=rows), "Add rows")
    doc.set("test_set.rows[0].note", "first")
    saved_ts = doc.workspace.test_set.model_copy(update={"rows_file": "a.rows.jsonl"})
    doc.adopt(doc.workspace.model_copy(update={"test_set": saved_ts}))
    doc.mark_saved(Path("/tmp/a.json"))
    assert events[-1] == "test_set" and doc.undo_label == "Edit test_set.rows[0].note"
    assert not doc.dirty and doc.workspace.test_set.rows_file == "a.rows.jsonl"
    assert doc.undo()
    assert doc.workspace.test_set.rows_file == "a.rows.jsonl"  # where the rows live stays
    assert doc.workspace.test_set.rows[0].note == "" and doc.dirty
    assert doc.redo() and not doc.dirty
