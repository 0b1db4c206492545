"""The shipped model catalog data file (playground/core/catalog.json) against its schema, the spec's
model-id enums (tests/data/openapi.json) and the facts of the 2026-11 fact sheet.

These tests read the files only (no loader), so they hold whatever code reads the catalog.
Templates resolve as the design brief says: entry keys override template keys, rules concatenate.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, ValidationError

from playground.core.workspace import Parameters

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "playground" / "core" / "catalog.json"
SCHEMA = ROOT / "playground" / "core" / "catalog.schema.json"
SPEC = ROOT / "tests" / "data" / "openapi.json"

PSEUDO_PARAMS = {"function_tools", "hosted_tools"}
ENTRY_KEYS = {
    "id", "family", "snapshots", "aliases", "released", "reasoning", "efforts", "default_effort",
    "summary", "verbosity", "params", "fixed", "rules", "apis", "chat_token_param",
    "context_window", "max_input", "max_output", "input", "output", "tools", "prices",
    "long_context", "tiers", "lifecycle", "sources", "checked", "notes",
}  # fmt: skip


@cache
def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def catalog() -> dict[str, Any]:
    return copy.deepcopy(_load(CATALOG))


def validator() -> Draft202012Validator:
    return Draft202012Validator(_load(SCHEMA))


def unexpected_keys(doc: Any) -> list[str]:
    """The messages of every additionalProperties error, also inside anyOf branches."""
    out: list[str] = []
    todo: list[ValidationError] = list(validator().iter_errors(doc))
    while todo:
        error = todo.pop()
        if error.validator == "additionalProperties":
            out.append(error.message)
        todo += error.context or []
    return out


def resolved(entry: dict[str, Any], templates: dict[str, Any]) -> dict[str, Any]:
    base = templates.get(entry.get("extends", ""), {})
    out = {**base, **entry}
    out["rules"] = [*base.get("rules", []), *entry.get("rules", [])]
    return out


def entries() -> list[dict[str, Any]]:
    data = catalog()
    return [resolved(e, data["templates"]) for e in data["models"]]


def by_name() -> dict[str, dict[str, Any]]:
    """Every id, snapshot and alias -> its resolved entry."""
    out: dict[str, dict[str, Any]] = {}
    for e in entries():
        for name in [e["id"], *e["snapshots"], *e["aliases"]]:
            out[name] = e
    return out


def spec_enum_ids() -> tuple[set[str], set[str]]:
    """(all ids in ModelIdsShared and ModelIdsResponses, the ResponsesOnlyModel ids)."""
    schemas = _load(SPEC)["components"]["schemas"]
    every: set[str] = set()
    responses_only: set[str] = set()
    for name in ("ModelIdsShared", "ModelIdsResponses"):
        for branch in schemas[name]["anyOf"]:
            ids = set(branch.get("enum", []))
            every |= ids
            if branch.get("title") == "ResponsesOnlyModel":
                responses_only |= ids
    return every, responses_only


# ------------------------------------------------------------------ shape


def test_the_catalog_validates_against_its_schema() -> None:
    Draft202012Validator.check_schema(_load(SCHEMA))
    errors = [f"{e.json_path}: {e.message}" for e in validator().iter_errors(catalog())]
    assert errors == []


def test_a_misspelt_key_is_an_error_at_every_level() -> None:
    data = catalog()
    entry = data["models"][0]
    entry["lifecycle"]["shutdwon"] = None
    entry["sources"]["price"] = ["S"]
    entry["rules"] = [{**data["templates"]["gpt-6"]["rules"][0], "only_whne": {}}]
    data["templates"]["gpt-6"]["effort"] = ["low"]
    unexpected = unexpected_keys(data)
    assert len(unexpected) == 4
    for key in ("shutdwon", "price", "only_whne", "effort"):
        assert any(f"'{key}'" in m for m in unexpected), key


# Strategy: a path to some dict inside a model entry, and a misspelling of one of its keys.
def _dict_paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    if isinstance(node, dict):
        if node:
            out.append(path)
        for k, v in node.items():
            if k in ("fixed", "only_when"):  # keys are parameter names, not schema keys
                continue
            out += _dict_paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _dict_paths(v, (*path, i))
    return out


def _at(node: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        node = node[step]
    return node


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_a_typo_in_any_key_of_any_entry_is_caught(data: st.DataObject) -> None:
    doc = catalog()
    index = data.draw(st.integers(0, len(doc["models"]) - 1), label="entry")
    entry = doc["models"][index]
    path = data.draw(st.sampled_from(_dict_paths(entry)), label="path")
    target = _at(entry, path)
    key = data.draw(st.sampled_from(sorted(target)), label="key")
    typo = data.draw(
        st.sampled_from([key + "s", key[:-1], key.upper(), key.replace("_", "-") + "_"]).filter(
            lambda t: t != key and t not in target
        ),
        label="typo",
    )
    target[typo] = target.pop(key)
    assert any(f"'{typo}'" in message for message in unexpected_keys(doc))


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_any_subset_of_an_entry_is_a_valid_override_file(data: st.DataObject) -> None:
    doc = catalog()
    entry = data.draw(st.sampled_from(doc["models"]), label="entry")
    keys = data.draw(st.sets(st.sampled_from(sorted(entry))), label="keys")
    override = {"models": [{"id": entry["id"], **{k: entry[k] for k in keys}}]}
    assert list(validator().iter_errors(override)) == []


# ------------------------------------------------------------------ the spec's ids


def test_every_text_model_id_of_the_spec_enums_resolves_or_is_listed_non_text() -> None:
    every, responses_only = spec_enum_ids()
    assert len(every) == 102  # 83 shared + 19 Responses-only (spec 2.3.0)
    assert len(responses_only) == 19
    names = by_name()
    non_text = set(catalog()["non_text"])
    missing = sorted(i for i in every if i not in names and i not in non_text)
    assert missing == []
    assert sorted(non_text & set(names)) == []
    assert non_text <= every, "non_text lists only spec ids"


def test_responses_only_spec_ids_resolve_to_entries_without_chat() -> None:
    _, responses_only = spec_enum_ids()
    names = by_name()
    chat_capable = sorted(i for i in responses_only if "chat" in names[i]["apis"])
    assert chat_capable == []


def test_no_id_snapshot_or_alias_appears_twice() -> None:
    seen: dict[str, str] = {}
    doubles = []
    for e in catalog()["models"]:
        for name in [e["id"], *e.get("snapshots", []), *e.get("aliases", [])]:
            if name in seen:
                doubles.append((name, seen[name], e["id"]))
            seen[name] = e["id"]
    assert doubles == []
    assert len(set(catalog()["non_text"])) == len(catalog()["non_text"])


# ------------------------------------------------------------------ sources


def _used_source_ids(data: dict[str, Any]) -> set[str]:
    used: set[str] = set()
    for e in [*data["models"], *data["templates"].values()]:
        for ids in e.get("sources", {}).values():
            used |= set(ids)
        used |= {r["source"] for r in e.get("rules", [])}
    return used


def test_every_source_id_used_is_defined_and_every_defined_one_is_used() -> None:
    data = catalog()
    used = _used_source_ids(data)
    assert sorted(used - set(data["sources"])) == []
    assert sorted(set(data["sources"]) - used) == []


def test_every_entry_names_a_source_for_each_fact_it_states() -> None:
    gaps = []
    for e in entries():
        src = e["sources"]
        needed = ["reasoning", "lifecycle", "apis"]
        if any(e[k] is not None for k in ("context_window", "max_input", "max_output")):
            needed.append("limits")
        if e["prices"]:
            needed.append("prices")
        if e["tiers"]:
            needed.append("tiers")
        if e["params"]:
            needed.append("params")
        gaps += [(e["id"], fact) for fact in needed if not src.get(fact)]
        if not e.get("checked"):
            gaps.append((e["id"], "checked"))
    assert gaps == []


def test_every_entry_is_checked_no_later_than_the_file() -> None:
    data = catalog()
    assert all(e["checked"] <= data["checked"] for e in entries())


# ------------------------------------------------------------------ consistency


def test_templates_resolve_to_complete_entries() -> None:
    data = catalog()
    for e in data["models"]:
        assert e.get("extends") is None or e["extends"] in data["templates"], e["id"]
    incomplete = [(e["id"], sorted(ENTRY_KEYS - set(e))) for e in entries() if ENTRY_KEYS - set(e)]
    assert incomplete == []


def test_prices_and_dated_tiers_are_ordered_by_since() -> None:
    checked = catalog()["checked"]
    for e in entries():
        since = [p["since"] for p in e["prices"]]
        assert since == sorted(set(since)), e["id"]
        assert all(s <= checked for s in since), e["id"]
        for tier, factor in e["tiers"].items():
            if isinstance(factor, list):
                dates = [f["since"] for f in factor]
                assert dates == sorted(set(dates)), (e["id"], tier)


def test_replacements_name_catalog_entries() -> None:
    ids = {e["id"] for e in entries()}
    for e in entries():
        life = e["lifecycle"]
        if life["replacement"] is not None:
            assert life["replacement"] in ids, e["id"]
            assert life["replacement"] != e["id"]
            assert life["shutdown"] is not None, e["id"]
        if life["announced"] and life["shutdown"]:
            assert life["announced"] < life["shutdown"], e["id"]


def test_efforts_params_and_rules_name_real_parameters() -> None:
    fields = set(Parameters.model_fields)
    for e in entries():
        assert (e["default_effort"] is None) or (e["default_effort"] in e["efforts"]), e["id"]
        assert e["reasoning"] or not e["efforts"], e["id"]
        assert set(e["params"]) <= fields, e["id"]
        assert set(e["fixed"]) <= set(e["params"]), e["id"]
        for rule in e["rules"]:
            assert set(rule["params"]) <= fields | PSEUDO_PARAMS, (e["id"], rule)
            assert set(rule.get("only_when", {})) <= fields | {"function_tools", "api"}, e["id"]
            if rule["params"] == ["reasoning_effort"] and "values" in rule:
                assert set(rule["values"]) <= set(e["efforts"]), (e["id"], rule)


def test_limits_fit_in_the_context_window() -> None:
    for e in entries():
        window = e["context_window"]
        if window is not None:
            for key in ("max_input", "max_output"):
                assert e[key] is None or e[key] <= window, (e["id"], key)


def test_chat_takes_max_tokens_only_on_the_legacy_gpt4_and_gpt35_ids() -> None:
    for e in entries():
        legacy = e["family"] in ("GPT-4", "GPT-3.5")
        expected = "max_tokens" if legacy else "max_completion_tokens"
        assert e["chat_token_param"] == expected, e["id"]


# ------------------------------------------------------------------ facts of the fact sheet

GUIDE_SHUTDOWNS = {
    "o1": "2026-10-23",
    "o1-pro": "2026-10-23",
    "o3-mini": "2026-10-23",
    "o4-mini": "2026-10-23",
    "gpt-4.1-nano": "2026-10-23",
    "gpt-4o-2024-05-13": "2026-10-23",
    "gpt-4o": "2027-01-14",
    "gpt-4o-2024-08-06": "2027-01-14",
    "gpt-4o-2024-11-20": "2027-01-14",
    "gpt-4o-mini": "2027-01-14",
    "gpt-4o-mini-2024-07-18": "2027-01-14",
    "gpt-4.1": "2027-01-14",
    "gpt-4.1-2025-04-14": "2027-01-14",
    "gpt-4.1-mini": "2027-01-14",
    "gpt-5": "2026-12-11",
    "gpt-5-mini": "2026-12-11",
    "gpt-5-nano": "2026-12-11",
    "o3": "2026-12-11",
    "o3-pro": "2026-12-11",
}


@pytest.mark.parametrize(("model", "shutdown"), sorted(GUIDE_SHUTDOWNS.items()))
def test_the_guides_models_are_present_with_their_shutdown(model: str, shutdown: str) -> None:
    entry = by_name()[model]
    assert entry["lifecycle"]["shutdown"] == shutdown
    assert entry["lifecycle"]["replacement"] is not None


def test_the_replacements_of_the_guides_models() -> None:
    names = by_name()
    assert names["o1"]["lifecycle"]["replacement"] == "gpt-5.6-sol"
    assert names["o1-pro"]["lifecycle"]["replacement"] == "gpt-5.6-sol"
    assert "pro" in names["o1-pro"]["lifecycle"]["replacement_note"]
    assert names["o4-mini"]["lifecycle"]["replacement"] == "gpt-5.6-terra"
    assert names["gpt-4o-mini"]["lifecycle"]["replacement"] == "gpt-6-luna"
    assert names["gpt-5"]["lifecycle"]["replacement"] == "gpt-6.1-sol"


def test_the_gpt6_line_and_the_gpt56_alias_are_present() -> None:
    names = by_name()
    for model in (
        "gpt-6-astra", "gpt-6-sol", "gpt-6-luna", "gpt-6.1-sol", "gpt-6.1-terra",
        "gpt-6.2-astra", "gpt-6.2-sol",
    ):  # fmt: skip
        assert names[model]["id"] == model
        assert names[model]["family"] == "GPT-6"
    assert names["gpt-5.6"]["id"] == "gpt-5.6-sol"
    assert names["gpt-5.5-2026-04-23"]["id"] == "gpt-5.5"


@pytest.mark.parametrize("model", ["gpt-6-luna", "gpt-5.6-luna"])
def test_the_default_model_candidates_are_complete(model: str) -> None:
    e = by_name()[model]
    assert e["lifecycle"]["shutdown"] is None
    assert e["efforts"] and e["default_effort"] in e["efforts"]
    assert None not in (e["context_window"], e["max_input"], e["max_output"])
    latest = e["prices"][-1]
    assert None not in latest.values()
    assert {"batch", "flex", "priority"} <= set(e["tiers"])
    assert e["long_context"] == {"above": 272000, "input": 2.0, "output": 1.5}
    assert {"responses", "chat"} <= set(e["apis"])


def test_price_histories() -> None:
    names = by_name()

    def points(model: str) -> list[tuple[str, float, float | None, float | None, float]]:
        return [
            (p["since"], p["input"], p["cached_input"], p["cache_write"], p["output"])
            for p in names[model]["prices"]
        ]

    assert points("gpt-5.6-sol") == [
        ("2026-06-26", 5.0, 0.50, 6.25, 30.0),
        ("2026-08-21", 4.0, 0.40, 5.0, 20.0),
    ]
    assert [p[0] for p in points("gpt-5.6-terra")] == ["2026-06-26", "2026-07-30"]
    assert points("gpt-5.6-luna")[-1] == ("2026-07-30", 0.20, 0.02, 0.25, 1.20)
    assert points("o3")[0] == ("2025-04-16", 10.0, 2.50, None, 40.0)
    assert points("o3")[-1][1:] == (2.0, 0.50, None, 8.0)
    assert points("gpt-4o-2024-05-13") == [("2024-05-13", 5.0, None, None, 15.0)]


def test_tier_multipliers_follow_the_sheet() -> None:
    names = by_name()
    assert names["gpt-5.5"]["tiers"]["priority"] == 2.5
    assert names["gpt-5-mini"]["tiers"]["priority"] == 1.8
    assert names["gpt-4.1"]["tiers"]["priority"] == 1.75
    assert names["gpt-6.2-sol"]["tiers"]["ultrafast"] == [
        {"since": "2026-11-17", "factor": 3.0},
        {"since": "2027-03-01", "factor": 6.0},
    ]
    assert all(e["tiers"].get("batch") in (None, 0.5) for e in entries())


def _rules(model: str, api: str | None = None) -> list[dict[str, Any]]:
    return [r for r in by_name()[model]["rules"] if api is None or r.get("api") in (None, api)]


def test_sampling_only_with_effort_none_from_gpt51_on() -> None:
    for model in ("gpt-5.1", "gpt-5.2", "gpt-5.5", "gpt-5.6-luna", "gpt-6-luna", "gpt-6.1-terra"):
        assert any(
            set(r["params"]) >= {"temperature", "top_p", "logprobs", "top_logprobs"}
            and r.get("only_when") == {"reasoning_effort": ["none"]}
            for r in _rules(model)
        ), model
    for model in ("gpt-6-astra", "gpt-6.1-sol", "gpt-6.2-sol", "gpt-6.2-astra"):
        assert "none" not in by_name()[model]["efforts"]
        assert by_name()[model]["params"] == [], model


def test_chat_function_tool_rules() -> None:
    for model in ("gpt-5.6-sol", "gpt-5.6-terra", "gpt-5.6-luna", "gpt-6-sol", "gpt-6-luna"):
        assert any(
            r["params"] == ["function_tools"]
            and r.get("only_when") == {"reasoning_effort": ["none"]}
            for r in _rules(model, "chat")
        ), model
    for model in ("gpt-6-astra", "gpt-6.1-sol"):
        assert any(
            r["params"] == ["function_tools"] and r.get("api") == "chat" and "only_when" not in r
            for r in _rules(model)
        ), model
    for model in ("gpt-5.2", "gpt-5.4", "gpt-5.5"):
        (rule,) = [r for r in _rules(model, "chat") if r["params"] == ["reasoning_effort"]]
        assert rule["only_when"] == {"function_tools": [False]}
        assert "Please use /v1/responses instead." in rule["error"]["message"]


def test_gpt5_and_o_series_take_sampling_only_at_the_default() -> None:
    for model in ("gpt-5", "gpt-5-nano", "o1", "o3", "o4-mini"):
        e = by_name()[model]
        assert e["fixed"] == {"temperature": 1, "top_p": 1}
        (chat,) = [r for r in _rules(model, "chat") if r["params"] == ["temperature"]]
        assert chat["error"]["code"] == "unsupported_value"
        assert "Only the default (1) value is supported." in chat["error"]["message"]
    assert "stop" not in by_name()["o3"]["params"]
    assert "stop" not in by_name()["o4-mini"]["params"]
    assert "stop" in by_name()["o1"]["params"]
