"""The backend on the simulator: normalized events, timing, cancelling, and every error path."""

from __future__ import annotations

import asyncio
import socket
import threading

import pytest

from playground.core.errors import FailureKind
from playground.core.events import Failed, Finished, RunStarted, TextDelta, Timing
from playground.core.profiles import ProviderProfile
from playground.core.reducer import AssistantTurn, TurnAccumulator
from playground.core.workspace import Message, Parameters, Workspace
from playground.services.backend import OpenAIBackend
from playground.services.simulator import HttpError, Scenario, ScriptedCall, Simulator
from tests.conftest import run

KEY = "sk-test-key"


def workspace(api: str = "responses", stream: bool = True, **kw: object) -> Workspace:
    kw = {"model": "gpt-4o-mini", **kw}  # a model without reasoning items: frames counted below
    return Workspace(api=api, stream=stream, messages=[Message(role="user", content="Hello")], **kw)  # type: ignore[arg-type]


def turn_of(
    backend: OpenAIBackend, ws: Workspace, profile: ProviderProfile, key: str | None = KEY
) -> tuple[AssistantTurn, list[object]]:
    async def go() -> tuple[AssistantTurn, list[object]]:
        acc, events = TurnAccumulator(), []
        async for event in backend.run(ws, profile, key):
            acc.apply(event)
            events.append(event)
        await backend.aclose()
        return acc.turn(), events

    return run(go())


@pytest.mark.parametrize("api", ["responses", "chat"])
@pytest.mark.parametrize("stream", [True, False])
def test_text_run(
    backend: OpenAIBackend, profile: ProviderProfile, simulator: Simulator, api: str, stream: bool
) -> None:
    turn, events = turn_of(backend, workspace(api, stream), profile)
    assert turn.complete and turn.finish_reason == "stop"
    assert "Simulated answer" in turn.text
    assert turn.usage is not None and turn.usage.output_tokens > 0
    assert isinstance(events[0], RunStarted) and events[0].request_id.startswith("req_")
    assert isinstance(events[-2], Timing) and isinstance(events[-1], Finished)
    if stream:
        assert sum(isinstance(e, TextDelta) for e in events) > 10
        assert events[-2].ttft_ms is not None and events[-2].tokens_per_s


@pytest.mark.parametrize("api", ["responses", "chat"])
def test_tool_call_run(
    backend: OpenAIBackend, profile: ProviderProfile, simulator: Simulator, api: str
) -> None:
    simulator.enqueue(Scenario(tool_calls=[ScriptedCall("lookup", ['{"q":', ' "x"}'])]))
    turn, _ = turn_of(backend, workspace(api), profile)
    assert turn.finish_reason == "tool_calls"
    assert turn.tool_calls[0].name == "lookup"
    assert turn.tool_calls[0].parsed_arguments == {"q": "x"}


def test_reasoning_summary(
    backend: OpenAIBackend, profile: ProviderProfile, simulator: Simulator
) -> None:
    ws = workspace(
        model="o3", params=Parameters(reasoning_effort="high", reasoning_summary="detailed")
    )
    turn, _ = turn_of(backend, ws, profile)
    assert turn.reasoning_summary.startswith("**Reading the request**")
    assert turn.usage is not None and turn.usage.reasoning_tokens > 0


def _failure(
    backend: OpenAIBackend,
    profile: ProviderProfile,
    ws: Workspace | None = None,
    key: str | None = KEY,
) -> AssistantTurn:
    turn, events = turn_of(backend, ws or workspace(), profile, key)
    assert isinstance(events[-1], Failed), events[-1]
    assert turn.failure is not None
    return turn


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (401, FailureKind.AUTHENTICATION),
        (403, FailureKind.PERMISSION),
        (404, FailureKind.NOT_FOUND),
        (500, FailureKind.SERVER),
        (503, FailureKind.SERVER),
    ],
)
def test_http_errors_are_typed(
    backend: OpenAIBackend,
    profile: ProviderProfile,
    simulator: Simulator,
    status: int,
    kind: FailureKind,
) -> None:
    simulator.enqueue(Scenario(http_error=HttpError(status, "nope")))
    turn = _failure(backend, profile.model_copy(update={"max_retries": 0}))
    assert turn.failure.kind == kind and turn.failure.status == status
    assert turn.failure.detail == "nope"  # the server's words: technical detail
    assert "nope" not in turn.failure.describe()
    assert turn.failure.request_id.startswith("req_")


def test_wrong_key(backend: OpenAIBackend, profile: ProviderProfile, simulator: Simulator) -> None:
    simulator.api_key = "sk-the-right-one"
    turn = _failure(backend, profile, key="sk-wrong-key-123")
    assert turn.failure.kind == FailureKind.AUTHENTICATION
    assert turn.failure.describe() == (
        "Authentication failed (401): The server did not accept the API key. "
        "Check the API key of this profile in Providers."
    )
    assert "Incorrect API key provided" in turn.failure.details()


def test_missing_key_needs_no_request(backend: OpenAIBackend, simulator: Simulator) -> None:
    openai_profile = ProviderProfile(name="OpenAI", kind="openai", base_url=simulator.base_url)
    turn = _failure(backend, openai_profile, key=None)
    assert turn.failure.kind == FailureKind.MISSING_KEY
    assert turn.failure.message == "No API key for the profile OpenAI: add one in Providers."
    assert simulator.requests == []


def test_bad_parameter_names_the_param(
    backend: OpenAIBackend, profile: ProviderProfile, simulator: Simulator
) -> None:
    ws = workspace(extra_body={"temperature": "warm"})
    turn = _failure(backend, profile, ws)
    assert turn.failure.kind == FailureKind.BAD_REQUEST and turn.failure.param == "temperature"


def test_rate_limit_retried_then_given_up(
    backend: OpenAIBackend, profile: ProviderProfile, simulator: Simulator
) -> None:
    simulator.enqueue(
        Scenario(http_error=HttpError(429, headers={"retry-after": "0.01"})),
        Scenario(http_error=HttpError(429, headers={"retry-after": "0.01"})),
        Scenario(http_error=HttpError(429, headers={"retry-after": "0.01"})),
    )
    turn = _failure(backend, profile)
    assert turn.failure.kind == FailureKind.RATE_LIMIT
    assert "Rate limit reached" in (turn.failure.detail or "")
    assert [r.retry_count for r in simulator.requests] == [0, 1, 2]


def test_connection_refused(backend: OpenAIBackend) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dead = ProviderProfile(name="dead", base_url=f"http://127.0.0.1:{port}/v1", max_retries=0)
    turn = _failure(backend, dead)
    assert turn.failure.kind == FailureKind.CONNECTION
    assert "Check the base URL" in turn.failure.describe()
    # the message names the server and the reason in words, not the transport's class names
    assert turn.failure.message == (
        f"Could not connect to 127.0.0.1:{port}: the connection was refused "
        "(is the server running on that port?)."
    )
    assert "Error" not in turn.failure.describe()


def test_an_unknown_host_is_named_with_the_reason(backend: OpenAIBackend) -> None:
    nowhere = ProviderProfile(name="x", base_url="http://no-such-host.invalid/v1", max_retries=0)
    turn = _failure(backend, nowhere)
    assert turn.failure.message == (
        "Could not connect to no-such-host.invalid: the host name could not be resolved."
    )


@pytest.mark.parametrize(("api", "cut"), [("responses", 6), ("chat", 3)])
def test_reset_mid_stream_keeps_partial_text(
    backend: OpenAIBackend, profile: ProviderProfile, simulator: Simulator, api: str, cut: int
) -> None:
    simulator.enqueue(Scenario(text=["one ", "two ", "three ", "four"], truncate_after=cut))
    turn = _failure(backend, profile, workspace(api))
    assert turn.failure.kind == FailureKind.CONNECTION
    assert turn.text == "one two "


def test_stalled_stream_hits_the_read_timeout(backend: OpenAIBackend, simulator: Simulator) -> None:
    quick = ProviderProfile(name="quick", base_url=simulator.base_url, timeout=0.5, max_retries=0)
    simulator.enqueue(Scenario(text=["a ", "b ", "c"], stall_after=2, stall_seconds=3))
    turn = _failure(backend, quick, workspace("chat"))
    assert turn.failure.kind == FailureKind.TIMEOUT
    assert turn.text == "a "


@pytest.mark.parametrize(
    ("api", "form", "kind"),
    [
        ("chat", "chat", FailureKind.STREAM_ERROR),
        ("responses", "flat", FailureKind.STREAM_ERROR),
        ("responses", "nested", FailureKind.STREAM_ERROR),
        ("responses", "failed", FailureKind.RESPONSE_FAILED),
    ],
)
def test_mid_stream_errors(
    backend: OpenAIBackend,
    profile: ProviderProfile,
    simulator: Simulator,
    api: str,
    form: str,
    kind: FailureKind,
) -> None:
    # After two text deltas: frame 3 of a chat stream, frame 6 of a Responses stream.
    simulator.enqueue(
        Scenario(
            text=["Hello ", "world ", "again"],
            error_form=form,  # type: ignore[arg-type]
            error_after=3 if api == "chat" else 6,
        )
    )
    turn = _failure(backend, profile, workspace(api))
    assert turn.failure.kind == kind
    assert turn.text == "Hello world "


def test_incomplete_for_max_output_tokens_is_the_length_outcome(
    backend: OpenAIBackend, profile: ProviderProfile, simulator: Simulator
) -> None:
    ws = workspace(params=Parameters(max_output_tokens=16))
    turn, _ = turn_of(backend, ws, profile)
    assert turn.failure is None and turn.finish_reason == "length" and turn.stopped_at_limit
    assert turn.text  # the partial answer is kept


def test_chat_length_finish_is_a_normal_end(
    backend: OpenAIBackend, profile: ProviderProfile, simulator: Simulator
) -> None:
    turn, _ = turn_of(backend, workspace("chat", params=Parameters(max_output_tokens=5)), profile)
    assert turn.finish_reason == "length" and turn.failure is None


def test_malformed_sse(
    backend: OpenAIBackend, profile: ProviderProfile, simulator: Simulator
) -> None:
    simulator.enqueue(Scenario(text=["a ", "b"], malformed_after=2))
    turn = _failure(backend, profile, workspace("chat"))
    assert turn.failure.kind == FailureKind.UNREADABLE_STREAM
    assert turn.text == "a "


def test_cancelling_closes_the_http_stream(
    backend: OpenAIBackend, profile: ProviderProfile, simulator: Simulator
) -> None:
    gate = threading.Event()
    simulator.enqueue(Scenario(text=["first ", "second ", "third"], gate_after=2, gate=gate))

    async def go() -> str:
        acc = TurnAccumulator()

        async def consume() -> None:
            async for event in backend.run(workspace("chat"), profile, KEY):
                acc.apply(event)

        task = asyncio.create_task(consume())
        while acc.text != "first ":
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        gate.set()
        for _ in range(200):
            if simulator.disconnects:
                break
            await asyncio.sleep(0.01)
        await backend.aclose()
        return acc.text

    assert run(go()) == "first "
    assert simulator.disconnects == 1


def test_retries_are_reported_while_the_sdk_waits(
    backend: OpenAIBackend, profile: ProviderProfile, simulator: Simulator
) -> None:
    simulator.enqueue(
        Scenario(http_error=HttpError(429, headers={"retry-after-ms": "20"}, attempts=2))
    )
    seen = []

    async def go() -> AssistantTurn:
        acc = TurnAccumulator()
        async for event in backend.run(workspace(), profile, KEY, on_retry=seen.append):
            acc.apply(event)
        await backend.aclose()
        return acc.turn()

    turn = run(go())
    assert turn.complete
    waits = [e for e in seen if e.status is not None]
    sends = [e for e in seen if e.status is None]
    assert [(e.attempt, e.max_attempts, e.status) for e in waits] == [(1, 3, 429), (2, 3, 429)]
    assert waits[0].delay_s == pytest.approx(0.02)
    assert [e.attempt for e in sends] == [2, 3]


def test_giving_up_counts_the_attempts(
    backend: OpenAIBackend, profile: ProviderProfile, simulator: Simulator
) -> None:
    simulator.enqueue(
        Scenario(http_error=HttpError(503, headers={"retry-after-ms": "1"}, attempts=5))
    )
    turn = _failure(backend, profile)
    assert turn.failure.kind == FailureKind.SERVER and turn.failure.attempts == 3


@pytest.mark.parametrize("api", ["responses", "chat"])
def test_warm_up_request_streams_an_answer(simulator: Simulator, api: str) -> None:
    from playground.services.warmup import one_request

    turn = run(one_request(simulator.base_url, api, strict=True))
    assert turn.complete and turn.failure is None
    assert "Simulated answer" in turn.text
    assert simulator.bodies()[-1]["stream"] is True


def test_warm_up_leaves_nothing_running() -> None:
    from playground.services.warmup import warm_up

    before = {t.ident for t in threading.enumerate()}
    warm_up()  # a simulator of its own, both APIs, stopped again
    after = {t.ident for t in threading.enumerate() if t.is_alive()}
    assert after <= before


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("The server had a problem.\n", "The server had a problem."),
        ("<html><body>502 Bad Gateway</body></html>", "<html><body>502 Bad Gateway</body></html>"),
        ("", None),
    ],
)
def test_an_error_body_that_is_not_the_apis_error_object_reads_plainly(
    backend: OpenAIBackend,
    profile: ProviderProfile,
    simulator: Simulator,
    raw: str,
    message: str | None,
) -> None:
    """Proxies and other servers answer errors in plain text or HTML: the card shows their
    text (or the status), never the SDK's 'Error code: 500 - ...'."""
    simulator.enqueue(*[Scenario(http_error=HttpError(500, raw_body=raw))] * 3)
    turn = _failure(backend, profile)
    assert turn.failure.kind == FailureKind.SERVER
    assert turn.failure.message == "The server had an internal error."
    if message is None:  # it said nothing: the details give the status alone
        assert turn.failure.details().startswith("HTTP status: 500")
    else:
        assert turn.failure.details().startswith(f"The server said: {message}")
    assert "Error code" not in turn.failure.describe()
