"""Python written from JSON Schemas: typed tool stubs and Pydantic models."""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from playground.core.instances import pointer
from playground.core.pysource import INDENT, Filled, identifier, literal, string
from playground.core.tool_loop import mock_output, stub_signature
from playground.core.workspace import FunctionTool


@dataclass
class Generated:
    """Generated source and what it needs: typing names, pydantic names, postponed annotations."""

    source: str
    typing: set[str] = field(default_factory=set)
    pydantic: set[str] = field(default_factory=set)
    future: bool = False


# Names a generated class or field must not take: the names the code uses, builtins it
# annotates with, and BaseModel's own attributes (a field may not shadow them).
_TAKEN = {"Any", "Literal", "BaseModel", "ConfigDict", "Field", "annotations"}
_TAKEN |= {"str", "int", "float", "bool", "list", "dict", "object", "type"}
_MODEL_ATTRS = set(dir(BaseModel))


@dataclass
class _Field:
    prop: str
    annotation: str
    required: bool
    description: str | None
    constraints: list[str] = field(default_factory=list)


@dataclass
class _Class:
    name: str
    doc: str | None
    fields: list[_Field]
    forbid_extra: bool


class _Types:
    """Maps schema nodes to annotations; collects the typing names and classes it needs.

    With `make_classes`, every object with properties becomes a class (a `$defs` entry keeps its
    name, `$ref: "#"` is the root class); without, objects are `dict[str, Any]`.
    """

    def __init__(self, root: Any, make_classes: bool) -> None:
        self.root = root
        self.make_classes = make_classes
        self.typing: set[str] = set()
        self.classes: list[_Class] = []  # in the order they are finished: dependencies first
        self.cyclic = False  # a class refers to one that is not finished yet
        self._names: dict[int, str] = {}
        self._open: list[str] = []
        self._inline: set[str] = set()

    def any(self) -> str:
        self.typing.add("Any")
        return "Any"

    def annotation(self, node: Any, hint: str) -> str:
        if not isinstance(node, dict):
            return self.any()
        ref = node.get("$ref")
        if isinstance(ref, str):
            return self._ref(ref)
        if "const" in node and _literal_ok(node["const"]):
            self.typing.add("Literal")
            return "None" if node["const"] is None else f"Literal[{_lit(node['const'])}]"
        if isinstance(node.get("enum"), list) and node["enum"]:
            return self._enum(node["enum"], node)
        for key in ("anyOf", "oneOf"):
            if isinstance(node.get(key), list) and node[key]:
                parts = [self.annotation(b, f"{hint}_option") for b in node[key]]
                return _union(parts)
        if isinstance(node.get("allOf"), list) and len(node["allOf"]) == 1:
            return self.annotation(node["allOf"][0], hint)
        kind = node.get("type")
        if isinstance(kind, list):
            parts = [
                self._object(node, hint)
                if k == "object"
                else self.annotation({**node, "type": k}, hint)
                for k in kind
            ]
            return _union(parts)
        simple = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
        if kind in simple:
            return simple[kind]
        if kind == "null":
            return "None"
        if kind == "array" or (kind is None and "items" in node):
            items = node.get("items")
            return f"list[{self.annotation(items, _singular(hint)) if items else self.any()}]"
        if kind == "object" or "properties" in node:
            return self._object(node, hint)
        return self.any()

    def _ref(self, ref: str) -> str:
        target = pointer(self.root, ref)
        if target is None:
            return self.any()
        hint = ref.rsplit("/", 1)[-1] if ref.startswith("#/") else "Model"
        if self.make_classes and _has_properties(target):
            return self.model(target, hint)
        if ref in self._inline:  # a recursion through non-class nodes: any value
            return self.any()
        self._inline.add(ref)
        try:
            return self.annotation(target, hint)
        finally:
            self._inline.discard(ref)

    def _enum(self, values: list[Any], node: dict[str, Any]) -> str:
        if not all(_literal_ok(v) for v in values):
            return self.annotation({k: v for k, v in node.items() if k != "enum"}, "value")
        present = [v for v in values if v is not None]
        parts = []
        if present:
            self.typing.add("Literal")
            parts.append(f"Literal[{', '.join(_lit(v) for v in present)}]")
        if None in values:
            parts.append("None")
        return _union(parts)

    def _object(self, node: dict[str, Any], hint: str) -> str:
        if self.make_classes and _has_properties(node):
            return self.model(node, hint)
        extra = node.get("additionalProperties")
        value = self.annotation(extra, hint) if isinstance(extra, dict) else self.any()
        return f"dict[str, {value}]"

    def model(self, node: dict[str, Any], hint: str) -> str:
        """The class for an object schema (made once per node), by name."""
        name = self._names.get(id(node))
        if name is not None:
            if name in self._open and name != self._open[-1]:
                self.cyclic = True
            return name
        name = _class_name(hint, set(self._names.values()))
        self._names[id(node)] = name
        self._open.append(name)
        props: dict[str, Any] = node.get("properties") or {}
        required = set(node.get("required") or [])
        fields = []
        for prop, sub in props.items():
            ann = self.annotation(sub, prop)
            desc = sub.get("description") if isinstance(sub, dict) else None
            fields.append(
                _Field(
                    prop,
                    ann,
                    prop in required,
                    desc if isinstance(desc, str) else None,
                    _constraints(sub, ann),
                )
            )
        doc = node.get("description")
        forbid = node.get("additionalProperties") is False
        self.classes.append(_Class(name, doc if isinstance(doc, str) else None, fields, forbid))
        self._open.pop()
        return name


_CONSTRAINTS = {
    "str": {"pattern": "pattern", "minLength": "min_length", "maxLength": "max_length"},
    "list": {"minItems": "min_length", "maxItems": "max_length"},
    "number": {
        "minimum": "ge",
        "maximum": "le",
        "exclusiveMinimum": "gt",
        "exclusiveMaximum": "lt",
        "multipleOf": "multiple_of",
    },
}


def _constraints(node: Any, annotation: str) -> list[str]:
    """Field(...) arguments that keep a property's own constraints in the schema the SDK sends.

    Only for a single type (or it or None): pydantic applies them to that type.
    """
    kinds = [p for p in annotation.split(" | ") if p != "None"]
    if not isinstance(node, dict) or len(kinds) != 1:
        return []
    kind = kinds[0]
    group = "number" if kind in ("int", "float") else "list" if kind.startswith("list[") else kind
    out = [
        f"{arg}={_lit(node[key])}"
        for key, arg in _CONSTRAINTS.get(group, {}).items()
        if isinstance(node.get(key), str | int | float) and not isinstance(node.get(key), bool)
    ]
    if kind == "str" and isinstance(node.get("format"), str):
        out.append(f"json_schema_extra={{{string('format')}: {string(node['format'])}}}")
    return out


def _has_properties(node: Any) -> bool:
    return (
        isinstance(node, dict)
        and isinstance(node.get("properties"), dict)
        and bool(node["properties"])
    )


def _literal_ok(value: Any) -> bool:
    return value is None or isinstance(value, str | int | bool)


def _union(parts: list[str]) -> str:
    unique = list(dict.fromkeys(parts))
    if "Any" in unique:
        return "Any"
    # None last, as people write it: `str | None`
    return " | ".join([p for p in unique if p != "None"] + [p for p in unique if p == "None"])


def _lit(value: Any) -> str:
    return string(value) if isinstance(value, str) else repr(value)


def _singular(hint: str) -> str:
    """The name for an array's items: `tags` -> `tag`, `grid` -> `grid_item` (once)."""
    if hint.endswith("_item"):
        return hint
    return hint[:-1] if hint.endswith("s") and len(hint) > 1 else f"{hint}_item"


def _class_name(hint: str, taken: set[str]) -> str:
    base = "".join(p[:1].upper() + p[1:] for p in re.split(r"[^0-9a-zA-Z]+", hint) if p)
    base = base if base and base[0].isalpha() and base.isascii() else f"Model{base}"
    if keyword.iskeyword(base) or base in _TAKEN or base in _MODEL_ATTRS:
        base = f"{base}Model"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}{n}", n + 1
    return name


def _field_name(prop: str, reserved: set[str], used: set[str]) -> str:
    """A Python name for a property: itself when it can be one, else a cleaned name (aliased)."""
    name = prop
    if not _usable(name, reserved):
        name = re.sub(r"\W", "_", prop, flags=re.ASCII).lstrip("_") or "field"
        if name[0].isdigit() or name.startswith("model_"):
            name = f"field_{name}"
        while not _usable(name, reserved):
            name += "_"
    base, n = name, 2
    while name in used:
        name, n = f"{base}_{n}", n + 1
    used.add(name)
    return name


def _usable(name: str, reserved: set[str]) -> bool:
    return (
        name.isidentifier()
        and name.isascii()
        and not keyword.iskeyword(name)
        and not name.startswith(("_", "model_"))
        and name not in reserved
        and name not in _MODEL_ATTRS
        and name not in _TAKEN
    )


def _docstring(text: str, fallback: str = "A generated model.") -> str:
    """A one-line docstring: printable characters only, no quotes or backslashes to escape."""
    line = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    clean = line.replace("\\", "/").replace('"', "'")[:200].strip()
    return f'"""{clean or fallback}"""'


def _render(cls: _Class, reserved: set[str], pydantic: set[str]) -> str:
    lines = [f"class {cls.name}(BaseModel):"]
    if cls.doc:
        lines.append(f"{INDENT}{_docstring(cls.doc)}")
    if cls.forbid_extra:
        pydantic.add("ConfigDict")
        lines.append(f'{INDENT}model_config = ConfigDict(extra="forbid")')
    if cls.doc or cls.forbid_extra:
        lines.append("")
    used: set[str] = set()
    for f in cls.fields:
        name = _field_name(f.prop, reserved, used)
        ann = f.annotation if f.required else _union([f.annotation, "None"])
        args = [] if f.required else ["None"]
        if name != f.prop:
            args.append(f"alias={string(f.prop)}")
        if f.description:
            args.append(f"description={string(f.description)}")
        args += f.constraints
        if args == ["None"]:
            lines.append(f"{INDENT}{name}: {ann} = None")
        elif args:
            pydantic.add("Field")
            lines.append(f"{INDENT}{name}: {ann} = Field({', '.join(args)})")
        else:
            lines.append(f"{INDENT}{name}: {ann}")
    if not cls.fields:
        lines.append(f"{INDENT}pass")
    return "\n".join(lines).replace("\n\n    pass", "\n    pass").rstrip("\n")


def pydantic_models(schema: dict[str, Any], name: str) -> tuple[Generated, str]:
    """Pydantic v2 classes for a json_schema output; returns (code, root class name).

    The code uses postponed annotations (`from __future__ import annotations`, flagged in
    `Generated.future`) and calls `model_rebuild()` when classes refer to each other, so
    recursive and mutually recursive schemas import and validate.
    """
    types = _Types(schema, True)
    root = types.model(schema, name) if isinstance(schema, dict) else _class_name(name, set())
    if not types.classes:
        types.classes.append(_Class(root, None, [], False))
    reserved = {c.name for c in types.classes}
    needs = {"BaseModel"}
    blocks = [_render(c, reserved, needs) for c in types.classes]
    source = "\n\n\n".join(blocks)
    if types.cyclic:
        source += "\n\n\n" + "\n".join(f"{c.name}.model_rebuild()" for c in types.classes)
    return Generated(source, types.typing, needs, future=True), root


def tool_functions(tools: list[FunctionTool], template: bool = False) -> Generated:
    """One stub per tool with a typed signature, and a TOOLS dispatch table. `template`: a
    mock output with `{{` in it is returned through the program's `fill`."""
    out: list[str] = []
    typing: set[str] = set()
    for tool in tools:
        params = tool.parameters if isinstance(tool.parameters, dict) else {}
        types = _Types(params, False)
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
        value = Filled(result) if template and "{{" in result else result
        returned = literal(value, len(INDENT) + 7, depth=1)
        out.append(f"{header}\n{INDENT}{doc}\n{INDENT}return {returned}")
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
