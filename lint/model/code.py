"""Facts about handler (and CDK) source code, independent of the language.

The Python (libcst) and JavaScript/TypeScript (tree-sitter) extractors both
reduce a file to these facts; the LSL103/2xx/5xx rules only read them, and
the IAM linking of a later release reads `secret_reads`.

Conventions shared by both extractors (docs/design/handler-facts.md has the
full specification):
- A location is where the offending expression or call STARTS (a call spread
  over several lines is reported on its first line).
- "Handler scope": code inside a function body runs per invocation; code at
  module level runs once per execution environment (the init phase).
- Taint has two shapes: a secret VALUE (a string/number that is a secret, or
  a field-insensitive structure derived from one) and a CONTAINER known to
  carry secrets (a whole SDK response, a dict of several secrets, the Lambda
  context after middy set secrets on it). ENVIRONMENT is the whole process
  environment.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from lambda_secrets_lint.model.location import Location


class Language(str, Enum):
    PYTHON = "python"
    JAVASCRIPT = "javascript"  # .js .mjs .cjs .jsx
    TYPESCRIPT = "typescript"  # .ts .tsx .mts .cts


class NameKind(str, Enum):
    LITERAL = "literal"  # the parameter/secret name is a string literal (or a constant)
    ENV = "env"  # the name comes from an env var: os.environ["DB_SECRET_ARN"]
    PATH = "path"  # an SSM path (GetParametersByPath, middy fetchData key ending in "/")
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class SecretName:
    kind: NameKind
    value: str = ""  # the literal name / path, or the env var's name


class Api(str, Enum):
    BOTO3 = "boto3"
    AWS_SDK_V2 = "aws-sdk-v2"
    AWS_SDK_V3 = "aws-sdk-v3"
    POWERTOOLS = "powertools"
    MIDDY = "middy"
    EXTENSION = "extension"  # Parameters and Secrets Lambda Extension over HTTP (localhost:2773)


class Cache(str, Enum):
    NONE = "none"  # fetched on every call, nothing kept
    TTL = "ttl"  # cached with an expiry (Powertools max_age, middy cacheExpiry > 0, cachetools.TTLCache…)
    FOREVER = "forever"  # fetched once and never refreshed (module level, lru_cache, lazy global, middy cacheExpiry -1)


@dataclass(frozen=True, slots=True)
class SecretRead:
    """One call that reads a secret or parameter.

    action: the IAM action the call needs (REFERENCE.md §C), e.g.
    "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath",
    "secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue".
    decrypted: SSM only — True/False when known from the call (WithDecryption,
    Powertools decrypt=, the extension's withDecryption=true; middy always
    decrypts), None when it cannot be known; always None for Secrets Manager.
    """

    service: str  # "ssm" | "secretsmanager"
    action: str
    api: Api
    names: tuple[SecretName, ...]
    location: Location
    in_function: bool  # False: module level (init phase)
    cache: Cache
    cache_seconds: float | None = None  # the TTL when known
    decrypted: bool | None = None


@dataclass(frozen=True, slots=True)
class EnvRead:
    """A read of ONE env var by a constant name (os.environ["X"], os.getenv("X"),
    process.env.X, const { X } = process.env). Reads of the whole environment
    are not EnvReads (see Sink.what == ENVIRONMENT)."""

    name: str
    location: Location


class SinkKind(str, Enum):
    LOG = "log"  # print, logging, logger.*, console.*, stdout/stderr writes
    RESPONSE = "response"  # returned from the handler / passed to callback(null, x)
    ERROR = "error"  # message of a raised exception / thrown Error


class Tainted(str, Enum):
    VALUE = "value"
    CONTAINER = "container"
    ENVIRONMENT = "environment"


@dataclass(frozen=True, slots=True)
class Sink:
    """A tainted value reaching a sink.

    origin: a short human description of where the taint came from, never a
    value: "GetSecretValue response", "env var DB_PASSWORD",
    "Powertools get_secret('prod/stripe')", "middy ssm context.stripeKey".
    via: the sink as written, e.g. "logger.info", "print", "console.log", "return", "raise ValueError".
    """

    kind: SinkKind
    what: Tainted
    origin: str
    via: str
    location: Location


@dataclass(frozen=True, slots=True)
class HardcodedSecret:
    """A credential literal in source (LSL205): a high-confidence credential
    shape anywhere, or a non-trivial string literal assigned/bound to a
    secret-like name (variable, attribute, dict key, keyword argument,
    object property). `masked` is produced with secrets.masking.mask."""

    name: str  # the name it is bound to, or "" for a bare shaped literal
    kind: str  # credential kind, or "literal under a secret-like name"
    masked: str
    location: Location


@dataclass(frozen=True, slots=True)
class MiddlewareUse:
    """A middy ssm / secrets-manager middleware (`.use(ssm({...}))`).

    major: the middy major version when known (from package.json/lockfile, set
    by the linker later), else inferred from the import style: "middy/middlewares"
    → 0, "@middy/ssm" with CommonJS require → None (1–3), ESM import → None.
    options: the literal option values that matter, as strings:
    setToContext, setToEnv, cache, cacheExpiry, cacheExpiryInMillis,
    disablePrefetch ("true"/"false"/number text, or "?" when not a literal).
    """

    package: str  # "@middy/ssm", "@middy/secrets-manager", "middy/middlewares"
    middleware: str  # "ssm" | "secretsManager"
    location: Location
    import_style: str  # "esm" | "cjs"
    options: tuple[tuple[str, str], ...]
    fetch_keys: tuple[tuple[str, SecretName], ...] = ()  # context key -> name/path (fetchData, names, paths, secrets)


@dataclass(frozen=True, slots=True)
class Definition:
    """A top-level function (or exported const / `exports.x =`) and its lines:
    the IAM linker uses it to tell which handler a read belongs to when one
    file holds the handlers of several functions."""

    name: str
    start_line: int
    end_line: int


@dataclass(frozen=True, slots=True)
class CodeFacts:
    path: str
    language: Language
    is_cdk: bool  # CDK app code: only hardcoded-secret facts matter there
    secret_reads: tuple[SecretRead, ...] = ()
    env_reads: tuple[EnvRead, ...] = ()
    sinks: tuple[Sink, ...] = ()
    hardcoded: tuple[HardcodedSecret, ...] = ()
    middlewares: tuple[MiddlewareUse, ...] = ()
    definitions: tuple[Definition, ...] = ()
    # Local modules the file imports at top level, as written: JS relative
    # specifiers ("./lib/secrets"), Python dotted names with their leading
    # dots (".secrets", "common.secrets"). The IAM linker resolves them.
    imports: tuple[str, ...] = ()

    def enclosing(self, line: int) -> str:
        """The top-level definition holding `line`, or "" (module level)."""
        for d in self.definitions:
            if d.start_line <= line <= d.end_line:
                return d.name
        return ""
