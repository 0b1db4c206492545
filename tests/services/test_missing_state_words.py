"""A "not found" names what the server no longer holds (a reasoning item, the previous
response of a chain, a Conversation, a file, a response) and what to do, over the simulator
with the real SDK; only a 404 about the model or the URL says "does not know the model"."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import openai
import pytest
from hypothesis import given
from hypothesis import strategies as st

from playground.core.errors import Failure, FailureKind
from playground.core.missing_state import Missing, MissingKind, missing_from_error
from playground.services.failures import failure_from_exception, failure_from_status
from playground.services.simulator import Simulator
from tests.conftest import run
from tests.services.sim_client import strict_client

Call = Callable[[openai.AsyncOpenAI], Awaitable[Any]]
ASK = {"role": "user", "content": "What is the weather in Paris?"}


def _failure(sim: Simulator, call: Call, model: str = "gpt-6-luna") -> Failure:
    async def go() -> Failure:
        async with strict_client(sim) as c:
            with pytest.raises(openai.APIStatusError) as info:
                await call(c)
        return failure_from_exception(info.value, model=model)

    return run(go())


CASES: list[tuple[str, Call, str, str]] = [
    (
        "reasoning item",
        lambda c: c.responses.create(
            model="gpt-6-luna",
            input=[ASK, {"type": "reasoning", "id": "rs_gone1", "summary": []}],  # type: ignore[list-item]
        ),
        "the reasoning item rs_gone1",
        "without that reasoning item",
    ),
    (
        "previous response",
        lambda c: c.responses.create(
            model="gpt-6-luna", input="And in Rome?", previous_response_id="resp_gone2"
        ),
        "the previous response resp_gone2",
        "Send everything",
    ),
    (
        "conversation",
        lambda c: c.responses.create(
            model="gpt-6-luna", input="And in Rome?", conversation="conv_gone3"
        ),
        "the conversation conv_gone3",
        "Create a new Conversation",
    ),
    (
        "file",
        lambda c: c.responses.create(
            model="gpt-6-luna",
            input=[
                {
                    "role": "user",
                    "content": [{"type": "input_file", "file_id": "file-gone4"}],
                }
            ],
        ),
        "the file file-gone4",
        "Attach the file again",
    ),
    ("response", lambda c: c.responses.retrieve("resp_gone5"), "the response resp_gone5", ""),
]


@pytest.mark.parametrize(("what", "call", "named", "todo"), CASES, ids=[c[0] for c in CASES])
def test_what_is_missing_is_named_with_what_to_do(
    simulator: Simulator, what: str, call: Call, named: str, todo: str
) -> None:
    failure = _failure(simulator, call)
    shown = failure.describe()
    assert f"The server no longer holds {named}" in failure.message, shown
    assert todo in failure.hint
    assert "does not know the model" not in shown
    assert "Check the model id" not in shown
    assert "30 days" in failure.message  # how long a server keeps it
    assert failure.detail and named.split()[-1] in failure.detail  # the server's words


def test_an_unknown_model_keeps_its_words(simulator: Simulator) -> None:
    failure = _failure(
        simulator, lambda c: c.responses.create(model="gpt-9-nope", input="Hi"), "gpt-9-nope"
    )
    assert failure.kind is FailureKind.NOT_FOUND
    assert "does not know the model gpt-9-nope" in failure.message
    assert failure.hint == "Check the model id and the base URL."


def test_an_unknown_address_keeps_its_words(simulator: Simulator) -> None:
    async def call(c: openai.AsyncOpenAI) -> Any:
        return await c.get("/no/such/place", cast_to=object)

    failure = _failure(simulator, call)
    assert "does not know the model gpt-6-luna or the address" in failure.message
    assert failure.hint == "Check the model id and the base URL."


def test_a_batch_line_names_the_missing_previous_response() -> None:
    failure = failure_from_status(
        400,
        "previous_response_not_found",
        "Previous response with id 'resp_x7' not found.",
        "previous_response_id",
    )
    assert failure.message.startswith("The server no longer holds the previous response resp_x7")
    assert "Send everything" in failure.hint


_PREFIXES = {
    "rs": MissingKind.REASONING_ITEM,
    "resp": MissingKind.RESPONSE,
    "conv": MissingKind.CONVERSATION,
    "msg": MissingKind.ITEM,
    "fc": MissingKind.ITEM,
}
_tails = st.text("abcdef0123456789ABCXYZ", min_size=1, max_size=30)


@given(
    prefix=st.sampled_from(sorted(_PREFIXES)),
    tail=_tails,
    status=st.sampled_from([400, 404]),
    form=st.sampled_from(["Item with id '{}' not found.", "Response with id '{}' not found."]),
)
def test_the_id_says_what_is_missing(prefix: str, tail: str, status: int, form: str) -> None:
    ident = f"{prefix}_{tail}"
    found = missing_from_error(status, None, "input", form.format(ident))
    assert found == Missing(_PREFIXES[prefix], ident)


@given(tail=_tails, param=st.sampled_from(["id", "file_id", None]))
def test_a_file_id_is_a_file(tail: str, param: str | None) -> None:
    found = missing_from_error(404, None, param, f"No such File object: file-{tail}")
    assert found == Missing(MissingKind.FILE, f"file-{tail}")


@given(
    message=st.sampled_from(
        [
            "The model `gpt-9` does not exist or you do not have access to it.",
            "Invalid URL (POST /v1/responses/resp_abc/oops)",
            "Item with id 'rs_abc' not found.",
        ]
    ),
    code=st.sampled_from(["model_not_found", None]),
    status=st.sampled_from([401, 403, 404, 429, 500]),
)
def test_the_model_or_the_url_is_not_a_missing_item(
    message: str, code: str | None, status: int
) -> None:
    found = missing_from_error(status, code, None, message)
    if status == 404 and code is None and message.startswith("Item"):
        assert found == Missing(MissingKind.REASONING_ITEM, "rs_abc")
    else:
        assert found is None
