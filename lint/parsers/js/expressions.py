"""Expressions: what each node type evaluates to (handler-facts §2, §3),
member access and assignments. A mixin of Analyzer; `_EVAL` dispatches on
the node type (calls and `new` live in calls.py)."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from lambda_secrets_lint.model.code import SecretName, Tainted
from lambda_secrets_lint.parsers.js.absval import UNKNOWN_PART, AV, join, strongest, tainted
from lambda_secrets_lint.parsers.js.calls import CallsMixin
from lambda_secrets_lint.parsers.js.text import FUNCTION_TYPES, decode_string, dotted, key_text, unwrap
from lambda_secrets_lint.parsers.js.vocab import MAX_DEPTH, is_number

if TYPE_CHECKING:  # pragma: no cover
    from tree_sitter import Node

    from lambda_secrets_lint.parsers.js.analyzer import Scope

__all__ = ["ExpressionsMixin"]


class ExpressionsMixin:
    """Methods of Analyzer (analyzer.py) that evaluate expressions."""

    def eval(self, n: "Node | None", scope: Scope) -> AV | None:
        if n is None or self.depth > MAX_DEPTH:
            return None
        self.depth += 1
        try:
            method = _EVAL.get(n.type)
            if method is None:
                return self.eval_generic(n, scope)
            return method(self, n, scope)
        finally:
            self.depth -= 1

    def eval_generic(self, n: "Node", scope: Scope) -> AV | None:
        for c in n.named_children:
            if c.type == "comment":
                continue
            if c.type in FUNCTION_TYPES:
                self.function_value(c, scope)
            elif c.type.endswith("_statement") or c.type.endswith("_declaration"):
                self.stmt(c, scope)
            else:
                self.eval(c, scope)
        return None

    def eval_none(self, n: "Node", scope: Scope) -> AV | None:
        return None

    def eval_identifier(self, n: "Node", scope: Scope) -> AV | None:
        name = self.src.text(n)
        if name == "undefined":
            return None
        return self.lookup(name, scope)

    def eval_this(self, n: "Node", scope: Scope) -> AV | None:
        return self.lookup("this", scope)

    def eval_string(self, n: "Node", scope: Scope) -> AV | None:
        value = self.src.string_value(n)
        return AV(parts=(value,), lit=value)

    def eval_number(self, n: "Node", scope: Scope) -> AV | None:
        text = self.src.text(n).replace("_", "")
        try:
            value: float | int = int(text, 0) if text[:2].lower() in ("0x", "0o", "0b") else float(text)
        except ValueError:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return AV(lit=value)

    def eval_true(self, n: "Node", scope: Scope) -> AV | None:
        return AV(lit=True)

    def eval_false(self, n: "Node", scope: Scope) -> AV | None:
        return AV(lit=False)

    def eval_template(self, n: "Node", scope: Scope) -> AV | None:
        parts: list[str | SecretName] = []
        taint: AV | None = None
        for c in n.named_children:
            if c.type == "template_substitution":
                inner = next((x for x in c.named_children if x.type != "comment"), None)
                av = self.eval(inner, scope)
                taint = join(taint, av) if tainted(av) else taint
                parts.extend(av.parts if av is not None and av.parts else (UNKNOWN_PART,))
            elif c.type in ("string_fragment", "escape_sequence"):
                text = self.src.text(c)
                if c.type == "escape_sequence":
                    text = decode_string(text)
                if parts and isinstance(parts[-1], str):
                    parts[-1] = parts[-1] + text  # type: ignore[operator]
                else:
                    parts.append(text)
        if not parts:
            parts = [""]
        lit = parts[0] if len(parts) == 1 and isinstance(parts[0], str) else None
        if taint is not None:
            return AV(taint.shape, taint.origin, parts=tuple(parts), src=taint.src)
        return AV(parts=tuple(parts), lit=lit)

    def eval_wrapped(self, n: "Node", scope: Scope) -> AV | None:
        inner = unwrap(n)
        if inner.id == n.id:
            return self.eval_generic(n, scope)
        if inner.type in FUNCTION_TYPES:
            return self.function_value(inner, scope)
        return self.eval(inner, scope)

    def eval_await(self, n: "Node", scope: Scope) -> AV | None:
        inner = next((c for c in n.named_children if c.type != "comment"), None)
        return self.eval(inner, scope)

    def eval_sequence(self, n: "Node", scope: Scope) -> AV | None:
        out = None
        for c in n.named_children:
            if c.type != "comment":
                out = self.eval(c, scope)
        return out

    def eval_spread(self, n: "Node", scope: Scope) -> AV | None:
        inner = next((c for c in n.named_children if c.type != "comment"), None)
        av = self.eval(inner, scope)
        if av is not None and av.kind == "env":
            return AV(Tainted.ENVIRONMENT, "process.env")
        return av

    def eval_function(self, n: "Node", scope: Scope) -> AV | None:
        return self.function_value(n, scope)

    def eval_class(self, n: "Node", scope: Scope) -> AV | None:
        return self.class_decl(n, scope)

    def eval_ternary(self, n: "Node", scope: Scope) -> AV | None:
        self.eval(n.child_by_field_name("condition"), scope)
        return join(self.eval(n.child_by_field_name("consequence"), scope),
                    self.eval(n.child_by_field_name("alternative"), scope))

    def eval_unary(self, n: "Node", scope: Scope) -> AV | None:
        op = n.child_by_field_name("operator")
        av = self.eval(n.child_by_field_name("argument"), scope)
        if op is None:
            return None
        if op.type == "-" and av is not None and isinstance(av.lit, (int, float)) and not isinstance(av.lit, bool):
            return AV(lit=-av.lit)
        if op.type == "+":
            return av
        return None  # ! typeof void delete ~ : clean

    def eval_update(self, n: "Node", scope: Scope) -> AV | None:
        self.eval(n.child_by_field_name("argument"), scope)
        return None

    def eval_binary(self, n: "Node", scope: Scope) -> AV | None:
        opn = n.child_by_field_name("operator")
        op = opn.type if opn is not None else ""
        left = self.eval(n.child_by_field_name("left"), scope)
        right = self.eval(n.child_by_field_name("right"), scope)
        if op == "+":
            lnum = left.lit if left is not None else None
            rnum = right.lit if right is not None else None
            if (isinstance(lnum, (int, float)) and isinstance(rnum, (int, float))
                    and not isinstance(lnum, bool) and not isinstance(rnum, bool)):
                return AV(lit=lnum + rnum)
            taint = join(left if tainted(left) else None, right if tainted(right) else None)
            lp = left.parts if left is not None and left.parts else (UNKNOWN_PART,)
            rp = right.parts if right is not None and right.parts else (UNKNOWN_PART,)
            parts = lp + rp if (left is not None and left.parts) or (right is not None and right.parts) else None
            if taint is not None:
                return AV(taint.shape, taint.origin, parts=parts, src=taint.src)
            return AV(parts=parts) if parts else None
        if op in ("||", "??", "&&"):
            taint = join(left if tainted(left) else None, right if tainted(right) else None)
            base = left if left is not None and (left.parts or left.kind) else right
            if taint is None:
                return base
            return AV(taint.shape, taint.origin, parts=base.parts if base is not None else None, src=taint.src)
        if op in ("-", "*", "/", "%", "**"):
            a = left.lit if left is not None else None
            b = right.lit if right is not None else None
            if is_number(a) and is_number(b):
                try:
                    value = {"-": lambda: a - b, "*": lambda: a * b, "/": lambda: a / b, "%": lambda: a % b,
                             "**": lambda: a ** b}[op]()
                except (ArithmeticError, OverflowError):
                    return None
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                return AV(lit=value)
            return None
        return None  # comparisons, in, instanceof, bitwise: clean

    def eval_array(self, n: "Node", scope: Scope) -> AV | None:
        items: list[AV | None] = []
        for c in n.named_children:
            if c.type == "comment":
                continue
            uc = unwrap(c)
            items.append(self.function_value(uc, scope) if uc.type in FUNCTION_TYPES else self.eval(c, scope))
        taint = strongest(items)
        if taint is not None:
            return AV(taint.shape, taint.origin, kind="array", data=items, node=n, src=taint.src)
        return AV(kind="array", data=items, node=n)

    def eval_object(self, n: "Node", scope: Scope) -> AV | None:
        data: dict[str, AV | None] = {}
        taint: AV | None = None
        for c in n.named_children:
            ct = c.type
            if ct == "pair":
                key = key_text(self.src, c.child_by_field_name("key"))
                keynode = c.child_by_field_name("key")
                if key is None and keynode is not None:
                    self.eval(keynode, scope)
                value = c.child_by_field_name("value")
                if value is None:
                    continue
                uv = unwrap(value)
                av = self.function_value(uv, scope) if uv.type in FUNCTION_TYPES else self.eval(value, scope)
                data[key if key is not None else "?"] = av
            elif ct == "shorthand_property_identifier":
                name = self.src.text(c)
                av = self.lookup(name, scope)
                data[name] = av
            elif ct == "spread_element":
                av = self.eval_spread(c, scope)
                if av is not None and av.kind == "object" and not tainted(av):
                    data.update(av.data)
            elif ct == "method_definition":
                av = self.function_value(c, scope)
                key = key_text(self.src, c.child_by_field_name("name"))
                if key:
                    data[key] = av
            else:
                continue
            if tainted(av):
                taint = join(taint, av)
        if taint is not None:
            return AV(taint.shape, taint.origin, kind="object", data=data, node=n, src=taint.src)
        return AV(kind="object", data=data, node=n)

    def eval_member(self, n: "Node", scope: Scope) -> AV | None:
        if self.paths_stored:
            path = dotted(self.src, n)
            if path is not None:
                s = scope.find(path)
                if s is not None:
                    return s.vars[path]
        obj = self.eval(n.child_by_field_name("object"), scope)
        key = key_text(self.src, n.child_by_field_name("property"))
        if obj is not None and obj.parts and key == "href":
            return obj
        return self.member(obj, key, n, scope)

    def eval_subscript(self, n: "Node", scope: Scope) -> AV | None:
        obj = self.eval(n.child_by_field_name("object"), scope)
        index = n.child_by_field_name("index")
        key = None
        if index is not None:
            key = self._static_key(index, scope)
            if key is None:
                self.eval(index, scope)
        if obj is not None and obj.kind == "array" and not tainted(obj) and key is not None and key.isdigit():
            items = obj.data
            i = int(key)
            return items[i] if i < len(items) else None
        return self.member(obj, key, n, scope)

    def eval_assign(self, n: "Node", scope: Scope) -> AV | None:
        right = n.child_by_field_name("right")
        left = n.child_by_field_name("left")
        if right is None:
            return None
        ur = unwrap(right)
        av = self.function_value(ur, scope) if ur.type in FUNCTION_TYPES else self.eval(right, scope)
        if left is not None:
            self.assign(left, av, scope, n)
        return av

    def eval_augassign(self, n: "Node", scope: Scope) -> AV | None:
        opn = n.child_by_field_name("operator")
        op = opn.type if opn is not None else "+="
        av = self.eval(n.child_by_field_name("right"), scope)
        left = n.child_by_field_name("left")
        if left is None:
            return av
        if op in ("+=", "??=", "||=", "&&="):
            self.assign(left, av, scope, n, op=op)
        return av

    def assign(self, target: "Node", av: AV | None, scope: Scope, node: "Node", op: str = "=") -> None:
        t = unwrap(target)
        tt = t.type
        if tt == "identifier":
            self.set_var(self.src.text(t), av, scope, node, op=op)
            return
        if tt in ("object_pattern", "array_pattern"):
            self.bind_pattern(t, av, scope, node, declare=False)
            return
        if tt not in ("member_expression", "subscript_expression"):
            return
        path = dotted(self.src, t)
        if path == "module.exports":
            if av is not None and av.kind == "object" and isinstance(av.data, dict):
                self.exports.extend(av.data.items())
            else:
                self.exports.append(("module.exports", av))
            return
        if path is not None:
            segs = path.split(".")
            if segs[0] == "exports" and len(segs) == 2:
                self.exports.append((segs[1], av))
                return
            if segs[:2] == ["module", "exports"] and len(segs) == 3:
                self.exports.append((segs[2], av))
                return
        # the root variable of the target
        root = t
        while root.type in ("member_expression", "subscript_expression"):
            if root.type == "subscript_expression":
                index = root.child_by_field_name("index")
                if index is not None and self._static_key(index, scope) is None:
                    self.eval(index, scope)
            root = unwrap(root.child_by_field_name("object"))  # type: ignore[arg-type]
        if root.type not in ("identifier", "this"):
            self.eval(root, scope)
            return
        root_name = self.src.text(root)
        if root_name in ("process", "module", "exports", "window", "globalThis", "global"):
            return
        holder = self.lookup(root_name, scope)
        if holder is not None and holder.kind == "middy_request":
            if tainted(av) and path is not None and path.startswith(root_name + ".context."):
                self.context_filled.update(holder.data[1])  # request.context.key = secret
            return
        if path is not None:
            s = scope.find(path) or scope.find(root_name) or (self.module if root_name != "this" else scope)
            if s is scope or op != "=":
                s.vars[path] = join(s.vars.get(path), av) if op != "=" else av
            else:
                s.vars[path] = join(s.vars.get(path), av)
            self.paths_stored = True
        if tainted(av):
            assert av is not None
            current = self.lookup(root_name, scope)
            if current is not None and current.kind == "middy_context":
                return
            if root_name != "this":
                grown = join(current if tainted(current) else None, av.with_shape(av.shape))
                self.set_var(root_name, grown, scope, node, op="=")
        if root_name == "this" and path is not None and av is not None and av.src is not None and self.fn is not None:
            # `this.value = await fetch…` in a method: a cache when the instance
            # is module-level (the usual singleton), judged like a module variable
            self._store(av.src, path, node, self.module, op=op)


_EVAL: dict[str, Callable[..., AV | None]] = {
    "identifier": ExpressionsMixin.eval_identifier,
    "this": ExpressionsMixin.eval_this,
    "string": ExpressionsMixin.eval_string,
    "template_string": ExpressionsMixin.eval_template,
    "number": ExpressionsMixin.eval_number,
    "true": ExpressionsMixin.eval_true,
    "false": ExpressionsMixin.eval_false,
    "null": ExpressionsMixin.eval_none,
    "undefined": ExpressionsMixin.eval_none,
    "regex": ExpressionsMixin.eval_none,
    "comment": ExpressionsMixin.eval_none,
    "member_expression": ExpressionsMixin.eval_member,
    "subscript_expression": ExpressionsMixin.eval_subscript,
    "call_expression": CallsMixin.eval_call,
    "new_expression": CallsMixin.eval_new,
    "await_expression": ExpressionsMixin.eval_await,
    "parenthesized_expression": ExpressionsMixin.eval_wrapped,
    "as_expression": ExpressionsMixin.eval_wrapped,
    "satisfies_expression": ExpressionsMixin.eval_wrapped,
    "non_null_expression": ExpressionsMixin.eval_wrapped,
    "type_assertion": ExpressionsMixin.eval_wrapped,
    "assignment_expression": ExpressionsMixin.eval_assign,
    "augmented_assignment_expression": ExpressionsMixin.eval_augassign,
    "binary_expression": ExpressionsMixin.eval_binary,
    "unary_expression": ExpressionsMixin.eval_unary,
    "update_expression": ExpressionsMixin.eval_update,
    "ternary_expression": ExpressionsMixin.eval_ternary,
    "sequence_expression": ExpressionsMixin.eval_sequence,
    "array": ExpressionsMixin.eval_array,
    "object": ExpressionsMixin.eval_object,
    "spread_element": ExpressionsMixin.eval_spread,
    "arrow_function": ExpressionsMixin.eval_function,
    "function_expression": ExpressionsMixin.eval_function,
    "function": ExpressionsMixin.eval_function,
    "generator_function": ExpressionsMixin.eval_function,
    "class": ExpressionsMixin.eval_class,
    "template_substitution": ExpressionsMixin.eval_await,
    "type_identifier": ExpressionsMixin.eval_none,
    "predefined_type": ExpressionsMixin.eval_none,
    "type_arguments": ExpressionsMixin.eval_none,
    "type_annotation": ExpressionsMixin.eval_none,
}
