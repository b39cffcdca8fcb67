"""Calls in the Python taint interpreter: secret sources (boto3, Powertools,
the Parameters and Secrets Extension), env reads, log sinks, cleaners,
propagators and same-module functions (handler-facts.md §1, §3, §4, §6)."""
from __future__ import annotations

import re

import libcst as cst

from lambda_secrets_lint.model.code import (
    Api,
    Cache,
    NameKind,
    SecretName,
    Sink,
    SinkKind,
    Tainted,
)
from lambda_secrets_lint.parsers.python.absval import AV, CLEAN, NOCONST, Taint, stronger, taint_of
from lambda_secrets_lint.parsers.python.literals import dotted
from lambda_secrets_lint.parsers.python.scopes import Frame, PendingRead
from lambda_secrets_lint.secrets.names import is_secret_name, secret_word
from lambda_secrets_lint.parsers.python.vocab import (
    ARG_PASS_METHODS,
    BOTO3_OPS,
    CLEANER_WORDS,
    CLEAN_BUILTIN_QUALS,
    CLEAN_METHODS,
    CLEAN_QUAL_PREFIXES,
    ENVIRON_AV,
    EXT_DEFAULT_TTL,
    EXT_HOST_NAMES,
    EXT_HTTP_CALLS,
    FIELD_METHODS,
    FORMAT_FIELD,
    LOGGER_AV,
    LOGGER_FACTORIES,
    MUTATING_METHODS,
    NOT_LOG_METHODS,
    PASS_BUILTIN_QUALS,
    PASS_QUALS,
    PASS_QUAL_PREFIXES,
    POWERTOOLS_PARAMETERS,
    PT_DEFAULT_MAX_AGE,
    PT_FUNCS,
    PT_PROVIDER_METHODS,
    SERVICES,
    TEXT_PASS_QUALS,
    TIME_CALLS,
    TIME_LAST,
    clip,
    const_str,
    extension_target,
    is_logger_name,
    last_name,
    sketch,
)


class CallsMixin:
    """Call evaluation, mixed into `interp.Interpreter`: it uses the
    interpreter's state (`reads`, `env_reads`, `sinks`, `ret_prev`, `loc`,
    `_top`, `_time_hit`) and its binding helpers (`eval`, `_lookup`,
    `_mutate`, `_attr`, `_stored_attr`, `_field`, `_env_read`)."""

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
        last = method if method is not None else last_name(func)

        # time stamps (lazy caches with a TTL)
        if last in TIME_LAST and (qual or dotted(func)).endswith(TIME_CALLS):
            self._time_hit = True
            return CLEAN

        # ---- env reads
        if qual in ("os.getenv", "os.environ.get", "os.environ.setdefault", "os.environ.pop"):
            name = const_str(positional[0]) if positional else const_str(kwargs.get("key", CLEAN))
            if name is not None:
                return self._env_read(node, name)
            return CLEAN  # a computed name: not an EnvRead, and which variable is unknown
        if recv_av is not None and recv_av.qual == "os.environ" and method is not None:
            if method == "keys":
                return CLEAN
            return ENVIRON_AV

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
            if method in ("bind", "new", "opt", "patch", "contextualize") or last in LOGGER_FACTORIES:
                return LOGGER_AV
            return CLEAN

        # ---- cleaners
        if last is not None:
            lowered = last.lower()
            if any(word in lowered for word in CLEANER_WORDS):
                return CLEAN
        if qual is not None and (qual.startswith(CLEAN_QUAL_PREFIXES) or qual in CLEAN_BUILTIN_QUALS):
            return CLEAN

        # ---- loggers
        if last in LOGGER_FACTORIES and (qual is None or not qual.startswith("builtins.")):
            return LOGGER_AV

        # ---- same-module functions, methods and classes
        if func_av.kind == "class" and func_av.ref:
            return AV(kind="self", ref=func_av.ref)
        if func_av.kind == "func" and func_av.ref:
            returned = self.ret_prev.get(func_av.ref)
            return returned if returned is not None else CLEAN

        # ---- propagation
        if qual is not None and (qual in PASS_BUILTIN_QUALS or qual in PASS_QUALS or qual.startswith(PASS_QUAL_PREFIXES)):
            taint = taint_of(args)
            if qual in TEXT_PASS_QUALS and positional:
                first = positional[0]
                return AV(taint, text=first.text, env=first.env, const=first.const if qual == "builtins.str" else NOCONST)
            if qual == "builtins.int" and positional and positional[0].env:
                return AV(taint, env=positional[0].env, text=positional[0].text)
            return AV(taint) if taint is not None else CLEAN
        if recv_av is not None and method is not None:
            return self._method_on_value(frame, func, recv_av, method, args, positional, kwargs)
        if last is not None and (last.endswith("Error") or last.endswith("Exception")):
            taint = taint_of(args)
            return AV(taint) if taint is not None else CLEAN
        return CLEAN

    def _method_on_value(self, frame: Frame, func: cst.Attribute, recv: AV, method: str, args: list[AV],
                         positional: list[AV], kwargs: dict[str, AV]) -> AV:
        """`x.m(...)` for an x that is no client, provider or logger."""
        base = func.value
        if method in MUTATING_METHODS and isinstance(base, cst.Name):
            self._mutate(base.value, AV(taint_of(args)), frame)
        if method in ARG_PASS_METHODS:
            taint = stronger(recv.taint, taint_of(args))
            text = None
            if method == "format" and recv.text is not None:
                text = self._format_text(recv.text, positional, kwargs)
            if taint is None and text is None:
                return CLEAN
            return AV(taint, text=text)
        if recv.taint is None:
            if recv.kind == "logger":
                return LOGGER_AV
            return CLEAN
        if method in CLEAN_METHODS:
            return CLEAN
        if method in FIELD_METHODS:
            key = const_str(positional[0]) if positional else None
            return AV(self._field(recv.taint, key)) if positional else AV(recv.taint)
        if method in ("items", "values", "copy") and recv.taint.what is Tainted.ENVIRONMENT:
            return AV(recv.taint)
        return AV(recv.taint, kind=recv.kind if recv.kind in ("ext_conn",) else None)

    @staticmethod
    def _format_text(template: str, positional: list[AV], kwargs: dict[str, AV]) -> str:
        """The sketch of `template.format(*positional, **kwargs)`."""
        counter = iter(range(len(positional)))

        def field_text(m: re.Match[str]) -> str:
            field = m.group(1).split("!", 1)[0].split(":", 1)[0].split(".", 1)[0].split("[", 1)[0]
            if field == "":
                index = next(counter, None)
                return sketch(positional[index]) if index is not None else "\x00"
            if field.isdigit():
                i = int(field)
                return sketch(positional[i]) if i < len(positional) else "\x00"
            return sketch(kwargs[field]) if field in kwargs else "\x00"

        return clip(FORMAT_FIELD.sub(field_text, template))

    # -- sources: clients and Powertools
    def _method_source(self, node: cst.Call, frame: Frame, recv: AV, method: str, positional: list[AV],
                       kwargs: dict[str, AV]) -> AV | None:
        kind = recv.kind
        if method in ("client", "create_client"):
            service = const_str(positional[0]) if positional else const_str(kwargs.get("service_name", CLEAN))
            if service in SERVICES:
                return AV(kind=service)
            return None
        if kind in SERVICES:
            if kind == "ssm" and method == "get_paginator":
                op = const_str(positional[0]) if positional else const_str(kwargs.get("operation_name", CLEAN))
                return AV(kind="paginator_gpbp") if op == "get_parameters_by_path" else CLEAN
            spec = BOTO3_OPS.get(method)
            if spec is None or spec[0] != kind:
                return CLEAN
            return self._boto3_read(node, frame, method, spec, kwargs)
        if kind == "paginator_gpbp" and method == "paginate":
            return self._boto3_read(node, frame, "get_parameters_by_path", BOTO3_OPS["get_parameters_by_path"], kwargs)
        if kind in ("pt_ssm", "pt_secrets"):
            func = PT_PROVIDER_METHODS.get((kind, method))
            if func is None:
                return CLEAN
            label = ("SSMProvider" if kind == "pt_ssm" else "SecretsProvider") + "." + method
            return self._powertools_read(node, frame, func, label, positional, kwargs)
        if kind == "ext_conn" and method == "request":
            url = positional[1] if len(positional) > 1 else kwargs.get("url")
            if url is not None:
                info = extension_target(sketch(url), require_host=False)
                if info is not None:
                    result = self._extension_read(node, frame, info)
                    if isinstance(node.func, cst.Attribute) and isinstance(node.func.value, cst.Name):
                        frame.vars[node.func.value.value] = AV(result.taint, kind="ext_conn")
                    return CLEAN
        return None

    def _qual_call(self, node: cst.Call, frame: Frame, qual: str, positional: list[AV], kwargs: dict[str, AV]) -> AV | None:
        if qual in ("boto3.client", "boto3.session.client"):
            service = const_str(positional[0]) if positional else const_str(kwargs.get("service_name", CLEAN))
            return AV(kind=service) if service in SERVICES else CLEAN
        if qual in ("boto3.Session", "boto3.session.Session"):
            return AV(kind="session")
        if qual.startswith(POWERTOOLS_PARAMETERS):
            last = qual.rsplit(".", 1)[-1]
            if last in PT_FUNCS:
                return self._powertools_read(node, frame, last, last, positional, kwargs)
            if last == "SSMProvider":
                return AV(kind="pt_ssm")
            if last == "SecretsProvider":
                return AV(kind="pt_secrets")
            return None
        if qual in ("http.client.HTTPConnection", "http.client.HTTPSConnection"):
            host = const_str(positional[0]) if positional else const_str(kwargs.get("host", CLEAN))
            port = positional[1] if len(positional) > 1 else kwargs.get("port")
            if host is not None:
                host_part, _, inline_port = host.partition(":")
                port_text = inline_port or (sketch(port) if port is not None else "")
                if host_part in EXT_HOST_NAMES and (
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
                          Taint(Tainted.CONTAINER, f"{operation} response", frozenset({id(node)}),
                                self._is_secret_read(service, decrypted, names)))

    def _powertools_read(self, node: cst.Call, frame: Frame, func: str, label: str, positional: list[AV],
                         kwargs: dict[str, AV]) -> AV:
        service, action, shape, is_path, is_collection = PT_FUNCS[func]
        first = self._first_arg_node(node, ("name", "path", "parameters", "names"))
        names = self._names_of_node(first, frame, is_path, is_collection) if first is not None else ()
        decrypted: bool | None = None
        if service == "ssm":
            flag = kwargs.get("decrypt")
            decrypted = False if flag is None else (flag.const if isinstance(flag.const, bool) else None)
        max_age = kwargs.get("max_age")
        force = kwargs.get("force_fetch")
        cache = Cache.TTL
        seconds: float | None = PT_DEFAULT_MAX_AGE
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
                          Taint(shape, origin, frozenset({id(node)}), self._is_secret_read(service, decrypted, names)))

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
        text = const_str(av)
        if text is not None:
            return SecretName(NameKind.PATH if is_path else NameKind.LITERAL, text)
        if av.env is not None:
            return SecretName(NameKind.ENV, av.env)
        return SecretName(NameKind.UNKNOWN)

    # -- the Parameters and Secrets Extension
    def _extension_call(self, node: cst.Call, frame: Frame, last: str | None, recv: AV | None,
                        positional: list[AV], kwargs: dict[str, AV]) -> AV | None:
        if last not in EXT_HTTP_CALLS:
            return None
        candidates = list(positional[:2])
        for key in ("url", "fullurl"):
            if key in kwargs:
                candidates.append(kwargs[key])
        for candidate in candidates:
            if candidate.kind == "ext_request" and last != "Request":
                info = extension_target(candidate.text or "", require_host=True)
                if info is not None:
                    return self._extension_read(node, frame, info)
            if candidate.text is None:
                continue
            info = extension_target(candidate.text, require_host=True)
            if info is None:
                continue
            if last == "Request":
                return AV(kind="ext_request", text=candidate.text)
            return self._extension_read(node, frame, info)
        return None

    def _extension_read(self, node: cst.Call, frame: Frame, info: tuple[str, str, bool | None, SecretName]) -> AV:
        service, action, decrypted, name = info
        return self._read(node, frame, service, action, Api.EXTENSION, (name,), Cache.TTL, EXT_DEFAULT_TTL,
                          decrypted, Taint(Tainted.CONTAINER, "Parameters and Secrets Extension response",
                                           frozenset({id(node)}), self._is_secret_read(service, decrypted, (name,))))

    def _is_secret_read(self, service: str, decrypted: bool | None, names: tuple[SecretName, ...]) -> bool:
        """Is the result a secret? Secrets Manager: always. SSM: unless read
        without decryption (decrypted False) and every name is known and not
        secret-like (for an env-named parameter: the env var's name has no
        secret word). RULES.md Clarifications; handler-facts.md §1."""
        if service != "ssm" or decrypted is not False or not names:
            return True
        for name in names:
            if name.kind is NameKind.ENV:
                if secret_word(name.value, self.extra) is not None:
                    return True
            elif name.kind in (NameKind.LITERAL, NameKind.PATH):
                if is_secret_name(name.value, self.extra):
                    return True
            else:
                return True
        return False

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
        if method is None or recv is None or method in NOT_LOG_METHODS or method.startswith("_"):
            return None
        if recv.kind in SERVICES:
            return None
        assert isinstance(func, cst.Attribute)
        if recv.kind == "logger" or is_logger_name(last_name(func.value)):
            return dotted(func)
        return None

    def _sink(self, node: cst.CSTNode, kind: SinkKind, taint: Taint, via: str) -> None:
        if not taint.secret:
            return  # plain SSM configuration
        existing = self.sinks.get(id(node))
        if existing is not None and existing.what is not Tainted.CONTAINER:
            return
        self.sinks[id(node)] = Sink(kind=kind, what=taint.what, origin=taint.origin, via=via, location=self.loc(node, self._top))

