"""Ready-made workspaces ("New from example"), built from the two developer guides the product
serves: "OpenAI GPT Guide — GPT-4o, o1 & API for Engineers (2026)" (sections 4, 6 and 8) and
"Using the OpenAI Responses API with Python (Guide for GPT-4.1 & O4-Mini)".

The guides' models are shut down or deprecated: on 2026-11-30 the catalog (core/catalog.json)
has o3-mini and o4-mini shut down on 2026-10-23, and gpt-4o, gpt-4o-mini and gpt-4.1 shutting
down on 2027-01-14 with gpt-6-luna as their named replacement ("start GPT-4.x migrations at
effort none"). So each example keeps the guide's request and uses a current model:
gpt-6-luna at reasoning effort none where the guide used GPT-4o or GPT-4.1, gpt-6.2-sol where
it used an o-series model. Every example runs on the offline simulator (tests/e2e and
tests/ui/test_examples.py run each one end to end).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playground.core.parameters import Parameters
from playground.core.profiles import SIMULATOR
from playground.core.workspace import (
    FunctionTool,
    Message,
    OutputFormat,
    ToolChoice,
    Workspace,
)

GUIDE_GPT = "OpenAI GPT Guide (2026)"
GUIDE_RESPONSES = "Using the OpenAI Responses API with Python"
CHEAP = "gpt-6-luna"  # the catalog's named replacement of GPT-4o / GPT-4.1
REASONING = "gpt-6.2-sol"  # a current reasoning model with summaries (o4-mini's successor line)


@dataclass(frozen=True)
class Example:
    """One ready-made workspace: `name` is its id (`playground new --example NAME`), `title`
    and `description` what the menu shows, `source` the guide and section it comes from."""

    name: str
    title: str
    description: str
    source: str
    data: dict[str, Any]

    def workspace(self, profile: str = SIMULATOR) -> Workspace:
        """A fresh copy of the example's workspace, on `profile` (default: the simulator)."""
        return Workspace.model_validate({**self.data, "profile": profile})


STOCK_TOOL = FunctionTool(
    name="get_stock_price",
    description="Get the current stock price for a given ticker symbol.",
    parameters={
        "type": "object",
        "properties": {
            "ticker": {
                "type": "string",
                "description": "Stock ticker symbol, e.g. AAPL, MSFT, GOOGL",
            },
            "currency": {
                "type": "string",
                "enum": ["USD", "EUR", "GBP"],
                "description": "Currency for the price. Defaults to USD.",
            },
        },
        "required": ["ticker"],
    },
    # the guide's execute_tool result, for the mock loop
    mock_output=(
        '{"ticker": "AAPL", "price": 182.34, "currency": "GBP", '
        '"timestamp": "2026-03-05T14:30:00Z"}'
    ),
)

JOB_POSTING = OutputFormat(
    type="json_schema",
    name="JobPosting",
    description="Structured job information extracted from a posting.",
    json_schema={
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "company": {"type": "string"},
            "required_skills": {"type": "array", "items": {"type": "string"}},
            "years_experience": {"type": "integer"},
            "remote": {"type": "boolean"},
        },
        "required": ["title", "company", "required_skills", "years_experience", "remote"],
        "additionalProperties": False,
    },
    strict=True,
)

ROUTES = {"simple": CHEAP, "standard": REASONING, "hard": REASONING}
"""The route the classifier picks, and the model that then answers (the guide's select_model:
classification and extraction go to the cheap model, hard reasoning to a reasoning model)."""

ROUTE_FORMAT = OutputFormat(
    type="json_schema",
    name="route",
    description="Which model tier should answer the request.",
    json_schema={
        "type": "object",
        "properties": {
            "route": {"type": "string", "enum": list(ROUTES)},
            "task_type": {
                "type": "string",
                "enum": [
                    "classify",
                    "extract",
                    "translate",
                    "summarize",
                    "code",
                    "analysis",
                    "math",
                    "debug_hard",
                    "architecture",
                ],
            },
            "reason": {"type": "string"},
        },
        "required": ["route", "task_type", "reason"],
        "additionalProperties": False,
    },
    strict=True,
)

_MIGRATED = Parameters(reasoning_effort="none")


def _ws(**fields: Any) -> dict[str, Any]:
    return Workspace(**fields).model_dump(mode="json", exclude_none=True)


EXAMPLES: tuple[Example, ...] = (
    Example(
        "first-chat",
        "A first chat completion",
        "One Chat Completions request with a system prompt, answered in one piece (not "
        "streamed), with a 512-token limit. The guide used gpt-4o; this uses its named "
        "replacement gpt-6-luna at reasoning effort none.",
        f"{GUIDE_GPT}, section 4 (first API call)",
        _ws(
            api="chat",
            model=CHEAP,
            stream=False,
            params=Parameters(reasoning_effort="none", max_output_tokens=512),
            messages=[
                Message(
                    role="system",
                    content="You are a senior software engineer. Give concise, "
                    "production-ready answers.",
                ),
                Message(content="What is the difference between a process and a thread?"),
            ],
        ),
    ),
    Example(
        "streaming",
        "Streaming",
        "The answer arrives token by token (server-sent events): watch the first token's "
        "time and the stream events in the Raw tab. Chat Completions, 800-token limit.",
        f"{GUIDE_GPT}, section 4 (streaming responses)",
        _ws(
            api="chat",
            model=CHEAP,
            stream=True,
            params=Parameters(reasoning_effort="none", max_output_tokens=800),
            messages=[Message(content="Explain transformer attention in 3 paragraphs.")],
        ),
    ),
    Example(
        "stock-tool-loop",
        "The stock-price tool loop",
        "The model calls get_stock_price; answer the call with the tool's mock result (Run "
        "with mocks, or the tool step's buttons) and the model answers from it. The mock is "
        "the guide's execute_tool result; edit it in the Tools tab.",
        f"{GUIDE_GPT}, section 6 (defining tools and the tool loop)",
        _ws(
            api="chat",
            model=CHEAP,
            params=_MIGRATED,
            tools=[STOCK_TOOL],
            tool_choice=ToolChoice(mode="auto"),
            messages=[Message(content="What is the current price of Apple stock in GBP?")],
        ),
    ),
    Example(
        "job-posting",
        "JobPosting structured output",
        "Extraction with a strict JSON Schema (the guide's JobPosting pydantic model): the "
        "answer is checked against the schema, and the Code tab can export the pydantic "
        "model with client.chat.completions.parse.",
        f"{GUIDE_GPT}, section 6 (structured outputs)",
        _ws(
            api="chat",
            model=CHEAP,
            params=_MIGRATED,
            output_format=JOB_POSTING,
            messages=[
                Message(role="system", content="Extract structured job information from the text."),
                Message(
                    content="Senior ML Engineer at Stripe. 5+ years Python, PyTorch, "
                    "distributed systems. Hybrid NYC. $180k-$220k."
                ),
            ],
        ),
    ),
    Example(
        "previous-response",
        "Responses with previous_response_id",
        "The Responses API keeps a stored response's context on the server. This tab chains "
        "its turns (Params ▸ Conversation state: Chain with previous_response_id). Run this "
        "first question, then add the follow-up “Why is that funny?” and run again: only the "
        "new question is sent, with the first answer's id as previous_response_id.",
        f"{GUIDE_RESPONSES}, “Maintaining Conversation State”",
        _ws(
            api="responses",
            model=CHEAP,
            params=Parameters(reasoning_effort="none", store=True),
            state="chain",
            messages=[Message(content="Tell me a joke about computers.")],
        ),
    ),
    Example(
        "reasoning-summary",
        "A reasoning model with a summary",
        "A reasoning model at high effort that returns a summary of its reasoning (shown "
        "above the answer). The guide used o4-mini, shut down on 2026-10-23; this uses "
        f"{REASONING}.",
        f"{GUIDE_RESPONSES}, “Model Selection” (o-series reasoning models)",
        _ws(
            api="responses",
            model=REASONING,
            params=Parameters(reasoning_effort="high", reasoning_summary="auto"),
            messages=[Message(content="Can you plan a 3-step day trading strategy?")],
        ),
    ),
    Example(
        "model-routing",
        "Model routing",
        "The guide's routing layer: a cheap, fast model classifies each request, and the "
        "route picks the model that answers it (simple → gpt-6-luna; standard and hard → "
        f"{REASONING}). Edit the user message to see how requests are routed.",
        f"{GUIDE_GPT}, sections 3 and 8 (the routing pattern, model routing)",
        _ws(
            api="chat",
            model=CHEAP,
            params=_MIGRATED,
            output_format=ROUTE_FORMAT,
            messages=[
                Message(
                    role="system",
                    content="You route requests to the most cost-effective model that can "
                    "handle them. Classify the user's request: simple (classification, "
                    "extraction, translation, short Q&A), standard (coding, analysis, "
                    "drafting) or hard (math, multi-step reasoning, hard debugging, "
                    "architecture). Answer with the route, the task type and one short "
                    "reason.",
                ),
                Message(content="Prove that the square root of 2 is irrational."),
            ],
        ),
    ),
)


def names() -> tuple[str, ...]:
    return tuple(e.name for e in EXAMPLES)


def get(name: str) -> Example:
    """The example called `name`; KeyError (naming the known ones) when there is none."""
    for example in EXAMPLES:
        if example.name == name:
            return example
    raise KeyError(f"no example {name!r}; the examples are: {', '.join(names())}")


def continue_from(ws: Workspace, response_id: str, question: str) -> Workspace:
    """The follow-up turn of a stored Responses conversation: only `question` is sent, with
    `previous_response_id` naming the stored response whose context the server prepends
    (openai-protocol.md 2.5; the guide's second `responses.create` call)."""
    params = ws.params.model_copy(update={"previous_response_id": response_id})
    return ws.model_copy(update={"messages": [Message(content=question)], "params": params})
