"""Expression evaluation of the Python taint interpreter (handler-facts.md §2, §3).

Every expression evaluates to an AV (absval.py). Names, attributes,
subscripts, literals, operators, containers, comprehensions and lambdas are
here; calls are in calls.py.
"""
from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from lambda_secrets_lint.model.code import Cache, EnvRead, Tainted
from lambda_secrets_lint.parsers.python.absval import AV, CLEAN, NON_SECRET_FIELDS, Taint, merge_av, stronger
from lambda_secrets_lint.parsers.python.calls import CallsMixin
from lambda_secrets_lint.parsers.python.literals import string_value
from lambda_secrets_lint.parsers.python.scopes import Frame, FuncInfo, Guard
from lambda_secrets_lint.parsers.python.vocab import (
    FALSE_AV,
    NONE_AV,
    PERCENT_FIELD,
    RUNTIME_CREDENTIALS,
    TRUE_AV,
    builtin_av,
    clip,
    const_str,
    qual_av,
    sketch,
)
from lambda_secrets_lint.secrets.names import is_secret_name

MAX_EXPR_DEPTH = 100  # deeper sub-expressions are not analysed (CLEAN)


class ExprsMixin(CallsMixin):
    """Expression evaluation, mixed into `interp.Interpreter` (see CallsMixin)."""

    # ------------------------------------------------------------------ expressions
    def eval(self, node: cst.BaseExpression, frame: Frame) -> AV:
        if self._depth >= MAX_EXPR_DEPTH:
            return CLEAN
        self._depth += 1
        try:
            method = _EVAL.get(type(node))
            return method(self, node, frame) if method is not None else CLEAN
        finally:
            self._depth -= 1

    def _e_name(self, node: cst.Name, frame: Frame) -> AV:
        name = node.value
        if self._names_seen is not None:
            self._names_seen.add(name)
        fi = frame.fn
        if fi is not None and name in fi.time_names:
            self._time_hit = True
        value = self._lookup(name, frame)
        if value is not None:
            return value
        if name == "True":
            return TRUE_AV
        if name == "False":
            return FALSE_AV
        if name == "None":
            return NONE_AV
        return builtin_av(name)

    def _e_attribute(self, node: cst.Attribute, frame: Frame) -> AV:
        stored = self._stored_attr(node, frame)
        if stored is not None:
            return stored
        return self._attr(self.eval(node.value, frame), node.attr.value)

    def _stored_attr(self, node: cst.Attribute, frame: Frame) -> AV | None:
        """`obj.attr` assigned earlier in this scope (`obj.attr = …`)."""
        base = node.value
        if not isinstance(base, cst.Name):
            return None
        stored = self._lookup(f"{base.value}.{node.attr.value}", frame)
        if stored is not None and self._names_seen is not None:
            self._names_seen.add(base.value)
        return stored

    def _attr(self, base: AV, attr: str) -> AV:
        if base.kind in ("self", "class") and base.ref:
            found = self.attrs_cur.get(base.ref, {}).get(attr)
            previous = self.attrs_prev.get(base.ref, {}).get(attr)
            if found is None:
                return previous if previous is not None else CLEAN
            return merge_av(found, previous) if previous is not None else found
        if base.qual is not None and not base.qual.startswith("builtins."):
            return qual_av(f"{base.qual}.{attr}", base.taint)
        if base.taint is not None:
            return AV(self._field(base.taint, attr))
        return CLEAN

    def _field(self, taint: Taint, key: str | None) -> Taint | None:
        """taint of `x[key]` / `x.key` for a tainted x (key None: not constant)."""
        if key is not None and key.lower().replace("_", "").replace("-", "") in NON_SECRET_FIELDS:
            return None
        if taint.what is Tainted.ENVIRONMENT:
            if key is None:
                return None  # env[k] with a computed k: which variable is unknown
            if key in RUNTIME_CREDENTIALS or is_secret_name(key, self.extra):
                return Taint(Tainted.VALUE, f"env var {key}", taint.reads)
            return None
        return taint.as_(Tainted.VALUE)

    def _e_subscript(self, node: cst.Subscript, frame: Frame) -> AV:
        base = self.eval(node.value, frame)
        key: str | None = None
        is_slice = False
        index_av = CLEAN
        for element in node.slice:
            inner = element.slice
            if isinstance(inner, cst.Index):
                index_av = self.eval(inner.value, frame)
            else:
                is_slice = True
                for part in (inner.lower, inner.upper, inner.step):
                    if part is not None:
                        self.eval(part, frame)
        if len(node.slice) == 1 and not is_slice:
            key = const_str(index_av)
        if base.qual == "os.environ":
            return self._env_read(node, key) if key is not None else CLEAN
        if base.taint is None:
            return CLEAN
        if is_slice:
            return AV(base.taint)
        return AV(self._field(base.taint, key))

    def _env_read(self, node: cst.CSTNode, name: str) -> AV:
        self.env_reads.setdefault(id(node), EnvRead(name, self.loc(node, self._top)))
        taint = None
        if name in RUNTIME_CREDENTIALS or is_secret_name(name, self.extra):
            taint = Taint(Tainted.VALUE, f"env var {name}")
        return AV(taint, env=name, text=f"\x01{name}\x01")

    # -- literals
    def _e_string(self, node: cst.BaseExpression, frame: Frame) -> AV:
        value = string_value(node)
        if value is None:
            return CLEAN
        return AV(const=value, text=clip(value))

    def _e_fstring(self, node: cst.FormattedString, frame: Frame) -> AV:
        taint: Taint | None = None
        pieces: list[str] = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                pieces.append(part.value)
            elif isinstance(part, cst.FormattedStringExpression):
                value = self.eval(part.expression, frame)
                taint = stronger(taint, value.taint)
                pieces.append(sketch(value))
                if part.format_spec:
                    for spec in part.format_spec:
                        if isinstance(spec, cst.FormattedStringExpression):
                            taint = stronger(taint, self.eval(spec.expression, frame).taint)
        return AV(taint, text=clip("".join(pieces)))

    def _e_concat(self, node: cst.ConcatenatedString, frame: Frame) -> AV:
        value = string_value(node)
        if value is not None:
            return AV(const=value, text=clip(value))
        left = self.eval(node.left, frame)
        right = self.eval(node.right, frame)
        return AV(stronger(left.taint, right.taint), text=clip(sketch(left) + sketch(right)))

    def _e_number(self, node: cst.Integer | cst.Float, frame: Frame) -> AV:
        try:
            return AV(const=node.evaluated_value)
        except (ValueError, SyntaxError):
            return CLEAN

    # -- operators
    def _e_binop(self, node: cst.BinaryOperation, frame: Frame) -> AV:
        left = self.eval(node.left, frame)
        right = self.eval(node.right, frame)
        taint = stronger(left.taint, right.taint)
        text = None
        op = node.operator
        if isinstance(op, cst.Add) and (left.text is not None or right.text is not None):
            text = clip(sketch(left) + sketch(right))
        elif isinstance(op, cst.Modulo) and left.text is not None:
            # "…%s…" % x: the first field gets x's sketch, any other field is unknown
            first = PERCENT_FIELD.sub(lambda _m: sketch(right), left.text, count=1)
            text = clip(PERCENT_FIELD.sub("\x00", first))
        if taint is None and text is None:
            return CLEAN
        return AV(taint, text=text)

    def _e_boolop(self, node: cst.BooleanOperation, frame: Frame) -> AV:
        left = self.eval(node.left, frame)
        pushed = False
        if isinstance(node.operator, cst.Or) and isinstance(node.left, cst.Name) and frame.fn is not None:
            frame.guards.append(Guard(frozenset({node.left.value}), False))  # X = X or fetch()
            pushed = True
        right = self.eval(node.right, frame)
        if pushed:
            frame.guards.pop()
        return AV(stronger(left.taint, right.taint), kind=left.kind or right.kind, env=left.env or right.env,
                  text=left.text if left.text is not None else right.text)

    def _e_unary(self, node: cst.UnaryOperation, frame: Frame) -> AV:
        value = self.eval(node.expression, frame)
        if isinstance(node.operator, cst.Not):
            return CLEAN
        if isinstance(node.operator, cst.Minus) and isinstance(value.const, (int, float)):
            return AV(const=-value.const)
        return AV(value.taint) if value.taint is not None else CLEAN

    def _e_compare(self, node: cst.Comparison, frame: Frame) -> AV:
        outer = self._time_hit
        self._time_hit = False
        self.eval(node.left, frame)
        for target in node.comparisons:
            self.eval(target.comparator, frame)
        if self._time_hit and frame.fn is not None:
            frame.fn.compares_time = True
        self._time_hit = outer or self._time_hit
        return CLEAN

    def _e_ifexp(self, node: cst.IfExp, frame: Frame) -> AV:
        guard = self._guard(node.test, frame)
        frame.guards.append(guard)
        body = self.eval(node.body, frame)
        orelse = self.eval(node.orelse, frame)
        frame.guards.pop()
        return merge_av(body, orelse)

    def _e_await(self, node: cst.Await, frame: Frame) -> AV:
        return self.eval(node.expression, frame)

    def _e_named(self, node: cst.NamedExpr, frame: Frame) -> AV:
        value = self.eval(node.value, frame)
        self._bind(node.target, value, frame, False)
        return value

    def _e_yield(self, node: cst.Yield, frame: Frame) -> AV:
        value = node.value
        if isinstance(value, cst.From):
            self.eval(value.item, frame)
        elif value is not None:
            self.eval(value, frame)
        return CLEAN

    # -- containers
    def _e_sequence(self, node: cst.List | cst.Tuple | cst.Set, frame: Frame) -> AV:
        taint: Taint | None = None
        for element in node.elements:
            taint = stronger(taint, self.eval(element.value, frame).taint)
        return AV(taint) if taint is not None else CLEAN

    def _e_dict(self, node: cst.Dict, frame: Frame) -> AV:
        taint: Taint | None = None
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                self.eval(element.key, frame)
            taint = stronger(taint, self.eval(element.value, frame).taint)
        return AV(taint) if taint is not None else CLEAN

    def _e_comprehension(self, node: cst.BaseComp, frame: Frame) -> AV:
        inner = Frame("comp", frame, frame.fn, frame.class_key)
        inner.guards = frame.guards
        comp: cst.CompFor | None = node.for_in
        first = True
        while comp is not None:
            iterable = self.eval(comp.iter, frame if first else inner)
            first = False
            self._bind(comp.target, self._element(iterable, comp.iter, iterating=True), inner, False)
            for cond in comp.ifs:
                self.eval(cond.test, inner)
            comp = comp.inner_for_in
        if isinstance(node, cst.DictComp):
            taint = stronger(self.eval(node.key, inner).taint, self.eval(node.value, inner).taint)
        else:
            taint = self.eval(node.elt, inner).taint  # type: ignore[attr-defined]
        return AV(taint) if taint is not None else CLEAN

    def _e_lambda(self, node: cst.Lambda, frame: Frame) -> AV:
        self._eval_param_defaults(node.params, frame)
        fi = FuncInfo(f"{frame.fn.key if frame.fn else '<module>'}.<lambda>", None, frame, None)
        inner = Frame("lambda", frame, fi)
        params = node.params
        for p in (*params.posonly_params, *params.params, *params.kwonly_params):
            inner.vars[p.name.value] = CLEAN
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                inner.vars[star.name.value] = CLEAN
        self.eval(node.body, inner)
        for pending in fi.pending:
            pending.cache = Cache.NONE
        return AV(kind="lambda")



_EVAL: dict[type, Callable[[ExprsMixin, cst.BaseExpression, Frame], AV]] = {  # type: ignore[dict-item]
    cst.Name: ExprsMixin._e_name,
    cst.Attribute: ExprsMixin._e_attribute,
    cst.Subscript: ExprsMixin._e_subscript,
    cst.Call: CallsMixin._e_call,
    cst.SimpleString: ExprsMixin._e_string,
    cst.FormattedString: ExprsMixin._e_fstring,
    cst.ConcatenatedString: ExprsMixin._e_concat,
    cst.Integer: ExprsMixin._e_number,
    cst.Float: ExprsMixin._e_number,
    cst.BinaryOperation: ExprsMixin._e_binop,
    cst.BooleanOperation: ExprsMixin._e_boolop,
    cst.UnaryOperation: ExprsMixin._e_unary,
    cst.Comparison: ExprsMixin._e_compare,
    cst.IfExp: ExprsMixin._e_ifexp,
    cst.Await: ExprsMixin._e_await,
    cst.NamedExpr: ExprsMixin._e_named,
    cst.Yield: ExprsMixin._e_yield,
    cst.List: ExprsMixin._e_sequence,
    cst.Tuple: ExprsMixin._e_sequence,
    cst.Set: ExprsMixin._e_sequence,
    cst.Dict: ExprsMixin._e_dict,
    cst.ListComp: ExprsMixin._e_comprehension,
    cst.SetComp: ExprsMixin._e_comprehension,
    cst.GeneratorExp: ExprsMixin._e_comprehension,
    cst.DictComp: ExprsMixin._e_comprehension,
    cst.Lambda: ExprsMixin._e_lambda,
}

