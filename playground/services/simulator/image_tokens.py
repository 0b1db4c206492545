"""What the images in a request cost in input tokens, as the simulator bills them."""

from __future__ import annotations

from typing import Any

LOW_DETAIL_TOKENS = 85
"""An image sent with detail "low" (OpenAI's images and vision guide, "Calculating costs",
the GPT-4o family: a fixed 85 tokens; checked 2026-12-01)."""
HIGH_DETAIL_TOKENS = 85 + 170 * 4
"""An image sent with detail "high" or "auto": the same guide's 85 tokens plus 170 a 512 px
tile, for a square image (scaled to 768 x 768: four tiles). The simulator does not decode
images, so it bills every image as that square."""


def image_tokens(content: Any) -> int:
    """The input tokens of the images among `content`'s parts (Chat `image_url`, Responses
    `input_image`), by their detail (LOW_DETAIL_TOKENS, HIGH_DETAIL_TOKENS)."""
    if not isinstance(content, list):
        return 0
    total = 0
    for part in content:
        if not isinstance(part, dict):
            continue
        if part.get("type") == "input_image":
            detail = part.get("detail")
        elif part.get("type") == "image_url":
            detail = (part.get("image_url") or {}).get("detail")
        else:
            continue
        total += LOW_DETAIL_TOKENS if detail == "low" else HIGH_DETAIL_TOKENS
    return total
