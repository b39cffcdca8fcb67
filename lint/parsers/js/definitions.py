"""Top-level definitions of a JS/TS file and their lines, so the IAM linker
can tell which exported handler a secret read belongs to."""
from __future__ import annotations

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
