"""What imported (or global) names mean: SDK clients and commands, Powertools
parameters, middy, HTTP clients that can reach the Parameters and Secrets
extension, and the builtins that matter for taint.

A symbol is `(module, path)`: `import * as AWS from 'aws-sdk'` + `AWS.SSM` is
("aws-sdk", ("SSM",)); a global like `JSON.parse` has module "". Default
imports, namespace imports and `require()` all denote the module itself
(path ()), and a leading `default` (ESM interop) is dropped.
"""
from __future__ import annotations

from lambda_secrets_lint.model.code import Api

__all__ = [
    "CLEAN_GLOBALS",
    "GLOBAL_NAMES",
    "HTTP",
    "PROPAGATE",
    "SDK_METHODS",
    "SYMBOLS",
    "UNBOUND_SDK_NAMES",
    "normalize",
]

# Service-specific v2 client modules.
_V2_CLIENT_MODULES = {"aws-sdk/clients/ssm": "SSM", "aws-sdk/clients/secretsmanager": "SecretsManager"}
_SSM_V3 = "@aws-sdk/client-ssm"
_SM_V3 = "@aws-sdk/client-secrets-manager"
_PT_SSM = "@aws-lambda-powertools/parameters/ssm"
_PT_SECRETS = "@aws-lambda-powertools/parameters/secrets"


def normalize(module: str, path: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    if module.startswith("node:"):
        module = module[5:]
    if module.endswith(".js") and module.startswith("aws-sdk/clients/"):
        module = module[:-3]
    if module in _V2_CLIENT_MODULES:
        path = (_V2_CLIENT_MODULES[module],) + path
        module = "aws-sdk"
    if path and path[0] == "default":
        path = path[1:]
    return module, path


# SDK operations: v2 / v3-aggregated method name → (service, IAM action, operation).
SDK_METHODS: dict[str, tuple[str, str, str]] = {
    "getParameter": ("ssm", "ssm:GetParameter", "GetParameter"),
    "getParameters": ("ssm", "ssm:GetParameters", "GetParameters"),
    "getParametersByPath": ("ssm", "ssm:GetParametersByPath", "GetParametersByPath"),
    "getSecretValue": ("secretsmanager", "secretsmanager:GetSecretValue", "GetSecretValue"),
    "batchGetSecretValue": ("secretsmanager", "secretsmanager:BatchGetSecretValue", "BatchGetSecretValue"),
}

_COMMANDS = {
    "GetParameterCommand": (_SSM_V3, "GetParameter"),
    "GetParametersCommand": (_SSM_V3, "GetParameters"),
    "GetParametersByPathCommand": (_SSM_V3, "GetParametersByPath"),
    "GetSecretValueCommand": (_SM_V3, "GetSecretValue"),
    "BatchGetSecretValueCommand": (_SM_V3, "BatchGetSecretValue"),
}
_PAGINATORS = {
    "paginateGetParametersByPath": (_SSM_V3, "GetParametersByPath"),
    "paginateBatchGetSecretValue": (_SM_V3, "BatchGetSecretValue"),
}


def _service(op: str) -> str:
    return "secretsmanager" if "Secret" in op else "ssm"


# (module, path) → a tagged tuple the analyzer dispatches on.
SYMBOLS: dict[tuple[str, tuple[str, ...]], tuple] = {
    ("aws-sdk", ("SSM",)): ("client", "ssm", Api.AWS_SDK_V2),
    ("aws-sdk", ("SecretsManager",)): ("client", "secretsmanager", Api.AWS_SDK_V2),
    (_SSM_V3, ("SSMClient",)): ("client", "ssm", Api.AWS_SDK_V3),
    (_SSM_V3, ("SSM",)): ("client", "ssm", Api.AWS_SDK_V3),
    (_SM_V3, ("SecretsManagerClient",)): ("client", "secretsmanager", Api.AWS_SDK_V3),
    (_SM_V3, ("SecretsManager",)): ("client", "secretsmanager", Api.AWS_SDK_V3),
    (_PT_SSM, ("getParameter",)): ("pt", "getParameter"),
    (_PT_SSM, ("getParameters",)): ("pt", "getParameters"),
    (_PT_SSM, ("getParametersByName",)): ("pt", "getParametersByName"),
    (_PT_SSM, ("SSMProvider",)): ("ptprovider", "ssm"),
    (_PT_SECRETS, ("getSecret",)): ("pt", "getSecret"),
    (_PT_SECRETS, ("SecretsProvider",)): ("ptprovider", "secretsmanager"),
    ("@middy/core", ()): ("middy",),
    ("middy", ()): ("middy",),  # v0 core
    ("middy", ("middy",)): ("middy",),
    ("@middy/ssm", ()): ("mw", "ssm", "@middy/ssm"),
    ("@middy/secrets-manager", ()): ("mw", "secretsManager", "@middy/secrets-manager"),
    ("middy/middlewares", ("ssm",)): ("mw", "ssm", "middy/middlewares"),
    ("middy/middlewares", ("secretsManager",)): ("mw", "secretsManager", "middy/middlewares"),
    ("@middy/util", ("getInternal",)): ("getInternal",),
    ("", ("fetch",)): ("http", "fetch"),
    ("node-fetch", ()): ("http", "fetch"),
    ("cross-fetch", ()): ("http", "fetch"),
    ("undici", ("fetch",)): ("http", "fetch"),
    ("undici", ("request",)): ("http", "fetch"),
    ("got", ()): ("http", "fetch"),
    ("got", ("get",)): ("http", "fetch"),
    ("axios", ()): ("http", "axios"),
    ("axios", ("get",)): ("http", "axios"),
    ("axios", ("request",)): ("http", "axios"),
    ("axios", ("create",)): ("axios_create",),
    ("http", ("get",)): ("http", "node"),
    ("http", ("request",)): ("http", "node"),
    ("https", ("get",)): ("http", "node"),
    ("https", ("request",)): ("http", "node"),
    ("crypto", ("createHash",)): ("hash",),
    ("crypto", ("createHmac",)): ("hash",),
    ("", ("crypto", "createHash")): ("hash",),
    ("", ("crypto", "createHmac")): ("hash",),
    ("util", ("inspect",)): ("propagate",),
    ("util", ("format",)): ("propagate",),
}
for _name, (_mod, _op) in _COMMANDS.items():
    SYMBOLS[(_mod, (_name,))] = ("command", _service(_op), _op)
for _name, (_mod, _op) in _PAGINATORS.items():
    SYMBOLS[(_mod, (_name,))] = ("paginator", _service(_op), _op)

# Names that mean the SDK even when the file does not import them (a local
# re-export module, a global in a bundle): class names are distinctive.
UNBOUND_SDK_NAMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "AWS": ("aws-sdk", ()),
    "SSMClient": (_SSM_V3, ("SSMClient",)),
    "SecretsManagerClient": (_SM_V3, ("SecretsManagerClient",)),
    **{name: (mod, (name,)) for name, (mod, _op) in _COMMANDS.items()},
    **{name: (mod, (name,)) for name, (mod, _op) in _PAGINATORS.items()},
}

# Globals the analyzer knows by name when nothing local shadows them.
GLOBAL_NAMES = frozenset(
    {"console", "process", "JSON", "Object", "Buffer", "String", "Number", "Boolean", "Array", "Promise",
     "Date", "Math", "fetch", "crypto", "parseInt", "parseFloat", "encodeURIComponent", "decodeURIComponent",
     "encodeURI", "decodeURI", "atob", "btoa", "structuredClone", "escape", "unescape", "URL", "Error",
     "TypeError", "RangeError", "performance", "Map", "Set", "Reflect"}
)

# Calls whose result carries their arguments' taint.
PROPAGATE = frozenset(
    {("JSON", "parse"), ("JSON", "stringify"), ("String",), ("Number",), ("parseInt",), ("parseFloat",),
     ("Buffer", "from"), ("Buffer", "concat"), ("decodeURIComponent",), ("encodeURIComponent",),
     ("decodeURI",), ("encodeURI",), ("atob",), ("btoa",), ("structuredClone",), ("escape",), ("unescape",),
     ("Array", "from"), ("Array", "of"), ("Object", "assign"), ("Object", "values"), ("Object", "entries"),
     ("Object", "fromEntries"), ("Promise", "all"), ("Promise", "allSettled"), ("Promise", "race"),
     ("Promise", "any"), ("Promise", "resolve"), ("Reflect", "get")}
)
# Calls whose result is clean whatever goes in (keys are names; tests are booleans).
CLEAN_GLOBALS = frozenset(
    {("Object", "keys"), ("Object", "getOwnPropertyNames"), ("Boolean",), ("Array", "isArray"),
     ("Number", "isNaN"), ("Number", "isInteger"), ("Reflect", "has")}
)

HTTP = ("fetch", "axios", "node")
