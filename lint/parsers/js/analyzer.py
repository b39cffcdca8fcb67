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
from collections.abc import Callable
from typing import TYPE_CHECKING

from lambda_secrets_lint.model.code import (
    Api,
    Cache,
    EnvRead,
    MiddlewareUse,
    NameKind,
    SecretName,
    SecretRead,
    Sink,
    SinkKind,
    Tainted,
)
from lambda_secrets_lint.model.location import Location, Span
from lambda_secrets_lint.parsers.js.absval import (
    AV,
    RANK,
    UNKNOWN_PART,
    join,
    join_all,
    name_of,
    parts_text,
    strongest,
    tainted,
)
from lambda_secrets_lint.parsers.js.symbols import (
    CLEAN_GLOBALS,
    GLOBAL_NAMES,
    PROPAGATE,
    SDK_METHODS,
    SYMBOLS,
    UNBOUND_SDK_NAMES,
    normalize,
)
from lambda_secrets_lint.parsers.js.text import FUNCTION_TYPES, Source, decode_string, dotted, key_text, render, unwrap
from lambda_secrets_lint.secrets.names import is_secret_name, name_words

if TYPE_CHECKING:  # pragma: no cover
    from tree_sitter import Node

__all__ = ["Analyzer"]

MAX_DEPTH = 120

# §2 non-secret fields (case-insensitive), plus `length` (a cleaner, §3).
NON_SECRET_FIELDS = frozenset(
    f.lower()
    for f in (
        "host", "hostname", "port", "dbname", "database", "engine", "username", "user", "region",
        "dbClusterIdentifier", "dbInstanceIdentifier", "Name", "ARN", "VersionId", "VersionStages",
        "CreatedDate", "Type", "Version", "LastModifiedDate", "ResponseMetadata", "length", "$metadata",
    )
)
# Runtime credentials: VALUE when read although AWS_ACCESS_KEY_ID is not a secret-like name.
RUNTIME_CREDENTIALS = frozenset({"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ACCESS_KEY_ID"})
# Fields of the Lambda context object: not secrets even after middy set some on it.
LAMBDA_CONTEXT_FIELDS = frozenset(
    {"functionName", "functionVersion", "invokedFunctionArn", "memoryLimitInMB", "awsRequestId",
     "logGroupName", "logStreamName", "identity", "clientContext", "callbackWaitsForEmptyEventLoop",
     "getRemainingTimeInMillis", "done", "succeed", "fail", "tenantId"}
)
# Methods that give a clean result even on a tainted receiver.
CLEAN_METHODS = frozenset(
    {"keys", "has", "includes", "startsWith", "endsWith", "indexOf", "lastIndexOf", "test", "localeCompare",
     "some", "every", "hasOwnProperty", "equals", "compare", "search", "getTime", "isArray", "size",
     "forEach", "push", "unshift", "set", "add", "delete", "clear", "on", "once"}
)
# Methods of an untainted receiver whose result carries a tainted argument.
ARG_PROPAGATING_METHODS = frozenset({"concat", "join", "replace", "replaceAll", "padStart", "padEnd", "format", "inspect"})
# Methods that put a tainted argument into their receiver.
MUTATING_METHODS = frozenset({"push", "unshift", "set", "add", "append", "assign"})
# Logger methods that do not log (§4).
NON_LOGGING_METHODS = frozenset(
    {"setLevel", "setLogLevel", "addHandler", "removeHandler", "inject_lambda_context", "injectLambdaContext",
     "child", "createChild", "getLogger", "level", "addContext", "add", "remove", "configure", "removeKeys",
     "removePersistentLogAttributes", "getLevelName", "getLogLevel", "flush", "on", "once", "isLevelEnabled",
     "clear", "close", "bind", "isSampled", "refreshSampleRateCalculation", "resetKeys"}
)
_LOGGER_WORDS = frozenset({"LOG", "LOGGER", "CONSOLE"})
_CLEANER_WORDS = ("mask", "redact", "hash", "obfuscate", "fingerprint", "sanitize", "sanitise", "censor")
_HANDLER_NAME = re.compile(r"(?:^|[a-z0-9_$])(?:handler|Handler)$")

_EXT_HOST = re.compile(r"(?:localhost|127\.0\.0\.1):(?:2773\b|\$\{env:PARAMETERS_SECRETS_EXTENSION_HTTP_PORT\})")
_EXT_PORT_ENV = re.compile(r"(?:localhost|127\.0\.0\.1).{0,3}\$\{env:PARAMETERS_SECRETS_EXTENSION_HTTP_PORT\}")
_EXT_QUERY = re.compile(r"[?&](secretId|name)=([^&#]*)", re.IGNORECASE)
_TIME = re.compile(r"\bDate\.now\b|\bnew\s+Date\b|\bperformance\.now\b|\bprocess\.hrtime\b|\.getTime\s*\(")
_RELATIONAL = re.compile(r"(?<![=!<>])(?:<=?|>=?)(?![=>])")
_PLACEHOLDER = "\x00"

EXTENSION_ORIGIN = "Parameters and Secrets extension response"


def _is_cleaner_name(name: str) -> bool:
    low = name.lower()
    return any(word in low for word in _CLEANER_WORDS)


def _is_logger_name(name: str) -> bool:
    words = [w for w in name_words(name) if not w.isdigit()]
    return bool(words) and words[-1] in _LOGGER_WORDS


def _is_handler_name(name: str) -> bool:
    return name == "handler" or _HANDLER_NAME.search(name) is not None


def _num_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, str):
        return value
    return "?"


class Scope:
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
    __slots__ = ("node", "is_handler", "callback", "returns", "parent", "scope")

    def __init__(self, node: "Node", is_handler: bool, parent: "FnCtx | None", scope: Scope) -> None:
        self.node = node
        self.is_handler = is_handler
        self.callback: str | None = None
        self.returns: AV | None = None
        self.parent = parent
        self.scope = scope


class MiddyChain:
    """`middy(base).use(mw)…`: mutable, shared by every AV that denotes it."""

    __slots__ = ("bases", "mws", "hooks")

    def __init__(self) -> None:
        self.bases: list[Node] = []
        self.mws: list[AV] = []
        self.hooks: list[Node] = []  # functions given to .before/.after/.onError or use({before})


class PendingRead:
    __slots__ = ("service", "action", "api", "names", "node", "in_function", "cache", "seconds", "decrypted")

    def __init__(self, service: str, action: str, api: Api, names: tuple[SecretName, ...], node: "Node",
                 in_function: bool, cache: Cache | None, seconds: float | None, decrypted: bool | None) -> None:
        self.service = service
        self.action = action
        self.api = api
        self.names = names
        self.node = node
        self.in_function = in_function
        self.cache = cache  # None: a raw SDK call in a function, decided from the stores at the end
        self.seconds = seconds
        self.decrypted = decrypted


class Analyzer:
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
        self.resolved: dict[int, AV | None] = {}  # new Promise(executor) → what resolve() got
        self.context_filled: set[int] = set()  # middy base handlers whose context a hook filled with secrets
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
        self.middy_env: dict[str, str] = {}
        self.paths_stored = False
        self.reads: dict[tuple[int, int], PendingRead] = {}
        self.read_src: dict[tuple[int, int], int] = {}
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
        handler_avs: list[AV | None] = [av for name, av in self.exports if _is_handler_name(name)]
        for local, exported in self.export_names:
            if _is_handler_name(exported):
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
            self.reads[key] = PendingRead(service, action, api, names, node, inside, cache, seconds, decrypted)
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
        if s.is_module and av is not None and av.src is not None:
            self._store(av.src, name, node, s, op=op)

    def _store(self, src: int, name: str, node: "Node", scope: Scope, op: str = "=") -> None:
        """A value read at `src` is kept in module-level `name`: a cache (§6)."""
        if not self.emit or not scope.is_module:
            return
        entry = (True, False) if self.fn is None else self._guard(name, node, op)
        self.stores.setdefault(src, []).append(entry)

    def _guard(self, name: str, node: "Node", op: str) -> tuple[bool, bool]:
        """(guarded, timed): is this store under a check of `name` (`if (!x)`,
        an earlier `if (x) return x`, `x ??= …`, `x || (x = …)`), and does the
        check compare a timestamp?"""
        mention = re.compile(r"(?<![\w$.])" + re.escape(name.split(".")[0]) + r"(?![\w$])")
        fn_text = self.src.text(self.fn.node) if self.fn is not None else ""

        def timed(cond_text: str) -> bool:
            if _TIME.search(cond_text):
                return True
            return bool(_TIME.search(fn_text) and _RELATIONAL.search(cond_text))

        if op in ("??=", "||="):
            return True, bool(_TIME.search(fn_text) and _RELATIONAL.search(fn_text))
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
                        if c is not None and cons is not None and _exits(cons):
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
                return _num_text(av.lit) if not isinstance(av.lit, str) else av.lit
        return None

    # ------------------------------------------------------------------ statements

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

    # ------------------------------------------------------------------ expressions

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
            if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and not isinstance(b, bool):
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

    # ------------------------------------------------------------------ calls

    def _args(self, args: "Node | None", scope: Scope) -> tuple[list["Node"], list[AV | None], list[tuple[int, "Node"]]]:
        nodes = [c for c in args.named_children if c.type != "comment"] if args is not None else []
        values: list[AV | None] = []
        fns: list[tuple[int, Node]] = []
        for i, a in enumerate(nodes):
            ua = unwrap(a)
            if ua.type in FUNCTION_TYPES:
                values.append(AV(kind="func", node=ua))
                fns.append((i, ua))
            else:
                values.append(self.eval(a, scope))
        return nodes, values, fns

    def eval_call(self, n: "Node", scope: Scope) -> AV | None:
        fn = n.child_by_field_name("function")
        args = n.child_by_field_name("arguments")
        if fn is None:
            return None
        if args is not None and args.type == "template_string":  # tagged template
            self.eval(args, scope)
            self.eval(fn, scope)
            return None
        fn = unwrap(fn)
        while fn.type == "await_expression" and fn.named_child_count:
            # tree-sitter-typescript reads `await x.f<T>(a)` as `(await x.f)<T>(a)`:
            # the call starts at x
            fn = unwrap(fn.named_children[-1])
            self.call_starts[n.id] = fn
        if fn.type == "import":
            self._args(args, scope)
            return None
        if fn.type == "identifier" and fn.text == b"require" and scope.find("require") is None:
            nodes = [c for c in args.named_children if c.type != "comment"] if args is not None else []
            if nodes and unwrap(nodes[0]).type == "string":
                return self._sym(self.src.string_value(unwrap(nodes[0])), (), "cjs")
            return None
        recv: AV | None = None
        mname: str | None = None
        callee: AV | None = None
        recv_node: Node | None = None
        if fn.type == "member_expression":
            recv_node = fn.child_by_field_name("object")
            mname = key_text(self.src, fn.child_by_field_name("property"))
            recv = self.eval(recv_node, scope)
            if self.paths_stored and recv is not None and recv.kind not in ("sym",):
                path = dotted(self.src, fn)
                if path is not None:
                    s = scope.find(path)
                    if s is not None:
                        callee = s.vars[path]
        else:
            callee = self.eval(fn, scope)
        nodes, values, fns = self._args(args, scope)
        result, cb = self.dispatch(n, fn, callee, recv, recv_node, mname, nodes, values, scope)
        for i, fnode in fns:
            self.function_value(fnode, scope, cb.get(i) if cb else None)
        return result

    def dispatch(self, n: "Node", fn: "Node", callee: AV | None, recv: AV | None, recv_node: "Node | None",
                 mname: str | None, nodes: list["Node"], values: list[AV | None],
                 scope: Scope) -> tuple[AV | None, dict[int, dict[int, AV | None]] | None]:
        if mname is not None and callee is None:
            kind = recv.kind if recv is not None else None
            # LOG sinks: <recv>.<m>(…) on a logger-named receiver (console, logger, log, appLogger, …)
            last = self._last_name(recv_node)
            if last is not None and _is_logger_name(last) and mname not in NON_LOGGING_METHODS:
                self.add_sink(SinkKind.LOG, values, render(self.src, fn), n)
                return None, None
            if kind == "sym":
                module, path, style = recv.data  # type: ignore[union-attr]
                module, path = normalize(module, path + (mname,))
                return self.symbol_call(n, fn, module, path, style, nodes, values, scope)
            if mname == "send" and values and values[0] is not None and values[0].kind == "command":
                service, op, params = values[0].data
                return self.sdk_read(n, service, op, Api.AWS_SDK_V3, params), None
            if kind == "client":
                service, api = recv.data  # type: ignore[union-attr]
                spec = SDK_METHODS.get(mname)
                if spec is not None and spec[0] == service:
                    av = self.sdk_read(n, service, spec[2], api, values[0] if values else None)
                    cb = {len(values) - 1: {1: av}} if values and values[-1] is not None and values[-1].kind == "func" else None
                    return av, cb
                return None, None
            if kind == "provider":
                return self.provider_call(n, recv.data, mname, values), None  # type: ignore[union-attr]
            if kind == "middy":
                return self.middy_method(recv, mname, values), None  # type: ignore[arg-type]
            if kind == "hash":
                return AV(kind="hash"), None
            if kind == "axios_instance" and mname in ("get", "request", "post"):
                return self.http_call(n, "axios", values, base=recv.parts), None  # type: ignore[union-attr]
            if kind == "response" and mname in ("json", "text", "arrayBuffer", "blob"):
                return AV(Tainted.CONTAINER, recv.origin, kind="response"), None  # type: ignore[union-attr]
            if kind == "object" and not tainted(recv):
                target = recv.data.get(mname)  # type: ignore[union-attr]
                if target is not None and target.kind == "func":
                    return self._summary(target.node), None
            if (recv_node is not None and unwrap(recv_node).type == "this") or kind == "instance":
                if _is_cleaner_name(mname):
                    return None, None
                if mname in self.method_summaries:
                    return self.method_summaries[mname], None
            if _is_cleaner_name(mname):
                return None, None
            if recv is not None and recv.kind == "resolver":
                return None, None
            if mname in ("toString", "valueOf", "toJSON") and recv is not None and recv.parts and not tainted(recv):
                return recv, None
            arg_taint = strongest(values)
            if arg_taint is not None and mname in MUTATING_METHODS and recv_node is not None:
                self._taint_target(recv_node, arg_taint, scope, n)  # arr.push(s), cache.set(k, s)
                return None, None
            if tainted(recv):
                assert recv is not None
                cb = None
                if any(v is not None and v.kind == "func" for v in values):
                    item = recv.with_shape(recv.shape)
                    cb = {i: ({1: item} if mname in ("reduce", "reduceRight") else {0: item})
                          for i, v in enumerate(values) if v is not None and v.kind == "func"}
                if mname in CLEAN_METHODS:
                    return None, cb
                return join(recv.with_shape(recv.shape), arg_taint), cb
            if arg_taint is not None:
                if mname in ARG_PROPAGATING_METHODS:
                    return arg_taint.with_shape(arg_taint.shape), None
            return self._wrapped(values), None
        # plain calls: f(…)
        name = self.src.text(fn) if fn.type == "identifier" else ""
        if callee is None:
            if name and self._callback_sink(n, name, values):
                return None, None
            return self._wrapped(values), None
        kind = callee.kind
        if kind == "sym":
            module, path, style = callee.data
            return self.symbol_call(n, fn, module, path, style, nodes, values, scope)
        if name and _is_cleaner_name(name):
            return None, None
        if kind == "func":
            return self._summary(callee.node), None
        if kind == "resolver":
            if values and tainted(values[0]):
                self.resolved[callee.data] = join(self.resolved.get(callee.data), values[0])
            return None, None
        if kind == "mw_factory":
            return None, None
        if name and self._callback_sink(n, name, values):
            return None, None
        return self._wrapped(values), None

    def _callback_sink(self, n: "Node", name: str, values: list[AV | None]) -> bool:
        """`callback(null, x)` of an enclosing handler: x is a RESPONSE sink, a
        tainted error argument an ERROR sink."""
        ctx = self.fn
        while ctx is not None:
            if ctx.is_handler and ctx.callback is not None and ctx.callback == name:
                if values and tainted(values[0]):
                    self.add_sink(SinkKind.ERROR, values[:1], "callback", n)
                if len(values) > 1:
                    self.add_sink(SinkKind.RESPONSE, values[1:], "callback", n)
                return True
            ctx = ctx.parent
        return False

    def _summary(self, fnode: "Node") -> AV | None:
        return self.summaries.get(fnode.id)

    @staticmethod
    def _wrapped(values: list[AV | None]) -> AV | None:
        fns = [v.node for v in values if v is not None and v.kind == "func"]
        return AV(kind="wrapped", data=fns) if fns else None

    def _taint_var(self, node: "Node", av: AV, scope: Scope, at: "Node") -> None:
        node = unwrap(node)
        if node.type == "identifier":
            name = self.src.text(node)
            current = self.lookup(name, scope)
            self.set_var(name, join(current if tainted(current) else None, av.with_shape(av.shape)), scope, at)

    def _last_name(self, node: "Node | None") -> str | None:
        if node is None:
            return None
        node = unwrap(node)
        t = node.type
        if t == "identifier":
            return self.src.text(node)
        if t == "member_expression":
            return key_text(self.src, node.child_by_field_name("property"))
        if t == "call_expression":
            return self._last_name(node.child_by_field_name("function"))
        return None

    def symbol_call(self, n: "Node", fn: "Node", module: str, path: tuple[str, ...], style: str,
                    nodes: list["Node"], values: list[AV | None],
                    scope: Scope) -> tuple[AV | None, dict[int, dict[int, AV | None]] | None]:
        spec = SYMBOLS.get((module, path))
        if spec is not None:
            tag = spec[0]
            if tag == "pt":
                return self.powertools(n, spec[1], values), None
            if tag == "paginator":
                return self.sdk_read(n, spec[1], spec[2], Api.AWS_SDK_V3, values[1] if len(values) > 1 else None), None
            if tag == "middy":
                chain = MiddyChain()
                if values and values[0] is not None and values[0].kind == "func":
                    chain.bases.append(values[0].node)
                self.chains.append(chain)
                return AV(kind="middy", data=chain), None
            if tag == "mw":
                return self.middleware(n, spec[1], spec[2], style, values), None
            if tag == "getInternal":
                return AV(Tainted.CONTAINER, "middy getInternal"), None
            if tag == "http":
                response = self.http_call(n, spec[1], values)
                if response is not None and len(values) > 1 and values[-1] is not None and values[-1].kind == "func":
                    return response, {len(values) - 1: {0: response}}  # http.get(url, res => …)
                return response, None
            if tag == "axios_create":
                config = values[0] if values else None
                base = config.data.get("baseURL") if config is not None and config.kind == "object" else None
                return AV(kind="axios_instance", parts=base.parts if base is not None else None), None
            if tag == "hash":
                return AV(kind="hash"), None
            if tag == "propagate":
                taint = strongest(values)
                return (taint.with_shape(taint.shape) if taint is not None else None), None
            return None, None
        if module == "":
            head = path[0] if path else ""
            if head == "console" and len(path) == 2:
                self.add_sink(SinkKind.LOG, values, render(self.src, fn), n)
                return None, None
            if path in (("process", "stdout", "write"), ("process", "stderr", "write")):
                self.add_sink(SinkKind.LOG, values, render(self.src, fn), n)
                return None, None
            if path in CLEAN_GLOBALS:
                return None, None
            if path in PROPAGATE:
                if path == ("Object", "assign") and nodes and strongest(values[1:]) is not None:
                    self._taint_target(nodes[0], strongest(values[1:]), scope, n)  # type: ignore[arg-type]
                if path == ("Object", "entries") and values and values[0] is not None and values[0].kind == "env":
                    return AV(Tainted.ENVIRONMENT, "process.env"), None
                taint = strongest(values[:1] if path == ("JSON", "stringify") else values)
                if path in (("String",), ("encodeURIComponent",), ("decodeURIComponent",)) and values:
                    first = values[0]
                    if first is not None and not tainted(first):
                        return first, None
                return (taint.with_shape(taint.shape) if taint is not None else None), None
        if _is_cleaner_name(path[-1] if path else ""):
            return None, None
        return self._wrapped(values), None

    def _taint_target(self, node: "Node", av: AV, scope: Scope, at: "Node") -> None:
        node = unwrap(node)
        if node.type == "member_expression" and key_text(self.src, node.child_by_field_name("property")) == "context":
            holder = self.eval(node.child_by_field_name("object"), scope)
            if holder is not None and holder.kind == "middy_request":
                self.context_filled.update(holder.data[1])  # Object.assign(request.context, secrets)
                return
        if node.type in ("member_expression", "subscript_expression"):
            self.assign(node, av, scope, at)
        elif node.type == "identifier":
            self._taint_var(node, av, scope, at)

    def eval_new(self, n: "Node", scope: Scope) -> AV | None:
        ctor = n.child_by_field_name("constructor")
        args = n.child_by_field_name("arguments")
        cav = self.eval(ctor, scope) if ctor is not None else None
        if cav is not None and cav.kind == "sym":
            module, path, _style = cav.data
            spec = SYMBOLS.get((module, path))
            if spec is not None and spec[0] == "client":
                self._args(args, scope)
                return AV(kind="client", data=(spec[1], spec[2]))
            if spec is not None and spec[0] == "command":
                _nodes, values, _fns = self._args(args, scope)
                return AV(kind="command", data=(spec[1], spec[2], values[0] if values else None))
            if spec is not None and spec[0] == "ptprovider":
                self._args(args, scope)
                return AV(kind="provider", data=spec[1])
            if module == "" and path == ("Promise",):
                return self._new_promise(n, args, scope)
            if module == "" and path == ("URL",):
                _nodes, values, fns = self._args(args, scope)
                return values[0] if values else None
        nodes, values, fns = self._args(args, scope)
        for _i, fnode in fns:
            self.function_value(fnode, scope)
        last = render(self.src, ctor).rsplit(".", 1)[-1] if ctor is not None else ""
        if last.endswith("Error") or last.endswith("Exception"):
            taint = strongest(values)
            return taint.with_shape(taint.shape) if taint is not None else None
        if cav is not None and cav.kind == "class":
            return AV(kind="instance", node=cav.node)
        return None

    def _new_promise(self, n: "Node", args: "Node | None", scope: Scope) -> AV | None:
        nodes = [c for c in args.named_children if c.type != "comment"] if args is not None else []
        if nodes and unwrap(nodes[0]).type in FUNCTION_TYPES:
            executor = unwrap(nodes[0])
            resolver = AV(kind="resolver", data=n.id)
            self.function_value(executor, scope, {0: resolver})
            for extra in nodes[1:]:
                self.eval(extra, scope)
        else:
            self._args(args, scope)
        return self.resolved.get(n.id)

    # ------------------------------------------------------------------ sources

    def sdk_read(self, n: "Node", service: str, op: str, api: Api, params: AV | None) -> AV:
        """An SDK v2 / v3 call (§1 rows "boto3"…"JS SDK v3"): the response is a CONTAINER."""
        data = params.data if params is not None and params.kind == "object" else {}
        names: tuple[SecretName, ...]
        if op == "GetParameter":
            names = (name_of(data.get("Name")),)
        elif op == "GetParameters":
            names = self._name_list(data.get("Names"))
        elif op == "GetParametersByPath":
            names = (name_of(data.get("Path"), path=True),)
        elif op == "GetSecretValue":
            names = (name_of(data.get("SecretId")),)
        else:
            names = self._name_list(data.get("SecretIdList")) if "SecretIdList" in data else ()
        decrypted: bool | None = None
        if service == "ssm":
            if params is None or params.kind != "object":
                decrypted = None
            elif "WithDecryption" not in data:
                decrypted = False
            else:
                flag = data["WithDecryption"]
                decrypted = flag.lit if flag is not None and isinstance(flag.lit, bool) else None
        src = self.add_read(n, service, f"{service}:{op}", api, names, cache=None, decrypted=decrypted)
        return AV(Tainted.CONTAINER, f"{op} response", src=src)

    @staticmethod
    def _name_list(av: AV | None) -> tuple[SecretName, ...]:
        if av is None:
            return (UNKNOWN_PART,)
        if av.kind == "array" and isinstance(av.data, list):
            return tuple(name_of(item) for item in av.data) or ()
        return (UNKNOWN_PART,)

    def powertools(self, n: "Node", fname: str, values: list[AV | None]) -> AV:
        """Powertools TS parameters (§1, B.2): default maxAge 5 s, decrypt False."""
        first = values[0] if values else None
        opts = values[1] if len(values) > 1 and values[1] is not None and values[1].kind == "object" else None
        odata = opts.data if opts is not None else {}
        if fname == "getParameter":
            service, op, shape, names = "ssm", "GetParameter", Tainted.VALUE, (name_of(first),)
        elif fname == "getParameters":
            service, op, shape, names = "ssm", "GetParametersByPath", Tainted.CONTAINER, (name_of(first, path=True),)
        elif fname == "getParametersByName":
            service, op, shape = "ssm", "GetParameters", Tainted.CONTAINER
            if first is not None and first.kind == "object":
                names = tuple(SecretName(NameKind.LITERAL, k) if k != "?" else UNKNOWN_PART for k in first.data)
            else:
                names = (UNKNOWN_PART,)
        else:
            service, op, shape, names = "secretsmanager", "GetSecretValue", Tainted.VALUE, (name_of(first),)
        decrypted: bool | None = None
        if service == "ssm":
            if opts is None and len(values) > 1 and values[1] is not None:
                decrypted = None  # options we cannot see
            else:
                decrypted = self._opt_bool(odata, "decrypt")
                sdk = odata.get("sdkOptions")
                if decrypted is False and sdk is not None and sdk.kind == "object":
                    decrypted = self._opt_bool(sdk.data, "WithDecryption")
                if decrypted is False and fname == "getParametersByName" and first is not None and first.kind == "object":
                    per = [self._opt_bool(v.data, "decrypt") if v is not None and v.kind == "object" else False
                           for v in first.data.values()]
                    if per and all(p is True for p in per):
                        decrypted = True
        cache, seconds = Cache.TTL, 5.0
        force = odata.get("forceFetch")
        age = odata.get("maxAge")
        if force is not None and force.lit is True:
            cache, seconds = Cache.NONE, None
        elif age is not None:
            if isinstance(age.lit, (int, float)) and not isinstance(age.lit, bool):
                cache, seconds = (Cache.NONE, None) if age.lit <= 0 else (Cache.TTL, float(age.lit))
            else:
                seconds = None
        src = self.add_read(n, service, f"{service}:{op}", Api.POWERTOOLS, names, cache=cache, seconds=seconds,
                            decrypted=decrypted)
        literal = names[0].value if len(names) == 1 and names[0].kind in (NameKind.LITERAL, NameKind.PATH) else None
        origin = f"Powertools {fname}('{literal}')" if literal else f"Powertools {fname}"
        return AV(shape, origin, src=src)

    @staticmethod
    def _opt_bool(data: dict, key: str) -> bool | None:
        if key not in data:
            return False
        av = data[key]
        return av.lit if av is not None and isinstance(av.lit, bool) else None

    def provider_call(self, n: "Node", service: str, mname: str, values: list[AV | None]) -> AV | None:
        if service == "ssm":
            fname = {"get": "getParameter", "getMultiple": "getParameters",
                     "getParametersByName": "getParametersByName"}.get(mname)
        else:
            fname = "getSecret" if mname == "get" else None
        return self.powertools(n, fname, values) if fname else None

    # middy ----------------------------------------------------------------

    _MW_OPTIONS = ("setToContext", "setToEnv", "cache", "cacheExpiry", "cacheExpiryInMillis", "disablePrefetch")

    def middleware(self, n: "Node", middleware: str, package: str, style: str, values: list[AV | None]) -> AV:
        """A middy ssm / secretsManager middleware call (§6, §7)."""
        opts = values[0] if values and values[0] is not None and values[0].kind == "object" else None
        data: dict[str, AV | None] = opts.data if opts is not None else {}
        options = tuple((k, self._option_text(data[k])) for k in self._MW_OPTIONS if k in data)
        legacy = package == "middy/middlewares" or (
            "fetchData" not in data and any(k in data for k in ("cache", "cacheExpiryInMillis", "names", "paths", "secrets"))
        )
        keys: list[tuple[str, SecretName]] = []
        service = "ssm" if middleware == "ssm" else "secretsmanager"

        def entries(av: AV | None) -> list[tuple[str, AV | None]]:
            return list(av.data.items()) if av is not None and av.kind == "object" else []

        if "fetchData" in data:
            for key, av in entries(data["fetchData"]):
                keys.append((key, name_of(av, slash_is_path=service == "ssm")))
        if middleware == "ssm":
            for key, av in entries(data.get("names")):
                keys.append((key, name_of(av)))
            for key, av in entries(data.get("paths")):
                if av is not None and av.kind == "array":
                    keys.extend((key, name_of(item, path=True)) for item in av.data)
                else:
                    keys.append((key, name_of(av, path=True)))
        else:
            for key, av in entries(data.get("secrets")):
                keys.append((key, name_of(av)))
        # cache
        seconds: float | None = None
        if legacy:
            enabled = data.get("cache")
            expiry = data.get("cacheExpiryInMillis")
            on = enabled is not None and (enabled.lit is True or not isinstance(enabled.lit, bool))
            if not on:
                cache = Cache.NONE
            elif expiry is None:
                cache = Cache.TTL if enabled is not None and enabled.lit is not True else Cache.FOREVER
            elif isinstance(expiry.lit, (int, float)) and not isinstance(expiry.lit, bool):
                cache, seconds = (Cache.TTL, expiry.lit / 1000) if expiry.lit > 0 else (Cache.FOREVER, None)
            else:
                cache = Cache.TTL
        else:
            expiry = data.get("cacheExpiry")
            if expiry is None:
                cache = Cache.FOREVER
            elif isinstance(expiry.lit, (int, float)) and not isinstance(expiry.lit, bool):
                if expiry.lit < 0:
                    cache = Cache.FOREVER
                elif expiry.lit == 0:
                    cache = Cache.NONE
                else:
                    cache, seconds = Cache.TTL, expiry.lit / 1000
            else:
                cache = Cache.TTL
        if self.emit:
            self.middlewares[n.start_byte] = MiddlewareUse(package, middleware, self.loc(n), style, options, tuple(keys))
        for i, (_key, name) in enumerate(keys):
            if service == "ssm":
                action = "ssm:GetParametersByPath" if name.kind is NameKind.PATH else "ssm:GetParameters"
                decrypted: bool | None = True
            else:
                action, decrypted = "secretsmanager:GetSecretValue", None
            self.add_read(n, service, action, Api.MIDDY, (name,), cache=cache, seconds=seconds, decrypted=decrypted,
                          index=i, in_function=False)
        to_context_opt = data.get("setToContext")
        to_context = to_context_opt is not None and to_context_opt.lit is not False
        if legacy and middleware == "secretsManager":
            to_context = True  # v0/v1 secretsManager always assigns to context (REFERENCE A.1)
        to_env_opt = data.get("setToEnv")
        to_env = (legacy and middleware == "ssm" and not to_context) or (
            to_env_opt is not None and to_env_opt.lit is True)
        if to_env:
            for key, _name in keys:
                if _name.kind is not NameKind.PATH:
                    self.middy_env[key] = f"middy {middleware} process.env.{key}"
        return AV(kind="mw", data={"to_context": to_context, "keys": [k for k, _ in keys]})

    def _option_text(self, av: AV | None) -> str:
        if av is None or av.lit is None:
            return "?"
        return _num_text(av.lit)

    def middy_method(self, recv: AV, mname: str, values: list[AV | None]) -> AV:
        chain: MiddyChain = recv.data
        if mname == "use":
            for v in values:
                items = v.data if v is not None and v.kind == "array" and not tainted(v) else [v]
                for item in items:
                    if item is None:
                        continue
                    if item.kind == "mw":
                        chain.mws.append(item)
                    elif item.kind == "object" and isinstance(item.data, dict):
                        for hook in ("before", "after", "onError"):
                            f = item.data.get(hook)
                            if f is not None and f.kind == "func":
                                chain.hooks.append(f.node)
        elif mname in ("before", "after", "onError"):
            for v in values:
                if v is not None and v.kind == "func":
                    chain.hooks.append(v.node)
        elif mname == "handler":
            for v in values:
                if v is not None and v.kind == "func":
                    chain.bases.append(v.node)
        return recv

    # extension ------------------------------------------------------------

    def _extension_parts(self, av: AV | None, base: tuple | None = None) -> tuple | None:
        """The URL parts of a request to the Parameters and Secrets extension, else None."""
        parts: tuple | None = None
        if av is not None and av.parts:
            parts = av.parts
        elif av is not None and av.kind == "object" and isinstance(av.data, dict):
            url = av.data.get("url")
            if url is not None and url.parts:
                parts = url.parts
            else:
                host = av.data.get("hostname") or av.data.get("host")
                port = av.data.get("port")
                path = av.data.get("path")
                if host is not None and host.parts:
                    port_parts: tuple = ()
                    if port is not None:
                        port_parts = (":", _num_text(port.lit)) if port.lit is not None else ((":",) + (port.parts or (UNKNOWN_PART,)))
                    parts = ("http://",) + host.parts + port_parts + (path.parts if path is not None and path.parts else ())
        if base:
            parts = tuple(base) + (parts or ())
        if not parts:
            return None
        text = parts_text(parts)
        if _EXT_HOST.search(text) or _EXT_PORT_ENV.search(text):
            return parts
        return None

    def http_call(self, n: "Node", flavor: str, values: list[AV | None], base: tuple | None = None) -> AV | None:
        first = values[0] if values else None
        parts = self._extension_parts(first, base)
        if parts is None:
            return None
        # render with placeholders for the pieces that are not literal
        rendered: list[str] = []
        pieces: list[SecretName] = []
        for p in parts:
            if isinstance(p, str):
                rendered.append(p)
            else:
                rendered.append(f"{_PLACEHOLDER}{len(pieces)}{_PLACEHOLDER}")
                pieces.append(p)
        url = "".join(rendered)
        plain = parts_text(parts)
        if "/secretsmanager/get" in plain:
            service, action, decrypted = "secretsmanager", "secretsmanager:GetSecretValue", None
        elif "/systemsmanager/parameters/get" in plain:
            service, action = "ssm", "ssm:GetParameter"
            decrypted = "withdecryption=true" in plain.lower()
        else:
            return AV(Tainted.CONTAINER, EXTENSION_ORIGIN, kind="response")
        name = UNKNOWN_PART
        m = _EXT_QUERY.search(url)
        if m is not None:
            value = m.group(2)
            whole = re.fullmatch(_PLACEHOLDER + r"(\d+)" + _PLACEHOLDER, value)
            if whole is not None:
                name = pieces[int(whole.group(1))]
            elif _PLACEHOLDER not in value and value:
                from urllib.parse import unquote

                name = SecretName(NameKind.LITERAL, unquote(value))
        self.add_read(n, service, action, Api.EXTENSION, (name,), cache=Cache.TTL, seconds=300.0, decrypted=decrypted)
        return AV(Tainted.CONTAINER, EXTENSION_ORIGIN, kind="response")

    # ------------------------------------------------------------------ results

    def secret_reads(self) -> list[SecretRead]:
        out = []
        for (start, _index), r in self.reads.items():
            cache = r.cache
            if cache is None:
                entries = self.stores.get(start, [])
                if any(g and t for g, t in entries):
                    cache = Cache.TTL
                elif any(g for g, _t in entries):
                    cache = Cache.FOREVER
                else:
                    cache = Cache.NONE
            out.append(SecretRead(r.service, r.action, r.api, r.names, self.loc(r.node), r.in_function, cache,
                                  r.seconds, r.decrypted))
        return out


def _exits(stmt: "Node") -> bool:
    if stmt.type in ("return_statement", "throw_statement"):
        return True
    if stmt.type == "statement_block":
        return any(c.type in ("return_statement", "throw_statement") for c in stmt.named_children)
    return False


_EVAL: dict[str, Callable[[Analyzer, "Node", Scope], AV | None]] = {
    "identifier": Analyzer.eval_identifier,
    "this": Analyzer.eval_this,
    "string": Analyzer.eval_string,
    "template_string": Analyzer.eval_template,
    "number": Analyzer.eval_number,
    "true": Analyzer.eval_true,
    "false": Analyzer.eval_false,
    "null": Analyzer.eval_none,
    "undefined": Analyzer.eval_none,
    "regex": Analyzer.eval_none,
    "comment": Analyzer.eval_none,
    "member_expression": Analyzer.eval_member,
    "subscript_expression": Analyzer.eval_subscript,
    "call_expression": Analyzer.eval_call,
    "new_expression": Analyzer.eval_new,
    "await_expression": Analyzer.eval_await,
    "parenthesized_expression": Analyzer.eval_wrapped,
    "as_expression": Analyzer.eval_wrapped,
    "satisfies_expression": Analyzer.eval_wrapped,
    "non_null_expression": Analyzer.eval_wrapped,
    "type_assertion": Analyzer.eval_wrapped,
    "assignment_expression": Analyzer.eval_assign,
    "augmented_assignment_expression": Analyzer.eval_augassign,
    "binary_expression": Analyzer.eval_binary,
    "unary_expression": Analyzer.eval_unary,
    "update_expression": Analyzer.eval_update,
    "ternary_expression": Analyzer.eval_ternary,
    "sequence_expression": Analyzer.eval_sequence,
    "array": Analyzer.eval_array,
    "object": Analyzer.eval_object,
    "spread_element": Analyzer.eval_spread,
    "arrow_function": Analyzer.eval_function,
    "function_expression": Analyzer.eval_function,
    "function": Analyzer.eval_function,
    "generator_function": Analyzer.eval_function,
    "class": Analyzer.eval_class,
    "template_substitution": Analyzer.eval_await,
    "type_identifier": Analyzer.eval_none,
    "predefined_type": Analyzer.eval_none,
    "type_arguments": Analyzer.eval_none,
    "type_annotation": Analyzer.eval_none,
}
