"""CDK TS/JS: the IAM-relevant values of a stack file, read statically.

Shared by the role reading (cdk_ts_iam.py) and the policy reading
(cdk_ts_policies.py); it goes through the builder's same-file resolution
(lint/parsers/cdk_ts.py) and never guesses.

- `glob`: a policy resource as an IAM-style glob — literal text, template
  strings and `+`, the text of `param.parameterArn` / `secret.secretArn`
  (cdk_ts_stores.py), `*` for a partition / region / account token, and `*`
  that marks the statement `unresolved` for any other unknown part.
- `array` / `strings` / `spread_strings` / `resources`: the elements of a
  literal array (through variables and spreads); None when not literal.
- `json`: an object literal as data (`PolicyStatement.fromJson`,
  `PolicyDocument.fromJson`).
- `props` / `construct_id` / `method` / `is_class`: small readers of a
  construct or call.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from lambda_secrets_lint.parsers.cdk_ts_stores import resource_text
from lambda_secrets_lint.parsers.js.text import key_text, unwrap

if TYPE_CHECKING:  # pragma: no cover
    from tree_sitter import Node

    from lambda_secrets_lint.parsers.cdk_ts import _Builder

__all__ = ["MAX_DEPTH", "ValueReader"]

MAX_DEPTH = 12


class ValueReader:
    def __init__(self, b: "_Builder") -> None:
        self.b = b

    # -- constructs and calls -----------------------------------------------

    def props(self, node: "Node") -> "Node | None":
        """A construct's props: the object literal of its third argument."""
        args = self.b._args(node)
        return self.b._object(args[2], 0) if len(args) > 2 else None

    def construct_id(self, node: "Node") -> str:
        args = self.b._args(node)
        return (self.b._literal(args[1]) if len(args) > 1 else None) or ""

    def method(self, call: "Node") -> str:
        """The method a call invokes (`x.y.fromJson(...)` → "fromJson"); "" for a plain call."""
        callee = unwrap(call.child_by_field_name("function"))  # type: ignore[arg-type]
        if callee.type != "member_expression":
            return ""
        return key_text(self.b.src, callee.child_by_field_name("property")) or ""

    def is_class(self, new: "Node", cls: str) -> bool:
        ctor = new.child_by_field_name("constructor")
        found = self.b._class_of(ctor) if ctor is not None else None
        return found is not None and found[1] == cls

    def resolved(self, node: "Node") -> "Node":
        return self.b._follow(node)

    # -- literal lists ------------------------------------------------------

    def array(self, node: "Node | None", depth: int) -> list["Node"] | None:
        """The elements of a literal array (through variables and spreads); None if not literal."""
        if node is None or depth > MAX_DEPTH:
            return None
        expr = self.resolved(node)
        if expr.type != "array":
            return None
        out: list["Node"] = []
        for child in expr.named_children:
            if child.type == "comment":
                continue
            if child.type == "spread_element":
                inner = [c for c in child.named_children if c.type != "comment"]
                items = self.array(inner[0], depth + 1) if inner else None
                if items is None:
                    return None
                out.extend(items)
            else:
                out.append(child)
        return out

    def strings(self, node: "Node") -> list[str] | None:
        items = self.array(node, 0)
        if items is None:
            return None
        out = []
        for item in items:
            text = self.b._literal(item)
            if text is None:
                return None
            out.append(text)
        return out

    def spread_strings(self, args: list["Node"]) -> list[str] | None:
        out: list[str] = []
        for arg in args:
            if arg.type == "spread_element":
                inner = [c for c in arg.named_children if c.type != "comment"]
                items = self.strings(inner[0]) if inner else None
            else:
                text = self.b._literal(arg)
                items = [text] if text is not None else None
            if items is None:
                return None
            out.extend(items)
        return out

    def resources(self, node: "Node") -> list[tuple[str, bool]] | None:
        items = self.array(node, 0)
        return None if items is None else [self.glob(item) for item in items]

    # -- resources and documents --------------------------------------------

    def glob(self, node: "Node", depth: int = 0) -> tuple[str, bool]:
        """A policy resource as a glob: (text, unresolved). Region / account /
        partition tokens become `*` (they do not change what is granted);
        any other unknown part becomes `*` and marks the statement unresolved."""
        b = self.b
        src = b.src
        node = unwrap(node)
        if depth > MAX_DEPTH:
            return "*", True
        t = node.type
        if t == "string":
            return src.string_value(node), False
        if t == "template_string":
            text, unresolved, pos = "", False, node.start_byte + 1
            for child in node.named_children:
                if child.type != "template_substitution":
                    continue
                text += src.data[pos : child.start_byte].decode("utf-8", errors="replace")
                inner = [c for c in child.named_children if c.type != "comment"]
                part, u = self.glob(inner[0], depth + 1) if inner else ("*", True)
                text, unresolved, pos = text + part, unresolved or u, child.end_byte
            text += src.data[pos : node.end_byte - 1].decode("utf-8", errors="replace")
            return re.sub(r"\*{2,}", "*", text), unresolved
        if t == "binary_expression":
            op = node.child_by_field_name("operator")
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if op is not None and src.text(op) == "+" and left is not None and right is not None:
                (lt, lu), (rt, ru) = self.glob(left, depth + 1), self.glob(right, depth + 1)
                return re.sub(r"\*{2,}", "*", lt + rt), lu or ru
            return "*", True
        if t == "member_expression":
            obj = unwrap(node.child_by_field_name("object"))  # type: ignore[arg-type]
            prop = key_text(src, node.child_by_field_name("property")) or ""
            if b._pseudo(obj, prop):
                return "*", False
            found = resource_text(b._kind(obj, 0), prop)
            if found is not None:
                return found
        key = b._var_key(node)
        if key is not None:
            value = b._resolve(key, node.start_byte)
            if value is not None and unwrap(value).start_byte != node.start_byte:
                return self.glob(value, depth + 1)
        return "*", True

    def json(self, node: "Node", depth: int) -> Any:
        """An object literal as a policy document for statements_from_document;
        an unknown value becomes a Ref that resolves to `*` (widened)."""
        b = self.b
        node = unwrap(node)
        if depth > MAX_DEPTH:
            return {"Ref": "?"}
        expr = self.resolved(node)
        if expr.type == "object":
            return {k: self.json(v, depth + 1) for k, _kn, v in b._entries(expr, 0)}
        if expr.type == "array":
            items = self.array(expr, 0)
            return [self.json(i, depth + 1) for i in items] if items is not None else {"Ref": "?"}
        text = b._literal(expr)
        if text is not None:
            return text
        glob, unresolved = self.glob(expr)
        return {"Ref": "?"} if unresolved else glob
