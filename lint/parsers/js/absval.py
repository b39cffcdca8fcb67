"""Abstract values: what the analyzer knows about one JS expression.

One small mutable-free record (`AV`) carries everything the extractor needs:
- taint: `shape` (VALUE / CONTAINER / ENVIRONMENT, None = clean) and a
  value-free `origin` ("GetSecretValue response", "env var DB_PASSWORD");
- `src`: the start byte of the secret-reading call the taint came from, so a
  value stored into a module-level variable can be traced back to the read
  (lazy fetch-once caches, handler-facts §6);
- what the value IS when that matters: an import / global symbol, an SDK
  client, a v3 command, a Powertools provider, a middy chain or middleware, a
  function, an object / array literal with its members, the Lambda context
  after middy put secrets on it, …  (`kind` + `data` + `node`);
- string knowledge for names and URLs: `parts`, the literal pieces and the
  env-var reads a string is made of; and `lit`, a constant (str/bool/number).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lambda_secrets_lint.model.code import NameKind, SecretName, Tainted

__all__ = ["AV", "RANK", "UNKNOWN_PART", "join", "join_all", "name_of", "parts_text", "strongest", "tainted"]

RANK: dict[Tainted | None, int] = {None: 0, Tainted.CONTAINER: 1, Tainted.VALUE: 2, Tainted.ENVIRONMENT: 3}
UNKNOWN_PART = SecretName(NameKind.UNKNOWN)


class AV:
    __slots__ = ("shape", "origin", "kind", "data", "parts", "lit", "node", "src")

    def __init__(
        self,
        shape: Tainted | None = None,
        origin: str = "",
        *,
        kind: str | None = None,
        data: Any = None,
        parts: tuple[str | SecretName, ...] | None = None,
        lit: Any = None,
        node: Any = None,
        src: int | None = None,
    ) -> None:
        self.shape = shape
        self.origin = origin
        self.kind = kind
        self.data = data
        self.parts = parts
        self.lit = lit
        self.node = node
        self.src = src

    def with_shape(self, shape: Tainted | None, **changes: Any) -> "AV":
        """A plain tainted copy (kind/data dropped) with another shape."""
        return AV(shape, self.origin, src=self.src, **changes)

    def __repr__(self) -> str:  # debugging aid only
        bits = [f"{k}={getattr(self, k)!r}" for k in self.__slots__ if getattr(self, k) not in (None, "")]
        return f"AV({', '.join(bits)})"


def tainted(av: AV | None) -> bool:
    return av is not None and av.shape is not None


def join(a: AV | None, b: AV | None) -> AV | None:
    """Either value may flow here: the stronger taint wins (ENVIRONMENT >
    VALUE > CONTAINER); between untainted values the first is kept (it
    carries the symbol / client / literal knowledge)."""
    if a is None:
        return b
    if b is None or a is b:
        return a
    ra, rb = RANK[a.shape], RANK[b.shape]
    if ra == 0 and rb == 0:
        return a
    win = a if ra >= rb else b
    src = a.src if a.src is not None else b.src
    if win.src == src:
        return win
    return AV(win.shape, win.origin, kind=win.kind, data=win.data, parts=win.parts, node=win.node, src=src)


def join_all(values: Iterable[AV | None]) -> AV | None:
    out: AV | None = None
    for v in values:
        out = join(out, v)
    return out


def strongest(values: Iterable[AV | None]) -> AV | None:
    """The most dangerous tainted value, or None when nothing is tainted."""
    best: AV | None = None
    for v in values:
        if v is not None and v.shape is not None and (best is None or RANK[v.shape] > RANK[best.shape]):
            best = v
    return best


def name_of(av: AV | None, *, path: bool = False, slash_is_path: bool = False) -> SecretName:
    """The SecretName an argument denotes: a literal (or a constant holding
    one) → LITERAL (PATH where a path is expected, or when `slash_is_path`
    and it ends in "/"); an env var read (directly or via a variable) → ENV;
    anything composed (template, concatenation) or unknown → UNKNOWN."""
    if av is None or not av.parts or len(av.parts) != 1:
        return UNKNOWN_PART
    part = av.parts[0]
    if isinstance(part, str):
        if path or (slash_is_path and part.endswith("/")):
            return SecretName(NameKind.PATH, part)
        return SecretName(NameKind.LITERAL, part)
    return part


def parts_text(parts: tuple[str | SecretName, ...] | None) -> str:
    """A string's known text with `${env:NAME}` / `${?}` for the pieces that are not literal."""
    if not parts:
        return ""
    out = []
    for p in parts:
        if isinstance(p, str):
            out.append(p)
        elif p.kind is NameKind.ENV:
            out.append("${env:" + p.value + "}")
        else:
            out.append("${?}")
    return "".join(out)
