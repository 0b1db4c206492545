"""The simulator's response store and conversations, read by the strict SDK."""

from __future__ import annotations

import openai
import pytest

from playground.services.simulator import Simulator
from tests.conftest import run
from tests.services.sim_client import strict_client


def test_input_items_list_the_chain_in_pages(simulator: Simulator) -> None:
    async def go() -> None:
        async with strict_client(simulator) as c:
            first = await c.responses.create(model="gpt-4o-mini", input="Name a river")
            second = await c.responses.create(
                model="gpt-4o-mini", input="And a lake?", previous_response_id=first.id
            )
            newest = [i async for i in c.responses.input_items.list(second.id)]
            assert [i.type for i in newest] == ["message", "message", "message"]
            assert newest[0].content[0].text == "And a lake?"  # type: ignore[union-attr]
            page = await c.responses.input_items.list(second.id, limit=1, order="asc")
            assert [i.content[0].text for i in page.data] == ["Name a river"]  # type: ignore[union-attr]
            assert page.has_more is True
            after = await c.responses.input_items.list(
                second.id, limit=5, order="asc", after=page.data[0].id
            )
            assert after.data[0].role == "assistant"  # type: ignore[union-attr]
            assert after.has_more is False

    run(go())


def test_a_response_not_stored_cannot_be_retrieved(simulator: Simulator) -> None:
    async def go() -> None:
        async with strict_client(simulator) as c:
            kept = await c.responses.create(model="gpt-4o-mini", input="Hi")
            gone = await c.responses.create(model="gpt-4o-mini", input="Hi", store=False)
            assert (await c.responses.retrieve(kept.id)).output_text == kept.output_text
            with pytest.raises(openai.NotFoundError) as info:
                await c.responses.retrieve(gone.id)
            assert gone.id in str(info.value.message)
            with pytest.raises(openai.BadRequestError) as bad:
                await c.responses.create(
                    model="gpt-4o-mini", input="Again", previous_response_id=gone.id
                )
            assert bad.value.code == "previous_response_not_found"

    run(go())


def test_a_conversation_keeps_the_turns_of_its_runs(simulator: Simulator) -> None:
    async def go() -> None:
        async with strict_client(simulator) as c:
            conv = await c.conversations.create(
                metadata={"topic": "rivers"},
                items=[{"type": "message", "role": "user", "content": "I like rivers."}],
            )
            assert conv.metadata == {"topic": "rivers"}
            one = await c.responses.create(
                model="gpt-4o-mini", input="Name a river", conversation=conv.id
            )
            assert one.conversation is not None and one.conversation.id == conv.id
            two = await c.responses.create(
                model="gpt-4o-mini", input="And a lake?", conversation={"id": conv.id}
            )
            listed = [i async for i in c.conversations.items.list(conv.id, order="asc")]
            roles = [(i.type, getattr(i, "role", None)) for i in listed]
            assert (
                roles
                == [("message", "user")]
                + [
                    ("message", "user"),
                    ("message", "assistant"),
                ]
                * 2
            )
            texts = [i.content[0].text for i in listed]  # type: ignore[union-attr]
            assert texts[0] == "I like rivers." and texts[3] == "And a lake?"
            assert texts[2] == one.output_text and texts[4] == two.output_text
            # the second run read the conversation before its own input
            seen = [i async for i in c.responses.input_items.list(two.id, order="asc")]
            assert [i.id for i in seen] == [i.id for i in listed[:4]]

            added = await c.conversations.items.create(
                conv.id, items=[{"type": "message", "role": "user", "content": "Noted."}]
            )
            got = await c.conversations.items.retrieve(added.data[0].id, conversation_id=conv.id)
            assert got.content[0].text == "Noted."  # type: ignore[union-attr]
            await c.conversations.items.delete(added.data[0].id, conversation_id=conv.id)
            count = len([i async for i in c.conversations.items.list(conv.id)])
            assert count == 5

            updated = await c.conversations.update(conv.id, metadata={"topic": "lakes"})
            assert updated.metadata == {"topic": "lakes"}
            deleted = await c.conversations.delete(conv.id)
            assert deleted.deleted is True
            with pytest.raises(openai.NotFoundError):
                await c.conversations.retrieve(conv.id)
            with pytest.raises(openai.NotFoundError) as info:
                await c.responses.create(model="gpt-4o-mini", input="Hi", conversation=conv.id)
            assert info.value.param == "conversation"  # type: ignore[attr-defined]

    run(go())


def test_conversation_and_previous_response_id_exclude_each_other(simulator: Simulator) -> None:
    async def go() -> None:
        async with strict_client(simulator) as c:
            conv = await c.conversations.create()
            first = await c.responses.create(model="gpt-4o-mini", input="Hi")
            with pytest.raises(openai.BadRequestError) as info:
                await c.responses.create(
                    model="gpt-4o-mini",
                    input="Again",
                    conversation=conv.id,
                    previous_response_id=first.id,
                )
            assert info.value.code == "mutually_exclusive_parameters"
            assert info.value.param == "conversation"

    run(go())
