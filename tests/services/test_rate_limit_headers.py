"""How long a rate-limited server asked to wait (services/failures.py `retry_after`, carried as
Failure.retry_after_s): retry-after-ms, retry-after, or the reset of an exhausted
x-ratelimit-* limit; never a crash or a negative wait, whatever the headers say."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from playground.core.errors import FailureKind
from playground.core.profiles import ProviderProfile
from playground.core.workspace import Message, Workspace
from playground.services.backend import Backend
from playground.services.failures import retry_after
from playground.services.runs import Run, execute, fixed_key
from playground.services.simulator import RateLimit, Simulator
from tests.conftest import run

NAMES = [
    "retry-after",
    "retry-after-ms",
    "x-ratelimit-remaining-requests",
    "x-ratelimit-reset-requests",
    "x-ratelimit-remaining-tokens",
    "x-ratelimit-reset-tokens",
]


@given(st.dictionaries(st.sampled_from(NAMES), st.text(max_size=12)))
def test_any_headers_give_no_wait_or_a_sane_one(headers: dict[str, str]) -> None:
    wait = retry_after(headers)
    assert wait is None or 0 <= wait <= 3600 * 24


@pytest.mark.parametrize(
    ("headers", "wait"),
    [
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after": "2"}, 2.0),
        ({"retry-after-ms": "x", "retry-after": "3"}, 3.0),
        (
            {"x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "6m0s"},
            360.0,
        ),
        (
            {
                "x-ratelimit-remaining-requests": "0",
                "x-ratelimit-reset-requests": "20ms",
                "x-ratelimit-remaining-tokens": "0",
                "x-ratelimit-reset-tokens": "1.5s",
            },
            1.5,
        ),
        ({"x-ratelimit-remaining-requests": "4", "x-ratelimit-reset-requests": "1s"}, None),
        ({"x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "soon"}, None),
        ({}, None),
    ],
)
def test_the_wait_the_server_named(headers: dict[str, str], wait: float | None) -> None:
    assert retry_after(headers) == wait


def test_a_rate_limited_run_carries_the_servers_wait(
    simulator: Simulator, profile: ProviderProfile, backend: Backend
) -> None:
    """In this process and through the app's request process alike."""
    simulator.rate_limit = RateLimit(requests=0, window_s=2.0)
    r = Run(
        Workspace(api="chat", model="gpt-4o-mini", messages=[Message(role="user", content="Hi")]),
        profile.model_copy(update={"max_retries": 0}),
        owner="t",
    )

    async def go() -> None:
        try:
            await execute(r, backend, fixed_key("sk-test"))
        finally:
            await backend.aclose()

    run(go())
    assert r.turn is not None and r.turn.failure is not None
    failure = r.turn.failure
    assert failure.kind is FailureKind.RATE_LIMIT and failure.status == 429
    assert failure.retry_after_s is not None and 0 < failure.retry_after_s <= 2.0
