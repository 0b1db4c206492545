"""The Raw pane's events table reads as words: each event's payload, never a dataclass repr."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from playground.core import event_text
from playground.core.errors import Failure, FailureKind
from playground.core.events import (
    Failed,
    Finished,
    ReasoningDelta,
    RefusalDelta,
    RunStarted,
    StreamEvent,
    TextDelta,
    Timing,
    ToolCallDelta,
    ToolCallDone,
    ToolCallStarted,
    Usage,
)
from tests.core.strategies import names, text
from tests.user_words import problems


@pytest.mark.parametrize(
    ("event", "shown"),
    [
        (TextDelta("Hello"), '"Hello"'),
        (TextDelta("line\nnext", choice=1), '"line\\nnext"  (choice 1)'),
        (ReasoningDelta("**Plan**"), '"**Plan**"'),
        (RefusalDelta("I can't"), '"I can\'t"'),
        (Usage(27, 0, 9), "27 in, 9 out"),
        (
            Usage(27, 5, 9, 3, service_tier="default"),
            "27 in, 9 out, 5 cached, 3 reasoning, tier default",
        ),
        (Timing(120.4, 1234.0, 45.2), "first token 120 ms, total 1.23 s, 45 tokens/s"),
        (RunStarted("gpt-5", "resp_1", "req_2"), "model gpt-5, response resp_1, request req_2"),
        (ToolCallStarted(0, "call_1", "get_weather"), "#0 get_weather (call_1)"),
        (ToolCallDelta(0, '{"city"'), '#0 "{\\"city\\""'),
        (ToolCallDone(0, '{"city": "Paris"}'), '#0 arguments {"city": "Paris"}'),
        (Finished("stop", "resp_1"), "finished: stop, response resp_1"),
        (Failed(Failure(FailureKind.RATE_LIMIT, "slow down", status=429)), "rate limited (429)"),
        (Failed(Failure(FailureKind.CONNECTION, "no route")), "connection failed"),
    ],
)
def test_each_event_reads_as_words(event: StreamEvent, shown: str) -> None:
    assert event_text.summary(event) == shown


def test_a_failure_row_is_named_failure() -> None:
    failed = Failed(Failure(FailureKind.RATE_LIMIT, "x", status=429))
    assert f"{event_text.name(failed)}: {event_text.summary(failed)}" == (
        "Failure: rate limited (429)"
    )
    assert event_text.name(TextDelta("Hello")) == "TextDelta"


def test_a_long_payload_is_cut() -> None:
    shown = event_text.summary(TextDelta("x" * 1000))
    assert len(shown) == event_text.LIMIT and shown.endswith("…")


counts = st.integers(0, 10**7)
failures = st.builds(
    Failure,
    kind=st.sampled_from(FailureKind),
    message=text,
    status=st.none() | st.integers(400, 599),
    code=st.none() | names,
    param=st.none() | names,
    request_id=st.none() | names,
    detail=st.none() | text,
)
events = st.one_of(
    st.builds(TextDelta, text, st.integers(0, 3)),
    st.builds(ReasoningDelta, text, st.integers(0, 3)),
    st.builds(RefusalDelta, text, st.integers(0, 3)),
    st.builds(ToolCallStarted, st.integers(0, 9), names, names),
    st.builds(ToolCallDelta, st.integers(0, 9), text),
    st.builds(ToolCallDone, st.integers(0, 9), text),
    st.builds(Usage, counts, counts, counts, counts, counts, st.none() | names),
    st.builds(
        Timing,
        st.none() | st.floats(0, 1e6),
        st.floats(0, 1e7),
        st.none() | st.floats(0, 1e5),
    ),
    st.builds(RunStarted, names, st.none() | names, st.none() | names),
    st.builds(Finished, names, st.none() | names),
    st.builds(Failed, failures),
)


@given(events)
def test_no_payload_is_a_repr(event: StreamEvent) -> None:
    shown = event_text.summary(event)
    assert len(shown) <= event_text.LIMIT
    ours = shown  # the app's words: what is left without the event's own texts
    for value in vars_of(event):
        ours = ours.replace(event_text.quoted(value)[1:-1], "").replace(value, "")
    assert problems(ours) == [], shown
    assert "=" not in ours and "None" not in ours  # no field=value, no Python None
    if isinstance(event, Failed):  # the kind's title, never the message or the detail
        title = event.failure.title
        assert shown.split(" (")[0] == title[0].lower() + title[1:]


def vars_of(event: StreamEvent) -> list[str]:
    """The event's text fields (the failure's, for a failed run), longest first."""
    source = event.failure if isinstance(event, Failed) else event
    found = [getattr(source, f) for f in source.__dataclass_fields__]
    return sorted((v for v in found if isinstance(v, str) and v), key=len, reverse=True)
