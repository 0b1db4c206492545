"""The model catalog: what each model accepts, costs, supports and when it goes away.

The facts live in data, `catalog.json` beside this module (format: `catalog.schema.json`),
each with its sources and the date it was checked. A user override file of the same format
(`<config dir>/models.json`, see `load_override`) is merged over it. Rules are data, never
branches on model names: which parameters a model takes, at which values, and under which
conditions (`Rule`).

An id the catalog does not know is allowed and treated permissively (`unknown`).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from playground.core.model_info import (
    _UNSUPPORTED,
    PSEUDO,
    ApiName,
    CatalogError,
    Lifecycle,
    LongContext,
    ModelInfo,
    PricePoint,
    Rule,
    Source,
    Status,
)

# The entry types, re-exported: callers use catalog.ModelInfo and friends.
__all__ = [
    "PSEUDO",
    "ApiName",
    "CatalogError",
    "ModelInfo",
    "PricePoint",
    "Rule",
    "Source",
    "Status",
]

# -- loading ----------------------------------------------------------------------------------

_state: dict[str, Any] = {"override": None}


def _shipped_text() -> str:
    return resources.files("playground.core").joinpath("catalog.json").read_text("utf-8")


def _schema() -> dict[str, Any] | None:
    node = resources.files("playground.core").joinpath("catalog.schema.json")
    return dict(json.loads(node.read_text("utf-8"))) if node.is_file() else None


def parse(text: str, path: str = "") -> dict[str, Any]:
    """Parse and validate catalog text (shipped or override) against catalog.schema.json.

    Raises CatalogError with the 1-based line and column of the first problem."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogError(f"JSON syntax error: {exc.msg}", path, exc.lineno, exc.colno) from None
    if not isinstance(data, dict):
        raise CatalogError("a catalog file must be a JSON object", path, 1, 1)
    schema = _schema()
    if schema is not None:
        from jsonschema import Draft202012Validator

        errors = sorted(
            Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.absolute_path)
        )
        if errors:
            err = errors[0]
            line, column = _position(text, list(err.absolute_path))
            where = "/".join(str(p) for p in err.absolute_path) or "(top level)"
            raise CatalogError(f"{where}: {err.message}", path, line, column)
    return data


def _position(text: str, pointer: list[Any]) -> tuple[int, int]:
    from json_source_map import calculate

    mapping = calculate(text)
    while pointer:
        key = "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in pointer)
        entry = mapping.get(key)
        if entry is not None:
            loc = entry.key_start or entry.value_start
            return loc.line + 1, loc.column + 1
        pointer = pointer[:-1]
    return 1, 1


# Marks a merged entry whose rules an override gave in full (no template rules added).
_OWN_RULES = "_own_rules"


def merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`over` merged onto `base`: models by id (keys of an entry replaced one by one, new ids
    appended), sources and templates by key, non_text as a union."""
    out = dict(base)
    for key in ("sources", "templates"):
        out[key] = {**base.get(key, {}), **over.get(key, {})}
    models = [dict(m) for m in base.get("models", [])]
    index = {m["id"]: i for i, m in enumerate(models)}
    for entry in over.get("models", []):
        if "rules" in entry:  # an override's rules are the whole list, the template's too
            entry = {**entry, _OWN_RULES: True}
        if entry["id"] in index:
            models[index[entry["id"]]].update(entry)
        else:
            index[entry["id"]] = len(models)
            models.append(dict(entry))
    out["models"] = models
    out["non_text"] = sorted(set(base.get("non_text", [])) | set(over.get("non_text", [])))
    for key in ("checked", "schema_version"):
        if key in over:
            out[key] = over[key]
    return out


def load_override(path: Path | None) -> None:
    """Merge the user's override file at `path` over the shipped catalog from now on (None:
    the shipped catalog alone). A missing file is no override. Raises CatalogError (with
    line:column) for a file that cannot be used; the catalog then stays as it was."""
    data = None
    if path is not None and path.exists():
        try:
            text = path.read_text("utf-8")
        except OSError as exc:
            raise CatalogError(f"cannot read the file: {exc.strerror}", str(path)) from None
        except UnicodeDecodeError:
            raise CatalogError("cannot read the file: not UTF-8 text", str(path)) from None
        data = parse(text, str(path)) if text.strip() else None  # an empty file: none
        if data is not None:
            _check_refs(merge(_shipped(), data), str(path))
    _state["override"] = data
    _catalog.cache_clear()


def _check_refs(data: dict[str, Any], path: str) -> None:
    templates = data.get("templates", {})
    for entry in data.get("models", []):
        parent = entry.get("extends")
        if parent is not None and parent not in templates:
            raise CatalogError(f"model {entry['id']} extends unknown template {parent!r}", path)
        full = {**templates.get(parent or "", {}), **entry}
        efforts, default = full.get("efforts") or [], full.get("default_effort")
        if default is not None and default not in efforts:
            raise CatalogError(
                f"model {entry['id']}: default_effort {default!r} is not one of its efforts "
                f"({', '.join(efforts) or 'none'})",
                path,
            )


@cache
def _shipped() -> dict[str, Any]:
    # Not validated against the schema here: tests/core/test_catalog_data.py checks the shipped
    # file, and every start-up (window, CLI, simulator) would otherwise pay for it again.
    return dict(json.loads(_shipped_text()))


def _data() -> dict[str, Any]:
    over = _state["override"]
    return merge(_shipped(), over) if over else _shipped()


def _rule(raw: dict[str, Any]) -> Rule:
    error = raw.get("error") or {}
    return Rule(
        params=tuple(raw["params"]),
        values=tuple(raw["values"]) if raw.get("values") is not None else None,
        api=raw.get("api"),
        only_when=tuple((k, tuple(v)) for k, v in (raw.get("only_when") or {}).items()),
        error_message=error.get("message", _UNSUPPORTED),
        error_code=error.get("code", "unsupported_parameter"),
        error_param=error.get("param"),
        source=raw.get("source", ""),
        note=raw.get("note", ""),
    )


def _tiers(raw: dict[str, Any]) -> dict[str, tuple[tuple[str, float], ...]]:
    out: dict[str, tuple[tuple[str, float], ...]] = {}
    for name, value in raw.items():
        if isinstance(value, int | float):
            out[name] = (("0001-01-01", float(value)),)
        else:
            out[name] = tuple((str(s["since"]), float(s["factor"])) for s in value)
    return out


def _build(entry: dict[str, Any], templates: dict[str, Any]) -> ModelInfo:
    base = templates.get(entry.get("extends", ""), {})
    e = {**base, **entry}
    own = list(entry.get("rules", []))
    inherited = [] if entry.get(_OWN_RULES) else list(base.get("rules", []))
    e["rules"] = [r for i, r in enumerate(inherited + own) if r not in (inherited + own)[:i]]
    e["notes"] = list(base.get("notes", [])) + list(entry.get("notes", []))
    e["sources"] = {**base.get("sources", {}), **entry.get("sources", {})}
    lc = e.get("long_context")
    return ModelInfo(
        id=e["id"],
        entry_id=e["id"],
        family=e.get("family", e["id"]),
        reasoning=bool(e.get("reasoning", False)),
        efforts=tuple(e.get("efforts", ())),
        default_effort=e.get("default_effort"),
        summary=bool(e.get("summary", False)),
        verbosity=tuple(e.get("verbosity", ())),
        params=frozenset(e.get("params", ())),
        fixed=dict(e.get("fixed", {})),
        rules=tuple(_rule(r) for r in e["rules"]),
        apis=tuple(e.get("apis", ("responses", "chat"))),
        chat_token_param=e.get("chat_token_param", "max_completion_tokens"),
        context_window=e.get("context_window"),
        max_input=e.get("max_input"),
        max_output=e.get("max_output"),
        input_modalities=tuple(e.get("input", ("text",))),
        output_modalities=tuple(e.get("output", ("text",))),
        tools=tuple(e.get("tools", ())),
        prices=tuple(
            PricePoint(
                since=p["since"],
                input=float(p["input"]),
                cached_input=p.get("cached_input"),
                cache_write=p.get("cache_write"),
                output=float(p["output"]),
            )
            for p in e.get("prices", ())
        ),
        long_context=LongContext(int(lc["above"]), float(lc["input"]), float(lc["output"]))
        if lc
        else None,
        tiers=_tiers(e.get("tiers", {})),
        lifecycle=Lifecycle(**(e.get("lifecycle") or {})),
        sources={k: tuple(v) for k, v in e.get("sources", {}).items()},
        checked=e.get("checked"),
        notes=tuple(e.get("notes", ())),
        snapshots=tuple(e.get("snapshots", ())),
        aliases=tuple(e.get("aliases", ())),
        released=e.get("released"),
    )


@cache
def _catalog() -> tuple[tuple[ModelInfo, ...], dict[str, ModelInfo]]:
    data = _data()
    templates = data.get("templates", {})
    entries = tuple(_build(e, templates) for e in data.get("models", []))
    index: dict[str, ModelInfo] = {}
    for info in entries:
        index[info.id] = info
        for other in (*info.snapshots, *info.aliases):
            index.setdefault(other, replace(info, id=other))
    return entries, index


def models() -> tuple[ModelInfo, ...]:
    """Every catalog entry (snapshots and aliases not repeated), in catalog order."""
    return _catalog()[0]


def sources() -> dict[str, Source]:
    """Every source the catalog cites, by id."""
    return {
        k: Source(k, v.get("title", k), v.get("url", ""), v.get("kind", ""))
        for k, v in _data().get("sources", {}).items()
    }


def non_text_ids() -> frozenset[str]:
    """Spec model ids deliberately not in the catalog (audio and other non-text models)."""
    return frozenset(_data().get("non_text", ()))


def checked() -> str:
    """The date the catalog as a whole was last checked."""
    return str(_data().get("checked", ""))


def unknown(model_id: str) -> ModelInfo:
    """A permissive entry for an id the catalog does not know (custom servers, new models)."""
    return ModelInfo(
        id=model_id,
        entry_id=model_id,
        family="custom",
        known=False,
        efforts=(),
        summary=True,
        verbosity=("low", "medium", "high"),
        input_modalities=("text", "image"),
        apis=("chat", "responses"),
        chat_token_param="max_completion_tokens",
    )


def lookup(model_id: str) -> ModelInfo:
    """The entry for `model_id`: an entry id, one of its snapshots or aliases, or any id
    with a dated suffix (`gpt-4o-2024-08-06` -> gpt-4o); `unknown(model_id)` otherwise."""
    index = _catalog()[1]
    if model_id in index:
        return index[model_id]
    base = _strip_snapshot(model_id)
    if base != model_id and base in index:
        return replace(index[base], id=model_id)
    return unknown(model_id)


def successor(info: ModelInfo, today: date | None = None) -> ModelInfo | None:
    """The model to move to from `info`: its replacement, followed through replacements that
    are going away themselves, to the first active one; if the chain ends before one, the
    first one still running; None without any."""
    seen = {info.entry_id}
    current = info
    running: ModelInfo | None = None
    while current.lifecycle.replacement:
        nxt = lookup(current.lifecycle.replacement)
        if not nxt.known or nxt.entry_id in seen:
            break
        status = nxt.status(today)
        if status == "active":
            return nxt
        if status == "deprecated" and running is None:
            running = nxt
        seen.add(nxt.entry_id)
        current = nxt
    return running


def _strip_snapshot(model_id: str) -> str:
    parts = model_id.split("-")
    # gpt-4o-2024-08-06 -> gpt-4o ; o3-mini-2025-01-31 -> o3-mini
    if len(parts) > 3 and all(p.isdigit() for p in parts[-3:]):
        return "-".join(parts[:-3])
    return model_id


def cost_usd(
    model_id: str, input_tokens: int, cached_tokens: int, output_tokens: int
) -> float | None:
    """Standard-tier cost of one request, or None when the model's price is not known.
    (Kept for callers that have only token counts; `core.cost` honours tiers, cache
    writes, long context and price history.)"""
    from playground.core.cost import cost
    from playground.core.events import Usage

    found = cost(lookup(model_id), Usage(input_tokens, cached_tokens, output_tokens))
    return None if found is None else found.total
