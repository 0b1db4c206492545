"""The exported evaluation program fills like the app (core/variables.py): `\\{{` is a literal
`{{`, a value is inserted as written and never filled again, only the texts the app fills are
templates, the variant's own variables stand in for a row's missing ones, and a row with no
value for a variable is an error that sends nothing. Run against the simulator."""

from __future__ import annotations

import json
from pathlib import Path

from playground.cli_eval_inputs import prepare
from playground.core import request, variables
from playground.core.codegen_eval import eval_python
from playground.core.evaluation_spec import GraderSpec, TestRow
from playground.core.profiles import ProviderProfile
from playground.core.workspace import Message, OutputFormat, Workspace
from playground.services.simulator import Simulator
from tests.core.test_export import ruff_clean
from tests.e2e.test_eval_export import run_program

INSTRUCTIONS = r"Keep \{{literal}} as written; answer {{name}} in a {{tone}} tone."
PROMPT = r"Hi {{ name }}: is \{{name}} {{name}}?"
SCHEMA = {
    "type": "object",
    "description": "{{name}} stays here",
    "properties": {},
    "required": [],
    "additionalProperties": False,
}
WS = Workspace(
    api="chat",
    model="gpt-4o-mini",
    profile="sim",
    instructions=INSTRUCTIONS,
    messages=[Message(content=PROMPT)],
    variables={"tone": "dry", "name": "from the Variables tab"},
    output_format=OutputFormat(type="json_schema", name="reply", json_schema=SCHEMA),
)
ROWS = [
    TestRow(id="plain", values={"name": "Ada"}, expected={"expected": "{{literal}}"}),
    TestRow(id="braces", values={"name": "{{tone}} \\{{x}}"}),  # inserted as written
]
GRADERS = [GraderSpec(kind="not_contains", name="escaped", value=r"\{{nothing}}")]


def test_the_program_fills_each_row_as_the_app_does(simulator: Simulator, tmp_path: Path) -> None:
    profile = ProviderProfile(name="sim", kind="custom", base_url=simulator.base_url)
    code = eval_python(WS, [], ROWS, GRADERS, {"sim": profile}, concurrency=1)
    assert variables.FILL_SOURCE in code
    ruff_clean(tmp_path, {"evaluate": code})
    done = run_program(code, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    sent = [r.body for r in simulator.requests if r.method == "POST"]
    target = request.Target.for_profile(profile)
    apps = [request.build(prepare(WS, None, row), target=target).body for row in ROWS]
    key = lambda b: json.dumps(b, sort_keys=True)  # noqa: E731
    assert sorted(map(key, sent)) == sorted(map(key, apps))
    by_name = {b["messages"][1]["content"]: b for b in sent}
    for row in ROWS:
        values = {**WS.variables, **row.values}
        prompt = variables.fill_text(PROMPT, values)
        assert prompt in by_name, prompt
        body = by_name[prompt]
        assert body["messages"][0]["content"] == variables.fill_text(INSTRUCTIONS, values)
        # only the app's template texts are filled: the schema is sent as written
        assert (
            body["response_format"]["json_schema"]["schema"]["description"] == "{{name}} stays here"
        )
    assert "Hi Ada: is {{name}} Ada?" in by_name
    assert "Keep {{literal}} as written; answer Ada in a dry tone." in json.dumps(sent)
    assert "Hi {{tone}} \\{{x}}: is {{name}} {{tone}} \\{{x}}?" in by_name


def test_a_row_without_a_value_is_an_error_that_sends_nothing(
    simulator: Simulator, tmp_path: Path
) -> None:
    profile = ProviderProfile(name="sim", kind="custom", base_url=simulator.base_url)
    ws = WS.model_copy(update={"variables": {}})
    rows = [TestRow(id="lost", values={"name": "Ada"})]  # no {{tone}}
    done = run_program(eval_python(ws, [], rows, [], {"sim": profile}), tmp_path)
    assert done.returncode == 4, done.stdout + done.stderr
    assert "row lost error: the row has no value for the variable tone" in done.stderr
    assert [r for r in simulator.requests if r.method == "POST"] == []
