"""Secret sources: SDK v2/v3 calls, Powertools parameters, middy middlewares
and the Parameters and Secrets extension over HTTP (handler-facts §1, §6,
§7; REFERENCE §A–§C). A mixin of Analyzer."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import unquote

from lambda_secrets_lint.model.code import (
    Api,
    Cache,
    MiddlewareUse,
    NameKind,
    SecretName,
    SecretRead,
    Tainted,
)
from lambda_secrets_lint.parsers.js.absval import AV, UNKNOWN_PART, name_of, parts_text, tainted
from lambda_secrets_lint.parsers.js.vocab import (
    EXT_HOST,
    EXT_PORT_ENV,
    EXT_QUERY,
    EXTENSION_ORIGIN,
    PLACEHOLDER,
    is_number,
    num_text,
)
from lambda_secrets_lint.secrets.names import is_secret_name, secret_word

if TYPE_CHECKING:  # pragma: no cover
    from tree_sitter import Node

__all__ = ["MiddyChain", "PendingRead", "SourcesMixin"]

# Options only middy v0/v1 know (REFERENCE A.1); v2+ has fetchData.
_LEGACY_OPTIONS = ("cache", "cacheExpiryInMillis", "names", "paths", "secrets")


class MiddyChain:
    """`middy(base).use(mw)…`: mutable, shared by every AV that denotes it."""

    __slots__ = ("bases", "mws", "hooks")

    def __init__(self) -> None:
        self.bases: list[Node] = []
        self.mws: list[AV] = []
        self.hooks: list[Node] = []  # functions given to .before/.after/.onError or use({before})


class PendingRead:
    __slots__ = ("service", "action", "api", "names", "node", "in_function", "cache", "seconds", "decrypted", "fn")

    def __init__(self, service: str, action: str, api: Api, names: tuple[SecretName, ...], node: "Node",
                 in_function: bool, cache: Cache | None, seconds: float | None, decrypted: bool | None,
                 fn: "Node | None" = None) -> None:
        self.fn = fn  # the enclosing function, for lazy caches of derived values
        self.service = service
        self.action = action
        self.api = api
        self.names = names
        self.node = node
        self.in_function = in_function
        self.cache = cache  # None: a raw SDK call in a function, decided from the stores at the end
        self.seconds = seconds
        self.decrypted = decrypted


class SourcesMixin:
    """Methods of Analyzer (analyzer.py) that turn recognised calls into SecretRead /
    MiddlewareUse facts and return the tainted value they produce."""

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
        hints = [data.get("Name"), data.get("Path")] + (list(data["Names"].data) if isinstance(data.get("Names"), AV)
                                                         and data["Names"].kind == "array" else [])
        if self._plain_config(service, names, decrypted, hints):
            return AV(src=src)
        return AV(Tainted.CONTAINER, f"{op} response", src=src)

    def _plain_config(self, service: str, names: tuple[SecretName, ...], decrypted: bool | None,
                      hints: list[AV | None]) -> bool:
        """An SSM read without decryption of a name that is not secret-like
        returns plain configuration: its result is clean (handler-facts §1,
        RULES.md Clarifications). Names: a literal / path is judged with
        is_secret_name; an env-named parameter by its env var carrying a secret
        word; a template or concatenation by its literal text; a name we know
        nothing about cannot be shown to be config, so it stays a secret."""
        if service != "ssm" or decrypted is not False or not names:
            return False
        texts = [parts_text(h.parts) for h in hints if h is not None and h.parts and len(h.parts) > 1]
        for name in names:
            if name.kind in (NameKind.LITERAL, NameKind.PATH):
                if is_secret_name(name.value, self.extra):
                    return False
            elif name.kind is NameKind.ENV:
                if secret_word(name.value, self.extra) is not None:
                    return False
            elif not texts or any(secret_word(t, self.extra) is not None for t in texts):
                return False
        return True

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
        if self._plain_config(service, names, decrypted, [first]):
            return AV(src=src)
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

    _MW_OPTIONS = ("setToContext", "setToEnv", "cache", "cacheExpiry", "cacheExpiryInMillis", "disablePrefetch")

    def middleware(self, n: "Node", middleware: str, package: str, style: str, values: list[AV | None]) -> AV:
        """A middy ssm / secretsManager middleware call (§6, §7)."""
        opts = values[0] if values and values[0] is not None and values[0].kind == "object" else None
        data: dict[str, AV | None] = opts.data if opts is not None else {}
        options = tuple((k, self._option_text(data[k])) for k in self._MW_OPTIONS if k in data)
        legacy = package == "middy/middlewares" or (
            "fetchData" not in data and any(k in data for k in _LEGACY_OPTIONS)
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
            # cache: true → TTL cacheExpiryInMillis/1000 (FOREVER without it); off by default.
            # A non-literal `cache` / expiry is taken as "configured": TTL, seconds unknown.
            enabled = data.get("cache")
            expiry = data.get("cacheExpiryInMillis")
            if "cache" not in data or (enabled is not None and enabled.lit is False):
                cache = Cache.NONE
            elif "cacheExpiryInMillis" not in data:
                cache = Cache.FOREVER if enabled is not None and enabled.lit is True else Cache.TTL
            elif expiry is not None and is_number(expiry.lit):
                cache, seconds = (Cache.TTL, expiry.lit / 1000) if expiry.lit > 0 else (Cache.FOREVER, None)
            else:
                cache = Cache.TTL
        else:
            # v2+: cacheExpiry -1 (the default) → FOREVER, 0 → NONE, n > 0 → TTL n/1000 s
            expiry = data.get("cacheExpiry")
            if "cacheExpiry" not in data:
                cache = Cache.FOREVER
            elif expiry is not None and is_number(expiry.lit):
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

    @staticmethod
    def _option_text(av: AV | None) -> str:
        """A literal option value as text: true/false/numbers; anything else "?"
        (these options never hold strings, and a fact must not echo one)."""
        if av is None or av.lit is None or isinstance(av.lit, str):
            return "?"
        return num_text(av.lit)

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
                        port_parts = (":", num_text(port.lit)) if port.lit is not None else (":", *(port.parts or (UNKNOWN_PART,)))
                    path_parts = path.parts if path is not None and path.parts else ()
                    parts = ("http://", *host.parts, *port_parts, *path_parts)
        if base:
            parts = tuple(base) + (parts or ())
        if not parts:
            return None
        text = parts_text(parts)
        if EXT_HOST.search(text) or EXT_PORT_ENV.search(text):
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
                rendered.append(f"{PLACEHOLDER}{len(pieces)}{PLACEHOLDER}")
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
        m = EXT_QUERY.search(url)
        if m is not None:
            value = m.group(2)
            whole = re.fullmatch(PLACEHOLDER + r"(\d+)" + PLACEHOLDER, value)
            if whole is not None:
                name = pieces[int(whole.group(1))]
            elif PLACEHOLDER not in value and value:
                name = SecretName(NameKind.LITERAL, unquote(value))
        self.add_read(n, service, action, Api.EXTENSION, (name,), cache=Cache.TTL, seconds=300.0, decrypted=decrypted)
        if self._plain_config(service, (name,), decrypted, []):
            return AV(kind="response")
        return AV(Tainted.CONTAINER, EXTENSION_ORIGIN, kind="response")

    def _state_guards(self, r: PendingRead) -> list[tuple[bool, bool]]:
        """The read is under a check of module-level state its function
        writes (`if (!token || Date.now() - at > ttl) { …read…; token = sign(key) }`):
        a cache of something derived from the secret."""
        if r.fn is None:
            return []
        out = []
        for name in sorted(self.module_writes_by_fn.get(r.fn.id, ())):
            guarded, timed = self._guard(name, r.node, "=", r.fn)
            if guarded:
                out.append((guarded, timed))
        return out

    def secret_reads(self) -> list[SecretRead]:
        out = []
        for (start, _index), r in self.reads.items():
            cache = r.cache
            if cache is None:
                entries = self.stores.get(start, []) or self._state_guards(r)
                if any(g and t for g, t in entries):
                    cache = Cache.TTL
                elif any(g for g, _t in entries):
                    cache = Cache.FOREVER
                else:
                    cache = Cache.NONE
            out.append(SecretRead(r.service, r.action, r.api, r.names, self.loc(r.node), r.in_function, cache,
                                  r.seconds, r.decrypted))
        return out
