"""The analyzer's vocabulary: which fields, methods, names and URLs mean
what (handler-facts §2–§4, REFERENCE §A–§C), as tables and tiny predicates."""
from __future__ import annotations

import re

from lambda_secrets_lint.secrets.names import name_words

MAX_DEPTH = 100

# §2 non-secret fields (case-insensitive), plus `length` (a cleaner, §3).
NON_SECRET_FIELDS = frozenset(
    f.lower()
    for f in (
        "host", "hostname", "port", "dbname", "database", "engine", "username", "user", "region",
        "dbClusterIdentifier", "dbInstanceIdentifier", "Name", "ARN", "VersionId", "VersionStages",
        "CreatedDate", "Type", "Version", "LastModifiedDate", "ResponseMetadata", "length", "$metadata",
        # GetParameters lists the names it could not find
        "InvalidParameters",
        # HTTP response metadata (fetch / axios / the extension's response)
        "status", "statusCode", "ok", "headers", "statusText",
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

EXT_HOST = re.compile(r"(?:localhost|127\.0\.0\.1):(?:2773\b|\$\{env:PARAMETERS_SECRETS_EXTENSION_HTTP_PORT\})")
EXT_PORT_ENV = re.compile(r"(?:localhost|127\.0\.0\.1).{0,3}\$\{env:PARAMETERS_SECRETS_EXTENSION_HTTP_PORT\}")
EXT_QUERY = re.compile(r"[?&](secretId|name)=([^&#]*)", re.IGNORECASE)
TIME = re.compile(r"\bDate\.now\b|\bnew\s+Date\b|\bperformance\.now\b|\bprocess\.hrtime\b|\.getTime\s*\(")
RELATIONAL = re.compile(r"(?<![=!<>])(?:<=?|>=?)(?![=>])")
PLACEHOLDER = "\x00"

EXTENSION_ORIGIN = "Parameters and Secrets extension response"


def is_cleaner_name(name: str) -> bool:
    low = name.lower()
    return any(word in low for word in _CLEANER_WORDS)


def is_logger_name(name: str) -> bool:
    words = [w for w in name_words(name) if not w.isdigit()]
    return bool(words) and words[-1] in _LOGGER_WORDS


def is_handler_name(name: str) -> bool:
    return name == "handler" or _HANDLER_NAME.search(name) is not None


def is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def num_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, str):
        return value
    return "?"
