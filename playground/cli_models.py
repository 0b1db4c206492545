"""`playground models [--profile P] [--json]`: the model catalog, as a person or a script reads it.

Each catalog model with its family, lifecycle (active; deprecated, shuts down D -> replacement;
shut down D -> replacement), today's Standard prices per 1M tokens (input / cached input / cache
write / output), context window and maximum output, reasoning efforts and conditional rules.
With --profile, also the models that profile's server lists (GET /v1/models) and the catalog
lacks (marked new, with any shutdown date the server announces), and the rules learned from
that server's refusals. Exit codes: 0 listed, 2 the profile is not in the settings, 4 the
server could not be asked (no key, or it failed).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import importlib.util
import json
import os
from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING, Any

from playground.cli_settings import EXIT_API, EXIT_INVALID, EXIT_OK, err, open_cli_settings
from playground.core import catalog
from playground.core.lifecycle import ServerModel, describe_status, server_badges

if TYPE_CHECKING:
    from playground.core.profiles import ProviderProfile


class ServerError(Exception):
    """The profile's server could not be asked for its models; the message says why."""


def models(args: argparse.Namespace, today: date | None = None) -> int:
    day = today or date.today()
    listed: list[ServerModel] | None = None
    learned: list[dict[str, Any]] = []
    if args.profile:
        settings = open_cli_settings()
        profile = settings.opened.settings.profile(args.profile)
        if profile is None:
            err(
                f"the provider profile {args.profile!r} given with --profile is not in this "
                f"machine's settings ({settings.path}); the profiles there: {settings.names()}"
            )
            return EXIT_INVALID
        try:
            listed = asyncio.run(_server_models(profile, args.api_key_env))
        except ServerError as exc:
            err(str(exc))
            return EXIT_API
        learned = learned_rules_for(profile.name)
    entries = [_entry(info, day) for info in catalog.models()]
    extra = _server_only(listed, day) if listed is not None else None
    if args.json:
        document: dict[str, Any] = {"checked": catalog.checked(), "models": entries}
        if extra is not None:
            document["profile"] = args.profile
            document["server_models"] = extra
            document["learned_rules"] = learned
        print(json.dumps(document, indent=2))
        return EXIT_OK
    for entry in entries:
        print(_text(entry))
    if extra is not None:
        print(f"\nfrom the server of {args.profile!r}, not in the catalog:")
        for row in extra:
            print(f"  {row['id']}  ({', '.join(row['badges'])})")
        if not extra:
            print("  (none)")
        print(f"\nlearned rules for {args.profile!r}:")
        for rule in learned:
            refused = f"{rule['param']}={rule['value']}" if rule["value"] else rule["param"]
            print(f"  {rule['model']}: {refused} refused ({rule['code'] or 'no code'})")
            print(f"    the server said: {rule['message']}  [learned {rule['learned_on']}]")
        if not learned:
            print("  (none)")
    return EXIT_OK


def learned_rules_for(profile: str) -> list[dict[str, Any]]:
    """HOOK for the learned-rules store (services/learned_rules.py, written alongside): the
    rules learned from `profile`'s refusals, as plain dicts (core.learned.LearnedRule fields).
    Empty while that module is not there."""
    name = "playground.services.learned_rules"
    if importlib.util.find_spec(name) is None:
        return []
    store = importlib.import_module(name).LearnedRuleStore()
    return [asdict(rule) for rule in store.rules() if rule.provider == profile]


def _entry(info: catalog.ModelInfo, day: date) -> dict[str, Any]:
    price = info.price_on(day)
    life = info.lifecycle
    return {
        "id": info.id,
        "family": info.family,
        "lifecycle": {
            "status": info.status(day),
            "shutdown": life.shutdown,
            "replacement": life.replacement,
            "text": describe_status(info, day),
        },
        "price_per_1m": None
        if price is None
        else {
            "since": price.since,
            "input": price.input,
            "cached_input": price.cached_input,
            "cache_write": price.cache_write,
            "output": price.output,
        },
        "context_window": info.context_window,
        "max_input": info.max_input,
        "max_output": info.max_output,
        "efforts": list(info.efforts),
        "default_effort": info.default_effort,
        "apis": list(info.apis),
        "rules": [
            {"params": list(r.params), "values": r.values, "condition": r.describe_condition()}
            for r in info.rules
        ],
    }


def _money(value: float | None) -> str:
    return "-" if value is None else f"${value:g}"


def _tokens(value: int | None) -> str:
    return "?" if value is None else f"{value:,}"


def _text(entry: dict[str, Any]) -> str:
    lines = [f"{entry['id']}  [{entry['family']}]  {entry['lifecycle']['text']}"]
    price = entry["price_per_1m"]
    if price is not None:
        lines.append(
            "  price per 1M: in {} / cached {} / write {} / out {}".format(
                *(_money(price[k]) for k in ("input", "cached_input", "cache_write", "output"))
            )
        )
    lines.append(
        f"  context {_tokens(entry['context_window'])} / max output {_tokens(entry['max_output'])}"
    )
    if entry["efforts"]:
        default = entry["default_effort"]
        shown = [f"{e} (default)" if e == default else e for e in entry["efforts"]]
        lines.append(f"  efforts: {', '.join(shown)}")
    for rule in entry["rules"]:
        values = f" = {', '.join(map(str, rule['values']))}" if rule["values"] else ""
        lines.append(f"  rule: {', '.join(rule['params'])}{values} {rule['condition']}")
    return "\n".join(lines)


def _server_only(listed: list[ServerModel], day: date) -> list[dict[str, Any]]:
    out = []
    for model in listed:
        if not catalog.lookup(model.id).known:
            badges = server_badges(model, False, day)
            out.append({"id": model.id, "shutdown_date": model.shutdown_date, "badges": badges})
    return out


async def _server_models(profile: ProviderProfile, api_key_env: str | None) -> list[ServerModel]:
    from playground.core.errors import Failure
    from playground.services.backend import OpenAIBackend
    from playground.services.connection import missing_key_message, resolve_key, simulator_url
    from playground.services.keystore import KeyStore

    key = resolve_key(profile, KeyStore(), os.environ, api_key_env=api_key_env)
    if profile.needs_key and not key:
        raise ServerError(missing_key_message(profile, api_key_env=api_key_env))
    sim = None
    if profile.kind == "simulator":
        from playground.services.simulator import Simulator

        sim = Simulator(speed=None).start()
        profile = profile.model_copy(update={"base_url": simulator_url(profile, sim.base_url)})
    backend = OpenAIBackend()
    try:
        return await backend.list_models(profile.model_copy(update={"max_retries": 0}), key)
    except Exception as exc:  # noqa: BLE001 - said to the user as a typed failure
        from playground.services.failures import failure_from_exception

        failure: Failure = failure_from_exception(exc)
        text = f"could not list the models of {profile.name!r}: {failure.describe()}"
        raise ServerError(text) from None
    finally:
        await backend.aclose()
        if sim is not None:
            sim.stop()
