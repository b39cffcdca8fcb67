"""Top-level definitions of a JS/TS file and their lines, so the IAM linker
can tell which exported handler a secret read belongs to."""
from __future__ import annotations

import re

from typing import TYPE_CHECKING

from lambda_secrets_lint.model.code import Definition

if TYPE_CHECKING:
    from tree_sitter import Node

_FUNCTIONS = ("function_declaration", "generator_function_declaration")
_LEXICAL = ("lexical_declaration", "variable_declaration")


def _text(node: "Node | None") -> str:
    return node.text.decode("utf-8", "replace") if node is not None and node.text is not None else ""


def _named(node: "Node") -> list[tuple[str, "Node"]]:
    if node.type in _FUNCTIONS:
        return [(_text(node.child_by_field_name("name")), node)]
    if node.type in _LEXICAL:
        return [(_text(d.child_by_field_name("name")), node) for d in node.named_children if d.type == "variable_declarator"]
    if node.type == "export_statement":
        inner = node.child_by_field_name("declaration")
        if inner is not None:
            return [(name, node) for name, _ in _named(inner)]
        return []
    if node.type == "expression_statement" and node.named_children:
        expr = node.named_children[0]
        if expr.type == "assignment_expression":
            left = expr.child_by_field_name("left")
            # exports.handler = … / module.exports.handler = …
            if left is not None and left.type == "member_expression":
                obj = _text(left.child_by_field_name("object"))
                if obj in ("exports", "module.exports"):
                    return [(_text(left.child_by_field_name("property")), node)]
    return []


def definitions(root: "Node") -> tuple[Definition, ...]:
    out: list[Definition] = []
    for child in root.named_children:
        for name, node in _named(child):
            if name:
                out.append(Definition(name, node.start_point[0] + 1, node.end_point[0] + 1))
    return tuple(out)


_RELATIVE = ("./", "../", "/")


def _string_value(node: "Node | None") -> str:
    if node is None or node.type not in ("string", "template_string"):
        return ""
    return _text(node)[1:-1]


def _require_target(node: "Node") -> str:
    """`require('./x')` (possibly wrapped in `.default` / `await import('./x')`)."""
    while node.type in ("member_expression", "await_expression", "parenthesized_expression"):
        inner = node.child_by_field_name("object") or (node.named_children[0] if node.named_children else None)
        if inner is None:
            return ""
        node = inner
    if node.type != "call_expression":
        return ""
    fn = node.child_by_field_name("function")
    args = node.child_by_field_name("arguments")
    if fn is None or args is None or _text(fn) not in ("require", "import") or not args.named_children:
        return ""
    return _string_value(args.named_children[0])


# `require('./x')` / `import('./x')` anywhere (inside functions too: lazy
# loading). A text scan is enough: a match in a comment only adds a local
# file that exists to the handler's closure.
_NESTED = re.compile(r"""\b(?:require|import)\s*\(\s*['"`](\.{1,2}/[^'"`\s]+)['"`]\s*\)""")


def nested_imports(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.group(1) for m in _NESTED.finditer(text)))


def local_imports(root: "Node") -> tuple[str, ...]:
    """Relative module specifiers of the file's top-level imports, re-exports
    and `require()`s: the local files it ships with (the IAM linker follows
    them from a handler to the helpers that read its secrets)."""
    out: list[str] = []
    for child in root.named_children:
        spec = ""
        if child.type in ("import_statement", "export_statement"):
            spec = _string_value(child.child_by_field_name("source"))
        elif child.type in _LEXICAL:
            for d in child.named_children:
                value = d.child_by_field_name("value") if d.type == "variable_declarator" else None
                if value is not None and (spec := _require_target(value)):
                    if spec.startswith(_RELATIVE):
                        out.append(spec)
            continue
        elif child.type == "expression_statement" and child.named_children:
            expr = child.named_children[0]
            spec = _require_target(expr.child_by_field_name("right") if expr.type == "assignment_expression" and expr.child_by_field_name("right") is not None else expr)
        if spec.startswith(_RELATIVE):
            out.append(spec)
    return tuple(dict.fromkeys(out))
