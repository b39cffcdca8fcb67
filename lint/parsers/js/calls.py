"""Calls and `new`: where sources, sinks, cleaners and same-module function
summaries are recognised (handler-facts §1, §3, §4). A mixin of Analyzer."""
from __future__ import annotations

from typing import TYPE_CHECKING

from lambda_secrets_lint.model.code import Api, SinkKind, Tainted
from lambda_secrets_lint.parsers.js.absval import AV, join, strongest, tainted
from lambda_secrets_lint.parsers.js.sources import MiddyChain
from lambda_secrets_lint.parsers.js.symbols import CLEAN_GLOBALS, PROPAGATE, SDK_METHODS, SYMBOLS, normalize
from lambda_secrets_lint.parsers.js.text import FUNCTION_TYPES, dotted, key_text, render, unwrap
from lambda_secrets_lint.parsers.js.vocab import (
    ARG_PROPAGATING_METHODS,
    CLEAN_METHODS,
    LAMBDA_CONTEXT_FIELDS,
    MUTATING_METHODS,
    NON_LOGGING_METHODS,
    is_cleaner_name,
    is_logger_name,
)

if TYPE_CHECKING:  # pragma: no cover
    from tree_sitter import Node

    from lambda_secrets_lint.parsers.js.analyzer import Scope

__all__ = ["CallsMixin"]

if TYPE_CHECKING:  # pragma: no cover
    # A call's value, and per function argument index the AVs its parameters get
    # (`.then(r => …)`, v2 callbacks, `http.get(url, res => …)`, `new Promise(resolve => …)`).
    Bindings = dict[int, dict[int, AV | None]]
    CallResult = tuple[AV | None, Bindings | None]


class CallsMixin:
    """Methods of Analyzer (analyzer.py) that evaluate calls."""

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
                 scope: Scope) -> CallResult:
        if mname is not None and callee is None:
            kind = recv.kind if recv is not None else None
            # LOG sinks: <recv>.<m>(…) on a logger-named receiver (console, logger, log, appLogger, …)
            last = self._last_name(recv_node)
            if last is not None and is_logger_name(last) and mname not in NON_LOGGING_METHODS:
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
                    cb = None
                    if values and values[-1] is not None and values[-1].kind == "func":
                        cb = {len(values) - 1: {1: av}}  # v2 callback form: (err, data)
                    return av, cb
                return None, None
            if kind == "provider":
                return self.provider_call(n, recv.data, mname, values), None  # type: ignore[union-attr]
            if kind == "middy":
                return self.middy_method(recv, mname, values), None  # type: ignore[arg-type]
            if kind == "hash":
                return AV(kind="hash"), None
            if kind == "middy_context" and mname in LAMBDA_CONTEXT_FIELDS:
                return None, None  # context.getRemainingTimeInMillis()
            if kind == "axios_instance" and mname in ("get", "request", "post"):
                return self.http_call(n, "axios", values, base=recv.parts), None  # type: ignore[union-attr]
            if kind == "response" and mname in ("json", "text", "arrayBuffer", "blob"):
                return AV(recv.shape, recv.origin, kind="response"), None  # type: ignore[union-attr]
            if kind == "object" and not tainted(recv):
                target = recv.data.get(mname)  # type: ignore[union-attr]
                if target is not None and target.kind == "func":
                    return self._summary(target.node), None
            if (recv_node is not None and unwrap(recv_node).type == "this") or kind == "instance":
                if is_cleaner_name(mname):
                    return None, None
                if mname in self.method_summaries:
                    return self.method_summaries[mname], None
            if is_cleaner_name(mname):
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
                funcs = [i for i, v in enumerate(values) if v is not None and v.kind == "func"]
                if mname == "catch":
                    funcs = []  # a rejection handler receives the error, not the value
                elif mname == "then":
                    funcs = funcs[:1]  # .then(onFulfilled, onRejected): only the first gets the value
                if funcs:
                    item = recv.with_shape(recv.shape)
                    cb = {i: ({1: item} if mname in ("reduce", "reduceRight") else {0: item}) for i in funcs}
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
        if name and is_cleaner_name(name):
            return None, None
        if kind == "func":
            return self._summary(callee.node), None
        if kind == "resolver":
            if values and tainted(values[0]):
                self.resolved[callee.data] = join(self.resolved.get(callee.data), values[0])
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
        """The receiver's last name: `logger` in this.logger.info, `getLogger` in getLogger().info."""
        while node is not None:
            node = unwrap(node)
            t = node.type
            if t == "identifier":
                return self.src.text(node)
            if t == "member_expression":
                return key_text(self.src, node.child_by_field_name("property"))
            if t != "call_expression":
                return None
            node = node.child_by_field_name("function")
        return None

    def symbol_call(self, n: "Node", fn: "Node", module: str, path: tuple[str, ...], style: str,
                    nodes: list["Node"], values: list[AV | None],
                    scope: Scope) -> CallResult:
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
        if is_cleaner_name(path[-1] if path else ""):
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
        if cav is not None and cav.kind == "sym" and cav.data[:2] == ("", ("Promise",)):
            return self._new_promise(n, args, scope)
        _nodes, values, fns = self._args(args, scope)
        for _i, fnode in fns:
            self.function_value(fnode, scope)
        if cav is not None and cav.kind == "sym":
            module, path, _style = cav.data
            spec = SYMBOLS.get((module, path))
            tag = spec[0] if spec is not None else None
            if tag == "client":
                return AV(kind="client", data=(spec[1], spec[2]))  # type: ignore[index]
            if tag == "command":
                return AV(kind="command", data=(spec[1], spec[2], values[0] if values else None))  # type: ignore[index]
            if tag == "ptprovider":
                return AV(kind="provider", data=spec[1])  # type: ignore[index]
            if module == "" and path == ("URL",) and values:
                # new URL(path, base): the URL's known text, for the extension check
                base = values[1].parts if len(values) > 1 and values[1] is not None and values[1].parts else ()
                own = values[0].parts if values[0] is not None and values[0].parts else ()
                return AV(parts=base + own) if base or own else None
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
