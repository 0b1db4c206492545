"""The app's simulator remembers across restarts: a simulator with a state folder is
stopped, a new one on the same folder goes on with the chain, the Conversation, the
uploaded file, the finished background response and the earlier reasoning items (by id and
by encrypted content); a damaged state file is set aside and the simulator starts empty."""

from __future__ import annotations

import asyncio
import io
import stat
from pathlib import Path
from typing import Any

import openai

from playground.services.simulator import Simulator
from playground.services.simulator.saved_state import FILE_NAME, KEPT_SECONDS, SavedState
from tests.conftest import run
from tests.services.sim_client import WEATHER_TOOL, strict_client

KEY = "sk-never-on-disk-4711"
TOOL = WEATHER_TOOL
ASK = {"type": "message", "role": "user", "content": "What is the weather in Paris?"}


def _client(sim: Simulator) -> openai.AsyncOpenAI:
    c = strict_client(sim)
    return c.with_options(api_key=KEY)


def _dumped(response: Any) -> list[dict[str, Any]]:
    return [i.model_dump(exclude_none=True) for i in response.output]


def _answer(items: list[dict[str, Any]]) -> dict[str, Any]:
    call = next(i for i in items if i["type"] == "function_call")
    return {"type": "function_call_output", "call_id": call["call_id"], "output": '{"c": 18}'}


async def _before(c: openai.AsyncOpenAI) -> dict[str, Any]:
    """What a user made before the restart."""
    chain = await c.responses.create(model="gpt-6-luna", input=[ASK], tools=[TOOL])  # type: ignore[list-item]
    sealed = await c.responses.create(
        model="gpt-6-luna",
        input=[ASK],  # type: ignore[list-item]
        tools=[TOOL],  # type: ignore[list-item]
        store=False,
        include=["reasoning.encrypted_content"],
    )
    conv = await c.conversations.create(items=[{"role": "user", "content": "My name is Ada."}])
    await c.responses.create(model="gpt-4o-mini", input="Remember it.", conversation=conv.id)
    upload = await c.files.create(file=("notes.txt", io.BytesIO(b"kept text")), purpose="user_data")
    job = await c.responses.create(model="gpt-4o-mini", input="A short story", background=True)
    while (await c.responses.retrieve(job.id)).status not in ("completed", "failed"):
        await asyncio.sleep(0.02)
    return {
        "chain": chain,
        "sealed": _dumped(sealed),
        "conv": conv.id,
        "file": upload.id,
        "job": job.id,
    }


async def _after(c: openai.AsyncOpenAI, before: dict[str, Any]) -> None:
    chain = before["chain"]
    items = _dumped(chain)
    goes_on = await c.responses.create(
        model="gpt-6-luna",
        previous_response_id=chain.id,
        input=[_answer(items)],  # type: ignore[list-item]
        tools=[TOOL],  # type: ignore[list-item]
    )
    assert goes_on.status == "completed" and goes_on.previous_response_id == chain.id
    assert goes_on.id != chain.id
    # the reasoning item by id (store on: the server holds it) ...
    again = await c.responses.create(
        model="gpt-6-luna",
        input=[ASK, *items, _answer(items)],  # type: ignore[list-item]
        tools=[TOOL],  # type: ignore[list-item]
    )
    assert again.status == "completed"
    # ... and by the encrypted content an earlier simulator sealed (store off)
    sealed = before["sealed"]
    assert any(i["type"] == "reasoning" and i.get("encrypted_content") for i in sealed)
    carried = await c.responses.create(
        model="gpt-6-luna",
        input=[ASK, *sealed, _answer(sealed)],  # type: ignore[list-item]
        tools=[TOOL],  # type: ignore[list-item]
        store=False,
        include=["reasoning.encrypted_content"],
    )
    assert "(reasoning carried over)" in carried.output_text
    conv_items = await c.conversations.items.list(before["conv"])
    assert len(conv_items.data) == 3  # the first message, the input and the answer
    more = await c.responses.create(
        model="gpt-4o-mini", input="What is my name?", conversation=before["conv"]
    )
    assert more.status == "completed"
    assert len((await c.conversations.items.list(before["conv"])).data) == 5
    content = await c.files.content(before["file"])
    assert content.read() == b"kept text"
    job = await c.responses.retrieve(before["job"])
    assert job.status == "completed" and job.output_text
    stream = await c.responses.retrieve(before["job"], stream=True, starting_after=-1)
    kinds = [event.type async for event in stream]
    assert kinds[0] == "response.created" and kinds[-1] == "response.completed"


def test_a_restarted_simulator_goes_on_where_the_last_one_stopped(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "simulator"

    async def go() -> None:
        with Simulator(speed=None, api_key=KEY, state_dir=folder) as first:
            async with _client(first) as c:
                before = await _before(c)
        with Simulator(speed=None, api_key=KEY, state_dir=folder) as second:
            async with _client(second) as c:
                await _after(c, before)

    run(go())
    path = folder / FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for file in folder.iterdir():
        assert KEY.encode() not in file.read_bytes(), file  # keys never reach the state
        assert stat.S_IMODE(file.stat().st_mode) & 0o077 == 0, file


def test_a_simulator_without_a_folder_keeps_nothing(tmp_path: Path) -> None:
    async def go() -> None:
        with Simulator(speed=None) as first:
            async with strict_client(first) as c:
                made = await c.responses.create(model="gpt-4o-mini", input="Hi")
        with Simulator(speed=None) as second:
            async with strict_client(second) as c:
                try:
                    await c.responses.retrieve(made.id)
                except openai.NotFoundError:
                    return
                raise AssertionError("a simulator without a folder remembered a response")

    run(go())
    assert list(tmp_path.iterdir()) == []


def test_a_damaged_state_file_is_set_aside_and_the_simulator_starts_empty(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "simulator"
    folder.mkdir()
    damaged = b"this is not a database, it was cut in half" * 100
    (folder / FILE_NAME).write_bytes(damaged)

    async def go() -> None:
        with Simulator(speed=None, state_dir=folder) as sim:
            async with strict_client(sim) as c:
                made = await c.responses.create(model="gpt-4o-mini", input="Hi")
                assert made.status == "completed"
                assert (await c.responses.retrieve(made.id)).id == made.id

    run(go())
    assert (folder / (FILE_NAME + ".damaged")).read_bytes() == damaged  # kept, not overwritten
    assert (folder / FILE_NAME).read_bytes() != damaged


def test_entries_older_than_thirty_days_are_dropped(tmp_path: Path) -> None:
    now = [1_800_000_000.0]
    saved = SavedState(tmp_path, clock=lambda: now[0])
    first = saved.load()
    saved.put("response", "resp_old", {"context": [], "response": {}, "inputs": 0})
    now[0] += KEPT_SECONDS - 60
    saved.put("response", "resp_new", {"context": [], "response": {}, "inputs": 0})
    saved.close()
    now[0] += 120
    again = SavedState(tmp_path, clock=lambda: now[0])
    loaded = again.load()
    again.close()
    assert list(loaded.entries["response"]) == ["resp_new"]
    assert loaded.key == first.key  # the seal key stays


def test_the_apps_connections_restart_their_simulator_with_its_state(tmp_path: Path) -> None:
    """The app (ui/app.py) gives Connections <data dir>/simulator: a chain started before a
    restart of the app goes on after it."""
    from playground.core.profiles import ProviderProfile
    from playground.services.connection import Connections
    from playground.services.keystore import KeyStore
    from tests.services.test_keystore import MemoryKeyring

    profile = ProviderProfile(name="Offline simulator", kind="simulator")
    folder = tmp_path / "data" / "simulator"

    async def turn(previous: str | None) -> str:
        conns = Connections(KeyStore(MemoryKeyring()), {}, None, simulator_state=folder)
        try:
            ready, _key = await conns.resolve(profile)
            async with openai.AsyncOpenAI(
                base_url=ready.base_url,
                api_key="x",
                max_retries=0,
                _strict_response_validation=True,
            ) as c:
                made = await c.responses.create(
                    model="gpt-4o-mini", input="Hi", previous_response_id=previous
                )
                return made.id
        finally:
            conns.close()

    first = run(turn(None))
    assert run(turn(first)).startswith("resp_")  # no previous_response_not_found
    assert (folder / FILE_NAME).exists()


def test_an_mcp_secret_header_is_neither_echoed_nor_kept(tmp_path: Path) -> None:
    """The API does not keep an MCP tool's headers (they go with every request): the response
    does not give them back, so they never reach the simulator's saved state."""
    token = "Bearer sim-mcp-token"  # the `secure` server's expected header
    sim = Simulator(speed=None, state_dir=tmp_path / "state").start()

    async def go() -> None:
        async with strict_client(sim) as c:
            r = await c.responses.create(
                model="gpt-4o-mini",
                input="Use get_report",
                tools=[
                    {
                        "type": "mcp",
                        "server_label": "secure",
                        "server_url": "https://mcp.example.com/secure",
                        "headers": {"Authorization": token},
                        "require_approval": "never",
                    }
                ],
            )
            assert [i.type for i in r.output][:2] == ["mcp_list_tools", "mcp_call"]
            assert r.output[1].error is None  # the header did reach the server
            assert r.tools[0].headers is None  # type: ignore[union-attr]

    try:
        run(go())
    finally:
        sim.stop()
    for path in (tmp_path / "state").rglob("*"):
        if path.is_file():
            assert b"sim-mcp-token" not in path.read_bytes(), path
