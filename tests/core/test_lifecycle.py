"""Model lifecycle: what the app says about a deprecated or shut-down model, server badges,
the current default model."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from playground.core import catalog
from playground.core.lifecycle import (
    ServerModel,
    describe_status,
    is_openai_endpoint,
    lifecycle_finding,
    profile_is_openai,
    replacement,
    server_badges,
)
from playground.core.profiles import ProviderProfile
from playground.core.workspace import DEFAULT_MODEL, Workspace

TODAY = date(2026, 11, 30)
Override = Callable[[list[dict[str, Any]]], Path]


@pytest.fixture
def override(tmp_path: Path) -> Iterator[Override]:
    """Merge catalog entries through a user override file (as a user would); the shipped
    catalog alone again afterwards."""

    def load(entries: list[dict[str, Any]]) -> Path:
        path = tmp_path / "models.json"
        path.write_text(json.dumps({"models": entries}, indent=1))
        catalog.load_override(path)
        return path

    yield load
    catalog.load_override(None)


def life(shutdown: str | None, replacement: str | None = None, note: str | None = None) -> dict:
    """A lifecycle as a catalog file writes it (every key present)."""
    return {
        "announced": None,
        "shutdown": shutdown,
        "replacement": replacement,
        "replacement_note": note,
    }


GUIDE_LIFECYCLES = [
    {"id": m, "lifecycle": life("2026-10-23", r)}
    for m, r in (
        ("o1", "gpt-5.6-sol"),
        ("o3-mini", "gpt-5.6-sol"),
        ("o1-pro", "gpt-5.6-sol"),
        ("o4-mini", "gpt-5.6-terra"),
    )
] + [
    {"id": "o3", "lifecycle": life("2026-12-11", "gpt-5.6-sol")},
    *(
        {"id": m, "lifecycle": life("2027-01-14", "gpt-6-luna")}
        for m in ("gpt-4o", "gpt-4o-mini", "gpt-4.1")
    ),
]


def test_a_shut_down_model_blocks_on_openai_and_warns_elsewhere(override: Override) -> None:
    override(GUIDE_LIFECYCLES)
    info = catalog.lookup("o1")
    on_openai = lifecycle_finding(info, TODAY, openai_endpoint=True)
    assert on_openai is not None
    assert (on_openai.path, on_openai.severity) == ("model", "error")
    assert on_openai.message == "o1 was shut down on 2026-10-23; suggested replacement: gpt-5.6-sol"
    elsewhere = lifecycle_finding(info, TODAY, openai_endpoint=False)
    assert elsewhere is not None
    assert elsewhere.severity == "warning"
    assert elsewhere.message == (
        "o1 was shut down on 2026-10-23; suggested replacement: gpt-5.6-sol; "
        "other servers may still serve this id"
    )
    assert replacement(info, TODAY) == "gpt-5.6-sol"
    # a snapshot of a shut-down model is named as it was written
    dated = lifecycle_finding(catalog.lookup("o1-2024-12-17"), TODAY, openai_endpoint=True)
    assert dated is not None and dated.message.startswith("o1-2024-12-17 was shut down on")


def test_a_deprecated_model_warns_with_its_date_and_replacement(override: Override) -> None:
    override(GUIDE_LIFECYCLES)
    for openai in (True, False):
        found = lifecycle_finding(catalog.lookup("o3"), TODAY, openai_endpoint=openai)
        assert found is not None
        assert found.severity == "warning"
        assert found.message == "o3 shuts down on 2026-12-11; suggested replacement: gpt-5.6-sol"
    # the day it comes, it is shut down
    gone = lifecycle_finding(catalog.lookup("o3"), date(2026, 12, 11), openai_endpoint=True)
    assert gone is not None and gone.severity == "error"


def test_a_replacement_note_is_said(override: Override) -> None:
    override(
        [
            {
                "id": "o1-pro",
                "lifecycle": life("2026-10-23", "gpt-5.6-sol", 'with reasoning.mode "pro"'),
            }
        ]
    )
    found = lifecycle_finding(catalog.lookup("o1-pro"), TODAY, openai_endpoint=True)
    assert found is not None
    assert found.message == (
        "o1-pro was shut down on 2026-10-23; suggested replacement: gpt-5.6-sol (with "
        'reasoning.mode "pro")'
    )


def test_active_and_unknown_models_have_nothing_to_say(override: Override) -> None:
    override([{"id": "gpt-6-luna", "lifecycle": life(None)}])
    assert lifecycle_finding(catalog.lookup("gpt-6-luna"), TODAY, openai_endpoint=True) is None
    assert lifecycle_finding(catalog.lookup("my-own-model"), TODAY, openai_endpoint=True) is None
    assert replacement(catalog.lookup("gpt-6-luna"), TODAY) is None


def test_the_catalog_listing_words(override: Override) -> None:
    override(GUIDE_LIFECYCLES)
    assert describe_status(catalog.lookup("o1"), TODAY) == "shut down 2026-10-23 -> gpt-5.6-sol"
    assert describe_status(catalog.lookup("gpt-4o-mini"), TODAY) == (
        "deprecated, shuts down 2027-01-14 -> gpt-6-luna"
    )


def test_openai_endpoint_is_api_openai_com_only() -> None:
    assert is_openai_endpoint(None)
    assert is_openai_endpoint("https://api.openai.com/v1")
    assert not is_openai_endpoint("http://localhost:8000/v1")
    assert not is_openai_endpoint("https://my-resource.openai.azure.com/openai/v1")
    assert not is_openai_endpoint("https://api.openai.com.evil.example/v1")
    assert profile_is_openai(ProviderProfile(name="OpenAI", kind="openai"))
    assert not profile_is_openai(ProviderProfile(name="Offline simulator", kind="simulator"))
    assert profile_is_openai(ProviderProfile(name="mine", base_url="https://api.openai.com/v1"))


def test_server_badges() -> None:
    assert server_badges(ServerModel("brand-new"), known=False, today=TODAY) == ("new",)
    assert server_badges(ServerModel("gpt-4o", "2027-01-14"), True, TODAY) == (
        "shuts down on 2027-01-14",
    )
    assert server_badges(ServerModel("o1", "2026-10-23"), True, TODAY) == (
        "shut down on 2026-10-23",
    )
    assert server_badges(ServerModel("x", "2026-12-01"), False, TODAY) == (
        "new",
        "shuts down on 2026-12-01",
    )
    assert server_badges(ServerModel("gpt-4o", "soon"), True, TODAY) == ()


def test_the_default_model_is_current_and_inexpensive() -> None:
    assert Workspace().model == DEFAULT_MODEL == "gpt-6-luna"
    info = catalog.lookup(DEFAULT_MODEL)
    assert info.known and info.status(TODAY) == "active"
    price = info.price_on(TODAY)
    assert price is not None and (price.input, price.output) == (0.10, 0.50)


days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


@given(
    shutdown=st.one_of(st.none(), days),
    today=days,
    openai=st.booleans(),
    repl=st.one_of(st.none(), st.sampled_from(["gpt-6-luna", "gpt-5.6-sol"])),
)
def test_every_lifecycle_says_what_happens(
    shutdown: date | None, today: date, openai: bool, repl: str | None
) -> None:
    life = catalog.Lifecycle(shutdown=shutdown.isoformat() if shutdown else None, replacement=repl)
    info = catalog.ModelInfo(id="m", entry_id="m", family="f", lifecycle=life)
    found = lifecycle_finding(info, today, openai)
    if shutdown is None:
        assert found is None
        return
    assert found is not None and found.path == "model"
    assert shutdown.isoformat() in found.message
    gone = shutdown <= today
    assert found.severity == ("error" if gone and openai else "warning")
    assert ("was shut down" if gone else "shuts down") in found.message
    assert ("other servers may still serve this id" in found.message) == (gone and not openai)
    assert (f"suggested replacement: {repl}" in found.message) == bool(repl)
    assert replacement(info, today) == repl


@given(
    known=st.booleans(),
    shutdown=st.one_of(st.none(), days),
    today=days,
)
def test_every_server_model_gets_its_badges(
    known: bool, shutdown: date | None, today: date
) -> None:
    model = ServerModel("m", shutdown.isoformat() if shutdown else None)
    badges = server_badges(model, known, today)
    assert ("new" in badges) == (not known)
    dated = [b for b in badges if b != "new"]
    if shutdown is None:
        assert dated == []
    else:
        verb = "shut down on" if shutdown <= today else "shuts down on"
        assert dated == [f"{verb} {shutdown.isoformat()}"]


def test_a_date_a_day_after_today_is_still_ahead() -> None:
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    assert server_badges(ServerModel("m", tomorrow), True, TODAY) == (f"shuts down on {tomorrow}",)
