"""Vocabulary and small helpers of the Python taint interpreter: which
calls are sources, sinks, cleaners and propagators (handler-facts.md §1–§6,
REFERENCE.md §B.1/§C), and the shared constant abstract values."""
from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote

import libcst as cst

from lambda_secrets_lint.model.code import NameKind, SecretName, Tainted
from lambda_secrets_lint.parsers.python.absval import AV, Taint
from lambda_secrets_lint.secrets.names import name_words

MAX_TEXT = 4096


# --------------------------------------------------------------------------- vocabulary

RUNTIME_CREDENTIALS = frozenset({"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ACCESS_KEY_ID"})

HANDLER_NAMES = frozenset({"handler", "lambda_handler", "main", "handle"})
EVENT_PARAMS = frozenset({"event", "evt", "_event", "e"})
CONTEXT_PARAMS = frozenset({"context", "ctx", "_context", "_ctx"})
HANDLER_DECORATORS = frozenset({"inject_lambda_context", "capture_lambda_handler", "event_source", "log_metrics"})

POWERTOOLS_PARAMETERS = "aws_lambda_powertools.utilities.parameters"
PT_DEFAULT_MAX_AGE = 300.0
EXT_DEFAULT_TTL = 300.0

LOGGER_WORDS = frozenset({"LOGGER", "LOG", "CONSOLE"})
NOT_LOG_METHODS = frozenset(
    {
        "setLevel", "addHandler", "removeHandler", "addFilter", "removeFilter", "inject_lambda_context",
        "child", "getChild", "getLogger", "level", "setFormatter", "isEnabledFor", "hasHandlers",
        "getEffectiveLevel",
    }
)
LOGGER_FACTORIES = frozenset({"getLogger", "get_logger", "Logger", "getChild", "child"})
CLEANER_WORDS = ("mask", "redact", "hash", "obfuscate", "fingerprint", "sanitize", "censor")

CLEAN_BUILTINS = frozenset({"len", "bool", "isinstance", "issubclass", "type", "hash", "id", "callable", "hasattr"})
PASS_BUILTINS = frozenset(
    {
        "str", "repr", "bytes", "bytearray", "dict", "list", "tuple", "set", "frozenset", "sorted",
        "reversed", "format", "ascii", "int", "float", "iter", "next", "enumerate", "zip", "min", "max",
        "sum", "map", "filter", "vars",
    }
)
PASS_QUALS = frozenset(
    {
        "json.loads", "json.load", "json.dumps", "copy.copy", "copy.deepcopy", "pprint.pformat",
        "urllib.parse.quote", "urllib.parse.quote_plus", "urllib.parse.unquote", "urllib.parse.unquote_plus",
        "urllib.parse.urlencode", "codecs.decode", "codecs.encode", "textwrap.dedent",
    }
)
PASS_QUAL_PREFIXES = ("base64.", "binascii.")
CLEAN_QUAL_PREFIXES = ("hashlib.", "hmac.")
TEXT_PASS_QUALS = frozenset({"urllib.parse.quote", "urllib.parse.quote_plus", "str"})

# methods that mix their arguments into the result / the receiver
ARG_PASS_METHODS = frozenset({"format", "format_map", "join", "replace"})
MUTATING_METHODS = frozenset({"update", "append", "extend", "insert", "add", "setdefault", "appendleft"})
# methods of a tainted receiver whose result says nothing about the secret
CLEAN_METHODS = frozenset(
    {
        "keys", "startswith", "endswith", "isdigit", "isalpha", "isalnum", "isnumeric", "isdecimal",
        "isspace", "isupper", "islower", "istitle", "count", "find", "rfind", "index", "rindex",
        "__len__", "__contains__",
    }
)
FIELD_METHODS = frozenset({"get", "pop"})

TIME_CALLS = (
    "time.time", "time.monotonic", "time.time_ns", "time.monotonic_ns", "time.perf_counter",
    "datetime.now", "datetime.utcnow", "datetime.today", "date.today",
)

# boto3 operation -> (service, action, names keyword, name kind, is list)
BOTO3_OPS: dict[str, tuple[str, str, str, bool, bool]] = {
    "get_parameter": ("ssm", "ssm:GetParameter", "Name", False, False),
    "get_parameters": ("ssm", "ssm:GetParameters", "Names", False, True),
    "get_parameters_by_path": ("ssm", "ssm:GetParametersByPath", "Path", True, False),
    "get_secret_value": ("secretsmanager", "secretsmanager:GetSecretValue", "SecretId", False, False),
    "batch_get_secret_value": ("secretsmanager", "secretsmanager:BatchGetSecretValue", "SecretIdList", False, True),
}
SERVICES = frozenset({"ssm", "secretsmanager"})

# Powertools function -> (service, action, shape, path-like name, name is a collection)
PT_FUNCS: dict[str, tuple[str, str, Tainted, bool, bool]] = {
    "get_parameter": ("ssm", "ssm:GetParameter", Tainted.VALUE, False, False),
    "get_parameters": ("ssm", "ssm:GetParametersByPath", Tainted.CONTAINER, True, False),
    "get_parameters_by_name": ("ssm", "ssm:GetParameters", Tainted.CONTAINER, False, True),
    "get_secret": ("secretsmanager", "secretsmanager:GetSecretValue", Tainted.VALUE, False, False),
    "get_secrets_by_name": ("secretsmanager", "secretsmanager:BatchGetSecretValue", Tainted.CONTAINER, False, True),
}
PT_PROVIDER_METHODS: dict[tuple[str, str], str] = {
    ("pt_ssm", "get"): "get_parameter",
    ("pt_ssm", "get_multiple"): "get_parameters",
    ("pt_ssm", "get_parameters_by_name"): "get_parameters_by_name",
    ("pt_secrets", "get"): "get_secret",
    ("pt_secrets", "get_multiple"): "get_secrets_by_name",
}

EXT_HOSTS = ("localhost:2773", "127.0.0.1:2773", "\x01PARAMETERS_SECRETS_EXTENSION_HTTP_PORT\x01")
EXT_HTTP_CALLS = frozenset({"urlopen", "get", "request", "Request", "fetch", "open"})
EXT_HOST_NAMES = frozenset({"localhost", "127.0.0.1"})
FORMAT_FIELD = re.compile(r"\{([^{}]*)\}")
PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdrifxXoeEgGc]")


def is_terminal(stmts: Iterable[cst.CSTNode]) -> bool:
    last = None
    for last in stmts:
        pass
    if isinstance(last, cst.SimpleStatementLine) and last.body:
        return isinstance(last.body[-1], (cst.Return, cst.Raise, cst.Continue, cst.Break))
    return isinstance(last, (cst.Return, cst.Raise, cst.Continue, cst.Break))


def block_of(body: cst.BaseSuite) -> list[cst.CSTNode]:
    return list(body.body)


def last_name(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return None


def is_logger_name(name: str | None) -> bool:
    if not name:
        return False
    words = name_words(name)
    return bool(words) and words[-1] in LOGGER_WORDS


def const_str(av: AV) -> str | None:
    return av.const if isinstance(av.const, str) else None


def sketch(av: AV) -> str:
    if av.text is not None:
        return av.text
    if isinstance(av.const, (int, float)) and not isinstance(av.const, bool):
        return str(av.const)
    if av.env is not None:
        return f"\x01{av.env}\x01"
    return "\x00"


def clip(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT]


# --------------------------------------------------------------------------- scopes


def extension_target(text: str, *, require_host: bool) -> tuple[str, str, bool | None, SecretName] | None:
    if require_host and not any(host in text for host in EXT_HOSTS):
        return None
    if "/secretsmanager/get" in text:
        service, action, decrypted, param = "secretsmanager", "secretsmanager:GetSecretValue", None, "secretId"
    elif "/systemsmanager/parameters/get" in text:
        service, action, param = "ssm", "ssm:GetParameter", "name"
        decrypted = "withdecryption=true" in text.lower()
    else:
        return None
    return service, action, decrypted, query_name(text, param)


def query_name(text: str, param: str) -> SecretName:
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




TIME_LAST = frozenset(call.rsplit(".", 1)[-1] for call in TIME_CALLS)
TRUE_AV = AV(const=True)
FALSE_AV = AV(const=False)
NONE_AV = AV(const=None)
ENVIRON_AV = AV(Taint(Tainted.ENVIRONMENT, "os.environ"), qual="os.environ")
LOGGER_AV = AV(kind="logger")
_BUILTIN_AVS: dict[str, AV] = {}


def builtin_av(name: str) -> AV:
    found = _BUILTIN_AVS.get(name)
    if found is None:
        found = _BUILTIN_AVS[name] = AV(qual=f"builtins.{name}")
    return found


def qual_av(qual: str, taint: Taint | None = None) -> AV:
    if qual == "os.environ":
        return ENVIRON_AV
    return AV(taint, qual=qual, kind="logger" if qual == "loguru.logger" else None)


CLEAN_BUILTIN_QUALS = frozenset(f"builtins.{name}" for name in CLEAN_BUILTINS)
PASS_BUILTIN_QUALS = frozenset(f"builtins.{name}" for name in PASS_BUILTINS)
