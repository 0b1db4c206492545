"""The exported Python of a background run: it creates the response with `background=True`
and polls `client.responses.retrieve(id)` until its status is no longer queued or
in_progress, then prints the answer (or says how it ended: the status, and the reason
when the response gives one, `error.message` or `incomplete_details.reason`).

The program is polled, not streamed: it sends the app's body without `stream` and
`stream_options` (the window streams a background run and resumes a dropped stream; a
polled program has no stream to lose). The API's facts: the background guide,
developers.openai.com/api/docs/guides/background (statuses queued, in_progress, completed,
failed, incomplete, cancelled; checked 2026-12-01). core/export.py calls it.
"""

from __future__ import annotations

from playground.core import request
from playground.core.pysource import INDENT, call

POLL_S = 2
"""Seconds the program waits between two looks."""
STREAM_KEYS = ("stream", "stream_options")


def wanted(built: request.BuiltRequest) -> bool:
    """Whether `built` is a background request the program must poll."""
    return built.api == "responses" and bool(built.kwargs.get("background"))


def imports(asynchronous: bool) -> set[str]:
    """The standard-library modules the program uses (asyncio comes with async anyway)."""
    return {"sys"} if asynchronous else {"sys", "time"}


def body(built: request.BuiltRequest, asynchronous: bool) -> str:
    """The statements that create, poll and print (inside `async def main()` when
    `asynchronous`)."""
    d = 1 if asynchronous else 0
    wait = "await " if asynchronous else ""
    sleep = f"await asyncio.sleep({POLL_S})" if asynchronous else f"time.sleep({POLL_S})"
    kwargs = {k: v for k, v in built.kwargs.items() if k not in STREAM_KEYS}
    create = wait + call("client.responses.create", kwargs, depth=d)
    lines = (
        f"response = {create}",
        "# A background response: look again until it has ended.",
        'while response.status in ("queued", "in_progress"):',
        '    print(f"{response.id}: {response.status}", file=sys.stderr)',
        f"    {sleep}",
        f"    response = {wait}client.responses.retrieve(response.id)",
        'if response.status != "completed":',
        "    # why it ended, when the response says (a cancelled one usually does not)",
        "    reason = (response.error and response.error.message) or (",
        "        response.incomplete_details and response.incomplete_details.reason",
        "    )",
        '    said = f": {reason}" if reason else ""',
        '    sys.exit(f"{response.id} ended {response.status}{said}")',
        "print(response.output_text)",
    )
    return "\n".join(INDENT * d + line if line else line for line in lines)
