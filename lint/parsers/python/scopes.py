"""Scopes and bookkeeping of the Python taint interpreter."""
from __future__ import annotations

import libcst as cst

from lambda_secrets_lint.model.code import Api, Cache, SecretName
from lambda_secrets_lint.model.location import Location
from lambda_secrets_lint.parsers.python.absval import AV

__all__ = ["Frame", "FuncInfo", "Guard", "PendingRead"]


class Guard:
    __slots__ = ("names", "time")

    def __init__(self, names: frozenset[str], time: bool) -> None:
        self.names = names
        self.time = time


class FuncInfo:
    __slots__ = (
        "key", "node", "parent", "class_key", "is_handler", "decor_cache", "compares_time",
        "ret", "time_names", "pending", "top", "defaults", "global_writes",
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
        self.defaults: dict[str, AV] = {}
        # Module-level names this function assigns or mutates (cache state):
        # a read under a guard testing one of them is a lazy cache even when
        # what is stored is derived from the secret (a signed token).
        self.global_writes: set[str] = set()


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

