"""Flex processing over real HTTP: the tier echoed, the longer timeout at the request, the
429 Resource Unavailable as a typed failure, and an evaluation that waits it out.

The simulator plays the server; the client is the real AsyncOpenAI with strict response
validation (tests/conftest.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.core.errors import FailureKind
from playground.core.profiles import ProviderProfile
from playground.core.reducer import AssistantTurn, TurnAccumulator
from playground.core.service_tiers import FLEX_TIMEOUT_S, timeout_for
from playground.core.workspace import Message, Parameters, Workspace
from playground.services.backend import OpenAIBackend
from playground.services.failures import LIMIT_CODES, is_flex_unavailable
from playground.services.simulator import Simulator
from playground.services.simulator.scenarios import FlexShortage
from tests.conftest import run

MODEL = "gpt-6-luna"  # offers flex in the catalog (tiers.flex)


def _ws(api: str, tier: str | None, stream: bool = True) -> Workspace:
    return Workspace(
        api=api,  # type: ignore[arg-type]
        model=MODEL,
        stream=stream,
        messages=[Message(role="user", content="Summarise the report, no hurry.")],
        params=Parameters(service_tier=tier),
    )


def _turn(ws: Workspace, profile: ProviderProfile) -> AssistantTurn:
    async def go() -> AssistantTurn:
        backend = OpenAIBackend(strict=True)
        acc = TurnAccumulator()
        try:
            async for event in backend.run(ws, profile, "sk-test"):
                acc.apply(event)
        finally:
            await backend.aclose()
        return acc.turn()

    return run(go())


def _read_timeout(simulator: Simulator) -> float:
    sent = [r for r in simulator.requests if r.method == "POST"]
    return float(sent[-1].headers["x-stainless-read-timeout"])


@pytest.mark.parametrize("api", ["responses", "chat"])
@pytest.mark.parametrize("stream", [True, False])
def test_a_flex_run_is_served_at_flex_with_the_longer_timeout(
    simulator: Simulator, profile: ProviderProfile, api: str, stream: bool
) -> None:
    turn = _turn(_ws(api, "flex", stream), profile)
    assert turn.failure is None and turn.usage is not None
    assert turn.usage.service_tier == "flex"  # the response says which tier served it
    assert simulator.bodies()[-1]["service_tier"] == "flex"
    assert _read_timeout(simulator) == FLEX_TIMEOUT_S  # the profile's is 5 s


def test_other_tiers_keep_the_profile_timeout_and_a_longer_profile_timeout_wins(
    simulator: Simulator, profile: ProviderProfile
) -> None:
    _turn(_ws("responses", "default"), profile)
    assert _read_timeout(simulator) == profile.timeout
    patient = profile.model_copy(update={"timeout": 1800.0})
    _turn(_ws("responses", "flex"), patient)
    assert _read_timeout(simulator) == 1800.0


@given(
    tier=st.sampled_from([None, "auto", "default", "flex", "scale", "priority", "fast"]),
    profile_s=st.one_of(st.none(), st.floats(min_value=0.1, max_value=86400)),
)
def test_a_flex_timeout_is_never_shorter_than_the_guide_or_the_profile(
    tier: str | None, profile_s: float | None
) -> None:
    found = timeout_for(tier, profile_s)
    if tier != "flex":
        assert found is None
    else:
        assert found is not None and found >= FLEX_TIMEOUT_S
        assert profile_s is None or found >= profile_s


@pytest.mark.parametrize("api", ["responses", "chat"])
def test_flex_short_of_capacity_is_its_own_failure(
    simulator: Simulator, profile: ProviderProfile, api: str
) -> None:
    simulator.short_of_flex()
    turn = _turn(_ws(api, "flex"), profile)
    failure = turn.failure
    assert failure is not None
    assert failure.kind is FailureKind.FLEX_UNAVAILABLE and failure.status == 429
    assert "flex" in failure.message.lower() and "default tier" in failure.hint
    assert failure.attempts == profile.max_retries + 1  # the SDK retried it first
    assert simulator.flex_refused == profile.max_retries + 1


def test_short_flex_capacity_leaves_other_tiers_alone(
    simulator: Simulator, profile: ProviderProfile
) -> None:
    simulator.short_of_flex()
    turn = _turn(_ws("responses", "default"), profile)
    assert turn.failure is None and simulator.flex_refused == 0


def test_a_rate_limit_on_a_flex_request_stays_a_rate_limit(
    simulator: Simulator, profile: ProviderProfile
) -> None:
    from playground.services.simulator.scenarios import RateLimit

    simulator.rate_limit = RateLimit(requests=0, window_s=60)
    turn = _turn(_ws("responses", "flex"), profile.model_copy(update={"max_retries": 0}))
    assert turn.failure is not None and turn.failure.kind is FailureKind.RATE_LIMIT


@settings(max_examples=60)
@given(
    status=st.sampled_from([400, 429, 500, 503]),
    code=st.one_of(st.none(), st.sampled_from([*LIMIT_CODES, "resource_unavailable", "x"])),
    tier=st.one_of(st.none(), st.sampled_from(["flex", "default", "auto", "priority"])),
)
def test_only_a_429_to_flex_that_is_no_limit_is_short_capacity(
    status: int, code: str | None, tier: str | None
) -> None:
    expected = status == 429 and tier == "flex" and code not in LIMIT_CODES
    assert is_flex_unavailable(status, code, tier) is expected


@pytest.mark.parametrize("api", ["responses", "chat"])
def test_an_unlisted_tier_is_the_apis_400(
    simulator: Simulator, profile: ProviderProfile, api: str
) -> None:
    ws = _ws(api, None)
    ws = ws.model_copy(update={"extra_body": {"service_tier": "turbo"}})
    turn = _turn(ws, profile)
    failure = turn.failure
    assert failure is not None and failure.status == 400
    assert (failure.param, failure.code) == ("service_tier", "invalid_value")


def test_a_short_flex_capacity_passes(simulator: Simulator, profile: ProviderProfile) -> None:
    simulator.short_of_flex(FlexShortage(requests=1, retry_after_ms=1))
    turn = _turn(_ws("chat", "flex"), profile)
    assert turn.failure is None  # the SDK's own retry got through
    assert simulator.flex_refused == 1


def test_an_evaluation_waits_out_short_flex_capacity_without_a_failed_cell(
    simulator: Simulator, profile: ProviderProfile
) -> None:
    from playground.core.evaluation_spec import TestRow
    from playground.services.evaluation import Evaluation, columns_of
    from playground.services.runs import fixed_key
    from tests.services.test_evaluation import answered, fill, finish

    base = _ws("chat", "flex").model_copy(
        update={"messages": [Message(role="user", content="Say {{word}}")]}
    )
    # the server names no wait: the runner's own backoff (1 s first) holds the provider back
    simulator.short_of_flex(FlexShortage(requests=3))
    no_sdk_retry = profile.model_copy(update={"max_retries": 0})
    rows = [TestRow(id=f"r{i}", values={"word": f"w{i}"}) for i in range(3)]
    ev = Evaluation(
        columns_of(base, (), lambda _ws: no_sdk_retry),
        rows,
        backend=OpenAIBackend(strict=True),
        resolve=fixed_key("sk-test"),
        grade=answered,
        prepare=fill,
        concurrency=3,
    )
    run(finish(ev))
    assert simulator.flex_refused == 3  # the server did refuse flex...
    cells = list(ev.cells.values())
    assert [c.outcome for c in cells] == ["passed"] * 3  # ...and no cell failed
    assert max(c.attempts for c in cells) > 1  # the runner sent them again
    assert {b["service_tier"] for b in simulator.bodies("/chat/completions")} == {"flex"}
    # each cell is billed at the catalog's flex price (the tier the response reported)
    from playground.core import catalog
    from playground.core.cost import cost
    from playground.core.events import Usage

    for c in cells:
        assert c.input_tokens is not None and c.output_tokens is not None
        at_flex = cost(catalog.lookup(MODEL), Usage(c.input_tokens, 0, c.output_tokens), "flex")
        assert at_flex is not None and c.cost_usd == pytest.approx(at_flex.total)


def test_the_window_request_process_sends_flex_with_its_timeout_and_failure(
    simulator: Simulator, profile: ProviderProfile, backend: OpenAIBackend
) -> None:
    """The same through the backend the window uses (here and in its request process)."""

    async def go() -> AssistantTurn:
        acc = TurnAccumulator()
        async for event in backend.run(_ws("chat", "flex"), profile, "sk-test"):
            acc.apply(event)
        await backend.aclose()
        return acc.turn()

    simulator.short_of_flex(FlexShortage(requests=profile.max_retries + 1))
    failed = run(go())
    assert failed.failure is not None
    assert failed.failure.kind is FailureKind.FLEX_UNAVAILABLE
    answered = run(go())
    assert answered.failure is None and answered.usage is not None
    assert answered.usage.service_tier == "flex"
    assert _read_timeout(simulator) == FLEX_TIMEOUT_S


@settings(max_examples=80)
@given(
    api=st.sampled_from(["chat", "responses"]),
    tier=st.one_of(
        st.sampled_from(["auto", "default", "flex", "scale", "priority", "fast", "ultrafast"]),
        st.text(max_size=12),
    ),
)
def test_the_simulator_takes_exactly_the_tiers_the_spec_lists(api: str, tier: str) -> None:
    from playground.core.service_tiers import tiers_for
    from playground.services.simulator import checks
    from playground.services.simulator.protocol import SimError

    body: dict[str, object] = {"model": MODEL, "service_tier": tier, "stream": False}
    if api == "chat":
        body["messages"] = [{"role": "user", "content": "hi"}]
        check = checks.check_chat
    else:
        body["input"] = "hi"
        check = checks.check_responses
    try:
        check(body, lambda _m: True)
        refused = None
    except SimError as err:
        refused = err
    if tier in tiers_for(api):
        assert refused is None
    else:
        assert refused is not None and refused.status == 400
        assert (refused.param, refused.code) == ("service_tier", "invalid_value")
