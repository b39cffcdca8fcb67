"""The taint interpreter of the Python extractor (handler-facts.md §1–§7).

An abstract interpretation over statements in source order, one frame per
scope: the module, each class body, each function / method / lambda /
comprehension. Expressions evaluate to `absval.AV`; names map to AVs in the
frame that binds them. Import aliases are AVs with a qualified name, so
`import boto3 as b`, `from boto3 import client`, `from os import environ`
and imports inside functions all resolve the same way.

Order of work in one ROUND:
1. the module body (module-level code runs once, at init);
2. every function body, queued as its `def` is met (nested functions after
   their parent, with the parent's final bindings as their closure). A
   function sees the module's final bindings (globals).
Calls to same-module functions use the return values computed by the
previous round, and reads of globals written inside functions (`global X`,
`CACHE[k] = …`) and of `self.<attr>` written in methods use the previous
round's writes too. Rounds repeat until those summaries stop changing (at
most 3); the facts of the last round are the result.

Branches: each branch of an if / try / match runs on a copy of the bindings,
and the copies are joined afterwards (tainted in either branch → tainted).
A branch that always ends in return/raise/continue/break does not reach the
join. Loop bodies run once and are joined with the state before the loop.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable

import libcst as cst

from lambda_secrets_lint.model.code import (
    Cache,
    EnvRead,
    SecretRead,
    Sink,
    SinkKind,
    Tainted,
)
from lambda_secrets_lint.model.location import Location
from lambda_secrets_lint.parsers.python.absval import AV, CLEAN, merge_av, stronger, taint_of
from lambda_secrets_lint.parsers.python.exprs import ExprsMixin
from lambda_secrets_lint.parsers.python.literals import dotted
from lambda_secrets_lint.parsers.python.scopes import Frame, FuncInfo, Guard, PendingRead
from lambda_secrets_lint.parsers.python.vocab import (
    CONTEXT_PARAMS,
    EVENT_PARAMS,
    HANDLER_DECORATORS,
    HANDLER_NAMES,
    block_of,
    is_terminal,
    last_name,
    qual_av,
)

__all__ = ["Interpreter"]

MAX_ROUNDS = 3


class Interpreter(ExprsMixin):
    def __init__(self, module: cst.Module, loc: Callable[[cst.CSTNode, int | None], Location],
                 extra_words: tuple[str, ...]) -> None:
        self.module = module
        self._top: int | None = None  # index of the top-level statement being interpreted
        self.loc = loc
        self.extra = extra_words
        self.ret_prev: dict[str, AV] = {}
        self.globals_prev: dict[str, AV] = {}
        self.attrs_prev: dict[str, dict[str, AV]] = {}
        self._depth = 0
        self._time_hit = False
        self._names_seen: set[str] | None = None

    # ------------------------------------------------------------------ rounds
    def run(self) -> tuple[list[SecretRead], list[EnvRead], list[Sink]]:
        previous: object = self._signature({}, {}, {})
        for _ in range(MAX_ROUNDS):
            self._round()
            current = self._signature(self.ret_cur, self.globals_cur, self.attrs_cur)
            if current == previous:
                break
            previous = current
            self.ret_prev = self.ret_cur
            self.globals_prev = self.globals_cur
            self.attrs_prev = self.attrs_cur
        reads = [self._finish_read(p) for p in self.reads.values()]
        return reads, list(self.env_reads.values()), list(self.sinks.values())

    @staticmethod
    def _signature(*tables: dict) -> object:  # type: ignore[type-arg]
        """What the next round depends on: tainted or typed (client, logger…)
        returns, global writes and self attributes. Methods and classes bound
        in class bodies are the same in every round, so they do not count."""

        def summary(av: AV) -> object:
            if av.taint is None and av.kind in (None, "func", "class"):
                return None
            t = av.taint
            return (t.what.value if t else None, t.origin if t else None, t.secret if t else None, av.kind, av.ref)

        out = []
        for table in tables:
            rows = []
            for key, value in table.items():
                if isinstance(value, dict):
                    inner = tuple(sorted((k, v) for k, v in ((k, summary(v)) for k, v in value.items()) if v))
                    if inner:
                        rows.append((key, inner))
                else:
                    row = summary(value)
                    if row is not None:
                        rows.append((key, row))
            out.append(tuple(sorted(rows, key=repr)))
        return tuple(out)

    def _round(self) -> None:
        self.reads: dict[int, PendingRead] = {}
        self.env_reads: dict[int, EnvRead] = {}
        self.sinks: dict[int, Sink] = {}
        self.ret_cur: dict[str, AV] = {}
        self.globals_cur: dict[str, AV] = {}
        self.attrs_cur: dict[str, dict[str, AV]] = {}
        self.queue: deque[FuncInfo] = deque()
        self.module_frame = Frame("module", None, None)
        for top, statement in enumerate(self.module.body):
            self._top = top
            self.block((statement,), self.module_frame)
        while self.queue:
            fi = self.queue.popleft()
            self._top = fi.top
            self.run_function(fi)

    def _finish_read(self, p: PendingRead) -> SecretRead:
        cache = p.cache if p.cache is not None else Cache.NONE
        return SecretRead(
            service=p.service, action=p.action, api=p.api, names=p.names, location=p.location,
            in_function=p.in_function, cache=cache, cache_seconds=p.seconds if cache is Cache.TTL else None,
            decrypted=p.decrypted,
        )

    # ------------------------------------------------------------------ functions
    def run_function(self, fi: FuncInfo) -> None:
        node = fi.node
        assert isinstance(node, cst.FunctionDef)
        frame = Frame("function", fi.parent, fi, fi.class_key)
        params = node.params
        positional = list(params.posonly_params) + list(params.params)
        for p in (*positional, *params.kwonly_params):
            frame.vars[p.name.value] = fi.defaults.get(p.name.value, CLEAN)  # a default value may be the argument
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                frame.vars[star.name.value] = CLEAN
        if fi.class_key is not None and positional and not self._is_staticmethod(node):
            frame.vars[positional[0].name.value] = AV(kind="self", ref=fi.class_key)
        self.block(block_of(node.body), frame)
        self.ret_cur[fi.key] = fi.ret if fi.ret is not None else CLEAN
        for pending in fi.pending:
            self._decide_lazy_cache(pending, fi)

    @staticmethod
    def _is_staticmethod(node: cst.FunctionDef) -> bool:
        return any(dotted(d.decorator) == "staticmethod" for d in node.decorators)

    def _decide_lazy_cache(self, p: PendingRead, fi: FuncInfo) -> None:
        if p.cache is not None:
            return
        guarding = [g for g in p.guards if g.names & (p.stores | fi.global_writes)]
        if not guarding:
            p.cache = Cache.NONE
        elif fi.compares_time or any(g.time for g in guarding):
            p.cache = Cache.TTL
        else:
            p.cache = Cache.FOREVER

    def _define_function(self, node: cst.FunctionDef, frame: Frame) -> None:
        for deco in node.decorators:
            self.eval(deco.decorator, frame)
        defaults = self._eval_param_defaults(node.params, frame)
        name = node.name.value
        if frame.kind == "class":
            key = f"{frame.class_key}.{name}"
            class_key: str | None = frame.class_key
        elif frame.kind == "module":
            key = name
            class_key = None
        else:
            owner = frame.fn.key if frame.fn is not None else "?"
            key = f"{owner}.<locals>.{name}"
            class_key = None
        defining = frame
        while defining.kind == "class" and defining.parent is not None:
            defining = defining.parent
        fi = FuncInfo(key, node, defining, class_key)
        fi.top = self._top
        fi.defaults = defaults
        fi.is_handler = frame.kind == "module" and self._is_handler(node)
        fi.decor_cache = self._decorator_cache(node, frame)
        frame.vars[name] = AV(kind="func", ref=key)
        self.queue.append(fi)

    def _eval_param_defaults(self, params: cst.Parameters, frame: Frame) -> dict[str, AV]:
        """Default values are evaluated where the function is defined."""
        defaults: dict[str, AV] = {}
        for p in (*params.posonly_params, *params.params, *params.kwonly_params):
            if p.default is not None:
                value = self.eval(p.default, frame)
                if value.taint is not None or value.kind is not None:
                    defaults[p.name.value] = value
        return defaults

    @staticmethod
    def _is_handler(node: cst.FunctionDef) -> bool:
        name = node.name.value
        if name in HANDLER_NAMES or name.endswith("_handler"):
            return True
        params = node.params
        positional = list(params.posonly_params) + list(params.params)
        if (
            len(positional) == 2
            and positional[0].name.value in EVENT_PARAMS
            and positional[1].name.value in CONTEXT_PARAMS
        ):
            return True
        for deco in node.decorators:
            expr = deco.decorator
            if isinstance(expr, cst.Call):
                expr = expr.func
            last = last_name(expr)
            if last in HANDLER_DECORATORS:
                return True
        return False

    def _decorator_cache(self, node: cst.FunctionDef, frame: Frame) -> tuple[Cache, float | None] | None:
        for deco in node.decorators:
            expr = deco.decorator
            call = expr if isinstance(expr, cst.Call) else None
            last = last_name(call.func if call is not None else expr)
            if last in ("lru_cache", "cache"):
                return (Cache.FOREVER, None)
            if last == "ttl_cache":
                seconds = self._call_number(call, "ttl", 1) if call is not None else None
                return (Cache.TTL, seconds if seconds is not None else 600.0)
            if last == "cached" and call is not None:
                store = self._arg_node(call, "cache", 0)
                if isinstance(store, cst.Call) and last_name(store.func) == "TTLCache":
                    return (Cache.TTL, self._call_number(store, "ttl", 1))
                return (Cache.FOREVER, None)
        return None

    def _call_number(self, call: cst.Call, keyword: str, position: int) -> float | None:
        node = self._arg_node(call, keyword, position)
        if node is None:
            return None
        value = self.eval(node, self.module_frame).const
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        return None

    @staticmethod
    def _arg_node(call: cst.Call, keyword: str, position: int) -> cst.BaseExpression | None:
        index = 0
        for arg in call.args:
            if arg.keyword is not None:
                if arg.keyword.value == keyword:
                    return arg.value
            elif not arg.star:
                if index == position:
                    return arg.value
                index += 1
        return None

    # ------------------------------------------------------------------ statements
    def block(self, stmts: Iterable[cst.CSTNode], frame: Frame) -> None:
        n_guards = len(frame.guards)
        for stmt in stmts:
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    self.small(small, frame)
            elif isinstance(stmt, cst.BaseSmallStatement):  # `if x: a(); b()` on one line
                self.small(stmt, frame)
            else:
                self.compound(stmt, frame)
        del frame.guards[n_guards:]

    def small(self, node: cst.BaseSmallStatement, frame: Frame) -> None:
        if isinstance(node, cst.Expr):
            self.eval(node.value, frame)
        elif isinstance(node, cst.Assign):
            self._assign(node, frame)
        elif isinstance(node, cst.AnnAssign):
            if node.value is not None:
                self._time_hit = False
                value = self.eval(node.value, frame)
                self._bind(node.target, value, frame, self._time_hit)
        elif isinstance(node, cst.AugAssign):
            self._time_hit = False
            right = self.eval(node.value, frame)
            left = self.eval(node.target, frame)
            self._bind(node.target, left.with_taint(stronger(left.taint, right.taint)) if right.taint else left,
                       frame, self._time_hit)
        elif isinstance(node, cst.Return):
            self._return(node, frame)
        elif isinstance(node, cst.Raise):
            self._raise(node, frame)
        elif isinstance(node, cst.Import):
            self._import(node, frame)
        elif isinstance(node, cst.ImportFrom):
            self._import_from(node, frame)
        elif isinstance(node, cst.Global):
            frame.globals_decl.update(n.name.value for n in node.names)
        elif isinstance(node, cst.Assert):
            self.eval(node.test, frame)
            if node.msg is not None:
                self.eval(node.msg, frame)
        elif isinstance(node, cst.Del):
            pass

    def _assign(self, node: cst.Assign, frame: Frame) -> None:
        value_node = node.value
        targets = [t.target for t in node.targets]
        if (
            len(targets) == 1
            and isinstance(targets[0], (cst.Tuple, cst.List))
            and isinstance(value_node, (cst.Tuple, cst.List))
            and len(targets[0].elements) == len(value_node.elements)
            and not any(isinstance(e, cst.StarredElement) for e in (*targets[0].elements, *value_node.elements))
        ):
            for t_el, v_el in zip(targets[0].elements, value_node.elements):
                self._time_hit = False
                value = self.eval(v_el.value, frame)
                self._bind(t_el.value, value, frame, self._time_hit)
            return
        self._time_hit = False
        value = self.eval(value_node, frame)
        hit = self._time_hit
        for target in targets:
            self._bind(target, value, frame, hit)

    def compound(self, node: cst.BaseCompoundStatement, frame: Frame) -> None:
        if isinstance(node, cst.If):
            self._if(node, frame)
        elif isinstance(node, cst.FunctionDef):
            self._define_function(node, frame)
        elif isinstance(node, cst.ClassDef):
            self._class(node, frame)
        elif isinstance(node, (cst.For,)):
            iterable = self.eval(node.iter, frame)
            before = frame.vars
            frame.vars = dict(before)
            self._bind(node.target, self._element(iterable, node.iter, iterating=True), frame, False)
            self.block(block_of(node.body), frame)
            frame.vars = self._join(before, frame.vars)
            if node.orelse is not None:
                self.block(block_of(node.orelse.body), frame)
        elif isinstance(node, cst.While):
            self.eval(node.test, frame)
            before = frame.vars
            frame.vars = dict(before)
            self.block(block_of(node.body), frame)
            frame.vars = self._join(before, frame.vars)
            if node.orelse is not None:
                self.block(block_of(node.orelse.body), frame)
        elif isinstance(node, (cst.Try, cst.TryStar)):
            self._try(node, frame)
        elif isinstance(node, cst.With):
            for item in node.items:
                value = self.eval(item.item, frame)
                if item.asname is not None:
                    self._bind(item.asname.name, value, frame, False)
            self.block(block_of(node.body), frame)
        elif isinstance(node, cst.Match):
            self.eval(node.subject, frame)
            before = frame.vars
            joined: dict[str, AV] | None = None
            for case in node.cases:
                frame.vars = dict(before)
                if case.guard is not None:
                    self.eval(case.guard, frame)
                self.block(block_of(case.body), frame)
                if not is_terminal(block_of(case.body)):
                    joined = frame.vars if joined is None else self._join(joined, frame.vars)
            frame.vars = self._join(before, joined) if joined is not None else before

    def _if(self, node: cst.If, frame: Frame) -> None:
        guard = self._guard(node.test, frame)
        before = frame.vars
        frame.vars = dict(before)
        n_guards = len(frame.guards)
        frame.guards.append(guard)
        body = block_of(node.body)
        self.block(body, frame)
        body_vars = frame.vars
        frame.vars = dict(before)
        orelse = node.orelse
        else_terminal = False
        if isinstance(orelse, cst.If):
            self._if(orelse, frame)
        elif isinstance(orelse, cst.Else):
            else_block = block_of(orelse.body)
            self.block(else_block, frame)
            else_terminal = is_terminal(else_block)
        del frame.guards[n_guards:]
        else_vars = frame.vars
        body_terminal = is_terminal(body)
        if body_terminal and not else_terminal:
            frame.vars = else_vars
        elif else_terminal and not body_terminal:
            frame.vars = body_vars
        else:
            frame.vars = self._join(body_vars, else_vars)
        if body_terminal and orelse is None:
            frame.guards.append(guard)  # an early return guards the rest of the block

    def _guard(self, test: cst.BaseExpression, frame: Frame) -> Guard:
        outer_seen, outer_hit = self._names_seen, self._time_hit
        self._names_seen = set()
        self._time_hit = False
        self.eval(test, frame)
        guard = Guard(frozenset(self._names_seen), self._time_hit)
        self._names_seen = outer_seen
        self._time_hit = outer_hit or guard.time
        if outer_seen is not None:
            outer_seen.update(guard.names)
        return guard

    def _try(self, node: cst.Try | cst.TryStar, frame: Frame) -> None:
        before = frame.vars
        frame.vars = dict(before)
        self.block(block_of(node.body), frame)
        after_body = frame.vars
        joined = after_body
        for handler in node.handlers:
            frame.vars = self._join(before, after_body)
            if handler.type is not None:
                self.eval(handler.type, frame)
            if handler.name is not None and isinstance(handler.name.name, cst.Name):
                frame.vars[handler.name.name.value] = CLEAN
            block = block_of(handler.body)
            self.block(block, frame)
            if not is_terminal(block):
                joined = self._join(joined, frame.vars)
        frame.vars = joined
        if node.orelse is not None:
            self.block(block_of(node.orelse.body), frame)
        if node.finalbody is not None:
            self.block(block_of(node.finalbody.body), frame)

    @staticmethod
    def _join(a: dict[str, AV], b: dict[str, AV]) -> dict[str, AV]:
        if a is b:
            return a
        out = dict(a)
        for key, value in b.items():
            mine = out.get(key)
            if mine is None:
                out[key] = value
            elif mine is not value:
                out[key] = merge_av(mine, value)
        return out

    def _class(self, node: cst.ClassDef, frame: Frame) -> None:
        for deco in node.decorators:
            self.eval(deco.decorator, frame)
        for base in node.bases:
            self.eval(base.value, frame)
        if frame.kind == "module":
            key = node.name.value
        else:
            key = f"{frame.class_key or (frame.fn.key if frame.fn else '?')}.{node.name.value}"
        body = Frame("class", frame, frame.fn, key)
        body.vars = self.attrs_cur.setdefault(key, {})
        self.block(block_of(node.body), body)
        self.attrs_cur[key] = body.vars
        frame.vars[node.name.value] = AV(kind="class", ref=key)

    def _return(self, node: cst.Return, frame: Frame) -> None:
        value = self.eval(node.value, frame) if node.value is not None else CLEAN
        fi = frame.fn
        if fi is None or frame.kind != "function":
            return
        fi.ret = value if fi.ret is None else merge_av(fi.ret, value)
        if fi.is_handler and value.taint is not None:
            self._sink(node, SinkKind.RESPONSE, value.taint, "return")

    def _raise(self, node: cst.Raise, frame: Frame) -> None:
        exc = node.exc
        if exc is None:
            return
        if isinstance(exc, cst.Call):
            _, args = self._call(exc, frame)
            taint = taint_of(args)
            via = "raise " + dotted(exc.func)
        else:
            taint = self.eval(exc, frame).taint
            via = "raise"
        if node.cause is not None:
            self.eval(node.cause, frame)
        if taint is not None:
            self._sink(node, SinkKind.ERROR, taint, via)

    # ------------------------------------------------------------------ imports
    def _import(self, node: cst.Import, frame: Frame) -> None:
        for alias in node.names:
            full = dotted(alias.name)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                frame.vars[alias.asname.name.value] = qual_av(full)
            else:
                top = full.split(".", 1)[0]
                frame.vars[top] = AV(qual=top)

    def _import_from(self, node: cst.ImportFrom, frame: Frame) -> None:
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return
        base = dotted(node.module)
        for alias in node.names:
            name = dotted(alias.name)
            local = alias.asname.name.value if alias.asname is not None and isinstance(alias.asname.name, cst.Name) else name
            frame.vars[local] = qual_av(f"{base}.{name}")

    # ------------------------------------------------------------------ binding
    def _lookup(self, name: str, frame: Frame) -> AV | None:
        f: Frame | None = frame
        while f is not None:
            value = f.vars.get(name)
            if f.kind == "module":
                written = self.globals_prev.get(name)
                if written is not None:
                    return merge_av(value, written) if value is not None else written
                return value
            if value is not None:
                return value
            f = f.parent
        return None

    def _is_module_global(self, name: str, frame: Frame) -> bool:
        """In a function, `name` refers to a module-level variable (not local)."""
        if frame.fn is None:
            return False
        if name in frame.globals_decl:
            return True
        f: Frame | None = frame
        while f is not None and f.kind != "module":
            if name in f.vars:
                return False
            f = f.parent
        return f is not None and name in f.vars

    def _store_global(self, name: str, value: AV, key: str | None = None) -> None:
        """A function stores value into module-level `name` (as `key`: the
        whole name, or `name.attr` for an attribute of it)."""
        if value.taint is None and value.kind is None:
            return
        key = key or name
        self.globals_cur[key] = merge_av(self.globals_cur.get(key), value)
        if value.taint is not None:
            for read_id in value.taint.reads:
                pending = self.reads.get(read_id)
                if pending is not None:
                    pending.stores.add(name)

    def _bind(self, target: cst.BaseExpression, value: AV, frame: Frame, time_hit: bool) -> None:
        if isinstance(target, cst.Name):
            name = target.value
            frame.vars[name] = value
            fi = frame.fn
            if fi is not None:
                if time_hit:
                    fi.time_names.add(name)
                else:
                    fi.time_names.discard(name)
                if name in frame.globals_decl:
                    fi.global_writes.add(name)
                    self._store_global(name, value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            element = self._element(value, None, iterating=False)
            for el in target.elements:
                self._bind(el.value, element, frame, time_hit)
        elif isinstance(target, cst.StarredElement):
            self._bind(target.value, value, frame, time_hit)
        elif isinstance(target, cst.Attribute):
            base = target.value
            base_av = self.eval(base, frame)
            attr = target.attr.value
            if base_av.kind == "self" and base_av.ref:
                store = self.attrs_cur.setdefault(base_av.ref, {})
                store[attr] = merge_av(store.get(attr), value) if attr in store else value
            elif isinstance(base, cst.Name):
                key = f"{base.value}.{attr}"
                frame.vars[key] = value
                if self._is_module_global(base.value, frame):
                    if frame.fn is not None:
                        frame.fn.global_writes.add(base.value)
                    self._store_global(base.value, value, key)  # `module.api_key = …` taints that attribute only
        elif isinstance(target, cst.Subscript):
            base = target.value
            for element in target.slice:
                if isinstance(element.slice, cst.Index):
                    self.eval(element.slice.value, frame)
            if isinstance(base, cst.Name):
                if frame.fn is not None and base.value not in frame.vars and self._is_module_global(base.value, frame):
                    frame.fn.global_writes.add(base.value)
                self._mutate(base.value, value, frame)
            else:
                self.eval(base, frame)

    def _mutate(self, name: str, value: AV, frame: Frame) -> None:
        """`name[k] = value`, `name.update(value)`: the container now holds value."""
        if value.taint is None:
            return
        current = self._lookup(name, frame)
        if current is not None and current.qual == "os.environ":
            return
        merged = (current or CLEAN).with_taint(stronger(current.taint if current else None, value.taint))
        if self._is_module_global(name, frame) and name not in frame.vars:
            self._store_global(name, merged)
        else:
            frame.vars[name] = merged
            if name in frame.globals_decl:
                self._store_global(name, merged)

    def _element(self, value: AV, iter_node: cst.BaseExpression | None, *, iterating: bool) -> AV:
        """An element of value: iteration (`for x in value`) or unpacking."""
        t = value.taint
        if t is None:
            return CLEAN
        if t.what is Tainted.ENVIRONMENT:
            if not iterating:
                return AV(t)
            if (
                isinstance(iter_node, cst.Call)
                and isinstance(iter_node.func, cst.Attribute)
                and iter_node.func.attr.value in ("items", "values")
            ):
                return AV(t)
            return CLEAN  # iterating the environment gives its names
        return AV(t.as_(Tainted.VALUE))

