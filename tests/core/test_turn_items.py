"""core/turn_items.py: what a turn's kept items say for a terminal and for --json."""

from __future__ import annotations

import base64

from playground.core.turn_items import approval_requests, hosted_json, images, summary_lines

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


def test_an_answered_approval_request_is_not_pending() -> None:
    items = [
        {
            "type": "mcp_approval_request",
            "id": "a",
            "server_label": "d",
            "name": "x",
            "arguments": "{}",
        },
        {
            "type": "mcp_approval_request",
            "id": "b",
            "server_label": "d",
            "name": "y",
            "arguments": "{}",
        },
        {"type": "mcp_approval_response", "approval_request_id": "a", "approve": True},
    ]
    assert [r["id"] for r in approval_requests(items)] == ["b"]


def test_an_uncited_web_source_gets_the_next_free_number() -> None:
    web = {
        "type": "web_search_call",
        "id": "ws_1",
        "status": "completed",
        "action": {
            "type": "search",
            "query": "q",
            "sources": [{"type": "url", "url": "u1"}, {"type": "url", "url": "u2"}],
        },
    }
    cite = {"type": "url_citation", "url": "u2", "title": "Two", "start_index": 0, "end_index": 1}
    answer = {
        "type": "message",
        "content": [{"type": "output_text", "text": "t", "annotations": [cite]}],
    }
    (row,) = hosted_json([web, answer])
    assert row["sources"] == [
        {"number": 2, "url": "u1", "title": None},
        {"number": 1, "url": "u2", "title": "Two"},
    ]
    assert summary_lines([web, answer], {}, "-") == ['Web search "q"', "  [2] u1", "  [1] Two <u2>"]


def test_images_are_named_by_item_and_format_and_junk_is_left_out() -> None:
    b64 = base64.b64encode(PNG).decode()
    items = [
        {"type": "image_generation_call", "id": "ig_1", "result": b64},
        {"type": "image_generation_call", "id": "ig_2", "result": "not base64!"},
        {
            "type": "code_interpreter_call",
            "id": "ci_1",
            "outputs": [
                {"type": "logs", "logs": "x"},
                {"type": "image", "url": f"data:image/png;base64,{b64}"},
            ],
        },
    ]
    assert [(name, data) for _, name, data in images(items)] == [
        ("ig_1.png", PNG),
        ("ci_1-1.png", PNG),
    ]
    assert summary_lines(items[1:2], {}, "-") == ["Image generation: no image that can be shown"]
