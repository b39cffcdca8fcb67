"""Taint analysis of one JS/TS module (handler-facts §1–§7).

The analyzer is an abstract interpreter over the tree-sitter tree:
statements run in order with one variable map per function scope (blocks
share it); `if`/loops/`switch`/`try` run each branch on a copy and join the
results, so a variable tainted in either branch stays tainted. Expressions
evaluate to `AV` records (absval.py). Sources, sinks and env reads are
recognised where calls and member accesses are evaluated.

Module-level code runs first; function bodies declared at module level run
after it (they execute per invocation, and by then every module-level
variable has its final value). The whole thing runs twice: the first round
only learns what same-module functions return and which module-level
variables functions fill in (so a handler that calls a helper declared below
it still sees the helper's taint); the second round records the facts.

Depth guard: expression/statement nesting beyond `MAX_DEPTH` is not
analysed (the rest of the file is).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lambda_secrets_lint.model.code import (
    Api,
    Cache,
    EnvRead,
    MiddlewareUse,
    NameKind,
    SecretName,
    Sink,
    SinkKind,
    Tainted,
)
from lambda_secrets_lint.model.location import Location, Span
from lambda_secrets_lint.parsers.js.absval import AV, RANK, join, join_all, strongest, tainted
from lambda_secrets_lint.parsers.js.calls import CallsMixin
from lambda_secrets_lint.parsers.js.expressions import ExpressionsMixin
from lambda_secrets_lint.parsers.js.sources import MiddyChain, PendingRead, SourcesMixin
from lambda_secrets_lint.parsers.js.statements import StatementsMixin, exits
from lambda_secrets_lint.parsers.js.symbols import GLOBAL_NAMES, UNBOUND_SDK_NAMES, normalize
from lambda_secrets_lint.parsers.js.text import Source, key_text, unwrap
from lambda_secrets_lint.parsers.js.vocab import (
    LAMBDA_CONTEXT_FIELDS,
    MAX_DEPTH,
    NON_SECRET_FIELDS,
    RELATIONAL,
    RUNTIME_CREDENTIALS,
    TIME,
    is_handler_name,
    num_text,
)
from lambda_secrets_lint.secrets.names import is_secret_name

if TYPE_CHECKING:  # pragma: no cover
    from tree_sitter import Node

__all__ = ["Analyzer", "FnCtx", "Scope"]


class Scope:
    """The variables of one function (or the module). Blocks share their
    function's scope; dotted keys ("this.client", "cfg.password") hold what
    was assigned to a member path."""

    __slots__ = ("vars", "parent", "is_module")

    def __init__(self, parent: "Scope | None", *, is_module: bool = False) -> None:
        self.vars: dict[str, AV | None] = {}
        self.parent = parent
        self.is_module = is_module

    def find(self, name: str) -> "Scope | None":
        s: Scope | None = self
        while s is not None:
            if name in s.vars:
                return s
            s = s.parent
        return None


class FnCtx:
    """The function being analysed: is it a handler (§5), the name of its
    `callback` parameter, and the join of what it returns (its summary)."""

    __slots__ = ("node", "is_handler", "callback", "returns", "parent", "scope")

    def __init__(self, node: "Node", is_handler: bool, parent: "FnCtx | None", scope: Scope) -> None:
        self.node = node
        self.is_handler = is_handler
        self.callback: str | None = None
        self.returns: AV | None = None
        self.parent = parent
        self.scope = scope


class Analyzer(StatementsMixin, ExpressionsMixin, CallsMixin, SourcesMixin):
    """Runs one module (see the module docstring); the facts are in
    `secret_reads()`, `env_reads`, `sinks` and `middlewares` after `run()`."""

    def __init__(self, src: Source, root: "Node", extra_words: tuple[str, ...]) -> None:
        self.src = src
        self.root = root
        self.extra = extra_words
        self.emit = False
        self.depth = 0
        # learnt in round 1, used in round 2
        self.summaries: dict[int, AV | None] = {}
        self.method_summaries: dict[str, AV | None] = {}
        self.global_writes: dict[str, AV | None] = {}
        # Module-level names each function (by node id) assigns: cache state.
        # A read under a check of one of them is a lazy cache even when what
        # is stored is derived from the secret (a signed token), see §6.
        self.module_writes_by_fn: dict[int, set[str]] = {}
        self.resolved: dict[int, AV | None] = {}  # new Promise(executor) → what resolve() got
        self.context_filled: set[int] = set()  # middy base handlers whose context a hook filled with secrets
        self.middy_env: dict[str, str] = {}  # process.env keys a middy v0/v1 ssm (or v2 setToEnv) fills
        self.imports: list[tuple[str, AV]] = []
        self.call_starts: dict[int, Node] = {}
        self._prepass()
        self._reset()

    # ------------------------------------------------------------------ rounds

    def _reset(self) -> None:
        self.module = Scope(None, is_module=True)
        self.fn: FnCtx | None = None
        self.deferred: list[Node] = []
        self.deferred_ids: set[int] = set()
        self.fn_bindings: dict[int, dict[int, AV | None]] = {}
        self.chains: list[MiddyChain] = []
        self.exports: list[tuple[str, AV | None]] = []
        self.export_names: list[tuple[str, str]] = []
        self.handler_ids: set[int] = set()
        self.paths_stored = False
        self.reads: dict[tuple[int, int], PendingRead] = {}
        self.stores: dict[int, list[tuple[bool, bool]]] = {}
        self.env_reads: dict[tuple[str, int], EnvRead] = {}
        self.sinks: dict[tuple[SinkKind, int], Sink] = {}
        self.middlewares: dict[int, MiddlewareUse] = {}

    def run(self) -> None:
        for emit in (False, True):
            self._reset()
            self.emit = emit
            for name, av in self.imports:
                self.module.vars[name] = av
            body = [c for c in self.root.named_children if c.type != "comment"]
            self._hoist(body, self.module)
            self.stmts(body, self.module)
            self._finish_module()
            i = 0
            while i < len(self.deferred):
                node = self.deferred[i]
                i += 1
                self.analyze_function(node, self.module, self.fn_bindings.get(node.id))

    def _prepass(self) -> None:
        """Imports are hoisted: bind them before anything runs."""
        for stmt in self.root.named_children:
            if stmt.type != "import_statement":
                continue
            source = stmt.child_by_field_name("source")
            for clause in stmt.named_children:  # TS `import x = require('m')` keeps the source in its clause
                if source is None and clause.type == "import_require_clause":
                    source = clause.child_by_field_name("source")
            if source is None:
                continue
            module = self.src.string_value(source)
            for clause in stmt.named_children:
                if clause.type == "import_clause":
                    for part in clause.named_children:
                        if part.type == "identifier":  # default import
                            self.imports.append((self.src.text(part), self._sym(module, (), "esm")))
                        elif part.type == "namespace_import":
                            ident = next((c for c in part.named_children if c.type == "identifier"), None)
                            if ident is not None:
                                self.imports.append((self.src.text(ident), self._sym(module, (), "esm")))
                        elif part.type == "named_imports":
                            for spec in part.named_children:
                                if spec.type != "import_specifier":
                                    continue
                                name = spec.child_by_field_name("name")
                                alias = spec.child_by_field_name("alias") or name
                                if name is not None and alias is not None:
                                    imported = key_text(self.src, name) or ""
                                    self.imports.append((self.src.text(alias), self._sym(module, (imported,), "esm")))
                elif clause.type == "import_require_clause":
                    ident = next((c for c in clause.named_children if c.type == "identifier"), None)
                    if ident is not None:
                        self.imports.append((self.src.text(ident), self._sym(module, (), "cjs")))

    @staticmethod
    def _sym(module: str, path: tuple[str, ...], style: str) -> AV:
        module, path = normalize(module, path)
        return AV(kind="sym", data=(module, path, style))

    def _finish_module(self) -> None:
        """Handlers (§5) and what middy puts into them (§1, §6)."""
        handler_avs: list[AV | None] = [av for name, av in self.exports if is_handler_name(name)]
        for local, exported in self.export_names:
            if is_handler_name(exported):
                handler_avs.append(self.module.vars.get(local))
        for av in handler_avs:
            for fn in self._functions_of(av):
                self.handler_ids.add(fn.id)
        for chain in self.chains:
            context: AV | None = None
            keys: list[str] = []
            for mw in chain.mws:
                info = mw.data
                if info["to_context"]:
                    keys.extend(info["keys"])
                    context = AV(Tainted.CONTAINER, "middy context", kind="middy_context", data=tuple(keys))
            for base in chain.bases:
                self.handler_ids.add(base.id)
                ctx = context
                if ctx is None and base.id in self.context_filled:
                    ctx = AV(Tainted.CONTAINER, "middy context", kind="middy_context", data=())
                if ctx is not None:
                    self.fn_bindings.setdefault(base.id, {})[1] = ctx
            request = AV(kind="middy_request", data=(context, tuple(b.id for b in chain.bases)))
            for hook in chain.hooks:
                self.fn_bindings.setdefault(hook.id, {})[0] = request

    def _functions_of(self, av: AV | None) -> list["Node"]:
        if av is None:
            return []
        if av.kind == "func":
            return [av.node]
        if av.kind == "middy":
            return list(av.data.bases)
        if av.kind == "wrapped":
            return list(av.data)
        return []

    # ------------------------------------------------------------------ facts

    def loc(self, node: "Node") -> Location:
        start = self.call_starts.get(node.id)
        if start is None:
            return self.src.location(node)
        first, last = self.src.span(start), self.src.span(node)
        return Location(self.src.path, Span(first.line, first.col, last.end_line, last.end_col))

    def add_sink(self, kind: SinkKind, values: list[AV | None], via: str, node: "Node") -> None:
        best = strongest(values)
        if best is None or not self.emit:
            return
        key = (kind, node.start_byte)
        old = self.sinks.get(key)
        if old is not None and RANK[old.what] >= RANK[best.shape]:
            return
        self.sinks[key] = Sink(kind, best.shape, best.origin, via, self.loc(node))  # type: ignore[arg-type]

    def add_read(self, node: "Node", service: str, action: str, api: Api, names: tuple[SecretName, ...], *,
                 cache: Cache | None, seconds: float | None = None, decrypted: bool | None = None,
                 index: int = 0, in_function: bool | None = None) -> int:
        """Register a read; returns its src id (the call's start byte)."""
        key = (node.start_byte, index)
        if self.emit:
            inside = self.fn is not None if in_function is None else in_function
            if cache is None and not inside:
                cache = Cache.FOREVER
            self.reads[key] = PendingRead(service, action, api, names, node, inside, cache, seconds, decrypted,
                                          self.fn.node if self.fn is not None else None)
        return node.start_byte

    def env_read(self, name: str, node: "Node") -> AV:
        if self.emit:
            self.env_reads.setdefault((name, node.start_byte), EnvRead(name, self.loc(node)))
        parts = (SecretName(NameKind.ENV, name),)
        origin = f"env var {name}"
        if name in self.middy_env:
            return AV(Tainted.VALUE, self.middy_env[name], parts=parts)
        if name in RUNTIME_CREDENTIALS or is_secret_name(name, self.extra):
            return AV(Tainted.VALUE, origin, parts=parts)
        return AV(parts=parts)

    # ------------------------------------------------------------------ scopes

    def lookup(self, name: str, scope: Scope) -> AV | None:
        s = scope.find(name)
        if s is not None:
            av = s.vars[name]
            if s.is_module and self.fn is not None:
                av = join(av, self.global_writes.get(name))
            return av
        if self.fn is not None and name in self.global_writes:
            return self.global_writes[name]
        if "." in name:
            return None
        if name in UNBOUND_SDK_NAMES:
            module, path = UNBOUND_SDK_NAMES[name]
            return AV(kind="sym", data=(module, path, "esm"))
        if name in GLOBAL_NAMES:
            return AV(kind="sym", data=("", (name,), "global"))
        return None

    def set_var(self, name: str, av: AV | None, scope: Scope, node: "Node", *, declare: bool = False,
                op: str = "=") -> None:
        if declare:
            scope.vars[name] = av
            if scope.is_module and av is not None and av.src is not None:
                self._store(av.src, name, node, scope)
            return
        s = scope.find(name) or self.module
        if op != "=":
            av = join(self.lookup(name, scope), av)
        if s is scope:
            s.vars[name] = av
        else:
            s.vars[name] = join(s.vars.get(name), av)
            if s.is_module and self.fn is not None:
                self.global_writes[name] = join(self.global_writes.get(name), av)
                self.module_writes_by_fn.setdefault(self.fn.node.id, set()).add(name)
        if s.is_module and av is not None and av.src is not None:
            self._store(av.src, name, node, s, op=op)

    def _store(self, src: int, name: str, node: "Node", scope: Scope, op: str = "=") -> None:
        """A value read at `src` is kept in module-level `name`: a cache (§6)."""
        if not self.emit or not scope.is_module:
            return
        entry = (True, False) if self.fn is None else self._guard(name, node, op)
        self.stores.setdefault(src, []).append(entry)

    def _guard(self, name: str, node: "Node", op: str, fn_node: "Node | None" = None) -> tuple[bool, bool]:
        """(guarded, timed): is this store under a check of `name` (`if (!x)`,
        an earlier `if (x) return x`, `x ??= …`, `x || (x = …)`), and does the
        check compare a timestamp?"""
        key = name if name.startswith("this.") else name.split(".")[0]
        mention = re.compile(r"(?<![\w$.])" + re.escape(key) + r"(?![\w$])")
        if fn_node is None and self.fn is not None:
            fn_node = self.fn.node
        fn_text = self.src.text(fn_node) if fn_node is not None else ""

        def timed(cond_text: str) -> bool:
            if TIME.search(cond_text):
                return True
            return bool(TIME.search(fn_text) and RELATIONAL.search(cond_text))

        if op in ("??=", "||="):
            return True, bool(TIME.search(fn_text) and RELATIONAL.search(fn_text))
        cur = node
        parent = cur.parent
        while parent is not None:
            pt = parent.type
            cond: Node | None = None
            if pt in ("if_statement", "ternary_expression"):
                c = parent.child_by_field_name("condition")
                if c is not None and c.id != cur.id:
                    cond = c
            elif pt == "binary_expression":
                opn = parent.child_by_field_name("operator")
                right = parent.child_by_field_name("right")
                if opn is not None and opn.type in ("||", "??", "&&") and right is not None and right.id == cur.id:
                    cond = parent.child_by_field_name("left")
            if cond is not None:
                text = self.src.text(cond)
                if mention.search(text):
                    return True, timed(text)
            if pt in ("statement_block", "program", "switch_case", "switch_default"):
                sib = cur.prev_named_sibling
                while sib is not None:
                    if sib.type == "if_statement":
                        c = sib.child_by_field_name("condition")
                        cons = sib.child_by_field_name("consequence")
                        if c is not None and cons is not None and exits(cons):
                            text = self.src.text(c)
                            if mention.search(text):
                                return True, timed(text)
                    sib = sib.prev_named_sibling
            cur, parent = parent, parent.parent
        return False, False

    def _hoist(self, stmts: list["Node"], scope: Scope) -> None:
        for stmt in stmts:
            decl = stmt
            if stmt.type == "export_statement":
                decl = stmt.child_by_field_name("declaration") or stmt
            if decl.type in ("function_declaration", "generator_function_declaration"):
                name = decl.child_by_field_name("name")
                if name is not None:
                    scope.vars[self.src.text(name)] = AV(kind="func", node=decl)

    # ------------------------------------------------------------------ functions

    def function_value(self, fnode: "Node", scope: Scope, bindings: dict[int, AV | None] | None = None) -> AV:
        if self.fn is None:
            if fnode.id not in self.deferred_ids:
                self.deferred_ids.add(fnode.id)
                self.deferred.append(fnode)
            if bindings:
                self.fn_bindings.setdefault(fnode.id, {}).update(bindings)
        else:
            self.analyze_function(fnode, scope, bindings)
        return AV(kind="func", node=fnode)

    def _params(self, fnode: "Node") -> list["Node"]:
        params = fnode.child_by_field_name("parameters")
        if params is not None:
            return [p for p in params.named_children if p.type not in ("comment", "decorator")]
        single = fnode.child_by_field_name("parameter")
        return [single] if single is not None else []

    def analyze_function(self, fnode: "Node", parent: Scope, bindings: dict[int, AV | None] | None) -> None:
        if self.depth > MAX_DEPTH:
            return
        self.depth += 1
        scope = Scope(parent)
        ctx = FnCtx(fnode, fnode.id in self.handler_ids, self.fn, scope)
        outer = self.fn
        self.fn = ctx
        try:
            params = self._params(fnode)
            for i, p in enumerate(params):
                self.bind_param(p, bindings.get(i) if bindings else None, scope)
            if ctx.is_handler and len(params) >= 3:
                cb = unwrap(params[2].child_by_field_name("pattern") or params[2])
                if cb.type == "identifier":
                    ctx.callback = self.src.text(cb)
            body = fnode.child_by_field_name("body")
            if body is None:
                pass
            elif body.type == "statement_block":
                stmts = [c for c in body.named_children if c.type != "comment"]
                self._hoist(stmts, scope)
                self.stmts(stmts, scope)
            else:  # arrow function with an expression body
                self.on_return(self.eval(body, scope), body)
        finally:
            self.fn = outer
            self.depth -= 1
        self.summaries[fnode.id] = ctx.returns
        if fnode.type == "method_definition":
            name = key_text(self.src, fnode.child_by_field_name("name"))
            if name:
                self.method_summaries[name] = join(self.method_summaries.get(name), ctx.returns)

    def bind_param(self, p: "Node", av: AV | None, scope: Scope) -> None:
        t = p.type
        if t in ("required_parameter", "optional_parameter"):
            pattern = p.child_by_field_name("pattern")
            value = p.child_by_field_name("value")
            if value is not None:
                av = join(av, self.eval(value, scope))
            if pattern is not None:
                self.bind_pattern(pattern, av, scope, p, declare=True)
            return
        self.bind_pattern(p, av, scope, p, declare=True)

    def on_return(self, av: AV | None, node: "Node") -> None:
        ctx = self.fn
        if ctx is None:
            return
        ctx.returns = join(ctx.returns, av)
        if ctx.is_handler and tainted(av):
            self.add_sink(SinkKind.RESPONSE, [av], "return", node)

    # ------------------------------------------------------------------ patterns

    def bind_pattern(self, pat: "Node", av: AV | None, scope: Scope, node: "Node", *, declare: bool) -> None:
        pat = unwrap(pat)
        t = pat.type
        if t in ("identifier", "shorthand_property_identifier_pattern"):
            self.set_var(self.src.text(pat), av, scope, node, declare=declare)
        elif t == "object_pattern":
            for child in pat.named_children:
                ct = child.type
                if ct == "shorthand_property_identifier_pattern":
                    name = self.src.text(child)
                    self.set_var(name, self.member(av, name, child, scope), scope, child, declare=declare)
                elif ct == "pair_pattern":
                    key = key_text(self.src, child.child_by_field_name("key"))
                    value = child.child_by_field_name("value")
                    if value is not None:
                        self.bind_pattern(value, self.member(av, key, child, scope), scope, child, declare=declare)
                elif ct == "object_assignment_pattern":
                    left = child.child_by_field_name("left")
                    right = child.child_by_field_name("right")
                    if left is None:
                        continue
                    key = key_text(self.src, left) if left.type == "shorthand_property_identifier_pattern" else None
                    sub = self.member(av, key, child, scope)
                    if right is not None:
                        sub = join(sub, self.eval(right, scope))
                    self.bind_pattern(left, sub, scope, child, declare=declare)
                elif ct == "rest_pattern":
                    inner = child.named_children[0] if child.named_child_count else None
                    if inner is not None:
                        self.bind_pattern(inner, self._rest(av), scope, child, declare=declare)
        elif t == "array_pattern":
            for child in pat.named_children:
                if child.type == "comment":
                    continue
                if child.type == "rest_pattern":
                    inner = child.named_children[0] if child.named_child_count else None
                    if inner is not None:
                        self.bind_pattern(inner, self._rest(av), scope, child, declare=declare)
                else:
                    self.bind_pattern(child, self.element(av), scope, child, declare=declare)
        elif t in ("assignment_pattern", "object_assignment_pattern"):
            left = pat.child_by_field_name("left")
            right = pat.child_by_field_name("right")
            if right is not None:
                av = join(av, self.eval(right, scope))
            if left is not None:
                self.bind_pattern(left, av, scope, node, declare=declare)
        elif t == "rest_pattern":
            inner = pat.named_children[0] if pat.named_child_count else None
            if inner is not None:
                self.bind_pattern(inner, av, scope, node, declare=declare)
        elif t in ("member_expression", "subscript_expression"):
            self.assign(pat, av, scope, node)

    @staticmethod
    def _rest(av: AV | None) -> AV | None:
        if av is not None and av.kind == "env":
            return AV(Tainted.ENVIRONMENT, av.origin)
        return av if tainted(av) else None

    @staticmethod
    def element(av: AV | None) -> AV | None:
        """An element / item of av (array destructuring, a[0])."""
        if av is None:
            return None
        if av.kind == "array" and not tainted(av):
            return join_all(av.data) if av.data else None
        if av.shape is None:
            return None
        if av.shape is Tainted.CONTAINER:
            return av.with_shape(Tainted.VALUE)
        return av.with_shape(av.shape)

    # ------------------------------------------------------------------ member access

    def member(self, obj: AV | None, key: str | None, node: "Node", scope: Scope) -> AV | None:
        if obj is None:
            return None
        kind = obj.kind
        if kind == "sym":
            module, path, style = obj.data
            if key is None:
                return None
            if module == "" and path == ("process",) and key == "env":
                return AV(Tainted.ENVIRONMENT, "process.env", kind="env")
            module, path = normalize(module, path + (key,))
            return AV(kind="sym", data=(module, path, style))
        if kind == "env":
            if key is None:
                return None
            return self.env_read(key, node)
        if kind == "middy_request":
            if key == "context":
                return obj.data[0]
            if key == "internal":
                return AV(Tainted.CONTAINER, "middy request.internal")
            return None
        if kind == "middy_context":
            if key is None:
                return AV(Tainted.VALUE, "middy context")
            if key in LAMBDA_CONTEXT_FIELDS:
                return None
            return AV(Tainted.VALUE, f"middy context.{key}")
        if kind == "response" and key in ("data", "body"):
            return obj
        if kind == "object" and not tainted(obj):
            return obj.data.get(key) if key is not None else None
        if kind == "array" and not tainted(obj):
            return None if key == "length" else self.element(obj)
        if obj.shape is None:
            return None
        if key is not None and key.lower() in NON_SECRET_FIELDS:
            return None
        if obj.shape is Tainted.ENVIRONMENT:
            if key is None:
                return None
            if key in RUNTIME_CREDENTIALS or is_secret_name(key, self.extra):
                return AV(Tainted.VALUE, f"env var {key}")
            return None
        return obj.with_shape(Tainted.VALUE)

    def _static_key(self, node: "Node", scope: Scope) -> str | None:
        node = unwrap(node)
        if node.type in ("string", "number", "template_string"):
            return key_text(self.src, node)
        if node.type == "identifier":
            av = self.lookup(self.src.text(node), scope)
            if av is not None and isinstance(av.lit, (str, int, float)) and not isinstance(av.lit, bool):
                return num_text(av.lit) if not isinstance(av.lit, str) else av.lit
        return None
