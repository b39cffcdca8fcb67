"""Statements: straight-line code, branches joined, loops run once, try /
switch / classes / exports (handler-facts §2 "last assignment wins", "tainted
in either branch"; §5 exports). A mixin of Analyzer."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from lambda_secrets_lint.model.code import SinkKind
from lambda_secrets_lint.parsers.js.absval import AV, join, join_all, tainted
from lambda_secrets_lint.parsers.js.text import FUNCTION_TYPES, key_text, render, unwrap
from lambda_secrets_lint.parsers.js.vocab import MAX_DEPTH

if TYPE_CHECKING:  # pragma: no cover
    from tree_sitter import Node

    from lambda_secrets_lint.parsers.js.analyzer import Scope

__all__ = ["StatementsMixin", "exits"]


class StatementsMixin:
    """Methods of Analyzer (analyzer.py) that run statements."""

    def stmts(self, nodes: list["Node"], scope: Scope) -> None:
        for n in nodes:
            self.stmt(n, scope)

    def block(self, node: "Node | None", scope: Scope) -> None:
        if node is None:
            return
        if node.type == "statement_block":
            stmts = [c for c in node.named_children if c.type != "comment"]
            self._hoist(stmts, scope)
            self.stmts(stmts, scope)
        else:
            self.stmt(node, scope)

    def branches(self, scope: Scope, runs: list[Callable[[], None]]) -> None:
        """Run each alternative on a copy of the variables, then join."""
        pre = scope.vars
        results = []
        for run in runs:
            scope.vars = dict(pre)
            run()
            results.append(scope.vars)
        merged: dict[str, AV | None] = {}
        for result in results:
            for k, v in result.items():
                merged[k] = join(merged[k], v) if k in merged else v
        scope.vars = merged

    def stmt(self, n: "Node", scope: Scope) -> None:
        if self.depth > MAX_DEPTH:
            return
        self.depth += 1
        try:
            self._stmt(n, scope)
        finally:
            self.depth -= 1

    def _stmt(self, n: "Node", scope: Scope) -> None:  # noqa: C901 - a dispatch table in disguise
        t = n.type
        if t == "expression_statement":
            for c in n.named_children:
                if c.type != "comment":
                    self.eval(c, scope)
        elif t in ("lexical_declaration", "variable_declaration"):
            self.declaration(n, scope)
        elif t == "return_statement":
            value = next((c for c in n.named_children if c.type != "comment"), None)
            av = self.eval(value, scope) if value is not None else None
            self.on_return(av, n)
        elif t == "if_statement":
            cond = n.child_by_field_name("condition")
            if cond is not None:
                self.eval(cond, scope)
            cons = n.child_by_field_name("consequence")
            alt = n.child_by_field_name("alternative")
            alt_body = next((c for c in alt.named_children if c.type != "comment"), None) if alt is not None else None
            self.branches(scope, [lambda: self.block(cons, scope), lambda: self.block(alt_body, scope)])
        elif t == "statement_block":
            self.block(n, scope)
        elif t == "for_statement":
            for field in ("initializer", "condition", "increment"):
                part = n.child_by_field_name(field)
                if part is None:
                    continue
                if part.type in ("lexical_declaration", "variable_declaration"):
                    self.declaration(part, scope)
                elif part.type == "expression_statement":
                    self.stmt(part, scope)
                elif part.is_named:
                    self.eval(part, scope)
            body = n.child_by_field_name("body")
            self.branches(scope, [lambda: self.block(body, scope), lambda: None])
        elif t == "for_in_statement":
            self.for_in(n, scope)
        elif t in ("while_statement", "do_statement"):
            cond = n.child_by_field_name("condition")
            if cond is not None:
                self.eval(cond, scope)
            body = n.child_by_field_name("body")
            self.branches(scope, [lambda: self.block(body, scope), lambda: None])
        elif t == "try_statement":
            self.block(n.child_by_field_name("body"), scope)
            handler = n.child_by_field_name("handler")
            if handler is not None:
                param = handler.child_by_field_name("parameter")
                if param is not None:
                    self.bind_pattern(param, None, scope, handler, declare=True)
                body = handler.child_by_field_name("body")
                self.branches(scope, [lambda: self.block(body, scope), lambda: None])
            self.block(n.child_by_field_name("finalizer"), scope)
        elif t == "finally_clause":
            self.block(n.child_by_field_name("body"), scope)
        elif t == "throw_statement":
            self.throw(n, scope)
        elif t == "switch_statement":
            value = n.child_by_field_name("value")
            if value is not None:
                self.eval(value, scope)
            body = n.child_by_field_name("body")
            cases = [c for c in body.named_children if c.type in ("switch_case", "switch_default")] if body else []
            runs: list[Callable[[], None]] = []
            for case in cases:
                case_value = case.child_by_field_name("value")
                if case_value is not None:
                    self.eval(case_value, scope)
                stmts = [c for c in case.children_by_field_name("body") if c.is_named and c.type != "comment"]
                runs.append(lambda stmts=stmts: self.stmts(stmts, scope))
            if not any(c.type == "switch_default" for c in cases):
                runs.append(lambda: None)
            self.branches(scope, runs)
        elif t == "labeled_statement":
            self.block(n.child_by_field_name("body"), scope)
        elif t in ("function_declaration", "generator_function_declaration"):
            name = n.child_by_field_name("name")
            av = self.function_value(n, scope)
            if name is not None:
                scope.vars[self.src.text(name)] = av
        elif t in ("class_declaration", "abstract_class_declaration"):
            self.class_decl(n, scope)
        elif t == "export_statement":
            self.export(n, scope)
        elif t in ("import_statement", "comment", "empty_statement", "debugger_statement", "break_statement",
                   "continue_statement", "type_alias_declaration", "interface_declaration", "enum_declaration",
                   "ambient_declaration", "abstract_method_signature", "hash_bang_line"):
            return
        elif t in ("module", "internal_module"):
            self.block(n.child_by_field_name("body"), scope)
        else:
            for c in n.named_children:
                if c.type == "comment":
                    continue
                if c.type.endswith("_statement") or c.type.endswith("_declaration"):
                    self.stmt(c, scope)
                else:
                    self.eval(c, scope)

    def declaration(self, n: "Node", scope: Scope) -> list[str]:
        names: list[str] = []
        for d in n.named_children:
            if d.type != "variable_declarator":
                continue
            name = d.child_by_field_name("name")
            value = d.child_by_field_name("value")
            av = self.eval(value, scope) if value is not None else None
            if name is None:
                continue
            if name.type == "identifier":
                names.append(self.src.text(name))
            self.bind_pattern(name, av, scope, d, declare=True)
        return names

    def for_in(self, n: "Node", scope: Scope) -> None:
        left = n.child_by_field_name("left")
        right = n.child_by_field_name("right")
        op = n.child_by_field_name("operator")
        rav = self.eval(right, scope) if right is not None else None
        item: AV | None = None
        if op is not None and op.type == "of" and rav is not None:
            if rav.kind == "array" and not tainted(rav):
                item = join_all(rav.data) if rav.data else None
            elif tainted(rav):
                item = rav.with_shape(rav.shape)
        if left is not None:
            declare = n.child_by_field_name("kind") is not None
            self.bind_pattern(left, item, scope, n, declare=declare)
        body = n.child_by_field_name("body")
        self.branches(scope, [lambda: self.block(body, scope), lambda: None])

    def throw(self, n: "Node", scope: Scope) -> None:
        value = next((c for c in n.named_children if c.type != "comment"), None)
        if value is None:
            return
        inner = unwrap(value)
        via = "throw"
        if inner.type == "new_expression":
            ctor = inner.child_by_field_name("constructor")
            via = f"throw new {render(self.src, ctor)}" if ctor is not None else via
        av = self.eval(value, scope)
        if tainted(av):
            self.add_sink(SinkKind.ERROR, [av], via, n)

    def class_decl(self, n: "Node", scope: Scope) -> AV:
        name = n.child_by_field_name("name")
        av = AV(kind="class", node=n)
        if name is not None:
            scope.vars[self.src.text(name)] = av
        body = n.child_by_field_name("body")
        if body is None:
            return av
        for member in body.named_children:
            if member.type == "method_definition":
                self.function_value(member, scope)
            elif member.type in ("public_field_definition", "field_definition"):
                value = member.child_by_field_name("value")
                key = key_text(self.src, member.child_by_field_name("name") or member.child_by_field_name("property"))
                if value is None:
                    continue
                uv = unwrap(value)
                fav = self.function_value(uv, scope) if uv.type in FUNCTION_TYPES else self.eval(value, scope)
                if key:
                    scope.vars["this." + key] = fav
                    self.paths_stored = True
            elif member.type == "class_static_block":
                self.block(member.child_by_field_name("body"), scope)
        return av

    def export(self, n: "Node", scope: Scope) -> None:
        decl = n.child_by_field_name("declaration")
        is_default = any(c.type == "default" for c in n.children)
        if decl is not None and is_default:  # `export default function handler…` is not the named `handler`
            self.stmt(decl, scope)
            name = decl.child_by_field_name("name")
            self.exports.append(("default", scope.vars.get(self.src.text(name)) if name is not None else None))
            return
        if decl is not None:
            if decl.type in ("lexical_declaration", "variable_declaration"):
                for name in self.declaration(decl, scope):
                    self.exports.append((name, scope.vars.get(name)))
            else:
                self.stmt(decl, scope)
                name = decl.child_by_field_name("name")
                if name is not None:
                    text = self.src.text(name)
                    self.exports.append((text, scope.vars.get(text)))
            return
        value = n.child_by_field_name("value")
        if value is not None:
            uv = unwrap(value)
            av = self.function_value(uv, scope) if uv.type in FUNCTION_TYPES else self.eval(value, scope)
            self.exports.append(("default", av))
            return
        for clause in n.named_children:
            if clause.type != "export_clause":
                continue
            for spec in clause.named_children:
                if spec.type != "export_specifier":
                    continue
                local = spec.child_by_field_name("name")
                alias = spec.child_by_field_name("alias") or local
                if local is not None and alias is not None and n.child_by_field_name("source") is None:
                    self.export_names.append((self.src.text(local), key_text(self.src, alias) or ""))


def exits(stmt: "Node") -> bool:
    if stmt.type in ("return_statement", "throw_statement"):
        return True
    if stmt.type == "statement_block":
        return any(c.type in ("return_statement", "throw_statement") for c in stmt.named_children)
    return False
