"""Abstract values of the Python extractor's interpreter.

Every expression evaluates to an `AV`: what we know about the value at that
point of the program. Most fields are empty most of the time; `CLEAN` (an AV
with nothing known) is shared.

- `taint`: a `Taint` (shape, origin, the SecretRead call nodes it came from)
  or None. Shapes are ordered ENVIRONMENT > VALUE > CONTAINER; combining two
  tainted values keeps the stronger shape (ties: the left/first one).
- `qual`: the import-qualified name a name or attribute chain stands for
  ("boto3.client", "os.environ", "aws_lambda_powertools.utilities.parameters").
- `kind`: what kind of object it is when it matters: an SDK client ("ssm",
  "secretsmanager"), a paginator, a Powertools provider, a logger, a
  same-module function ("func", with `ref` = its key), `self` of a class
  ("self", `ref` = class key), an HTTP request/connection to the Parameters
  and Secrets Extension.
- `const`: the Python value of a literal (str/int/float/bool/None) or of a
  name bound to one; `NOCONST` when unknown.
- `text`: a sketch of a string for URL matching: literal text with "\\x00" for
  an unknown part and "\\x01NAME\\x01" for a part read from env var NAME.
- `env`: the env var this value was read from (for NameKind.ENV).

Values are never mutated after creation.
"""
from __future__ import annotations

from lambda_secrets_lint.model.code import Tainted

__all__ = [
    "AV",
    "CLEAN",
    "NOCONST",
    "NON_SECRET_FIELDS",
    "Taint",
    "merge_av",
    "stronger",
    "taint_of",
]

NOCONST: object = object()

_STRENGTH = {Tainted.CONTAINER: 1, Tainted.VALUE: 2, Tainted.ENVIRONMENT: 3}
_NO_READS: frozenset[int] = frozenset()

# A constant key / attribute naming one of these makes the result CLEAN
# (handler-facts.md §2), compared lower-cased and without "_" / "-", so the
# snake_case spellings of Python libraries match too (`status_code`,
# `db_name`, `version_id`).
NON_SECRET_FIELDS: frozenset[str] = frozenset(
    {
        "host", "hostname", "port", "dbname", "database", "engine", "username", "user",
        "region", "dbclusteridentifier", "dbinstanceidentifier",
        # response metadata
        "name", "arn", "versionid", "versionstages", "createddate", "type", "version",
        "lastmodifieddate", "responsemetadata",
        "invalidparameters",  # GetParameters lists the names it could not find
        # HTTP response metadata
        "status", "statuscode", "ok", "headers", "statustext",
    }
)


class Taint:
    """Where a value came from. `secret` is False for the result of a plain
    SSM configuration read (no decryption, no secret-like name): that value
    is CLEAN for the sinks (handler-facts.md §1), but is still followed so
    that a lazy fetch-once cache of it is recognised (§6)."""

    __slots__ = ("what", "origin", "reads", "secret")

    def __init__(self, what: Tainted, origin: str, reads: frozenset[int] = _NO_READS, secret: bool = True) -> None:
        self.what = what
        self.origin = origin
        self.reads = reads  # id()s of the SecretRead call nodes this value derives from
        self.secret = secret

    def as_(self, what: Tainted) -> "Taint":
        return self if what is self.what else Taint(what, self.origin, self.reads, self.secret)

    @property
    def strength(self) -> int:
        return _STRENGTH[self.what]

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Taint({self.what.value}, {self.origin!r})"


def stronger(a: Taint | None, b: Taint | None) -> Taint | None:
    """The stronger of two taints (a secret beats plain configuration, then
    ENVIRONMENT > VALUE > CONTAINER, then the first); the reads of both are kept."""
    if a is None:
        return b
    if b is None or a is b:
        return a
    if a.secret is not b.secret:
        win, lose = (a, b) if a.secret else (b, a)
    else:
        win, lose = (b, a) if _STRENGTH[b.what] > _STRENGTH[a.what] else (a, b)
    if not lose.reads or lose.reads <= win.reads:
        return win
    return Taint(win.what, win.origin, win.reads | lose.reads, win.secret)


class AV:
    __slots__ = ("taint", "qual", "kind", "const", "text", "env", "ref")

    def __init__(
        self,
        taint: Taint | None = None,
        *,
        qual: str | None = None,
        kind: str | None = None,
        const: object = NOCONST,
        text: str | None = None,
        env: str | None = None,
        ref: str | None = None,
    ) -> None:
        self.taint = taint
        self.qual = qual
        self.kind = kind
        self.const = const
        self.text = text
        self.env = env
        self.ref = ref

    def with_taint(self, taint: Taint | None) -> "AV":
        if taint is self.taint:
            return self
        return AV(taint, qual=self.qual, kind=self.kind, const=self.const, text=self.text, env=self.env, ref=self.ref)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        fields = [f"{k}={getattr(self, k)!r}" for k in self.__slots__ if getattr(self, k) not in (None, NOCONST)]
        return f"AV({', '.join(fields)})"


CLEAN = AV()


def taint_of(avs: "list[AV] | tuple[AV, ...]") -> Taint | None:
    found: Taint | None = None
    for av in avs:
        if av.taint is not None:
            found = stronger(found, av.taint)
    return found


def merge_av(a: AV | None, b: AV | None) -> AV:
    """Join of two values that may both reach a point (if/else, loop, a
    global written in several places): taint of either, other facts only
    when they agree (kind/ref/env: either)."""
    if a is None:
        return b if b is not None else CLEAN
    if b is None or a is b:
        return a
    taint = stronger(a.taint, b.taint)
    const = a.const if (a.const is not NOCONST and b.const is not NOCONST and a.const == b.const) else NOCONST
    return AV(
        taint,
        qual=a.qual if a.qual == b.qual else (a.qual or b.qual),
        kind=a.kind or b.kind,
        const=const,
        text=a.text if a.text == b.text else None,
        env=a.env or b.env,
        ref=a.ref or b.ref,
    )
