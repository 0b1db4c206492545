"""The learned-rules file: refusals remembered per (provider, model), typed and versioned.

One JSON file in the data folder (`default_path()`), written atomically
(services/files.py `atomic_write`), holding only profile names, model ids, parameter names,
error codes, the server's messages (with anything that looks like a key redacted by
services/logs.py `redact`) and dates: never a key.

A file this version cannot fully read is never overwritten: one from a newer Playground
(`schema_version` above RULES_VERSION), one that is not JSON, or one whose rules do not
validate is used read-only (what can be read is used; new rules are kept for this session
only) and `notice` says so. Unknown fields round-trip through every save. Each change reads
the file again first, so two processes (the window and `playground run`) do not lose each
other's rules.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from playground import paths
from playground.core import learned
from playground.core.learned import LearnedRule
from playground.services.files import atomic_write
from playground.services.logs import redact

RULES_VERSION = 1
Rules = tuple[LearnedRule, ...]
FILE_NAME = "learned_rules.json"


class _Rule(BaseModel):
    model_config = ConfigDict(extra="allow")  # a newer version's fields round-trip

    provider: str
    model: str
    param: str
    wire: str
    value: str | None = None
    code: str | None = None
    message: str = ""
    learned_on: str

    def rule(self) -> LearnedRule:
        return LearnedRule(
            self.provider,
            self.model,
            self.param,
            self.wire,
            self.value,
            self.code,
            self.message,
            self.learned_on,
        )


class _File(BaseModel):
    model_config = ConfigDict(extra="allow")

    schema_version: int = RULES_VERSION
    rules: list[_Rule] = Field(default_factory=list)


class LearnedRulesReadOnly(Exception):
    """The file on disk must not be overwritten by this version; the message says why."""


def default_path() -> Path:
    """Where the app keeps learned rules: `<data dir>/learned_rules.json`."""
    return paths.data_dir() / FILE_NAME


def _scrubbed(rule: LearnedRule) -> LearnedRule:
    value = None if rule.value is None else redact(rule.value)
    return LearnedRule(
        rule.provider,
        rule.model,
        rule.param,
        rule.wire,
        value,
        rule.code,
        redact(rule.message),
        rule.learned_on,
    )


class LearnedRuleStore:
    """Add, list and forget learned rules, kept in one file (see the module docstring).

    Thread-safe: the window calls it from the GUI thread and from `asyncio.to_thread`."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()
        self.read_only = False
        """The file is one this version must not overwrite; changes live in memory only."""
        self.notice: str | None = None
        """What opening the file found wrong, naming it, for a banner; else None."""
        self._lock = threading.Lock()
        self._file = self._read()

    # -- reading -----------------------------------------------------------------------------

    def rules(self) -> tuple[LearnedRule, ...]:
        """Every rule, oldest first."""
        with self._lock:
            return tuple(r.rule() for r in self._file.rules)

    def learned_for(self, provider: str, model: str) -> tuple[LearnedRule, ...]:
        """The rules learned from the profile `provider` for the model id `model` as sent:
        what the request builder is given (`Target(learned=...)`)."""
        return learned.for_model(self.rules(), provider, model)

    # -- changing ----------------------------------------------------------------------------

    def add(self, rule: LearnedRule) -> LearnedRule:
        """Remember `rule` (redacted; one with the same key is replaced) and save. Returns
        the rule as kept. A read-only file keeps it in memory only."""
        rule = _scrubbed(rule)
        self._change(lambda rules: learned.merge(rules, rule))
        return rule

    def forget(self, rule: LearnedRule) -> None:
        """Forget one rule (matched by provider, model, param, wire and value) and save."""
        self._change(lambda rules: learned.forget(rules, rule))

    def forget_model(self, provider: str, model: str) -> None:
        """Forget every rule learned from `provider` for `model`, and save."""
        self._change(lambda rules: learned.forget_model(rules, provider, model))

    # -- private -----------------------------------------------------------------------------

    def _change(self, change: Callable[[Rules], Rules]) -> None:
        with self._lock:
            if not self.read_only:
                fresh = self._read()  # another process may have learned something meanwhile
                if not self.read_only:
                    self._file = fresh
            extras = {r.rule().key: r.model_extra or {} for r in self._file.rules}
            kept = change(tuple(r.rule() for r in self._file.rules))
            self._file.rules = [_Rule(**_fields(r), **extras.get(r.key, {})) for r in kept]
            if not self.read_only:
                atomic_write(self.path, self._file.model_dump_json(indent=2) + "\n", private=True)

    def _read(self) -> _File:
        try:
            text = self.path.read_bytes().decode("utf-8")
        except FileNotFoundError:
            return _File()
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or "not UTF-8 text"
            return self._refuse(f"cannot be read ({reason})", _File())
        try:
            data = json.loads(text)
        except ValueError as exc:
            return self._refuse(
                f"is not valid JSON (line {exc.lineno}, column {exc.colno})"
                if isinstance(exc, json.JSONDecodeError)
                else "is not valid JSON",
                _File(),
            )
        if not isinstance(data, dict):
            return self._refuse("is not a JSON object", _File())
        version = data.get("schema_version", RULES_VERSION)
        try:
            read = _File.model_validate(data)
        except ValidationError:
            return self._refuse("has values this version cannot read", _readable_part(data))
        if not isinstance(version, int) or version > RULES_VERSION:
            return self._refuse(
                f"was written by a newer Playground (schema_version {version})", read
            )
        return read

    def _refuse(self, why: str, what: _File) -> _File:
        self.read_only = True
        self.notice = (
            f"The learned-rules file {self.path} {why}; it is left as it is, and rules learned "
            "now are kept until Playground closes."
        )
        return what


def _fields(rule: LearnedRule) -> dict[str, Any]:
    return {
        "provider": rule.provider,
        "model": rule.model,
        "param": rule.param,
        "wire": rule.wire,
        "value": rule.value,
        "code": rule.code,
        "message": rule.message,
        "learned_on": rule.learned_on,
    }


def _readable_part(data: dict[str, Any]) -> _File:
    """The rules of a file that does not validate as a whole that do validate one by one."""
    good = []
    rules = data.get("rules")
    for raw in rules if isinstance(rules, list) else []:
        try:
            good.append(_Rule.model_validate(raw))
        except ValidationError:
            continue
    return _File(rules=good)


def all_rules(path: Path | None = None) -> tuple[LearnedRule, ...]:
    """Every learned rule in the file at `path` (default: `default_path()`), for listings
    such as `playground models --profile P`. Never writes the file."""
    return LearnedRuleStore(path).rules()


def learned_for(provider: str, model: str, path: Path | None = None) -> tuple[LearnedRule, ...]:
    """The rules learned from `provider` for `model`, read from the file at `path` (default:
    `default_path()`): what `request.build(..., target=Target(learned=...))` is given."""
    return LearnedRuleStore(path).learned_for(provider, model)
