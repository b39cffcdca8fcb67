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

import re
from collections import deque
from collections.abc import Callable, Iterable
from urllib.parse import unquote

import libcst as cst

from lambda_secrets_lint.model.code import (
    Api,
    Cache,
    EnvRead,
    NameKind,
    SecretName,
    SecretRead,
    Sink,
    SinkKind,
    Tainted,
)
from lambda_secrets_lint.model.location import Location
from lambda_secrets_lint.parsers.python.absval import (
    AV,
    CLEAN,
    NOCONST,
    NON_SECRET_FIELDS,
    Taint,
    merge_av,
    stronger,
    taint_of,
)
from lambda_secrets_lint.parsers.python.literals import dotted, string_value
from lambda_secrets_lint.secrets.names import is_secret_name, name_words

__all__ = ["Interpreter"]

MAX_ROUNDS = 3
MAX_EXPR_DEPTH = 100  # deeper sub-expressions are not analysed (CLEAN)
_MAX_TEXT = 4096

# --------------------------------------------------------------------------- vocabulary

_RUNTIME_CREDENTIALS = frozenset({"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ACCESS_KEY_ID"})

_HANDLER_NAMES = frozenset({"handler", "lambda_handler", "main", "handle"})
_EVENT_PARAMS = frozenset({"event", "evt", "_event", "e"})
_CONTEXT_PARAMS = frozenset({"context", "ctx", "_context", "_ctx"})
_HANDLER_DECORATORS = frozenset({"inject_lambda_context", "capture_lambda_handler", "event_source", "log_metrics"})

_PT = "aws_lambda_powertools.utilities.parameters"
_PT_DEFAULT_MAX_AGE = 300.0
_EXT_DEFAULT_TTL = 300.0

_LOGGER_WORDS = frozenset({"LOGGER", "LOG", "CONSOLE"})
_NOT_LOG_METHODS = frozenset(
    {
        "setLevel", "addHandler", "removeHandler", "addFilter", "removeFilter", "inject_lambda_context",
        "child", "getChild", "getLogger", "level", "setFormatter", "isEnabledFor", "hasHandlers",
        "getEffectiveLevel",
    }
)
_LOGGER_FACTORIES = frozenset({"getLogger", "get_logger", "Logger", "getChild", "child"})
_CLEANER_WORDS = ("mask", "redact", "hash", "obfuscate", "fingerprint", "sanitize", "censor")

_CLEAN_BUILTINS = frozenset({"len", "bool", "isinstance", "issubclass", "type", "hash", "id", "callable", "hasattr"})
_PASS_BUILTINS = frozenset(
    {
        "str", "repr", "bytes", "bytearray", "dict", "list", "tuple", "set", "frozenset", "sorted",
        "reversed", "format", "ascii", "int", "float", "iter", "next", "enumerate", "zip", "min", "max",
        "sum", "map", "filter", "vars",
    }
)
_PASS_QUALS = frozenset(
    {
        "json.loads", "json.load", "json.dumps", "copy.copy", "copy.deepcopy", "pprint.pformat",
        "urllib.parse.quote", "urllib.parse.quote_plus", "urllib.parse.unquote", "urllib.parse.unquote_plus",
        "urllib.parse.urlencode", "codecs.decode", "codecs.encode", "textwrap.dedent",
    }
)
_PASS_QUAL_PREFIXES = ("base64.", "binascii.")
_CLEAN_QUAL_PREFIXES = ("hashlib.", "hmac.")
_TEXT_PASS_QUALS = frozenset({"urllib.parse.quote", "urllib.parse.quote_plus", "str"})

# methods that mix their arguments into the result / the receiver
_ARG_PASS_METHODS = frozenset({"format", "format_map", "join", "replace"})
_MUTATING_METHODS = frozenset({"update", "append", "extend", "insert", "add", "setdefault", "appendleft"})
# methods of a tainted receiver whose result says nothing about the secret
_CLEAN_METHODS = frozenset(
    {
        "keys", "startswith", "endswith", "isdigit", "isalpha", "isalnum", "isnumeric", "isdecimal",
        "isspace", "isupper", "islower", "istitle", "count", "find", "rfind", "index", "rindex",
        "__len__", "__contains__",
    }
)
_FIELD_METHODS = frozenset({"get", "pop"})

_TIME_CALLS = (
    "time.time", "time.monotonic", "time.time_ns", "time.monotonic_ns", "time.perf_counter",
    "datetime.now", "datetime.utcnow", "datetime.today", "date.today",
)

# boto3 operation -> (service, action, names keyword, name kind, is list)
_BOTO3_OPS: dict[str, tuple[str, str, str, bool, bool]] = {
    "get_parameter": ("ssm", "ssm:GetParameter", "Name", False, False),
    "get_parameters": ("ssm", "ssm:GetParameters", "Names", False, True),
    "get_parameters_by_path": ("ssm", "ssm:GetParametersByPath", "Path", True, False),
    "get_secret_value": ("secretsmanager", "secretsmanager:GetSecretValue", "SecretId", False, False),
    "batch_get_secret_value": ("secretsmanager", "secretsmanager:BatchGetSecretValue", "SecretIdList", False, True),
}
_SERVICES = frozenset({"ssm", "secretsmanager"})

# Powertools function -> (service, action, shape, path-like name, name is a collection)
_PT_FUNCS: dict[str, tuple[str, str, Tainted, bool, bool]] = {
    "get_parameter": ("ssm", "ssm:GetParameter", Tainted.VALUE, False, False),
    "get_parameters": ("ssm", "ssm:GetParametersByPath", Tainted.CONTAINER, True, False),
    "get_parameters_by_name": ("ssm", "ssm:GetParameters", Tainted.CONTAINER, False, True),
    "get_secret": ("secretsmanager", "secretsmanager:GetSecretValue", Tainted.VALUE, False, False),
    "get_secrets_by_name": ("secretsmanager", "secretsmanager:BatchGetSecretValue", Tainted.CONTAINER, False, True),
}
_PT_PROVIDER_METHODS: dict[tuple[str, str], str] = {
    ("pt_ssm", "get"): "get_parameter",
    ("pt_ssm", "get_multiple"): "get_parameters",
    ("pt_ssm", "get_parameters_by_name"): "get_parameters_by_name",
    ("pt_secrets", "get"): "get_secret",
    ("pt_secrets", "get_multiple"): "get_secrets_by_name",
}

_EXT_HOSTS = ("localhost:2773", "127.0.0.1:2773", "\x01PARAMETERS_SECRETS_EXTENSION_HTTP_PORT\x01")
_EXT_HTTP_CALLS = frozenset({"urlopen", "get", "request", "Request", "fetch", "open"})
_EXT_HOST_NAMES = frozenset({"localhost", "127.0.0.1"})
_FORMAT_FIELD = re.compile(r"\{([^{}]*)\}")
_PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdrifxXoeEgGc]")


def _is_terminal(stmts: Iterable[cst.CSTNode]) -> bool:
    last = None
    for last in stmts:
        pass
    if isinstance(last, cst.SimpleStatementLine) and last.body:
        return isinstance(last.body[-1], (cst.Return, cst.Raise, cst.Continue, cst.Break))
    return isinstance(last, (cst.Return, cst.Raise, cst.Continue, cst.Break))


def _block(body: cst.BaseSuite) -> list[cst.CSTNode]:
    return list(body.body)


def _last_name(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return None


def _is_logger_name(name: str | None) -> bool:
    if not name:
        return False
    words = name_words(name)
    return bool(words) and words[-1] in _LOGGER_WORDS


def _const_str(av: AV) -> str | None:
    return av.const if isinstance(av.const, str) else None


def _sketch(av: AV) -> str:
    if av.text is not None:
        return av.text
    if isinstance(av.const, (int, float)) and not isinstance(av.const, bool):
        return str(av.const)
    if av.env is not None:
        return f"\x01{av.env}\x01"
    return "\x00"


def _clip(text: str) -> str:
    return text if len(text) <= _MAX_TEXT else text[:_MAX_TEXT]


# --------------------------------------------------------------------------- scopes


class Guard:
    __slots__ = ("names", "time")

    def __init__(self, names: frozenset[str], time: bool) -> None:
        self.names = names
        self.time = time


class FuncInfo:
    __slots__ = (
        "key", "node", "parent", "class_key", "is_handler", "decor_cache", "compares_time",
        "ret", "time_names", "pending", "top",
    )

    def __init__(self, key: str, node: cst.CSTNode | None, parent: "Frame | None", class_key: str | None) -> None:
        self.key = key
        self.node = node
        self.parent = parent
        self.class_key = class_key
        self.is_handler = False
        self.decor_cache: tuple[Cache, float | None] | None = None
        self.compares_time = False
        self.ret: AV | None = None
        self.time_names: set[str] = set()
        self.pending: list["PendingRead"] = []
        self.top: int | None = None


class Frame:
    __slots__ = ("kind", "vars", "parent", "fn", "globals_decl", "guards", "class_key")

    def __init__(self, kind: str, parent: "Frame | None", fn: FuncInfo | None, class_key: str | None = None) -> None:
        self.kind = kind  # module | class | function | lambda | comp
        self.vars: dict[str, AV] = {}
        self.parent = parent
        self.fn = fn
        self.globals_decl: set[str] = set()
        self.guards: list[Guard] = []
        self.class_key = class_key


class PendingRead:
    """A SecretRead whose cache may depend on the rest of its function."""

    __slots__ = ("service", "action", "api", "names", "location", "in_function", "cache", "seconds", "decrypted",
                 "guards", "stores")

    def __init__(self, service: str, action: str, api: Api, names: tuple[SecretName, ...], location: Location,
                 in_function: bool, cache: Cache | None, seconds: float | None, decrypted: bool | None,
                 guards: tuple[Guard, ...]) -> None:
        self.service = service
        self.action = action
        self.api = api
        self.names = names
        self.location = location
        self.in_function = in_function
        self.cache = cache  # None: decided when the function is finished (lazy fetch-once)
        self.seconds = seconds
        self.decrypted = decrypted
        self.guards = guards
        self.stores: set[str] = set()  # module-level names the result was stored into


# --------------------------------------------------------------------------- interpreter


class Interpreter:
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
            return (t.what.value if t else None, t.origin if t else None, av.kind, av.ref)

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
            frame.vars[p.name.value] = CLEAN
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                frame.vars[star.name.value] = CLEAN
        if fi.class_key is not None and positional and not self._is_staticmethod(node):
            frame.vars[positional[0].name.value] = AV(kind="self", ref=fi.class_key)
        self.block(_block(node.body), frame)
        self.ret_cur[fi.key] = fi.ret if fi.ret is not None else CLEAN
        for pending in fi.pending:
            self._decide_lazy_cache(pending, fi)

    @staticmethod
    def _is_staticmethod(node: cst.FunctionDef) -> bool:
        return any(dotted(d.decorator) == "staticmethod" for d in node.decorators)

    def _decide_lazy_cache(self, p: PendingRead, fi: FuncInfo) -> None:
        if p.cache is not None:
            return
        guarding = [g for g in p.guards if g.names & p.stores]
        if not guarding:
            p.cache = Cache.NONE
        elif fi.compares_time or any(g.time for g in guarding):
            p.cache = Cache.TTL
        else:
            p.cache = Cache.FOREVER

    def _define_function(self, node: cst.FunctionDef, frame: Frame) -> None:
        for deco in node.decorators:
            self.eval(deco.decorator, frame)
        self._eval_param_defaults(node.params, frame)
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
        fi.is_handler = frame.kind == "module" and self._is_handler(node)
        fi.decor_cache = self._decorator_cache(node, frame)
        frame.vars[name] = AV(kind="func", ref=key)
        self.queue.append(fi)

    def _eval_param_defaults(self, params: cst.Parameters, frame: Frame) -> None:
        for p in (*params.posonly_params, *params.params, *params.kwonly_params):
            if p.default is not None:
                self.eval(p.default, frame)

    @staticmethod
    def _is_handler(node: cst.FunctionDef) -> bool:
        name = node.name.value
        if name in _HANDLER_NAMES or name.endswith("_handler"):
            return True
        params = node.params
        positional = list(params.posonly_params) + list(params.params)
        if (
            len(positional) == 2
            and positional[0].name.value in _EVENT_PARAMS
            and positional[1].name.value in _CONTEXT_PARAMS
        ):
            return True
        for deco in node.decorators:
            expr = deco.decorator
            if isinstance(expr, cst.Call):
                expr = expr.func
            last = _last_name(expr)
            if last in _HANDLER_DECORATORS:
                return True
        return False

    def _decorator_cache(self, node: cst.FunctionDef, frame: Frame) -> tuple[Cache, float | None] | None:
        for deco in node.decorators:
            expr = deco.decorator
            call = expr if isinstance(expr, cst.Call) else None
            last = _last_name(call.func if call is not None else expr)
            if last in ("lru_cache", "cache"):
                return (Cache.FOREVER, None)
            if last == "ttl_cache":
                seconds = self._call_number(call, "ttl", 1) if call is not None else None
                return (Cache.TTL, seconds if seconds is not None else 600.0)
            if last == "cached" and call is not None:
                store = self._arg_node(call, "cache", 0)
                if isinstance(store, cst.Call) and _last_name(store.func) == "TTLCache":
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
            self.block(_block(node.body), frame)
            frame.vars = self._join(before, frame.vars)
            if node.orelse is not None:
                self.block(_block(node.orelse.body), frame)
        elif isinstance(node, cst.While):
            self.eval(node.test, frame)
            before = frame.vars
            frame.vars = dict(before)
            self.block(_block(node.body), frame)
            frame.vars = self._join(before, frame.vars)
            if node.orelse is not None:
                self.block(_block(node.orelse.body), frame)
        elif isinstance(node, (cst.Try, cst.TryStar)):
            self._try(node, frame)
        elif isinstance(node, cst.With):
            for item in node.items:
                value = self.eval(item.item, frame)
                if item.asname is not None:
                    self._bind(item.asname.name, value, frame, False)
            self.block(_block(node.body), frame)
        elif isinstance(node, cst.Match):
            self.eval(node.subject, frame)
            before = frame.vars
            joined: dict[str, AV] | None = None
            for case in node.cases:
                frame.vars = dict(before)
                if case.guard is not None:
                    self.eval(case.guard, frame)
                self.block(_block(case.body), frame)
                if not _is_terminal(_block(case.body)):
                    joined = frame.vars if joined is None else self._join(joined, frame.vars)
            frame.vars = self._join(before, joined) if joined is not None else before

    def _if(self, node: cst.If, frame: Frame) -> None:
        guard = self._guard(node.test, frame)
        before = frame.vars
        frame.vars = dict(before)
        n_guards = len(frame.guards)
        frame.guards.append(guard)
        body = _block(node.body)
        self.block(body, frame)
        body_vars = frame.vars
        frame.vars = dict(before)
        orelse = node.orelse
        else_terminal = False
        if isinstance(orelse, cst.If):
            self._if(orelse, frame)
        elif isinstance(orelse, cst.Else):
            else_block = _block(orelse.body)
            self.block(else_block, frame)
            else_terminal = _is_terminal(else_block)
        del frame.guards[n_guards:]
        else_vars = frame.vars
        body_terminal = _is_terminal(body)
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
        self.block(_block(node.body), frame)
        after_body = frame.vars
        joined = after_body
        for handler in node.handlers:
            frame.vars = self._join(before, after_body)
            if handler.type is not None:
                self.eval(handler.type, frame)
            if handler.name is not None and isinstance(handler.name.name, cst.Name):
                frame.vars[handler.name.name.value] = CLEAN
            block = _block(handler.body)
            self.block(block, frame)
            if not _is_terminal(block):
                joined = self._join(joined, frame.vars)
        frame.vars = joined
        if node.orelse is not None:
            self.block(_block(node.orelse.body), frame)
        if node.finalbody is not None:
            self.block(_block(node.finalbody.body), frame)

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
        self.block(_block(node.body), body)
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
                frame.vars[alias.asname.name.value] = _qual_av(full)
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
            frame.vars[local] = _qual_av(f"{base}.{name}")

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

    def _store_global(self, name: str, value: AV) -> None:
        if value.taint is None and value.kind is None:
            return
        self.globals_cur[name] = merge_av(self.globals_cur.get(name), value)
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
                frame.vars[f"{base.value}.{attr}"] = value
                if self._is_module_global(base.value, frame):
                    self._store_global(base.value, value)
        elif isinstance(target, cst.Subscript):
            base = target.value
            for element in target.slice:
                if isinstance(element.slice, cst.Index):
                    self.eval(element.slice.value, frame)
            if isinstance(base, cst.Name):
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
            return _TRUE
        if name == "False":
            return _FALSE
        if name == "None":
            return _NONE
        return _builtin(name)

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
            return _qual_av(f"{base.qual}.{attr}", base.taint)
        if base.taint is not None:
            return AV(self._field(base.taint, attr))
        return CLEAN

    def _field(self, taint: Taint, key: str | None) -> Taint | None:
        """taint of `x[key]` / `x.key` for a tainted x (key None: not constant)."""
        if key is not None and key.lower() in NON_SECRET_FIELDS:
            return None
        if taint.what is Tainted.ENVIRONMENT:
            if key is None:
                return None  # env[k] with a computed k: which variable is unknown
            if key in _RUNTIME_CREDENTIALS or is_secret_name(key, self.extra):
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
            key = _const_str(index_av)
        if base.qual == "os.environ":
            return self._env_read(node, key) if key is not None else CLEAN
        if base.taint is None:
            return CLEAN
        if is_slice:
            return AV(base.taint)
        return AV(self._field(base.taint, key))

    def _env_read(self, node: cst.CSTNode, name: str, default: AV | None = None) -> AV:
        self.env_reads.setdefault(id(node), EnvRead(name, self.loc(node, self._top)))
        taint = None
        if name in _RUNTIME_CREDENTIALS or is_secret_name(name, self.extra):
            taint = Taint(Tainted.VALUE, f"env var {name}")
        return AV(taint, env=name, text=f"\x01{name}\x01")

    # -- literals
    def _e_string(self, node: cst.BaseExpression, frame: Frame) -> AV:
        value = string_value(node)
        if value is None:
            return CLEAN
        return AV(const=value, text=_clip(value))

    def _e_fstring(self, node: cst.FormattedString, frame: Frame) -> AV:
        taint: Taint | None = None
        pieces: list[str] = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                pieces.append(part.value)
            elif isinstance(part, cst.FormattedStringExpression):
                value = self.eval(part.expression, frame)
                taint = stronger(taint, value.taint)
                pieces.append(_sketch(value))
                if part.format_spec:
                    for spec in part.format_spec:
                        if isinstance(spec, cst.FormattedStringExpression):
                            taint = stronger(taint, self.eval(spec.expression, frame).taint)
        return AV(taint, text=_clip("".join(pieces)))

    def _e_concat(self, node: cst.ConcatenatedString, frame: Frame) -> AV:
        value = string_value(node)
        if value is not None:
            return AV(const=value, text=_clip(value))
        left = self.eval(node.left, frame)
        right = self.eval(node.right, frame)
        return AV(stronger(left.taint, right.taint), text=_clip(_sketch(left) + _sketch(right)))

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
            text = _clip(_sketch(left) + _sketch(right))
        elif isinstance(op, cst.Modulo) and left.text is not None:
            # "…%s…" % x: the first field gets x's sketch, any other field is unknown
            first = _PERCENT_FIELD.sub(lambda _m: _sketch(right), left.text, count=1)
            text = _clip(_PERCENT_FIELD.sub("\x00", first))
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

    # ------------------------------------------------------------------ calls
    def _e_call(self, node: cst.Call, frame: Frame) -> AV:
        return self._call(node, frame)[0]

    def _call(self, node: cst.Call, frame: Frame) -> tuple[AV, list[AV]]:
        func = node.func
        recv_av: AV | None = None
        method: str | None = None
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            recv_av = self.eval(func.value, frame)
            stored = self._stored_attr(func, frame)
            func_av = stored if stored is not None else self._attr(recv_av, method)
        else:
            func_av = self.eval(func, frame)
        args: list[AV] = []
        kwargs: dict[str, AV] = {}
        positional: list[AV] = []
        for arg in node.args:
            value = self.eval(arg.value, frame)
            args.append(value)
            if arg.keyword is not None:
                kwargs[arg.keyword.value] = value
            elif not arg.star:
                positional.append(value)
        result = self._dispatch(node, frame, func, func_av, recv_av, method, args, positional, kwargs)
        return result, args

    def _dispatch(self, node: cst.Call, frame: Frame, func: cst.BaseExpression, func_av: AV, recv_av: AV | None,
                  method: str | None, args: list[AV], positional: list[AV], kwargs: dict[str, AV]) -> AV:
        qual = func_av.qual
        last = method if method is not None else _last_name(func)

        # time stamps (lazy caches with a TTL)
        if last in _TIME_LAST and (qual or dotted(func)).endswith(_TIME_CALLS):
            self._time_hit = True
            return CLEAN

        # ---- env reads
        if qual in ("os.getenv", "os.environ.get", "os.environ.setdefault", "os.environ.pop"):
            name = _const_str(positional[0]) if positional else _const_str(kwargs.get("key", CLEAN))
            if name is not None:
                return self._env_read(node, name)
            return CLEAN  # a computed name: not an EnvRead, and which variable is unknown
        if recv_av is not None and recv_av.qual == "os.environ" and method is not None:
            if method == "keys":
                return CLEAN
            return _ENVIRON

        # ---- secret sources
        if recv_av is not None and method is not None:
            found = self._method_source(node, frame, recv_av, method, positional, kwargs)
            if found is not None:
                return found
        if qual is not None:
            found = self._qual_call(node, frame, qual, positional, kwargs)
            if found is not None:
                return found
        ext = self._extension_call(node, frame, last, recv_av, positional, kwargs)
        if ext is not None:
            return ext

        # ---- log sinks
        via = self._log_via(func, func_av, recv_av, method, qual)
        if via is not None:
            taint = taint_of(args)
            if taint is not None:
                self._sink(node, SinkKind.LOG, taint, via)
            if method in ("bind", "new", "opt", "patch", "contextualize") or last in _LOGGER_FACTORIES:
                return _LOGGER
            return CLEAN

        # ---- cleaners
        if last is not None:
            lowered = last.lower()
            if any(word in lowered for word in _CLEANER_WORDS):
                return CLEAN
        if qual is not None and (qual.startswith(_CLEAN_QUAL_PREFIXES) or qual in _CLEAN_BUILTIN_QUALS):
            return CLEAN

        # ---- loggers
        if last in _LOGGER_FACTORIES and (qual is None or not qual.startswith("builtins.")):
            return _LOGGER

        # ---- same-module functions, methods and classes
        if func_av.kind == "class" and func_av.ref:
            return AV(kind="self", ref=func_av.ref)
        if func_av.kind == "func" and func_av.ref:
            returned = self.ret_prev.get(func_av.ref)
            return returned if returned is not None else CLEAN

        # ---- propagation
        if qual is not None and (qual in _PASS_BUILTIN_QUALS or qual in _PASS_QUALS or qual.startswith(_PASS_QUAL_PREFIXES)):
            taint = taint_of(args)
            if qual in _TEXT_PASS_QUALS and positional:
                first = positional[0]
                return AV(taint, text=first.text, env=first.env, const=first.const if qual == "builtins.str" else NOCONST)
            if qual == "builtins.int" and positional and positional[0].env:
                return AV(taint, env=positional[0].env, text=positional[0].text)
            return AV(taint) if taint is not None else CLEAN
        if recv_av is not None and method is not None:
            return self._method_on_value(node, frame, func, recv_av, method, args, positional)
        if last is not None and (last.endswith("Error") or last.endswith("Exception")):
            taint = taint_of(args)
            return AV(taint) if taint is not None else CLEAN
        return CLEAN

    def _method_on_value(self, node: cst.Call, frame: Frame, func: cst.Attribute, recv: AV, method: str,
                         args: list[AV], positional: list[AV]) -> AV:
        base = func.value
        if method in _MUTATING_METHODS and isinstance(base, cst.Name):
            self._mutate(base.value, AV(taint_of(args)), frame)
        if method in _ARG_PASS_METHODS:
            taint = stronger(recv.taint, taint_of(args))
            text = None
            if method == "format" and recv.text is not None:
                text = self._format_text(recv.text, node, positional)
            if taint is None and text is None:
                return CLEAN
            return AV(taint, text=text)
        if recv.taint is None:
            if recv.kind == "logger":
                return _LOGGER
            return CLEAN
        if method in _CLEAN_METHODS:
            return CLEAN
        if method in _FIELD_METHODS:
            key = _const_str(positional[0]) if positional else None
            return AV(self._field(recv.taint, key)) if positional else AV(recv.taint)
        if method in ("items", "values", "copy") and recv.taint.what is Tainted.ENVIRONMENT:
            return AV(recv.taint)
        return AV(recv.taint, kind=recv.kind if recv.kind in ("ext_conn",) else None)

    def _format_text(self, template: str, node: cst.Call, positional: list[AV]) -> str:
        counter = iter(range(len(positional)))
        keywords = {arg.keyword.value: arg for arg in node.args if arg.keyword is not None}

        def repl(m: re.Match[str]) -> str:
            field = m.group(1).split("!", 1)[0].split(":", 1)[0]
            if field == "":
                index = next(counter, None)
                return _sketch(positional[index]) if index is not None else "\x00"
            if field.isdigit():
                i = int(field)
                return _sketch(positional[i]) if i < len(positional) else "\x00"
            return "\x00" if field not in keywords else "\x00"

        return _clip(_FORMAT_FIELD.sub(repl, template))

    # -- sources: clients and Powertools
    def _method_source(self, node: cst.Call, frame: Frame, recv: AV, method: str, positional: list[AV],
                       kwargs: dict[str, AV]) -> AV | None:
        kind = recv.kind
        if method in ("client", "create_client"):
            service = _const_str(positional[0]) if positional else _const_str(kwargs.get("service_name", CLEAN))
            if service in _SERVICES:
                return AV(kind=service)
            return None
        if kind in _SERVICES:
            if kind == "ssm" and method == "get_paginator":
                op = _const_str(positional[0]) if positional else _const_str(kwargs.get("operation_name", CLEAN))
                return AV(kind="paginator_gpbp") if op == "get_parameters_by_path" else CLEAN
            spec = _BOTO3_OPS.get(method)
            if spec is None or spec[0] != kind:
                return CLEAN
            return self._boto3_read(node, frame, method, spec, kwargs)
        if kind == "paginator_gpbp" and method == "paginate":
            return self._boto3_read(node, frame, "get_parameters_by_path", _BOTO3_OPS["get_parameters_by_path"], kwargs)
        if kind in ("pt_ssm", "pt_secrets"):
            func = _PT_PROVIDER_METHODS.get((kind, method))
            if func is None:
                return CLEAN
            label = ("SSMProvider" if kind == "pt_ssm" else "SecretsProvider") + "." + method
            return self._powertools_read(node, frame, func, label, positional, kwargs)
        if kind == "ext_conn" and method == "request":
            url = positional[1] if len(positional) > 1 else kwargs.get("url")
            if url is not None:
                info = _extension_target(_sketch(url), require_host=False)
                if info is not None:
                    result = self._extension_read(node, frame, info)
                    if isinstance(node.func, cst.Attribute) and isinstance(node.func.value, cst.Name):
                        frame.vars[node.func.value.value] = AV(result.taint, kind="ext_conn")
                    return CLEAN
        return None

    def _qual_call(self, node: cst.Call, frame: Frame, qual: str, positional: list[AV], kwargs: dict[str, AV]) -> AV | None:
        if qual in ("boto3.client", "boto3.session.client"):
            service = _const_str(positional[0]) if positional else _const_str(kwargs.get("service_name", CLEAN))
            return AV(kind=service) if service in _SERVICES else CLEAN
        if qual in ("boto3.Session", "boto3.session.Session"):
            return AV(kind="session")
        if qual.startswith(_PT):
            last = qual.rsplit(".", 1)[-1]
            if last in _PT_FUNCS:
                return self._powertools_read(node, frame, last, last, positional, kwargs)
            if last == "SSMProvider":
                return AV(kind="pt_ssm")
            if last == "SecretsProvider":
                return AV(kind="pt_secrets")
            return None
        if qual in ("http.client.HTTPConnection", "http.client.HTTPSConnection"):
            host = _const_str(positional[0]) if positional else _const_str(kwargs.get("host", CLEAN))
            port = positional[1] if len(positional) > 1 else kwargs.get("port")
            if host is not None:
                host_part, _, inline_port = host.partition(":")
                port_text = inline_port or (_sketch(port) if port is not None else "")
                if host_part in _EXT_HOST_NAMES and (
                    port_text == "2773" or port_text == "\x01PARAMETERS_SECRETS_EXTENSION_HTTP_PORT\x01"
                ):
                    return AV(kind="ext_conn")
            return CLEAN
        return None

    def _boto3_read(self, node: cst.Call, frame: Frame, op: str, spec: tuple[str, str, str, bool, bool],
                    kwargs: dict[str, AV]) -> AV:
        service, action, keyword, is_path, is_list = spec
        names = self._names_from(node, frame, keyword, is_path, is_list)
        decrypted: bool | None = None
        if service == "ssm":
            flag = kwargs.get("WithDecryption")
            decrypted = False if flag is None else (flag.const if isinstance(flag.const, bool) else None)
        in_function = frame.fn is not None
        cache: Cache | None
        seconds: float | None = None
        if not in_function:
            cache = Cache.FOREVER
        elif frame.fn is not None and frame.fn.decor_cache is not None:
            cache, seconds = frame.fn.decor_cache
        else:
            cache = None  # lazy fetch-once or NONE, decided at the end of the function
        operation = "".join(part.capitalize() for part in op.split("_"))
        return self._read(node, frame, service, action, Api.BOTO3, names, cache, seconds, decrypted,
                          Taint(Tainted.CONTAINER, f"{operation} response", frozenset({id(node)})))

    def _powertools_read(self, node: cst.Call, frame: Frame, func: str, label: str, positional: list[AV],
                         kwargs: dict[str, AV]) -> AV:
        service, action, shape, is_path, is_collection = _PT_FUNCS[func]
        first = self._first_arg_node(node, ("name", "path", "parameters", "names"))
        names = self._names_of_node(first, frame, is_path, is_collection) if first is not None else ()
        decrypted: bool | None = None
        if service == "ssm":
            flag = kwargs.get("decrypt")
            decrypted = False if flag is None else (flag.const if isinstance(flag.const, bool) else None)
        max_age = kwargs.get("max_age")
        force = kwargs.get("force_fetch")
        cache = Cache.TTL
        seconds: float | None = _PT_DEFAULT_MAX_AGE
        if max_age is not None:
            value = max_age.const
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                seconds = float(value)
                if value <= 0:
                    cache = Cache.NONE
            else:
                seconds = None
        if force is not None and force.const is True:
            cache = Cache.NONE
        origin = f"Powertools {label}"
        if len(names) == 1 and names[0].kind in (NameKind.LITERAL, NameKind.PATH):
            origin += f"({names[0].value!r})"
        return self._read(node, frame, service, action, Api.POWERTOOLS, names, cache, seconds, decrypted,
                          Taint(shape, origin, frozenset({id(node)})))

    def _read(self, node: cst.Call, frame: Frame, service: str, action: str, api: Api,
              names: tuple[SecretName, ...], cache: Cache | None, seconds: float | None, decrypted: bool | None,
              taint: Taint) -> AV:
        if id(node) not in self.reads:
            pending = PendingRead(service, action, api, names, self.loc(node, self._top), frame.fn is not None,
                                  cache, seconds, decrypted, tuple(frame.guards))
            self.reads[id(node)] = pending
            if cache is None and frame.fn is not None:
                frame.fn.pending.append(pending)
        return AV(taint)

    # -- names
    def _first_arg_node(self, node: cst.Call, keywords: tuple[str, ...]) -> cst.BaseExpression | None:
        for arg in node.args:
            if arg.keyword is None and not arg.star:
                return arg.value
            if arg.keyword is not None and arg.keyword.value in keywords:
                return arg.value
        return None

    def _names_from(self, node: cst.Call, frame: Frame, keyword: str, is_path: bool,
                    is_list: bool) -> tuple[SecretName, ...]:
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value == keyword:
                return self._names_of_node(arg.value, frame, is_path, is_list)
        return ()

    def _names_of_node(self, value: cst.BaseExpression, frame: Frame, is_path: bool,
                       is_collection: bool) -> tuple[SecretName, ...]:
        if is_collection:
            if isinstance(value, (cst.List, cst.Tuple, cst.Set)):
                return tuple(self._name_of(el.value, frame, is_path) for el in value.elements)
            if isinstance(value, cst.Dict):
                return tuple(
                    self._name_of(el.key, frame, is_path) for el in value.elements if isinstance(el, cst.DictElement)
                )
            return (SecretName(NameKind.UNKNOWN),)
        return (self._name_of(value, frame, is_path),)

    def _name_of(self, value: cst.BaseExpression, frame: Frame, is_path: bool) -> SecretName:
        """A literal (or a constant) -> LITERAL/PATH; an env read, directly or
        through a variable -> ENV; anything else (f-strings, concatenations,
        parameters) -> UNKNOWN. Re-evaluating is harmless: facts are keyed by
        node, so nothing is recorded twice."""
        av = self.eval(value, frame)
        text = _const_str(av)
        if text is not None:
            return SecretName(NameKind.PATH if is_path else NameKind.LITERAL, text)
        if av.env is not None:
            return SecretName(NameKind.ENV, av.env)
        return SecretName(NameKind.UNKNOWN)

    # -- the Parameters and Secrets Extension
    def _extension_call(self, node: cst.Call, frame: Frame, last: str | None, recv: AV | None,
                        positional: list[AV], kwargs: dict[str, AV]) -> AV | None:
        if last not in _EXT_HTTP_CALLS:
            return None
        candidates = list(positional[:2])
        for key in ("url", "fullurl"):
            if key in kwargs:
                candidates.append(kwargs[key])
        for candidate in candidates:
            if candidate.kind == "ext_request" and last != "Request":
                info = _extension_target(candidate.text or "", require_host=True)
                if info is not None:
                    return self._extension_read(node, frame, info)
            if candidate.text is None:
                continue
            info = _extension_target(candidate.text, require_host=True)
            if info is None:
                continue
            if last == "Request":
                return AV(kind="ext_request", text=candidate.text)
            return self._extension_read(node, frame, info)
        return None

    def _extension_read(self, node: cst.Call, frame: Frame, info: tuple[str, str, bool | None, SecretName]) -> AV:
        service, action, decrypted, name = info
        return self._read(node, frame, service, action, Api.EXTENSION, (name,), Cache.TTL, _EXT_DEFAULT_TTL,
                          decrypted, Taint(Tainted.CONTAINER, "Parameters and Secrets Extension response",
                                           frozenset({id(node)})))

    # -- sinks
    def _log_via(self, func: cst.BaseExpression, func_av: AV, recv: AV | None, method: str | None,
                 qual: str | None) -> str | None:
        """How the call is written when it is a log sink, else None."""
        if qual == "builtins.print":
            return "print"
        if qual is not None:
            if qual in ("sys.stdout.write", "sys.stderr.write"):
                return dotted(func)
            if qual.startswith("logging.") and qual.count(".") == 1 and qual[8:9].islower() and qual != "logging.getLogger":
                return dotted(func)  # logging.info(...), not logging.Logger(...) / logging.getLogger(...)
        if method is None or recv is None or method in _NOT_LOG_METHODS or method.startswith("_"):
            return None
        if recv.kind in _SERVICES:
            return None
        assert isinstance(func, cst.Attribute)
        if recv.kind == "logger" or _is_logger_name(_last_name(func.value)):
            return dotted(func)
        return None

    def _sink(self, node: cst.CSTNode, kind: SinkKind, taint: Taint, via: str) -> None:
        existing = self.sinks.get(id(node))
        if existing is not None and existing.what is not Tainted.CONTAINER:
            return
        self.sinks[id(node)] = Sink(kind=kind, what=taint.what, origin=taint.origin, via=via, location=self.loc(node, self._top))


def _extension_target(text: str, *, require_host: bool) -> tuple[str, str, bool | None, SecretName] | None:
    if require_host and not any(host in text for host in _EXT_HOSTS):
        return None
    if "/secretsmanager/get" in text:
        service, action, decrypted, param = "secretsmanager", "secretsmanager:GetSecretValue", None, "secretId"
    elif "/systemsmanager/parameters/get" in text:
        service, action, param = "ssm", "ssm:GetParameter", "name"
        decrypted = "withdecryption=true" in text.lower()
    else:
        return None
    return service, action, decrypted, _query_name(text, param)


def _query_name(text: str, param: str) -> SecretName:
    _, _, query = text.partition("?")
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        if key != param:
            continue
        if value.startswith("\x01") and value.endswith("\x01") and value.count("\x01") == 2:
            return SecretName(NameKind.ENV, value[1:-1])
        if value and "\x00" not in value and "\x01" not in value:
            return SecretName(NameKind.LITERAL, unquote(value))
        return SecretName(NameKind.UNKNOWN)
    return SecretName(NameKind.UNKNOWN)


_TIME_LAST = frozenset(call.rsplit(".", 1)[-1] for call in _TIME_CALLS)
_TRUE = AV(const=True)
_FALSE = AV(const=False)
_NONE = AV(const=None)
_ENVIRON = AV(Taint(Tainted.ENVIRONMENT, "os.environ"), qual="os.environ")
_LOGGER = AV(kind="logger")
_BUILTINS: dict[str, AV] = {}


def _builtin(name: str) -> AV:
    found = _BUILTINS.get(name)
    if found is None:
        found = _BUILTINS[name] = AV(qual=f"builtins.{name}")
    return found


def _qual_av(qual: str, taint: Taint | None = None) -> AV:
    if qual == "os.environ":
        return _ENVIRON
    return AV(taint, qual=qual, kind="logger" if qual == "loguru.logger" else None)
_CLEAN_BUILTIN_QUALS = frozenset(f"builtins.{name}" for name in _CLEAN_BUILTINS)
_PASS_BUILTIN_QUALS = frozenset(f"builtins.{name}" for name in _PASS_BUILTINS)

_EVAL: dict[type, Callable[[Interpreter, cst.BaseExpression, Frame], AV]] = {  # type: ignore[dict-item]
    cst.Name: Interpreter._e_name,
    cst.Attribute: Interpreter._e_attribute,
    cst.Subscript: Interpreter._e_subscript,
    cst.Call: Interpreter._e_call,
    cst.SimpleString: Interpreter._e_string,
    cst.FormattedString: Interpreter._e_fstring,
    cst.ConcatenatedString: Interpreter._e_concat,
    cst.Integer: Interpreter._e_number,
    cst.Float: Interpreter._e_number,
    cst.BinaryOperation: Interpreter._e_binop,
    cst.BooleanOperation: Interpreter._e_boolop,
    cst.UnaryOperation: Interpreter._e_unary,
    cst.Comparison: Interpreter._e_compare,
    cst.IfExp: Interpreter._e_ifexp,
    cst.Await: Interpreter._e_await,
    cst.NamedExpr: Interpreter._e_named,
    cst.Yield: Interpreter._e_yield,
    cst.List: Interpreter._e_sequence,
    cst.Tuple: Interpreter._e_sequence,
    cst.Set: Interpreter._e_sequence,
    cst.Dict: Interpreter._e_dict,
    cst.ListComp: Interpreter._e_comprehension,
    cst.SetComp: Interpreter._e_comprehension,
    cst.GeneratorExp: Interpreter._e_comprehension,
    cst.DictComp: Interpreter._e_comprehension,
    cst.Lambda: Interpreter._e_lambda,
}
