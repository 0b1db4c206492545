"""The catalog's rules, conditional ones included, as the builder and the simulator apply them.

Every rule of every catalog model is exercised: a request that breaks it is refused by the
simulator with the rule's own error body, and the builder leaves the parameter out (or
blocks the run, for tools) with a finding that names the condition; a request that meets
the condition goes through."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.core import catalog, request
from playground.core.catalog import ModelInfo, Rule
from playground.core.model_rules import refusals
from playground.core.params import declarations, read_body, set_path
from playground.core.workspace import BuiltinTools, FunctionTool, Message, Parameters, Workspace
from playground.services.simulator import checks
from playground.services.simulator.protocol import SimError

TOOL = FunctionTool(name="lookup")
ACCEPT_ALL = lambda _model: True  # noqa: E731


def _check(api: str, body: dict[str, Any]) -> None:
    (checks.check_chat if api == "chat" else checks.check_responses)(body, ACCEPT_ALL)


def _value_for(name: str, info: ModelInfo, rule: Rule) -> Any:
    if rule.values is not None:
        return rule.values[0]
    if name == "reasoning_effort":
        return next((e for e in info.efforts if e != "none"), info.efforts[0])
    decl = declarations()[name]
    return {"float": 0.5, "int": 2, "bool": True}.get(decl.kind, decl.default)


def _breaking(info: ModelInfo, rule: Rule) -> tuple[str, dict[str, Any], bool] | None:
    """(api, params, with function tools) of a request that breaks `rule`, if one exists."""
    api = rule.api or ("chat" if "chat" in info.apis else "responses")
    if api not in info.apis:
        return None
    name = rule.params[0]
    params: dict[str, Any] = {}
    tools = name == "function_tools"
    if name == "hosted_tools":
        return api, {}, False
    if not tools:
        if name not in declarations() or declarations()[name].wire_name(api) is None:
            return None
        params[name] = _value_for(name, info, rule)
    for fact, allowed in rule.only_when:
        if fact == "function_tools":
            tools = not allowed[0] if tools is False else tools
            if True not in allowed:
                tools = True
        elif fact == "reasoning_effort" and fact != name and info.default_effort in allowed:
            # the default meets the condition: send an effort that does not
            other = [e for e in info.efforts if e not in allowed]
            if not other:
                return None
            params[fact] = other[0]
    if name == "reasoning_effort" and rule.values is None:
        ok = [e for e in info.efforts if not any(e in a for f, a in rule.only_when if f == name)]
        if not ok:
            return None
        params[name] = ok[0]
    # the basic lists must not refuse what this request sends for another reason
    if refusals(info, api, params, tools) and not any(
        r.param == name for r in refusals(info, api, params, tools)
    ):
        return None
    return api, params, tools


# every rule that can apply: a rule about an API the model does not serve never can
RULES = [
    (info.id, i)
    for info in catalog.models()
    for i, rule in enumerate(info.rules)
    if rule.api is None or rule.api in info.apis
]


@pytest.mark.parametrize(("model", "index"), RULES)
def test_every_rule_is_enforced_with_its_error_body(model: str, index: int) -> None:
    info = catalog.lookup(model)
    rule = info.rules[index]
    case = _breaking(info, rule)
    if case is None:
        pytest.skip("no request breaks this rule alone (its condition cannot be unmet)")
    api, params, tools = case
    ws = Workspace(
        api=api,  # type: ignore[arg-type]
        model=model,
        messages=[Message(content="hi")],
        tools=[TOOL] if tools else [],
        params=Parameters(**params),
    )
    # the simulator answers the rule's own 400
    raw = request.build(ws.model_copy(update={"params": Parameters()}), target=request.Target())
    body = dict(raw.body)
    for name, value in params.items():
        set_path(body, declarations()[name].wire[api], value)
    if rule.params[0] == "hosted_tools":
        body["tools"] = [{"type": "web_search"}]
    with pytest.raises(SimError) as err:
        _check(api, body)
    if rule.params[0] == "hosted_tools":
        # the builder sends no hosted tools to Chat at all, for any model
        assert err.value.status == 400 and err.value.param == "tools"
        hosted = ws.model_copy(update={"builtin_tools": BuiltinTools(web_search=True)})
        built = request.build(hosted)
        assert "tools" not in built.body
        assert any(f.path == "builtin_tools" for f in built.findings)
        return
    found = [r for r in refusals(info, api, params, tools) if r.message == err.value.message]
    assert found, f"{model}: the simulator answered {err.value.message!r}, not a rule's error"
    assert err.value.status == 400
    # the builder never sends it: it leaves the parameter out, or blocks the run (tools)
    built = request.build(ws)
    if rule.params[0] == "function_tools":
        assert any(f.severity == "error" and f.path == "tools" for f in built.findings)
    else:
        sent = built.body
        assert read_body(api, sent).get(rule.params[0], (None, None))[1] != params[rule.params[0]]
        _check(api, sent)  # and what it does send is accepted


def test_gpt_5_6_tools_on_chat_need_effort_none() -> None:
    ws = Workspace(api="chat", model="gpt-5.6-luna", messages=[Message(content="hi")], tools=[TOOL])
    blocked = request.build(ws)
    assert any(
        f.severity == "error" and "only with reasoning_effort none" in f.message
        for f in blocked.findings
    )
    with pytest.raises(SimError) as err:
        _check("chat", blocked.body)
    assert err.value.message.startswith("Function tools with reasoning_effort are not supported")
    ok = ws.model_copy(update={"params": Parameters(reasoning_effort="none", temperature=0.2)})
    built = request.build(ok)
    assert not [f for f in built.findings if f.severity == "error"]
    assert built.body["temperature"] == 0.2  # sampling is allowed with effort none
    _check("chat", built.body)


def test_sampling_only_with_effort_none() -> None:
    low = Workspace(
        api="responses",
        model="gpt-6-luna",
        messages=[Message(content="hi")],
        params=Parameters(reasoning_effort="low", temperature=0.2),
    )
    built = request.build(low)
    assert "temperature" not in built.body
    assert any(
        f.path == "params.temperature" and "only with reasoning_effort none" in f.message
        for f in built.findings
    )
    body = {**built.body, "temperature": 0.2}
    with pytest.raises(SimError) as err:
        _check("responses", body)
    assert err.value.param == "temperature" and err.value.code == "unsupported_parameter"


def test_effort_is_dropped_for_tools_on_chat_where_the_model_refuses_both() -> None:
    info = catalog.lookup("gpt-5.4")
    rule = next(r for r in info.rules if r.params == ("reasoning_effort",) and r.api == "chat")
    assert ("function_tools", (False,)) in rule.only_when
    ws = Workspace(
        api="chat",
        model="gpt-5.4",
        messages=[Message(content="hi")],
        tools=[TOOL],
        params=Parameters(reasoning_effort="high"),
    )
    built = request.build(ws)
    assert "reasoning_effort" not in built.body
    _check("chat", built.body)


def test_unknown_models_have_no_rules_and_a_permissive_answer() -> None:
    info = catalog.lookup("my-finetune:7b")
    assert not info.known
    assert refusals(info, "chat", {"temperature": 0.1, "reasoning_effort": "max"}, True) == []


MODELS = [m for m in catalog.models() if m.status() != "shut_down"]


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    model=st.sampled_from(MODELS),
    api=st.sampled_from(["chat", "responses"]),
    tools=st.booleans(),
    temperature=st.none() | st.floats(0, 2),
    top_p=st.none() | st.floats(0, 1),
    effort=st.none()
    | st.sampled_from(["none", "minimal", "low", "medium", "high", "xhigh", "max"]),
    verbosity=st.none() | st.sampled_from(["low", "medium", "high"]),
    logprobs=st.none() | st.booleans(),
    penalty=st.none() | st.floats(-2, 2),
)
def test_what_the_builder_sends_without_errors_the_simulator_accepts(
    model: ModelInfo,
    api: str,
    tools: bool,
    temperature: float | None,
    top_p: float | None,
    effort: str | None,
    verbosity: Any,
    logprobs: bool | None,
    penalty: float | None,
) -> None:
    if api not in model.apis:
        api = "responses" if "responses" in model.apis else "chat"
    ws = Workspace(
        api=api,  # type: ignore[arg-type]
        model=model.id,
        messages=[Message(content="hi")],
        tools=[TOOL] if tools else [],
        params=Parameters(
            temperature=temperature,
            top_p=top_p,
            reasoning_effort=effort,
            verbosity=verbosity,
            logprobs=logprobs,
            presence_penalty=penalty,
        ),
    )
    built = request.build(ws)
    if any(f.severity == "error" for f in built.findings):
        with pytest.raises(SimError):
            _check(api, built.body)
        return
    _check(api, built.body)
    # a parameter left out has a finding that names it
    sent = read_body(api, built.body)
    for name in ("temperature", "top_p", "reasoning_effort", "verbosity"):
        if getattr(ws.params, name) is not None and name not in sent:
            assert any(f.path == f"params.{name}" for f in built.findings)


@pytest.mark.parametrize("model", [m.id for m in catalog.models()])
def test_parameters_every_model_takes_are_sent_to_every_model(model: str) -> None:
    """A parameter not declared model-dependent (prompt_cache_key, store, metadata, ...)
    needs no catalog entry to be sent: it goes to every model that serves the API."""
    info = catalog.lookup(model)
    api = "responses" if "responses" in info.apis else "chat"
    ws = Workspace(
        api=api,  # type: ignore[arg-type]
        model=model,
        messages=[Message(content="hi")],
        params=Parameters(prompt_cache_key="k1", store=False, metadata={"run": "1"}),
    )
    body = request.build(ws).body
    assert body["prompt_cache_key"] == "k1" and body["store"] is False
    assert body["metadata"] == {"run": "1"}


def test_old_code_with_max_tokens_runs_on_models_that_take_only_the_new_name() -> None:
    from playground.core.importer import from_body

    result = from_body(
        {"model": "o1", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 300}
    )
    body = request.build(result.workspace).body
    assert body["max_completion_tokens"] == 300 and "max_tokens" not in body
    assert any("sent as that" in n for n in result.notes)
    _check("chat", body)


def test_the_switch_goes_to_an_active_model_when_the_chain_has_one() -> None:
    # gpt-5.1-codex -> gpt-5 (shutting down) -> gpt-6.1-sol (active)
    found = catalog.successor(catalog.lookup("gpt-5.1-codex"))
    assert found is not None and found.status() == "active"
    assert catalog.lookup("gpt-5.1-codex").lifecycle.replacement == "gpt-5"
    for info in catalog.models():
        nxt = catalog.successor(info)
        assert nxt is None or nxt.status() != "shut_down"


def test_a_learned_refusal_does_not_override_the_catalogs_condition() -> None:
    """temperature refused by gpt-6-luna at effort medium is learned; at effort none the
    catalog says the model takes it, and it is sent."""
    from playground.core.learned import LearnedRule

    rule = LearnedRule(
        "Offline simulator",
        "gpt-6-luna",
        "temperature",
        "temperature",
        None,
        "unsupported_parameter",
        "Unsupported parameter: 'temperature' is not supported with this model.",
        "2026-11-30",
    )
    target = request.Target(openai=False, learned=(rule,))
    ws = Workspace(
        model="gpt-6-luna",
        messages=[Message(content="hi")],
        params=Parameters(reasoning_effort="none", temperature=0.4),
    )
    assert request.build(ws, target=target).body["temperature"] == 0.4
    # a model the catalog has no condition for: the learned rule leaves it out
    other = ws.model_copy(update={"model": "my-server-model"})
    learned = request.Target(openai=False, learned=(replace(rule, model="my-server-model"),))
    built = request.build(other, target=learned)
    assert "temperature" not in built.body
    assert any(f.code == "learned" for f in built.findings)


def test_a_blocked_request_says_so_once() -> None:
    ws = Workspace(api="chat", model="gpt-5.6-luna", messages=[Message(content="hi")], tools=[TOOL])
    errors = [f for f in request.build(ws).findings if f.severity == "error"]
    assert len(errors) == 1
