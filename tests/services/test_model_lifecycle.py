"""The user's catalog override, the server's model list with shutdown dates, the permissive
simulator profile: over real HTTP with the real client."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from playground.core import catalog, request
from playground.core.lifecycle import ServerModel
from playground.core.profiles import ProviderProfile
from playground.core.reducer import TurnAccumulator
from playground.core.workspace import Message, Parameters, Workspace
from playground.services.backend import SIMULATOR_KEY, OpenAIBackend
from playground.services.connection import Connections, simulator_url
from playground.services.keystore import KeyStore
from playground.services.settings import Settings, open_settings, save_settings
from playground.services.simulator import Simulator
from playground.services.user_catalog import load_user_catalog
from tests.conftest import run
from tests.services.test_keystore import MemoryKeyring

LIFE = {"announced": "2026-04-22", "shutdown": "2026-10-23", "replacement": "gpt-6-luna"}
ACME = {  # a model the shipped catalog does not know, added by the user
    "id": "acme-reasoner-1",
    "family": "Acme",
    "reasoning": True,
    "efforts": ["low", "high"],
    "default_effort": "low",
    "params": [],
    "apis": ["responses", "chat"],
    "context_window": 64000,
    "max_output": 8000,
    "prices": [
        {
            "since": "2026-11-01",
            "input": 1.0,
            "cached_input": None,
            "cache_write": None,
            "output": 2.0,
        }
    ],
    "lifecycle": {**LIFE, "replacement_note": None},
}


@pytest.fixture
def override_file(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "models.json"
    catalog.load_override(None)


async def _run(backend: OpenAIBackend, ws: Workspace, profile: ProviderProfile) -> TurnAccumulator:
    acc = TurnAccumulator()
    try:
        async for event in backend.run(ws, profile, SIMULATOR_KEY):
            acc.apply(event)
    finally:
        await backend.aclose()
    return acc


def test_an_override_adds_a_model_that_runs_on_the_simulator(
    simulator: Simulator, profile: ProviderProfile, backend: OpenAIBackend, override_file: Path
) -> None:
    ws = Workspace(
        model="acme-reasoner-1",
        messages=[Message(role="user", content="Explain SSE in one line")],
    )
    before = run(_run(backend, ws, profile)).turn()
    assert before.failure is not None and before.failure.status == 404  # unknown: as the API
    override_file.write_text(json.dumps({"models": [ACME]}, indent=2))
    assert load_user_catalog(override_file) is None
    assert catalog.lookup("acme-reasoner-1").known
    for api in ("responses", "chat"):
        turn = run(_run(type(backend)(strict=True), ws.model_copy(update={"api": api}), profile))
        assert turn.turn().failure is None, api
        assert "Explain SSE" in turn.turn().text


def test_a_broken_override_is_named_at_line_and_column(override_file: Path) -> None:
    override_file.write_text('{\n  "models": [\n    {"id": "x", "efforts": ["low",]}\n  ]\n}\n')
    problem = load_user_catalog(override_file)
    assert problem is not None
    assert f"{override_file}:3:" in problem  # line 3, and a column
    assert "JSON syntax error" in problem
    assert "the shipped catalog is" in problem
    assert not catalog.lookup("x").known  # nothing of it was used


def test_the_model_list_carries_shutdown_dates(
    simulator: Simulator, profile: ProviderProfile, backend: OpenAIBackend, override_file: Path
) -> None:
    override_file.write_text(
        json.dumps({"models": [{"id": "gpt-4o", "lifecycle": {**LIFE, "replacement_note": None}}]})
    )
    catalog.load_override(override_file)

    async def go() -> list[ServerModel]:
        try:
            return await backend.list_models(profile, SIMULATOR_KEY)
        finally:
            await backend.aclose()

    listed = {m.id: m for m in run(go())}
    assert listed["gpt-4o"].shutdown_date == "2026-10-23"
    assert listed["my-local-model"] == ServerModel("my-local-model", None)  # not in the catalog
    active = [m for m in catalog.models() if m.lifecycle.shutdown is None]
    assert active and all(listed[m.id].shutdown_date is None for m in active)


def test_a_permissive_simulator_profile_round_trips_and_sends_to_the_permissive_prefix(
    simulator: Simulator, tmp_path: Path
) -> None:
    sim = ProviderProfile(name="Offline simulator", kind="simulator", permissive=True)
    path = tmp_path / "settings.json"
    save_settings(path, Settings(profiles=[sim, ProviderProfile(name="OpenAI", kind="openai")]))
    again = open_settings(path).settings.profile("Offline simulator")
    assert again is not None and again.permissive
    assert json.loads(path.read_text())["profiles"][0]["permissive"] is True

    async def go() -> tuple[str | None, str | None]:
        connections = Connections(KeyStore(MemoryKeyring()), {}, None, simulator)
        strict = await connections.resolve(sim.model_copy(update={"permissive": False}))
        loose = await connections.resolve(again)
        return strict[0].base_url, loose[0].base_url

    strict_url, loose_url = run(go())
    assert strict_url == simulator.base_url
    assert loose_url == simulator.base_url.removesuffix("/v1") + "/permissive/v1"
    assert simulator_url(again, "http://127.0.0.1:9/v1") == "http://127.0.0.1:9/permissive/v1"


def test_an_override_that_names_rules_replaces_them_all(override_file: Path) -> None:
    """An entry's keys replace the shipped ones: rules too, the template's included, so a
    server that takes temperature at any effort can be described."""
    assert catalog.lookup("gpt-6-luna").rules
    override_file.write_text(json.dumps({"models": [{"id": "gpt-6-luna", "rules": []}]}))
    assert load_user_catalog(override_file) is None
    assert catalog.lookup("gpt-6-luna").rules == ()
    ws = Workspace(
        model="gpt-6-luna",
        messages=[Message(role="user", content="hi")],
        params=Parameters(reasoning_effort="high", temperature=0.2),
    )
    assert request.build(ws).body["temperature"] == 0.2


def test_an_override_whose_default_effort_is_not_an_effort_is_refused(
    override_file: Path,
) -> None:
    override_file.write_text(
        json.dumps(
            {"models": [{"id": "gpt-6-luna", "efforts": ["none", "low"], "default_effort": "high"}]}
        )
    )
    problem = load_user_catalog(override_file)
    assert problem is not None and "default_effort 'high' is not one of its efforts" in problem
    assert catalog.lookup("gpt-6-luna").default_effort == "medium"  # the shipped one


def test_an_empty_override_file_is_no_override(override_file: Path) -> None:
    override_file.write_text("\n")
    assert load_user_catalog(override_file) is None
    assert catalog.lookup("gpt-6-luna").known


def test_the_readme_override_example_works(override_file: Path) -> None:
    """The README's models.json example is a valid override that adds a model taking the
    sampling parameters it names."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    section = readme[readme.index("**Your own models: `models.json`.**") :]
    start = section.index("```json") + len("```json")
    block = section[start : section.index("```", start)]
    override_file.write_text(block)
    assert load_user_catalog(override_file) is None
    info = catalog.lookup("acme-reasoner-1")
    assert info.known and info.accepts("temperature") and info.efforts == ("low", "high")
