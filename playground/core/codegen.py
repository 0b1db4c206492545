"""Python written from JSON Schemas: typed tool stubs and Pydantic models."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from playground.core.pysource import INDENT, identifier, string
from playground.core.tool_loop import mock_output, stub_signature
from playground.core.workspace import FunctionTool


@dataclass
class Generated:
    source: str
    typing: set[str] = field(default_factory=set)


class _Types:
    """Maps schema nodes to annotations; collects the typing names and classes it needs."""

    def __init__(self, defs: dict[str, Any], make_classes: bool) -> None:
        self.defs = defs
        self.make_classes = make_classes
        self.typing: set[str] = set()
        self.classes: dict[str, str] = {}  # name -> source, in dependency order
        self._def_names: dict[str, str] = {}

    def annotation(self, node: Any, hint: str) -> str:
        if not isinstance(node, dict):
            self.typing.add("Any")
            return "Any"
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.rsplit("/", 1)[-1] in self.defs:
            key = ref.rsplit("/", 1)[-1]
            if not self.make_classes:
                return self.annotation(self.defs[key], key)
            return self.model(self.defs[key], key)
        if isinstance(node.get("enum"), list) and node["enum"]:
            values = [v for v in node["enum"] if v is not None]
            nullable = None in node["enum"]
            if all(isinstance(v, str | int | bool) for v in values) and values:
                self.typing.add("Literal")
                lit = f"Literal[{', '.join(_lit(v) for v in values)}]"
                return f"{lit} | None" if nullable else lit
        for key in ("anyOf", "oneOf"):
            if isinstance(node.get(key), list) and node[key]:
                parts = [self.annotation(b, hint) for b in node[key]]
                return " | ".join(dict.fromkeys(parts))
        kind = node.get("type")
        if isinstance(kind, list):
            parts = [self.annotation({**node, "type": k}, hint) for k in kind]
            return " | ".join(dict.fromkeys(parts))
        simple = {
            "string": "str",
            "integer": "int",
            "number": "float",
            "boolean": "bool",
            "null": "None",
        }
        if kind in simple:
            return simple[kind]
        if kind == "array":
            return f"list[{self.annotation(node.get('items', {}), _singular(hint))}]"
        if kind == "object" or "properties" in node:
            if self.make_classes and node.get("properties"):
                return self.model(node, hint)
            self.typing.add("Any")
            return "dict[str, Any]"
        self.typing.add("Any")
        return "Any"

    def model(self, node: dict[str, Any], hint: str) -> str:
        name = self._def_names.get(id(node).__str__()) or _class_name(hint, self.classes)
        self._def_names[str(id(node))] = name
        if name in self.classes:
            return name
        self.classes[name] = ""  # reserve (and stop recursion)
        lines = [f"class {name}(BaseModel):"]
        if node.get("description"):
            lines.append(f"{INDENT}{_docstring(str(node['description']))}")
        props = node.get("properties") or {}
        for prop, sub in props.items():
            ann = self.annotation(sub, prop)
            lines.append(f"{INDENT}{_field(prop)}: {ann}")
        if not props:
            lines.append(f"{INDENT}pass")
        source = "\n".join(lines)
        del self.classes[name]
        self.classes[name] = source
        return name


def _lit(value: Any) -> str:
    return string(value) if isinstance(value, str) else repr(value)


def _singular(hint: str) -> str:
    return hint[:-1] if hint.endswith("s") and len(hint) > 1 else f"{hint}_item"


def _class_name(hint: str, taken: dict[str, str]) -> str:
    base = "".join(p[:1].upper() + p[1:] for p in re.split(r"[^0-9a-zA-Z]+", hint) if p)
    base = base if base and base[0].isalpha() else f"Model{base}"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}{n}", n + 1
    return name


def _field(prop: str) -> str:
    return prop if identifier(prop) else f"{re.sub(r'[^0-9a-zA-Z_]', '_', prop)}_"


def _docstring(text: str, fallback: str = "A generated model.") -> str:
    """A one-line docstring: printable characters only, no quotes or backslashes to escape."""
    line = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    clean = line.replace("\\", "/").replace('"', "'")[:200].strip()
    return f'"""{clean or fallback}"""'


def pydantic_models(schema: dict[str, Any], name: str) -> tuple[Generated, str]:
    """Pydantic classes for a json_schema output; returns (code, root class name)."""
    types = _Types(dict(schema.get("$defs") or schema.get("definitions") or {}), True)
    root = types.model(schema, name)
    return Generated("\n\n\n".join(types.classes.values()), types.typing), root


def tool_functions(tools: list[FunctionTool]) -> Generated:
    """One stub per tool with a typed signature, and a TOOLS dispatch table."""
    out: list[str] = []
    typing: set[str] = set()
    for tool in tools:
        params = tool.parameters if isinstance(tool.parameters, dict) else {}
        types = _Types(dict(params.get("$defs") or {}), False)
        props = params.get("properties") or {}
        sig = stub_signature(tool)
        if sig.names_ok:
            args = [f"{p}: {types.annotation(props[p], p)}" for p in sig.required]
            args += [f"{p}: {types.annotation(props[p], p)} | None = None" for p in sig.optional]
        else:
            types.typing.add("Any")
            args = ["**arguments: Any"]
        signature = ", ".join(args)
        typing |= types.typing
        doc = _docstring(tool.description or f"The {tool.name} tool.")
        result = mock_output(tool)
        func = _func_name(tool.name)
        header = f"def {func}({signature}) -> str:"
        if len(header) > 88:
            header = f"def {func}(\n" + "".join(f"{INDENT}{a},\n" for a in args) + ") -> str:"
        out.append(f"{header}\n{INDENT}{doc}\n{INDENT}return {string(result)}")
    table = "TOOLS = {" + ", ".join(f"{string(t.name)}: {_func_name(t.name)}" for t in tools) + "}"
    if len(table) > 88:
        table = (
            "TOOLS = {\n"
            + "".join(f"{INDENT}{string(t.name)}: {_func_name(t.name)},\n" for t in tools)
            + "}"
        )
    return Generated("\n\n\n".join(out) + "\n\n\n" + table, typing)


def _func_name(name: str) -> str:
    clean = re.sub(r"[^0-9a-zA-Z_]", "_", name)
    return clean if identifier(clean) else f"tool_{clean}"
