"""The learned-rules file: kept per (provider, model), never a key, never overwritten when
this version cannot fully read it."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.core.learned import LearnedRule
from playground.services.learned_rules import LearnedRuleStore, all_rules, learned_for
from playground.services.logs import redact_also


def _rule(
    param: str = "temperature", provider: str = "OpenAI", model: str = "gpt-5.6"
) -> LearnedRule:
    return LearnedRule(
        provider, model, param, param, None, "unsupported_parameter", "not supported", "2026-11-30"
    )


def test_add_list_forget(tmp_path: Path) -> None:
    path = tmp_path / "learned_rules.json"
    store = LearnedRuleStore(path)
    a, b, c = _rule(), _rule("top_p"), _rule(model="gpt-4o")
    for rule in (a, b, c, a):
        store.add(rule)
    assert store.rules() == (b, c, a)  # the same refusal twice is one rule
    assert learned_for("OpenAI", "gpt-5.6", path) == (b, a)
    assert learned_for("Local", "gpt-5.6", path) == ()
    store.forget(a)
    assert all_rules(path) == (b, c)
    store.forget_model("OpenAI", "gpt-5.6")
    assert all_rules(path) == (c,)
    data = json.loads(path.read_text())
    assert data["schema_version"] == 1 and data["rules"][0]["model"] == "gpt-4o"


def test_keys_never_reach_the_file(tmp_path: Path) -> None:
    path = tmp_path / "learned_rules.json"
    redact_also("private-key-from-the-keyring-123")
    message = (
        "Unsupported parameter: 'temperature' (key sk-proj-abcdefghijklmnop1234, "
        "api_key=secret123456, private-key-from-the-keyring-123)"
    )
    rule = LearnedRule("P", "m", "temperature", "temperature", None, None, message, "2026-11-30")
    kept = LearnedRuleStore(path).add(rule)
    text = path.read_text()
    for secret in ("sk-proj-abcdefghijklmnop1234", "secret123456", "private-key-from-the-keyring"):
        assert secret not in text
        assert secret not in kept.message
    assert "Unsupported parameter: 'temperature'" in text


def test_two_stores_do_not_lose_each_others_rules(tmp_path: Path) -> None:
    path = tmp_path / "learned_rules.json"
    window, cli = LearnedRuleStore(path), LearnedRuleStore(path)
    window.add(_rule())
    cli.add(_rule("seed"))
    assert {r.param for r in all_rules(path)} == {"temperature", "seed"}


def test_a_newer_file_is_read_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "learned_rules.json"
    fields = {k: getattr(_rule(), k) for k in LearnedRule.__dataclass_fields__}
    raw = {
        "schema_version": 2,
        "rules": [fields | {"expires": "2027-01-01"}],
        "future": True,
    }
    text = json.dumps(raw)
    path.write_text(text)
    store = LearnedRuleStore(path)
    assert store.read_only and store.notice is not None and "newer Playground" in store.notice
    assert store.rules() == (_rule(),)
    store.add(_rule("top_p"))
    assert [r.param for r in store.rules()] == ["temperature", "top_p"]  # this session
    assert path.read_text() == text


def test_unknown_fields_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "learned_rules.json"
    fields = {k: getattr(_rule(), k) for k in LearnedRule.__dataclass_fields__}
    path.write_text(json.dumps({"schema_version": 1, "rules": [fields | {"seen": 3}], "x": 1}))
    LearnedRuleStore(path).add(_rule("seed"))
    data = json.loads(path.read_text())
    assert data["x"] == 1 and data["rules"][0]["seen"] == 3 and len(data["rules"]) == 2


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    content=st.one_of(
        st.binary(max_size=60),
        st.sampled_from(
            [
                b"[]",
                b'"rules"',
                b'{"rules": 3}',
                b'{"rules": [{"provider": 1}]}',
                b'{"schema_version": "2"}',
                b'{"rules": [',
                b'{"schema_version": 9, "rules": []}',
            ]
        ),
    )
)
def test_a_file_this_version_cannot_fully_read_is_left_as_it_is(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "learned_rules.json"
    path.write_bytes(content)
    store = LearnedRuleStore(path)
    store.add(_rule())
    store.forget_model("OpenAI", "gpt-5.6")
    if store.read_only:
        assert path.read_bytes() == content
        assert store.notice is not None and str(path) in store.notice
    else:  # it was a file this version reads in full (an empty object, say)
        assert json.loads(path.read_text())["rules"] == []
