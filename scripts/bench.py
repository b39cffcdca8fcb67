#!/usr/bin/env python3
"""Benchmark lambda-secrets-lint on generated CloudFormation/SAM corpora and Lambda handler code.

    python scripts/bench.py --sizes 1000 10000          # table on stdout
    python scripts/bench.py --sizes 1000 --json         # machine-readable
    python scripts/bench.py --sizes 1000 --profile      # cProfile, in-process
    python scripts/bench.py --sizes 200 --out /tmp/corpus --seed 7   # keep the corpus
    python scripts/bench.py --handlers 5000             # handler source only (per language)
    python scripts/bench.py --sizes 1000 --handlers 1000 --json      # both

For each N a corpus of N synthetic templates (seeded, so runs are
comparable) is written to a fresh temp dir, or to DIR/n<N> with --out, and
linted by the real CLI in a fresh subprocess:

    python -m lambda_secrets_lint check CORPUS --format json -o REPORT --fail-on never

Measured:
- seconds: wall time of that subprocess (interpreter start-up and imports
  included, as a user sees it); best of --repeat runs.
- peak RSS: ru_maxrss of exactly that process, from os.wait4. The lint is
  started by a tiny helper interpreter rather than by this script, because
  Linux carries the parent's RSS high-water mark into a child across
  fork+exec: a child of this (bigger) process would report at least our own
  peak. RUSAGE_CHILDREN before/after does not work either: it is a max over
  all children ever waited for, so an earlier N would mask a smaller later one.
- findings: the report's summary.findings (active, unsuppressed), next to
  the number the generator planted (expected); a mismatch is printed as a
  note, never treated as a failure.
- MB: all bytes written to the corpus (templates plus a few handler,
  manifest and non-template YAML files, as in a real repo).

The report goes to a file outside the corpus: `-o /dev/null` must not be
used, because `-o` writes atomically (temp file + rename), which would
replace /dev/null itself when run as root.

Handlers (--handlers N): N synthetic handler/library source files PER
LANGUAGE — Python (.py) and JavaScript/TypeScript (a mix of .ts, .mjs and
CommonJS .js) — in services/<svc>/src/handlers/… and …/src/lib/…, each
service with its requirements.txt / package.json. Each language is its own
corpus and its own lint run (table section / JSON key "handlers"). About 40%
of the files do something with secrets (boto3 / SDK v2 / v3 reads at module
level or in the handler, lazy and lru_cache caches, Powertools parameters,
middy ssm / secrets-manager with setToContext, the Parameters and Secrets
extension, secret-like env reads), some of those leak one (logged, returned,
put in an error), ~3% hold a credential literal; the rest is ordinary code
(DynamoDB CRUD handlers, models, validators, utilities). Sizes 1–30 KB, a few
~150 KB. Every construct records the finding it should produce, so each
result shows found/planted by rule (docs/design/handler-facts.md is the
contract); "pre-check parses" is how many files the linter's cheap
code_precheck.worth_parsing() sends to the full parser.

--profile runs the same command in this process under cProfile and prints
the top 25 entries by cumulative time, then the top 25 by own time (for
--handlers: one profile per language).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import string
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

# ---------------------------------------------------------------------------
# A tiny template model: intrinsics, comments, and YAML / JSON emitters
# ---------------------------------------------------------------------------


class Fn:
    """A CloudFormation intrinsic: Fn("Ref", "Table"), Fn("GetAtt", "Q.Arn"),
    Fn("Sub", "..."), Fn("Join", ["", [...]]), Fn("ImportValue", "...")."""

    __slots__ = ("name", "arg")

    def __init__(self, name: str, arg: Any) -> None:
        self.name = name
        self.arg = arg

    @property
    def long_name(self) -> str:
        return self.name if self.name in ("Ref", "Condition") else f"Fn::{self.name}"

    def long_form(self) -> dict[str, Any]:
        if self.name == "GetAtt" and isinstance(self.arg, str):
            return {"Fn::GetAtt": self.arg.split(".", 1)}
        return {self.long_name: self.arg}


def Ref(x: str) -> Fn:
    return Fn("Ref", x)


def GetAtt(x: str) -> Fn:
    return Fn("GetAtt", x)


def Sub(x: str) -> Fn:
    return Fn("Sub", x)


def Join(sep: str, parts: list[Any]) -> Fn:
    return Fn("Join", [sep, parts])


class CKey(str):
    """A mapping key with a comment line above it (YAML only; JSON drops it)."""

    comment: str = ""

    def __new__(cls, value: str, comment: str = "") -> "CKey":
        obj = super().__new__(cls, value)
        obj.comment = comment
        return obj


_PLAIN = re.compile(r"[A-Za-z/][A-Za-z0-9_./@:+ -]*[A-Za-z0-9_./@+-]|[A-Za-z]")
_YAML11_WORDS = frozenset({"y", "yes", "n", "no", "on", "off", "true", "false", "null"})


def _quote(s: str) -> str:
    if "\n" in s or any(ord(c) < 32 for c in s):
        return json.dumps(s)
    return "'" + s.replace("'", "''") + "'"


def y_scalar(v: Any) -> str:
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is None:
        return "null"
    if isinstance(v, (int, float)):
        return str(v)
    s = str(v)
    if _PLAIN.fullmatch(s) and ": " not in s and " #" not in s and s.lower() not in _YAML11_WORDS:
        return s
    return _quote(s)


def _flow(v: Any) -> str:
    if isinstance(v, Fn) and v.name in ("Ref", "GetAtt"):
        return f"!{v.name} {v.arg}"
    if isinstance(v, Fn) and isinstance(v.arg, str):
        return f"!{v.name} {_quote(v.arg)}"
    if isinstance(v, list):
        return "[" + ", ".join(_flow(x) for x in v) + "]"
    if isinstance(v, str):
        return _quote(v)
    return y_scalar(v)


def _inline(v: Any, long: bool) -> str | None:
    """One-line YAML for v, or None when it needs a block."""
    if isinstance(v, Fn):
        if long:
            return None
        if v.name in ("Ref", "GetAtt"):
            return f"!{v.name} {v.arg}"
        if isinstance(v.arg, str):
            return f"!{v.name} {_quote(v.arg) if '${' in v.arg else y_scalar(v.arg)}"
        if v.name == "Join":
            return f"!Join {_flow(v.arg)}"
        return None
    if isinstance(v, dict):
        return "{}" if not v else None
    if isinstance(v, list):
        return "[]" if not v else None
    return y_scalar(v)


def _emit_map(d: dict[str, Any], ind: int, out: list[str], long: bool) -> None:
    pad = " " * ind
    for k, v in d.items():
        if isinstance(k, CKey) and k.comment:
            out.append(f"{pad}# {k.comment}")
        s = _inline(v, long)
        if s is not None:
            out.append(f"{pad}{k}: {s}")
            continue
        out.append(f"{pad}{k}:")
        _emit_block(v, ind + 2, out, long)


def _emit_seq(items: list[Any], ind: int, out: list[str], long: bool) -> None:
    pad = " " * ind
    for item in items:
        s = _inline(item, long)
        if s is not None:
            out.append(f"{pad}- {s}")
            continue
        sub: list[str] = []
        _emit_block(item, ind + 2, sub, long)
        sub[0] = f"{pad}- {sub[0][ind + 2:]}"
        out.extend(sub)


def _emit_block(v: Any, ind: int, out: list[str], long: bool) -> None:
    if isinstance(v, Fn):
        v = v.long_form()
    if isinstance(v, dict):
        _emit_map(v, ind, out, long)
    else:
        _emit_seq(v, ind, out, long)


def to_yaml(d: dict[str, Any], ind: int = 0, long: bool = False) -> str:
    out: list[str] = []
    _emit_map(d, ind, out, long)
    return "\n".join(out) + "\n"


def _json_default(o: Any) -> Any:
    if isinstance(o, Fn):
        return o.long_form()
    raise TypeError(type(o).__name__)


def to_json(d: Any, indent: int) -> str:
    return json.dumps(d, indent=indent, default=_json_default) + "\n"


# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------

DOMAINS = (
    "orders", "payments", "billing", "inventory", "users", "auth", "notifications", "search", "catalog",
    "shipping", "reports", "analytics", "ingest", "etl", "webhooks", "media", "chat", "profile", "checkout",
    "pricing", "audit", "metrics", "sessions", "tenants", "invoices", "ledger", "loyalty", "reviews",
    "recommendations", "fulfilment", "returns", "subscriptions", "onboarding", "exports", "documents",
)
TEAMS = ("core", "platform", "growth", "commerce", "data", "identity", "ops", "mobile", "partners", "finance")
ENTITIES = (
    "Order", "Payment", "Invoice", "User", "Session", "Item", "Event", "Job", "Report", "Message", "Tenant",
    "Customer", "Product", "Cart", "Refund", "Shipment", "Document", "Webhook", "Subscription", "Account",
)
ACTIONS = (
    "Create", "Get", "List", "Update", "Delete", "Process", "Sync", "Export", "Import", "Notify", "Validate",
    "Archive", "Reconcile", "Enrich", "Dispatch", "Index", "Resize", "Aggregate", "Publish", "Consume",
)
RUNTIMES = ("python3.12", "python3.11", "python3.10", "nodejs20.x", "nodejs18.x", "java21", "provided.al2023")
REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "ap-northeast-1")
LOG_LEVELS = ("DEBUG", "INFO", "INFO", "WARNING", "ERROR")
ALNUM = string.ascii_letters + string.digits
UPPER_DIGITS = string.ascii_uppercase + string.digits
HEX_UPPER = "0123456789ABCDEF"
PASSWORD_WORDS = ("Harbor", "Lantern", "Copper", "Falcon", "Meadow", "Quartz", "Velvet", "Summit", "Cobalt", "Juniper")


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def kebab(name: str) -> str:
    return snake(name).replace("_", "-")


def rand(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


# ---------------------------------------------------------------------------
# One template being generated
# ---------------------------------------------------------------------------

SECRET_RATE = 0.10  # share of env vars that hold a secret
SUPPRESS_RATE = 0.05  # share of YAML secrets carrying a correct suppression comment (lsl ignore with the rule ID)


@dataclass
class Counts:
    secrets: int = 0  # secrets planted, by rule
    lsl101: int = 0
    lsl102: int = 0
    suppressed: int = 0
    env_vars: int = 0
    functions: int = 0

    def add(self, other: "Counts") -> None:
        for k in asdict(self):
            setattr(self, k, getattr(self, k) + getattr(other, k))


class Tpl:
    """State of one template: its sections, names in use and what was planted."""

    def __init__(self, rng: random.Random, style: str, domain: str, fmt: str) -> None:
        self.rng = rng
        self.style = style  # "sam" | "cfn" | "cdk"
        self.domain = domain
        self.fmt = fmt  # "yaml" | "json"
        self.stack = "".join(p.capitalize() for p in domain.split("-")) + "Stack"
        self.params: dict[str, Any] = {}
        self.resources: dict[str, Any] = {}
        self.outputs: dict[str, Any] = {}
        self.counts = Counts()
        self.tables: list[str] = []
        self.queues: list[str] = []
        self.topics: list[str] = []
        self.buckets: list[str] = []
        self.secrets: list[str] = []  # AWS::SecretsManager::Secret logical ids
        self.ssm_params: list[str] = []  # template parameters of an SSM type (config)
        self.noecho: list[str] = []  # NoEcho template parameters
        self.functions: list[str] = []

    # -- names ---------------------------------------------------------------

    def lid(self, base: str) -> str:
        """A unique logical id; CDK style appends an 8-hex hash."""
        for i in range(1000):
            name = base if i == 0 else f"{base}{i + 1}"
            if self.style == "cdk":
                name = name + rand(self.rng, HEX_UPPER, 8)
            if name not in self.resources and name not in self.params:
                return name
        raise RuntimeError("out of names")

    def cdk_meta(self, body: dict[str, Any], path: str) -> dict[str, Any]:
        if self.style == "cdk":
            body["Metadata"] = {"aws:cdk:path": f"{self.stack}/{path}/Resource"}
        return body

    def add(self, base: str, body: dict[str, Any]) -> str:
        name = self.lid(base)
        self.resources[name] = self.cdk_meta(body, base)
        return name

    # -- env values ------------------------------------------------------------

    def ensure_table(self) -> str:
        return self.tables[0] if self.tables and self.rng.random() < 0.7 else self.add_table()

    def ensure_queue(self) -> str:
        return self.queues[0] if self.queues and self.rng.random() < 0.7 else self.add_queue()

    def ensure_secret(self) -> str:
        if self.secrets and self.rng.random() < 0.6:
            return self.rng.choice(self.secrets)
        name = self.add(f"{self.rng.choice(('Db', 'Api', 'Partner', 'Signing'))}Secret", {
            "Type": "AWS::SecretsManager::Secret",
            "Properties": {
                "Description": f"{self.domain} credentials",
                "GenerateSecretString": {
                    "SecretStringTemplate": json.dumps({"username": "app"}),
                    "GenerateStringKey": "password",
                    "PasswordLength": 32,
                    "ExcludePunctuation": True,
                },
            },
        })
        self.secrets.append(name)
        return name

    def stage(self) -> Any:
        if self.style == "cdk":
            return self.rng.choice(("prod", "staging", "dev"))
        if "Stage" not in self.params:
            self.params["Stage"] = {"Type": "String", "Default": "dev", "AllowedValues": ["dev", "staging", "prod"]}
        return Ref("Stage")

    def config_var(self, used: set[str]) -> tuple[str, Any]:
        """A non-secret env var: names, ARNs, paths, levels, references."""
        for _ in range(12):
            options = self._config_options()
            self.rng.shuffle(options)
            for name, value in options:
                if name not in used:
                    return name, value
        n = 2
        while f"{options[0][0]}_{n}" in used:
            n += 1
        return f"{options[0][0]}_{n}", options[0][1]

    def _config_options(self) -> list[tuple[str, Any]]:
        rng, d = self.rng, self.domain
        ent = rng.choice(ENTITIES)
        options: list[tuple[str, Any]] = []
        r = rng.random()
        if r < 0.12:
            t = self.ensure_table()
            options = [(f"{snake(ent).upper()}_TABLE_NAME", Ref(t)), ("TABLE_NAME", Ref(t)), ("TABLE_ARN", GetAtt(f"{t}.Arn"))]
        elif r < 0.2:
            q = self.ensure_queue()
            options = [("QUEUE_URL", Ref(q)), (f"{snake(ent).upper()}_QUEUE_URL", Ref(q)), ("DLQ_ARN", GetAtt(f"{q}.Arn"))]
        elif r < 0.28:
            options = [("LOG_LEVEL", rng.choice(LOG_LEVELS)), ("POWERTOOLS_LOG_LEVEL", rng.choice(LOG_LEVELS))]
        elif r < 0.34:
            options = [("POWERTOOLS_SERVICE_NAME", d), ("SERVICE_NAME", f"{d}-api"), ("POWERTOOLS_METRICS_NAMESPACE", d.capitalize())]
        elif r < 0.42:
            options = [
                ("STAGE", self.stage()),
                ("EVENT_BUS_NAME", Sub("${AWS::StackName}-bus") if self.style != "cdk" else f"{d}-bus"),
                ("REGION_NAME", Ref("AWS::Region")),
            ]
        elif r < 0.5:
            acct = "".join(rng.choice(string.digits) for _ in range(12))
            region = rng.choice(REGIONS)
            options = [
                ("TOPIC_ARN", f"arn:aws:sns:{region}:{acct}:{d}-{kebab(ent)}-events"),
                ("UPSTREAM_FUNCTION_ARN", f"arn:aws:lambda:{region}:{acct}:function:{d}-{kebab(ent)}"),
                ("KMS_KEY_ARN", f"arn:aws:kms:{region}:{acct}:key/{rand(rng, '0123456789abcdef', 8)}-{rand(rng, '0123456789abcdef', 4)}-4{rand(rng, '0123456789abcdef', 3)}-a{rand(rng, '0123456789abcdef', 3)}-{rand(rng, '0123456789abcdef', 12)}"),
            ]
        elif r < 0.57:
            options = [
                ("CONFIG_PARAM_PATH", f"/{rng.choice(('prod', 'staging', 'dev'))}/{d}/config"),
                ("FEATURE_FLAGS_PATH", f"/{d}/feature-flags/"),
                ("DB_SECRET_NAME", f"prod/{d}/db"),
                ("STRIPE_SECRET_NAME", f"prod/{d}/stripe"),
            ]
        elif r < 0.64:
            options = [
                ("BUCKET_ARN", Sub("arn:${AWS::Partition}:s3:::" + d + "-assets-${AWS::AccountId}-${AWS::Region}")),
                ("ASSETS_BUCKET", Sub(d + "-assets-${AWS::AccountId}-${AWS::Region}")),
                ("API_BASE_URL", Sub("https://api.${AWS::Region}.example.com/" + d + "/v1")),
            ]
        elif r < 0.72:
            options = [
                ("TIMEOUT_MS", str(rng.choice((1000, 3000, 5000, 15000)))),
                ("MAX_RETRIES", str(rng.randint(1, 8))),
                ("BATCH_SIZE", str(rng.choice((10, 25, 100)))),
                ("CACHE_TTL_SECONDS", str(rng.choice((60, 300, 900)))),
                (f"{snake(ent).upper()}_EXPORT_ENABLED", rng.choice(("true", "false"))),
            ]
        elif r < 0.78:
            options = [
                ("PARTNER_API_URL", f"https://api.{rng.choice(('acme', 'globex', 'initech'))}.com/v{rng.randint(1, 3)}"),
                ("CORS_ALLOWED_ORIGIN", f"https://app.{d}.example.com"),
                ("SENTRY_ENVIRONMENT", rng.choice(("prod", "staging"))),
            ]
        elif r < 0.84 and self.style != "cdk":
            p = self.ssm_param()
            options = [(rng.choice(("DB_HOST", "DB_ENDPOINT", "OPENSEARCH_ENDPOINT")), Ref(p))]
        elif r < 0.9:
            s = self.ensure_secret()
            options = [("DB_SECRET_ARN", Ref(s)), ("API_KEY_SECRET_ARN", Ref(s))]
        elif r < 0.95:
            options = [("LOG_FORMAT", "{{resolve:ssm:/" + d + "/log-format}}"), ("APP_VERSION", "{{resolve:ssm:/" + d + "/version:3}}")]
        elif self.style == "cdk":
            api = self.add("RestApi", {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": f"{d}-api"}})
            options = [("API_URL", Join("", ["https://", Ref(api), ".execute-api.", Ref("AWS::Region"), ".", Ref("AWS::URLSuffix"), "/prod/"]))]
        else:
            options = [("SHARED_TABLE_NAME", Fn("ImportValue", f"shared-{d}-table-name")),
                       ("SHARED_BUS_ARN", Fn("ImportValue", f"shared-{d}-event-bus-arn"))]
        return options

    def ssm_param(self) -> str:
        name = f"{self.rng.choice(('DbHost', 'SearchEndpoint', 'CacheEndpoint'))}Param"
        if name not in self.params:
            self.params[name] = {
                "Type": "AWS::SSM::Parameter::Value<String>",
                "Default": f"/{self.domain}/{kebab(name.removesuffix('Param'))}",
            }
            self.ssm_params.append(name)
        return name

    def secret_var(self, used: set[str]) -> tuple[str, Any, str]:
        """A secret env var, and the rule that should report it."""
        rng, d = self.rng, self.domain
        kinds = ["stripe", "github", "aws", "slack", "password", "sm", "ssm-secure", "noecho"]
        weights = [14, 8, 8, 8, 14, 22, 6, 20]
        if self.style == "cdk":
            kinds += ["cdk-join", "cdk-join-arn"]
            weights += [22, 12]
        kind = rng.choices(kinds, weights)[0]
        if kind == "stripe":
            names, value, rule = ("STRIPE_API_KEY", "STRIPE_SECRET_KEY", "PAYMENTS_API_KEY"), "sk_live_" + rand(rng, ALNUM, 24), "LSL101"
        elif kind == "github":
            names, value, rule = ("GITHUB_TOKEN", "GH_DEPLOY_TOKEN", "RELEASE_BOT_TOKEN"), "ghp_" + rand(rng, ALNUM, 36), "LSL101"
        elif kind == "aws":
            names, value, rule = ("UPLOADER_ACCESS_KEY_ID", "PARTNER_S3_KEY", "LEGACY_AWS_KEY"), "AKIA" + rand(rng, UPPER_DIGITS, 16), "LSL101"
        elif kind == "slack":
            value = f"xoxb-{rand(rng, string.digits, 12)}-{rand(rng, string.digits, 13)}-{rand(rng, ALNUM, 24)}"
            names, rule = ("SLACK_BOT_TOKEN", "SLACK_TOKEN", "NOTIFIER_TOKEN"), "LSL101"
        elif kind == "password":
            words = rng.sample(PASSWORD_WORDS, 2)
            value = f"{words[0]}-{words[1]}-{rng.randint(1000, 9999)}{rng.choice('!#%&*')}"
            names, rule = ("DB_PASSWORD", "JWT_SECRET", "ADMIN_PASSWORD", "SMTP_PASSWORD", "WEBHOOK_SIGNING_SECRET"), "LSL101"
        elif kind == "sm":
            value = f"{{{{resolve:secretsmanager:prod/{d}/{rng.choice(('db', 'api', 'partner'))}:SecretString:{rng.choice(('password', 'apiKey', 'token'))}}}}}"
            names, rule = ("DB_PASSWORD", "DB_CREDENTIALS", "PARTNER_API_KEY", "API_CLIENT_SECRET", "DATABASE_URL"), "LSL102"
        elif kind == "ssm-secure":
            value = f"{{{{resolve:ssm-secure:/prod/{d}/api-key:{rng.randint(1, 9)}}}}}"
            names, rule = ("API_KEY", "ENCRYPTION_KEY", "PARTNER_TOKEN"), "LSL102"
        elif kind == "noecho":
            pname = rng.choice(("DbPassword", "ApiKey", "AdminPassword", "PartnerToken", "SigningKey"))
            if pname not in self.params:
                self.params[pname] = {"Type": "String", "NoEcho": True, "MinLength": 12, "Description": f"{pname} for {d}"}
                self.noecho.append(pname)
            value = Ref(pname)
            names, rule = (snake(pname).upper(), snake(pname).upper() + "_VALUE"), "LSL102"
        elif kind == "cdk-join":
            s = self.ensure_secret()
            value = Join("", ["{{resolve:secretsmanager:", Ref(s), ":SecretString:password::}}"])
            names, rule = ("DB_PASSWORD", "DATABASE_PASSWORD", "PG_PASSWORD"), "LSL102"
        else:  # cdk-join-arn
            value = Join("", [
                "{{resolve:secretsmanager:arn:", Ref("AWS::Partition"), ":secretsmanager:", Ref("AWS::Region"), ":",
                Ref("AWS::AccountId"), f":secret:prod/{d}/api-{rand(rng, ALNUM, 6)}:SecretString:apiKey::}}}}",
            ])
            names, rule = ("API_KEY", "PARTNER_API_KEY", "THIRD_PARTY_KEY"), "LSL102"
        for name in rng.sample(names, len(names)):
            if name not in used:
                return name, value, rule
        n = 2
        while f"{names[0]}_{n}" in used:
            n += 1
        return f"{names[0]}_{n}", value, rule

    def env(self, count: int, used: set[str]) -> dict[str, Any]:
        """`count` env vars (about SECRET_RATE of them secrets); `used` are names
        to avoid (Globals vs function, so no variable shadows another)."""
        out: dict[str, Any] = {}
        for _ in range(count):
            taken = used | set(out)
            if self.rng.random() < SECRET_RATE:
                name, value, rule = self.secret_var(taken)
                self.counts.secrets += 1
                if rule == "LSL101":
                    self.counts.lsl101 += 1
                else:
                    self.counts.lsl102 += 1
                if self.fmt == "yaml" and self.rng.random() < SUPPRESS_RATE:
                    self.counts.suppressed += 1
                    name = CKey(name, f"lsl: ignore[{rule}] test account only, rotated weekly")
                out[name] = value
            else:
                name, value = self.config_var(taken)
                out[name] = value
            self.counts.env_vars += 1
        return out

    # -- resources -------------------------------------------------------------

    def add_table(self) -> str:
        ent = self.rng.choice(ENTITIES)
        body: dict[str, Any] = {
            "Type": "AWS::DynamoDB::Table",
            "Properties": {
                "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [
                    {"AttributeName": "pk", "AttributeType": "S"},
                    {"AttributeName": "sk", "AttributeType": "S"},
                ],
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
                "SSESpecification": {"SSEEnabled": True},
            },
        }
        if self.rng.random() < 0.5:
            body["Properties"]["AttributeDefinitions"].append({"AttributeName": "gsi1pk", "AttributeType": "S"})
            body["Properties"]["GlobalSecondaryIndexes"] = [{
                "IndexName": "gsi1",
                "KeySchema": [{"AttributeName": "gsi1pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "ALL"},
            }]
        if self.rng.random() < 0.4:
            body["Properties"]["StreamSpecification"] = {"StreamViewType": "NEW_AND_OLD_IMAGES"}
        if self.style != "cdk" and self.rng.random() < 0.5:
            body["Properties"]["TableName"] = Sub("${AWS::StackName}-" + kebab(ent))
        body["DeletionPolicy"] = "Retain"
        body["UpdateReplacePolicy"] = "Retain"
        name = self.add(f"{ent}Table", body)
        self.tables.append(name)
        return name

    def add_queue(self) -> str:
        ent = self.rng.choice(ENTITIES)
        dlq = self.add(f"{ent}DeadLetterQueue", {
            "Type": "AWS::SQS::Queue",
            "Properties": {"MessageRetentionPeriod": 1209600, "SqsManagedSseEnabled": True},
        })
        name = self.add(f"{ent}Queue", {
            "Type": "AWS::SQS::Queue",
            "Properties": {
                "VisibilityTimeout": self.rng.choice((30, 60, 180, 900)),
                "RedrivePolicy": {"deadLetterTargetArn": GetAtt(f"{dlq}.Arn"), "maxReceiveCount": self.rng.choice((3, 5))},
                "SqsManagedSseEnabled": True,
            },
        })
        self.queues.append(name)
        return name

    def add_topic(self) -> str:
        name = self.add(f"{self.rng.choice(ENTITIES)}Topic", {
            "Type": "AWS::SNS::Topic",
            "Properties": {"KmsMasterKeyId": "alias/aws/sns", "DisplayName": f"{self.domain} events"},
        })
        self.topics.append(name)
        return name

    def add_bucket(self) -> str:
        name = self.add(f"{self.rng.choice(('Assets', 'Uploads', 'Exports', 'Archive'))}Bucket", {
            "Type": "AWS::S3::Bucket",
            "Properties": {
                "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}, "BucketKeyEnabled": True}]},
                "PublicAccessBlockConfiguration": {
                    "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True, "RestrictPublicBuckets": True},
                "VersioningConfiguration": {"Status": "Enabled"},
                "LifecycleConfiguration": {"Rules": [
                    {"Id": "expire-old-versions", "Status": "Enabled", "NoncurrentVersionExpiration": {"NoncurrentDays": 30}}]},
            },
        })
        self.buckets.append(name)
        return name

    def add_alarm(self) -> str:
        target = self.rng.choice(self.functions) if self.functions else None
        dims = [{"Name": "FunctionName", "Value": Ref(target)}] if target else []
        return self.add(f"{target or 'Service'}ErrorsAlarm", {
            "Type": "AWS::CloudWatch::Alarm",
            "Properties": {
                "AlarmDescription": f"Errors in {self.domain}",
                "Namespace": "AWS/Lambda",
                "MetricName": self.rng.choice(("Errors", "Throttles", "Duration")),
                "Dimensions": dims,
                "Statistic": "Sum",
                "Period": 300,
                "EvaluationPeriods": self.rng.choice((1, 2, 3)),
                "Threshold": self.rng.choice((1, 5, 10)),
                "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                "TreatMissingData": "notBreaching",
                "AlarmActions": [Ref(self.topics[0])] if self.topics else [],
            },
        })

    def add_log_group(self, fn: str | None = None) -> str:
        return self.add(f"{fn or 'Service'}LogGroup", {
            "Type": "AWS::Logs::LogGroup",
            "Properties": {
                "LogGroupName": Sub("/aws/lambda/${" + fn + "}") if fn else f"/{self.domain}/service",
                "RetentionInDays": self.rng.choice((7, 14, 30, 90, 365)),
            },
        })

    def add_rule(self) -> str:
        return self.add(f"{self.rng.choice(ENTITIES)}EventRule", {
            "Type": "AWS::Events::Rule",
            "Properties": {
                "EventPattern": {"source": [f"com.example.{self.domain}"], "detail-type": [f"{self.rng.choice(ENTITIES)}{self.rng.choice(('Created', 'Updated', 'Deleted'))}"]},
                "State": "ENABLED",
                "Targets": [{"Arn": GetAtt(f"{self.functions[0]}.Arn"), "Id": "Target0"}] if self.functions else [],
            },
        })

    def policy_statements(self) -> list[dict[str, Any]]:
        stmts: list[dict[str, Any]] = []
        if self.tables:
            t = self.rng.choice(self.tables)
            stmts.append({
                "Effect": "Allow",
                "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
                           "dynamodb:Query", "dynamodb:BatchWriteItem"],
                "Resource": [GetAtt(f"{t}.Arn"), Sub("${" + t + ".Arn}/index/*")],
            })
        if self.queues:
            stmts.append({"Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:GetQueueAttributes"],
                          "Resource": GetAtt(f"{self.rng.choice(self.queues)}.Arn")})
        if self.secrets:
            stmts.append({"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": Ref(self.rng.choice(self.secrets))})
        stmts.append({"Effect": "Allow", "Action": ["ssm:GetParameter", "ssm:GetParametersByPath"],
                      "Resource": Sub("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/" + self.domain + "/*")})
        return stmts

    def add_role(self, fn_base: str) -> str:
        body: dict[str, Any] = {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
                },
                "ManagedPolicyArns": [
                    Join("", ["arn:", Ref("AWS::Partition"), ":iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"])
                    if self.style == "cdk" else "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
                ],
            },
        }
        if self.style != "cdk":
            body["Properties"]["Policies"] = [{"PolicyName": f"{kebab(fn_base)}-access",
                                               "PolicyDocument": {"Version": "2012-10-17", "Statement": self.policy_statements()}}]
        role = self.add(f"{fn_base}ServiceRole" if self.style == "cdk" else f"{fn_base}Role", body)
        if self.style == "cdk":
            self.add(f"{fn_base}ServiceRoleDefaultPolicy", {
                "Type": "AWS::IAM::Policy",
                "Properties": {
                    "PolicyDocument": {"Statement": self.policy_statements(), "Version": "2012-10-17"},
                    "PolicyName": f"{fn_base}ServiceRoleDefaultPolicy",
                    "Roles": [Ref(role)],
                },
            })
        return role

    def fn_base(self) -> str:
        for _ in range(50):
            base = f"{self.rng.choice(ACTIONS)}{self.rng.choice(ENTITIES)}"
            if not any(f.startswith(base) for f in self.functions):
                return base
        return f"{base}{len(self.functions)}"

    def sam_function(self, used_globals: set[str], global_runtime: bool) -> str:
        rng = self.rng
        base = self.fn_base()
        n_env = rng.randint(3, 12)
        props: dict[str, Any] = {
            "CodeUri": f"src/{snake(base)}/",
            "Handler": "app.lambda_handler" if not global_runtime or rng.random() < 0.7 else "index.handler",
            "Description": f"{base} for the {self.domain} service",
        }
        if not global_runtime:
            props["Runtime"] = rng.choice(RUNTIMES)
        if rng.random() < 0.5:
            props["FunctionName"] = Sub("${AWS::StackName}-" + kebab(base))
        props["MemorySize"] = rng.choice((128, 256, 512, 1024, 1769))
        props["Timeout"] = rng.choice((3, 10, 15, 30, 60, 900))
        props["Environment"] = {"Variables": self.env(n_env, used_globals)}
        policies: list[Any] = []
        if self.tables:
            policies.append({"DynamoDBCrudPolicy": {"TableName": Ref(rng.choice(self.tables))}})
        if self.queues:
            policies.append({"SQSSendMessagePolicy": {"QueueName": GetAtt(f"{rng.choice(self.queues)}.QueueName")}})
        if self.secrets:
            policies.append({"AWSSecretsManagerGetSecretValuePolicy": {"SecretArn": Ref(rng.choice(self.secrets))}})
        if rng.random() < 0.4:
            policies.append({"Statement": self.policy_statements()[-1:]})
        if rng.random() < 0.3:
            policies.append("AWSXrayWriteOnlyAccess")
        props["Policies"] = policies
        events: dict[str, Any] = {}
        e = rng.random()
        if e < 0.5:
            path = f"/{self.domain}" + rng.choice(("", "/{id}", f"/{{id}}/{kebab(rng.choice(ENTITIES))}s"))
            events["Api"] = {"Type": rng.choice(("Api", "HttpApi")), "Properties": {"Path": path, "Method": rng.choice(("get", "post", "put", "delete"))}}
        elif e < 0.75:
            q = self.ensure_queue()
            events["Queue"] = {"Type": "SQS", "Properties": {"Queue": GetAtt(f"{q}.Arn"), "BatchSize": rng.choice((1, 10, 25)),
                                                            "FunctionResponseTypes": ["ReportBatchItemFailures"]}}
        elif e < 0.9:
            events["Schedule"] = {"Type": "ScheduleV2", "Properties": {"ScheduleExpression": rng.choice(("rate(5 minutes)", "rate(1 hour)", "cron(0 3 * * ? *)"))}}
        else:
            t = self.tables[0] if self.tables else self.add_table()
            events["Stream"] = {"Type": "DynamoDB", "Properties": {"Stream": GetAtt(f"{t}.StreamArn"), "StartingPosition": "LATEST", "BatchSize": 100}}
        props["Events"] = events
        if rng.random() < 0.4:
            props["Tracing"] = "Active"
        name = self.add(f"{base}Function", {"Type": "AWS::Serverless::Function", "Properties": props})
        self.functions.append(name)
        self.counts.functions += 1
        return name

    def lambda_function(self) -> str:
        rng = self.rng
        base = self.fn_base()
        role = self.add_role(base)
        runtime = rng.choice(RUNTIMES)
        props: dict[str, Any] = {}
        if self.style == "cdk":
            props["Code"] = {"S3Bucket": Sub("cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"),
                             "S3Key": rand(rng, "0123456789abcdef", 64) + ".zip"}
        else:
            if "ArtifactBucket" not in self.params:
                self.params["ArtifactBucket"] = {"Type": "String", "Description": "Bucket holding the deployment packages"}
            props["Code"] = {"S3Bucket": Ref("ArtifactBucket"), "S3Key": Sub("lambda/${Stage}/" + kebab(base) + ".zip")}
            self.stage()
            props["FunctionName"] = Sub("${AWS::StackName}-" + kebab(base))
        props["Role"] = GetAtt(f"{role}.Arn")
        props["Handler"] = "index.handler" if runtime.startswith("nodejs") else "app.lambda_handler"
        props["Runtime"] = runtime
        props["MemorySize"] = rng.choice((128, 256, 512, 1024))
        props["Timeout"] = rng.choice((3, 10, 30, 60, 300))
        props["Environment"] = {"Variables": self.env(rng.randint(3, 12), set())}
        if rng.random() < 0.4:
            props["TracingConfig"] = {"Mode": "Active"}
        if rng.random() < 0.2:
            props["VpcConfig"] = {"SecurityGroupIds": [Ref("LambdaSecurityGroup") if self.style != "cdk" else "sg-0123456789abcdef0"],
                                  "SubnetIds": ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]}
            if self.style != "cdk" and "LambdaSecurityGroup" not in self.resources:
                self.resources["LambdaSecurityGroup"] = {"Type": "AWS::EC2::SecurityGroup", "Properties": {
                    "GroupDescription": f"{self.domain} functions", "VpcId": "vpc-0123456789abcdef0"}}
        body: dict[str, Any] = {"Type": "AWS::Lambda::Function", "Properties": props, "DependsOn": [role]}
        name = self.add(base if self.style == "cdk" else f"{base}Function", body)
        self.functions.append(name)
        self.counts.functions += 1
        if self.style != "cdk" or rng.random() < 0.5:
            self.add_log_group(name)
        return name

    def filler(self) -> None:
        """One more resource of the kinds templates are padded with."""
        choice = self.rng.choices(
            ("table", "queue", "topic", "bucket", "alarm", "alarm", "log", "rule"), (3, 3, 2, 2, 4, 4, 2, 2))[0]
        {"table": self.add_table, "queue": self.add_queue, "topic": self.add_topic, "bucket": self.add_bucket,
         "alarm": self.add_alarm, "log": self.add_log_group, "rule": self.add_rule}[choice]()


# ---------------------------------------------------------------------------
# Templates of each flavour
# ---------------------------------------------------------------------------


def _resource_size(tpl: Tpl, name: str, long: bool, indent: int) -> int:
    if tpl.fmt == "yaml":
        return len(to_yaml({name: tpl.resources[name]}, 2, long)) + 1
    return len(to_json({name: tpl.resources[name]}, indent)) + 4 * indent


def _grow(tpl: Tpl, target: int, base_size: int, long: bool, indent: int, function_weight: float) -> None:
    size = base_size + sum(_resource_size(tpl, n, long, indent) for n in tpl.resources)
    while size < target:
        before = set(tpl.resources)
        if function_weight and tpl.rng.random() < function_weight:
            tpl.lambda_function()
        else:
            tpl.filler()
        size += sum(_resource_size(tpl, n, long, indent) for n in tpl.resources if n not in before)


def _outputs(tpl: Tpl) -> None:
    for name in list(tpl.resources)[: tpl.rng.randint(1, 6)]:
        rtype = tpl.resources[name]["Type"]
        value: Any = Ref(name)
        if rtype in ("AWS::Serverless::Function", "AWS::Lambda::Function", "AWS::SQS::Queue", "AWS::DynamoDB::Table"):
            value = GetAtt(f"{name}.Arn")
        out: dict[str, Any] = {"Value": value}
        if tpl.style != "cdk":
            out["Description"] = f"{name} ({rtype})"
            out["Export"] = {"Name": Sub("${AWS::StackName}-" + name)}
        tpl.outputs[name + ("Arn" if isinstance(value, Fn) and value.name == "GetAtt" else "")] = out


def render_yaml(tpl: Tpl, head: dict[str, Any], globals_: dict[str, Any] | None, long: bool) -> str:
    parts = [to_yaml(head, 0, long)]
    if tpl.params:
        parts.append("Parameters:\n" + to_yaml(tpl.params, 2, long))
    if globals_:
        parts.append("Globals:\n" + to_yaml(globals_, 2, long))
    res = [f"  # --- {tpl.domain} resources ---\n"]
    for name, body in tpl.resources.items():
        res.append(to_yaml({name: body}, 2, long))
    parts.append("Resources:\n" + "\n".join(res))
    if tpl.outputs:
        parts.append("Outputs:\n" + to_yaml(tpl.outputs, 2, long))
    return "\n".join(parts)


def make_sam(rng: random.Random, domain: str, target: int, fmt: str) -> tuple[str, Counts]:
    tpl = Tpl(rng, "sam", domain, fmt)
    long = fmt == "yaml" and rng.random() < 0.1
    global_runtime = rng.random() < 0.7
    globals_fn: dict[str, Any] = {}
    if global_runtime:
        globals_fn["Runtime"] = rng.choice(RUNTIMES)
    globals_fn["Timeout"] = rng.choice((10, 30, 60))
    globals_fn["MemorySize"] = rng.choice((256, 512, 1024))
    if rng.random() < 0.5:
        globals_fn["Tracing"] = "Active"
    for _ in range(rng.randint(0, 2)):
        rng.choice((tpl.add_table, tpl.add_queue, tpl.add_bucket, tpl.add_topic))()
    gvars: dict[str, Any] = {}
    if rng.random() < 0.75:
        gvars = tpl.env(rng.randint(1, 6), set())
        globals_fn["Environment"] = {"Variables": gvars}
    globals_ = {"Function": globals_fn}
    if rng.random() < 0.3:
        globals_["Api"] = {"Cors": {"AllowOrigin": f"'https://app.{domain}.example.com'", "AllowHeaders": "'Content-Type,Authorization'"}}
    for _ in range(rng.randint(1, 6)):
        tpl.sam_function(set(gvars), global_runtime)
    head = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Transform": "AWS::Serverless-2016-10-31",
        "Description": f"{domain} service (SAM)",
    }
    _outputs(tpl)
    indent = rng.choice((2, 4))
    base = 600 + 80 * len(tpl.params) + len(to_yaml(globals_)) + sum(len(to_yaml({k: v}, 2)) for k, v in tpl.outputs.items())
    _grow(tpl, target, base, long, indent, 0.0)
    if fmt == "yaml":
        return render_yaml(tpl, head, globals_, long), tpl.counts
    doc = {**head, "Parameters": tpl.params, "Globals": globals_, "Resources": tpl.resources, "Outputs": tpl.outputs}
    if not tpl.params:
        del doc["Parameters"]
    return to_json(doc, indent), tpl.counts


def make_cfn(rng: random.Random, domain: str, target: int, fmt: str) -> tuple[str, Counts]:
    tpl = Tpl(rng, "cfn", domain, fmt)
    long = fmt == "yaml" and rng.random() < 0.15
    for _ in range(rng.randint(1, 3)):
        rng.choice((tpl.add_table, tpl.add_queue, tpl.add_topic, tpl.add_bucket))()
    for _ in range(rng.randint(1, 4)):
        tpl.lambda_function()
    tpl.params.setdefault("LogRetentionDays", {"Type": "Number", "Default": 30, "AllowedValues": [7, 14, 30, 90]})
    _outputs(tpl)
    head = {"AWSTemplateFormatVersion": "2010-09-09", "Description": f"{domain} stack: functions, roles, tables and queues"}
    indent = rng.choice((2, 4))
    base = 400 + 90 * len(tpl.params) + sum(len(to_yaml({k: v}, 2)) for k, v in tpl.outputs.items())
    _grow(tpl, target, base, long, indent, 0.25 if target > 40_000 else 0.1)
    if fmt == "yaml":
        return render_yaml(tpl, head, None, long), tpl.counts
    doc = {**head, "Parameters": tpl.params, "Resources": tpl.resources, "Outputs": tpl.outputs}
    return to_json(doc, indent), tpl.counts


def make_cdk(rng: random.Random, domain: str, target: int) -> tuple[str, Counts, str]:
    tpl = Tpl(rng, "cdk", domain, "json")
    for _ in range(rng.randint(1, 3)):
        rng.choice((tpl.add_table, tpl.add_queue, tpl.add_topic, tpl.add_bucket))()
    for _ in range(rng.randint(1, 5)):
        tpl.lambda_function()
    _grow(tpl, target, 1500, False, 1, 0.3 if target > 40_000 else 0.15)
    tpl.resources["CDKMetadata"] = {
        "Type": "AWS::CDK::Metadata",
        "Properties": {"Analytics": "v2:deflate64:" + rand(rng, ALNUM, rng.randint(200, 600))},
        "Metadata": {"aws:cdk:path": f"{tpl.stack}/CDKMetadata/Default"},
    }
    _outputs(tpl)
    doc: dict[str, Any] = {"Resources": tpl.resources}
    if tpl.noecho:
        doc["Parameters"] = {k: tpl.params[k] for k in tpl.noecho}
    doc.setdefault("Parameters", {})["BootstrapVersion"] = {
        "Type": "AWS::SSM::Parameter::Value<String>",
        "Default": "/cdk-bootstrap/hnb659fds/version",
        "Description": "Version of the CDK Bootstrap resources in this environment, automatically retrieved from SSM Parameter Store. [cdk:skip]",
    }
    doc["Outputs"] = tpl.outputs
    doc["Rules"] = {"CheckBootstrapVersion": {"Assertions": [{
        "Assert": {"Fn::Not": [{"Fn::Contains": [["1", "2", "3", "4", "5"], Ref("BootstrapVersion")]}]},
        "AssertDescription": "CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a recent version of the CDK CLI.",
    }]}}
    return to_json(doc, 1), tpl.counts, tpl.stack


# ---------------------------------------------------------------------------
# Corpus
# ---------------------------------------------------------------------------

HANDLER_PY = '''"""{domain}: {fn}."""
import json
import os

import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")


def lambda_handler(event, context):
    body = json.loads(event.get("body") or "{{}}")
    item = {{"pk": body["id"], "sk": "{fn}", "payload": body}}
    TABLE.put_item(Item=item)
    return {{"statusCode": 200, "body": json.dumps({{"ok": True}})}}
'''
HANDLER_JS = '''// {domain}: {fn}
const {{ DynamoDBClient, PutItemCommand }} = require("@aws-sdk/client-dynamodb");
const client = new DynamoDBClient({{}});

exports.handler = async (event) => {{
  const body = JSON.parse(event.body || "{{}}");
  await client.send(new PutItemCommand({{ TableName: process.env.TABLE_NAME, Item: {{ pk: {{ S: body.id }} }} }}));
  return {{ statusCode: 200, body: JSON.stringify({{ ok: true }}) }};
}};
'''
OPENAPI = '''openapi: 3.0.3
info:
  title: {domain} API
  version: 1.0.0
paths:
  /{domain}:
    get:
      summary: List {domain}
      responses:
        "200":
          description: OK
  /{domain}/{{id}}:
    get:
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
      responses:
        "200":
          description: OK
        "404":
          description: Not found
'''


MARKER = ".lsl-bench"  # marks a directory as a generated corpus (the linter ignores the file)


def _prepare(n: int, out: Path | None, prefix: str, name: str | None = None) -> tuple[Path, Path]:
    """(scratch dir for the report, corpus root: OUT/<name> or OUT/n<N>); an
    old corpus under --out is replaced, but only if bench.py made it."""
    work = Path(tempfile.mkdtemp(prefix=f"{prefix}-{n}-"))
    root = (out / (name or f"n{n}")) if out else work / "corpus"
    if out and root.exists():
        if not (root / MARKER).is_file():
            shutil.rmtree(work)
            raise SystemExit(f"bench: {root} exists and was not made by bench.py; choose another --out")
        shutil.rmtree(root)
    return work, root


def _cleanup(work: Path, out: Path | None, keep: bool) -> None:
    if keep and not out:
        (work / "report.json").unlink(missing_ok=True)  # the corpus inside stays
    else:
        shutil.rmtree(work, ignore_errors=True)


@dataclass
class Corpus:
    root: Path
    templates: int = 0
    files: int = 0
    bytes: int = 0
    template_bytes: int = 0
    largest: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    counts: Counts = field(default_factory=Counts)

    @property
    def expected_findings(self) -> int:
        return self.counts.lsl101 + self.counts.lsl102 - self.counts.suppressed

    def note_measured(self, size: int) -> None:
        self.templates += 1
        self.template_bytes += size
        self.largest = max(self.largest, size)


def write_file(root: Path, corpus: "Corpus | HandlerCorpus", rel: str, text: str, measured: bool) -> None:
    """Write one corpus file; `measured` files are of the kind being benchmarked
    (the rest — handlers beside templates, manifests — only add realism)."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    path.write_bytes(data)
    corpus.files += 1
    corpus.bytes += len(data)
    if measured:
        corpus.note_measured(len(data))


def _target_size(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.6:
        return rng.randint(2_000, 8_000)
    if r < 0.9:
        return rng.randint(8_000, 20_000)
    return rng.randint(20_000, 40_000)


def generate(n: int, seed: int, root: Path) -> Corpus:
    """Write n templates (plus some companion files) under root."""
    rng = random.Random(f"lsl-bench:{seed}:{n}")
    root.mkdir(parents=True, exist_ok=True)
    (root / ".git").mkdir(exist_ok=True)  # the project root: paths are reported relative to it
    (root / MARKER).write_text("generated by scripts/bench.py; safe to delete\n", "utf-8")
    corpus = Corpus(root)
    big = set(rng.sample(range(n), max(1, round(n * 0.003)))) if n >= 100 else set()
    cdk_app: tuple[Path, int] | None = None

    def write(rel: str, text: str, template: bool) -> None:
        write_file(root, corpus, rel, text, template)

    for i in range(n):
        domain = rng.choice(DOMAINS)
        team = rng.choice(TEAMS)
        svc = f"{domain}-{i:05d}"
        target = rng.randint(280_000, 320_000) if i in big else _target_size(rng)
        r = rng.random()
        if i in big:
            kind = rng.choice(("cfn-yaml", "cfn-json", "cdk"))
        elif r < 0.45:
            kind = "sam-yaml"
        elif r < 0.70:
            kind = "cfn-yaml"
        elif r < 0.76:
            kind = "sam-json"
        elif r < 0.82:
            kind = "cfn-json"
        else:
            kind = "cdk"
        corpus.kinds[kind] = corpus.kinds.get(kind, 0) + 1
        if kind == "cdk":
            text, counts, stack = make_cdk(rng, domain, target)
            if cdk_app is None or cdk_app[1] >= 3 or rng.random() < 0.5:
                app = Path(rng.choice(("cdk", "infra/cdk", f"apps/{team}"))) / f"{domain}-app-{i:05d}"
                cdk_app = (app, 0)
                write(f"{app}/cdk.json", json.dumps({"app": "npx ts-node bin/app.ts", "context": {}}, indent=2), False)
                write(f"{app}/cdk.out/manifest.json", json.dumps({"version": "36.0.0", "artifacts": {}}, indent=2), False)
            app, stacks = cdk_app
            cdk_app = (app, stacks + 1)
            write(f"{app}/cdk.out/{stack}{i:05d}.template.json", text, True)
        elif kind.startswith("sam"):
            text, counts = make_sam(rng, domain, target, "yaml" if kind == "sam-yaml" else "json")
            base = rng.choice((f"services/{team}/{svc}", f"services/{svc}", f"apps/{team}/{svc}/backend"))
            name = "template.yaml" if kind == "sam-yaml" else "template.json"
            if kind == "sam-yaml" and rng.random() < 0.2:
                name = "template.yml"
            write(f"{base}/{name}", text, True)
            if rng.random() < 0.5:
                js = rng.random() < 0.4
                src = (HANDLER_JS if js else HANDLER_PY).format(domain=domain, fn=f"handler{i}")
                write(f"{base}/src/{'index.js' if js else 'app.py'}", src, False)
                write(f"{base}/src/{'package.json' if js else 'requirements.txt'}",
                      '{"name": "%s", "dependencies": {"@aws-sdk/client-dynamodb": "^3.600.0"}}\n' % svc if js
                      else "boto3==1.34.0\naws-lambda-powertools==2.40.0\n", False)
            if rng.random() < 0.08:
                write(f"{base}/openapi.yaml", OPENAPI.format(domain=domain), False)
        else:
            fmt = "yaml" if kind == "cfn-yaml" else "json"
            text, counts = make_cfn(rng, domain, target, fmt)
            ext = ".json" if fmt == "json" else rng.choice((".yaml", ".yml", ".template.yaml", ".cfn.yaml"))
            rel = rng.choice((f"infrastructure/{team}/{svc}{ext}", f"stacks/{domain}/{svc}{ext}",
                              f"cloudformation/{svc}/stack{ext}"))
            write(rel, text, True)
        corpus.counts.add(counts)
    return corpus


# ---------------------------------------------------------------------------
# Handler corpus: synthetic Lambda handler / library source (Python, JS/TS)
# ---------------------------------------------------------------------------
#
# What the handler extractors look at (docs/design/handler-facts.md): secret
# reads (boto3, SDK v2/v3, Powertools, middy, the extension), env reads,
# sinks (log / response / error) reached by a secret, and credential
# literals. About HANDLER_SECRET_RATE of the files do something with secrets;
# the rest is the ordinary business code real repos are mostly made of
# (DynamoDB CRUD handlers, models, validators, utilities). Each secret
# construct records the finding it should produce (by rule), so a run can be
# compared with what was planted; a difference is a note, never a failure.

HANDLER_SECRET_RATE = 0.40  # files that fetch / read / leak secrets
HARDCODED_RATE = 0.03  # files with a credential literal (any kind of file)
LEAK_RATE = 0.30  # secret files that also leak a secret (log / response / error)


def plant_secret_features(rng, s, table, has_handler, *, needs_handler, without_handler, safe_use, leak) -> None:  # type: ignore[no-untyped-def]
    """Give a generated handler 1–3 distinct secret-handling features (weighted
    by `table`), a safe use half the time and a leak at LEAK_RATE. Features
    that need a handler function are swapped for module-level ones in files
    without one. Shared by the Python and JS/TS generators."""
    feats: list = []
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        feat = rng.choices(*zip(*table))[0]
        if not has_handler and feat in needs_handler:
            feat = rng.choice(without_handler)
        if feat not in feats:
            feats.append(feat)
    for feat in feats:
        feat(s)
    if rng.random() < 0.5:
        safe_use(s)
    if rng.random() < LEAK_RATE:
        leak(s, has_handler)
CRUD_SHARE = 0.35  # ordinary files that are DynamoDB handlers (boto3 + env config: the pre-check reads them)
PURE_HANDLER_SHARE = 0.10  # ordinary handlers with no AWS SDK and no env reads
# Files whose ordinary code happens to contain a word the linter's cheap
# pre-check looks for (an author_id field, a tokenize() helper, a next_token
# cursor, a `msg.` variable, a "task-" prefix, an "Asia/Tokyo" time zone):
# they are parsed for nothing. Decided per file, so big files are not hit by
# every block's own chance.
INCIDENTAL_RATE = 0.12
INCIDENTAL_KINDS = ("author", "tokenize", "next_token", "msg", "task", "asia")

_FILL = re.compile(r"<<(\w+)>>")


def fill(text: str, **kw: Any) -> str:
    """`<<name>>` placeholders (Python and JS braces stay as written)."""
    return _FILL.sub(lambda m: str(kw[m.group(1)]), text)


def camel(name: str) -> str:
    parts = re.split(r"[_\-\s]+", name)
    return parts[0].lower() + "".join(p.capitalize() for p in parts[1:])


def pascal(name: str) -> str:
    return "".join(p.capitalize() for p in re.split(r"[_\-\s]+", name))


STATUSES = ("pending", "confirmed", "processing", "shipped", "delivered", "completed", "cancelled", "failed",
            "refunded", "archived", "on_hold", "expired")
FIELD_TYPES: dict[str, str] = {
    "customer_id": "str", "tenant_id": "str", "status": "str", "amount": "Decimal", "currency": "str",
    "quantity": "int", "email": "str", "name": "str", "description": "str", "sku": "str", "created_at": "str",
    "updated_at": "str", "country": "str", "postal_code": "str", "price": "Decimal", "discount": "Decimal",
    "weight_grams": "int", "is_active": "bool", "priority": "int", "version": "int", "notes": "str | None",
    "tags": "list[str]", "author_id": "str", "external_ref": "str", "locale": "str", "due_date": "str",
    "score": "float", "channel": "str", "reference": "str", "line_count": "int",
}
OTHER_FIELDS = tuple(f for f in FIELD_TYPES if f != "author_id")  # author_id only in "author" files
COUNTRIES = ("US", "GB", "DE", "FR", "NL", "SE", "ES", "IT", "IE", "AU", "JP", "CA", "BR", "IN", "SG")
CURRENCIES = ("USD", "EUR", "GBP", "SEK", "JPY", "AUD", "CAD")
TIMEZONES = ("America/New_York", "America/Los_Angeles", "Europe/Dublin", "Europe/Berlin", "Europe/London",
             "Australia/Sydney", "Asia/Tokyo", "Asia/Singapore")
PARTNERS = ("acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka")
# Secret-like env var names (LSL103 when read) and the reference / config ones (no finding).
SECRET_ENV_NAMES = ("STRIPE_API_KEY", "STRIPE_SECRET_KEY", "SENDGRID_API_KEY", "DB_PASSWORD", "JWT_SECRET",
                    "WEBHOOK_SECRET", "PARTNER_TOKEN", "GITHUB_TOKEN", "ENCRYPTION_KEY", "SLACK_BOT_TOKEN",
                    "OPENAI_API_KEY", "CLIENT_SECRET", "REDIS_PASSWORD", "SIGNING_KEY", "ADMIN_PASSWORD")
SECRET_REF_ENV = ("DB_SECRET_ARN", "API_KEY_SECRET_ARN", "PARTNER_SECRET_NAME", "STRIPE_SECRET_ARN",
                  "SIGNING_SECRET_ARN", "WEBHOOK_SECRET_ID")
PARAM_ENV_SECRETISH = ("API_KEY_PARAM", "PARTNER_TOKEN_PARAM", "DB_PASSWORD_PARAM")  # LSL503 when not decrypted
CONFIG_ENV_NAMES = ("TABLE_NAME", "LOG_LEVEL", "POWERTOOLS_SERVICE_NAME", "STAGE", "EVENT_BUS_NAME", "QUEUE_URL",
                    "BUCKET_NAME", "PARTNER_API_URL", "TIMEOUT_MS", "FEATURE_FLAGS_PATH", "AWS_REGION")


def secret_param_name(rng: random.Random, d: str) -> str:
    """A secret-like SSM parameter name (LSL503 when read without decryption)."""
    return rng.choice((f"/prod/{d}/api-key", f"/{d}/partner/api-key", f"/prod/{d}/db-password",
                       f"/{d}/stripe/secret-key", f"/prod/{d}/webhook-secret", f"/{d}/slack/bot-token"))


def config_param_name(rng: random.Random, d: str) -> str:
    return rng.choice((f"/{d}/config/feature-flags", f"/prod/{d}/db-host", f"/{d}/settings/batch-size",
                       f"/prod/{d}/partner-url", f"/{d}/config/allowed-origins"))


def param_is_secretish(expr: str) -> bool:
    """Is an SSM parameter name (a literal, or os.environ[...] / process.env.X
    carrying it) secret-like, as LSL503 judges it? Uses the linter's own name
    vocabulary so a domain such as "auth" is counted the way the rule sees it."""
    from lambda_secrets_lint.secrets.names import is_secret_name, secret_word

    m = re.search(r"""os\.environ\[["'](\w+)["']\]|process\.env\.(\w+)""", expr)
    if m:
        return secret_word(m.group(1) or m.group(2)) is not None
    name = expr.strip("\"'`")
    return is_secret_name(name) or secret_word(name.rstrip("/").rsplit("/", 1)[-1]) is not None


def hardcoded_literal(rng: random.Random) -> tuple[str, str]:
    """(a secret-like name, a credential literal): one LSL205 finding."""
    kind = rng.choice(("github", "stripe", "aws", "slack", "named"))
    if kind == "github":
        return "GITHUB_TOKEN", "ghp_" + rand(rng, ALNUM, 36)
    if kind == "stripe":
        return "STRIPE_KEY", "sk_live_" + rand(rng, ALNUM, 24)
    if kind == "aws":
        return "UPLOADER_ACCESS_KEY", "AKIA" + rand(rng, UPPER_DIGITS, 16)
    if kind == "slack":
        return "SLACK_TOKEN", f"xoxb-{rand(rng, string.digits, 12)}-{rand(rng, string.digits, 13)}-{rand(rng, ALNUM, 24)}"
    return "PARTNER_API_KEY", "pk-" + rand(rng, "0123456789abcdef", 32)


class Src:
    """One source file being generated: imports, module-level code, blocks,
    the handler body, and what was planted."""

    def __init__(self, rng: random.Random, domain: str, ent: str) -> None:
        self.rng = rng
        self.domain = domain
        self.ent = ent
        self.module: list[str] = []  # module-level statements after the imports
        self.blocks: list[str] = []  # functions / classes
        self.body: list[str] = []  # handler body (un-indented lines)
        self.names: set[str] = set()
        self.expected: dict[str, int] = {}
        self.incidental: str | None = rng.choice(INCIDENTAL_KINDS) if rng.random() < INCIDENTAL_RATE else None
        self.values: list[str] = []  # handler-scope expressions holding a secret VALUE
        self.containers: list[str] = []  # handler-scope expressions holding a whole SDK response
        self.size = 0

    def uniq(self, name: str) -> str:
        base, n = name, 2
        while name in self.names:
            name = f"{base}{n}"
            n += 1
        self.names.add(name)
        return name

    def expect(self, rule: str, n: int = 1) -> None:
        self.expected[rule] = self.expected.get(rule, 0) + n

    def add_block(self, text: str) -> None:
        self.blocks.append(text)
        self.size += len(text) + 2

    def model_fields(self) -> list[str]:
        fields = self.rng.sample(OTHER_FIELDS, self.rng.randint(4, 10))
        if self.incidental == "author":
            fields.insert(self.rng.randint(0, len(fields)), "author_id")
        return fields


# -- Python ------------------------------------------------------------------

_PY_STDLIB = frozenset({"__future__", "base64", "dataclasses", "datetime", "decimal", "enum", "functools", "hashlib",
                        "hmac", "itertools", "json", "logging", "os", "random", "re", "time", "typing", "urllib",
                        "uuid", "collections"})


class PySrc(Src):
    def __init__(self, rng: random.Random, domain: str, ent: str) -> None:
        super().__init__(rng, domain, ent)
        self.imports: set[str] = set()
        self.table: str | None = None  # module-level DynamoDB Table variable, when there is one
        self.logger: str | None = None  # module-level logger variable
        self.powertools = False

    def imp(self, *lines: str) -> None:
        self.imports.update(lines)

    def use_logger(self) -> str:
        if self.logger is None:
            if self.powertools or self.rng.random() < 0.5:
                self.powertools = True
                self.imp("from aws_lambda_powertools import Logger")
                self.module.append(f'logger = Logger(service="{self.domain}")')
            else:
                self.imp("import logging")
                self.module.append("logger = logging.getLogger(__name__)")
                self.module.append('logger.setLevel("INFO")')
            self.logger = "logger"
        return self.logger

    def use_table(self) -> str:
        if self.table is None:
            self.imp("import os", "import boto3")
            self.table = "TABLE"
            env = self.rng.choice(("TABLE_NAME", f"{snake(self.ent).upper()}_TABLE_NAME", "TABLE_NAME"))
            self.module.append(f'TABLE = boto3.resource("dynamodb").Table(os.environ["{env}"])')
        return self.table

    def render(self, doc: str) -> str:
        plain = {line for line in self.imports if line.startswith("import ")}
        froms: dict[str, set[str]] = {}
        for line in self.imports - plain:
            mod, _, names = line[5:].partition(" import ")
            froms.setdefault(mod, set()).update(n.strip() for n in names.split(","))
        merged = sorted(plain) + [f"from {m} import {', '.join(sorted(n, key=lambda x: (not x.isupper(), x)))}"
                                  for m, n in sorted(froms.items())]
        groups: tuple[list[str], list[str], list[str]] = ([], [], [])
        for line in merged:
            mod = line.split()[1].split(".")[0]
            groups[0 if mod == "__future__" else 1 if mod in _PY_STDLIB else 2].append(line)
        head = [f'"""{doc}"""']
        for g in groups:
            if g:
                head.append("\n".join(g))
        if self.module:
            head.append("\n".join(self.module))
        parts = ["\n\n".join(head)]
        parts.extend(self.blocks)
        return "\n\n\n".join(parts) + "\n"


def _py_default(t: str) -> str:
    return {"str": '""', "int": "0", "Decimal": 'Decimal("0")', "bool": "False", "float": "0.0",
            "str | None": "None", "list[str]": "field(default_factory=list)"}[t]


def _py_from_item(f: str, t: str) -> str:
    return {"str": f'item.get("{f}", "")', "int": f'int(item.get("{f}", 0))',
            "Decimal": f'Decimal(str(item.get("{f}", "0")))', "bool": f'bool(item.get("{f}", False))',
            "float": f'float(item.get("{f}", 0.0))', "str | None": f'item.get("{f}")',
            "list[str]": f'list(item.get("{f}", []))'}[t]


def py_model(s: PySrc, ent: str) -> str:
    rng = s.rng
    cls = s.uniq(ent + rng.choice(("", "Record", "Model", "Details", "Summary")))
    fields = s.model_fields()
    required = [f for f in fields[: rng.randint(1, 3)]]
    optional = [f for f in fields if f not in required]
    s.imp("from __future__ import annotations", "from dataclasses import dataclass, field", "from typing import Any")
    if any(FIELD_TYPES[f] == "Decimal" for f in fields):
        s.imp("from decimal import Decimal")
    frozen = "(frozen=True)" if rng.random() < 0.3 else ""
    lines = [f"@dataclass{frozen}", f"class {cls}:", f'    """A {snake(ent).replace("_", " ")} as stored in the {s.domain} table."""', "",
             "    id: str"]
    lines += [f"    {f}: {FIELD_TYPES[f]}" for f in required]
    lines += [f"    {f}: {FIELD_TYPES[f]} = {_py_default(FIELD_TYPES[f])}" for f in optional]
    prefix = snake(ent).upper()
    lines += ["", "    def to_item(self) -> dict[str, Any]:", "        return {",
              f'            "pk": f"{prefix}#{{self.id}}",', f'            "sk": "{rng.choice(("META", "PROFILE", "v0", "DETAILS"))}",']
    for f in fields:
        val = f"str(self.{f})" if FIELD_TYPES[f] == "Decimal" else f"self.{f}"
        lines.append(f'            "{f}": {val},')
    lines += ["        }", "", "    @classmethod", f"    def from_item(cls, item: dict[str, Any]) -> {cls}:", "        return cls(",
              '            id=item["pk"].split("#", 1)[-1],']
    lines += [f"            {f}={_py_from_item(f, FIELD_TYPES[f])}," for f in fields]
    lines.append("        )")
    if rng.random() < 0.5:
        keys = ", ".join(f'"{f}"' for f in rng.sample(fields, min(3, len(fields))))
        lines += ["", "    def public_view(self) -> dict[str, Any]:", "        item = self.to_item()",
                  f"        return {{k: item[k] for k in ({keys}) if k in item}} | {{\"id\": self.id}}"]
    return "\n".join(lines)


def py_enum(s: PySrc, ent: str) -> str:
    rng = s.rng
    s.imp("from enum import Enum")
    cls = s.uniq(f"{ent}Status")
    start = rng.randint(0, 2)
    states = list(STATUSES[start: start + rng.randint(4, 7)])
    if "cancelled" not in states:
        states.append("cancelled")
    lines = [f"class {cls}(str, Enum):"] + [f'    {st.upper()} = "{st}"' for st in states]
    table = s.uniq(f"{snake(ent).upper()}_TRANSITIONS")
    lines += ["", "", f"{table}: dict[{cls}, frozenset[{cls}]] = {{"]
    for i, st in enumerate(states[:-1]):
        nxt = [states[i + 1]] + (["cancelled"] if states[i + 1] != "cancelled" else [])
        lines.append(f"    {cls}.{st.upper()}: frozenset({{{', '.join(f'{cls}.{x.upper()}' for x in nxt)}}}),")
    lines.append("}")
    fn = s.uniq(f"can_transition_{snake(ent)}")
    lines += ["", "", f"def {fn}(current: str, target: str) -> bool:",
              f'    """True when a {snake(ent).replace("_", " ")} may move from `current` to `target`."""',
              "    try:", f"        src, dst = {cls}(current), {cls}(target)", "    except ValueError:", "        return False",
              f"    return dst in {table}.get(src, frozenset())"]
    return "\n".join(lines)


def py_validator(s: PySrc, ent: str) -> str:
    rng = s.rng
    s.imp("import re", "from typing import Any", "from decimal import Decimal, InvalidOperation")
    fn = s.uniq(f"validate_{snake(ent)}")
    fields = rng.sample(OTHER_FIELDS, rng.randint(4, 9))
    req = ", ".join(f'"{f}"' for f in fields[:3])
    lines = [f"def {fn}(payload: dict[str, Any]) -> list[str]:",
             f'    """Problems with an incoming {snake(ent).replace("_", " ")} payload; empty when it is valid."""',
             "    errors: list[str] = []", f"    for required in ({req}):", "        if payload.get(required) in (None, \"\"):",
             '            errors.append(f"{required} is required")']
    for f in fields:
        t = FIELD_TYPES[f]
        if t == "Decimal":
            lines += [f'    if "{f}" in payload:', "        try:", f'            if Decimal(str(payload["{f}"])) < 0:',
                      f'                errors.append("{f} must not be negative")', "        except InvalidOperation:",
                      f'            errors.append("{f} is not a number")']
        elif t == "int":
            hi = rng.choice((100, 1000, 10_000, 1_000_000))
            lines += [f'    if "{f}" in payload and not (isinstance(payload["{f}"], int) and 0 <= payload["{f}"] <= {hi}):',
                      f'        errors.append("{f} must be an integer between 0 and {hi}")']
        elif f == "email":
            lines += ['    if "email" in payload and not _EMAIL.fullmatch(str(payload["email"])):',
                      '        errors.append("email is not a valid address")']
            if "_EMAIL = " not in "\n".join(s.module):
                s.module.append(r'_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.IGNORECASE)')
        elif f == "country":
            lines += [f'    if "country" in payload and payload["country"] not in {{{", ".join(repr(c) for c in rng.sample(COUNTRIES, 6))}}}:',
                      '        errors.append("country is not supported")']
        elif f == "currency":
            lines += [f'    if payload.get("currency", "{CURRENCIES[0]}") not in {CURRENCIES!r}:',
                      '        errors.append("currency is not supported")']
        elif t == "str":
            n = rng.choice((64, 128, 256, 1024))
            lines += [f'    if len(str(payload.get("{f}", ""))) > {n}:', f'        errors.append("{f} is longer than {n} characters")']
        elif t == "list[str]":
            lines += [f'    if not isinstance(payload.get("{f}", []), list):', f'        errors.append("{f} must be a list")']
    lines.append("    return errors")
    return "\n".join(lines)


def py_normalize(s: PySrc, ent: str) -> str:
    rng = s.rng
    s.imp("from typing import Any")
    fn = s.uniq(f"normalize_{snake(ent)}")
    text_fields = ", ".join(f'"{f}"' for f in rng.sample(("name", "description", "notes", "reference", "channel"), 2))
    return fill('''def <<fn>>(raw: dict[str, Any]) -> dict[str, Any]:
    """Trim, case-fold and default the fields of a <<what>> before it is stored."""
    out = {k: v for k, v in raw.items() if v is not None}
    for key in (<<text_fields>>):
        if isinstance(out.get(key), str):
            out[key] = " ".join(out[key].split())
    if "email" in out:
        out["email"] = str(out["email"]).strip().lower()
    if "country" in out:
        out["country"] = str(out["country"]).strip().upper()[:2]
    out["tags"] = sorted({str(t).strip().lower() for t in out.get("tags", []) if str(t).strip()})
    out.setdefault("currency", "<<cur>>")
    out.setdefault("status", "<<status>>")
    return out''', fn=fn, what=snake(ent).replace("_", " "), text_fields=text_fields, cur=rng.choice(CURRENCIES),
                status=rng.choice(STATUSES[:3]))


def py_dates(s: PySrc, ent: str) -> str:
    rng = s.rng
    s.imp("from datetime import date, datetime, timedelta, timezone")
    p = s.uniq("parse_timestamp")
    b = s.uniq("add_business_days")
    hol = s.uniq("HOLIDAYS")
    year = rng.choice((2024, 2025))
    text = fill('''<<hol>> = frozenset({date(<<y>>, 1, 1), date(<<y>>, 12, 25), date(<<y>>, 12, 26)})


def <<p>>(value: str | int | float | None) -> datetime | None:
    """Parse an ISO-8601 string or epoch seconds into an aware UTC datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, tz=timezone.utc)
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def <<b>>(start: date, days: int) -> date:
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in <<hol>>:
            days -= 1
    return current''', hol=hol, y=year, p=p, b=b)
    if rng.random() < 0.3 or s.incidental == "asia":
        tz = s.uniq("REGION_TIMEZONES")
        zones = TIMEZONES if s.incidental == "asia" else [z for z in TIMEZONES if not z.startswith("Asia/")]
        pairs = ", ".join(f'"{r}": "{z}"' for r, z in zip(REGIONS, rng.choices(zones, k=len(REGIONS))))
        text += f"\n\n\n{tz} = {{{pairs}}}"
    return text


def py_batch(s: PySrc, ent: str) -> str:
    s.imp("from collections.abc import Callable, Iterable, Iterator", "from typing import Any, TypeVar")
    if "T = TypeVar" not in "\n".join(s.module):
        s.module.append('T = TypeVar("T")')
    c, d, g = s.uniq("chunked"), s.uniq("unique_by"), s.uniq("group_by")
    return fill('''def <<c>>(items: Iterable[T], size: int = 25) -> Iterator[list[T]]:
    """Yield lists of at most `size` items (BatchWriteItem takes 25)."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def <<d>>(items: Iterable[T], key: Callable[[T], Any]) -> list[T]:
    seen: set[Any] = set()
    out: list[T] = []
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


def <<g>>(items: Iterable[T], key: Callable[[T], Any]) -> dict[Any, list[T]]:
    groups: dict[Any, list[T]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return groups''', c=c, d=d, g=g)


def py_money(s: PySrc, ent: str) -> str:
    s.imp("from decimal import ROUND_HALF_UP, Decimal")
    q, f, a, sp = s.uniq("quantize"), s.uniq("format_money"), s.uniq("apply_discount"), s.uniq("split_evenly")
    return fill('''def <<q>>(amount: Decimal, currency: str = "<<cur>>") -> Decimal:
    exponent = Decimal("1") if currency in ("JPY", "KRW") else Decimal("0.01")
    return amount.quantize(exponent, rounding=ROUND_HALF_UP)


def <<f>>(amount: Decimal, currency: str = "<<cur>>") -> str:
    symbol = {"USD": "$", "EUR": "\\u20ac", "GBP": "\\u00a3"}.get(currency, currency + " ")
    return f"{symbol}{<<q>>(amount, currency):,}"


def <<a>>(amount: Decimal, percent: Decimal) -> Decimal:
    if not Decimal("0") <= percent <= Decimal("100"):
        raise ValueError("discount percent out of range")
    return <<q>>(amount * (Decimal("100") - percent) / Decimal("100"))


def <<sp>>(total: Decimal, parts: int) -> list[Decimal]:
    """Split `total` into `parts` amounts that add up exactly (cents go to the first ones)."""
    cents = int(total * 100)
    base, rest = divmod(cents, parts)
    return [Decimal(base + (1 if i < rest else 0)) / 100 for i in range(parts)]''',
                q=q, f=f, a=a, sp=sp, cur=s.rng.choice(CURRENCIES))


def py_retry(s: PySrc, ent: str) -> str:
    s.imp("import functools", "import random", "import time", "from collections.abc import Callable", "from typing import Any")
    err, deco = s.uniq("TransientError"), s.uniq("with_retries")
    return fill('''class <<err>>(Exception):
    """A failure worth retrying (throttling, timeouts, 5xx from a partner)."""


def <<deco>>(attempts: int = <<n>>, base_delay: float = <<delay>>) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for attempt in range(1, attempts + 1):
                try:
                    return fn(*args, **kwargs)
                except <<err>>:
                    if attempt == attempts:
                        raise
                    time.sleep(base_delay * 2 ** (attempt - 1) + random.uniform(0, base_delay))
            return None

        return wrapper

    return decorate''', err=err, deco=deco, n=s.rng.randint(2, 5), delay=s.rng.choice((0.1, 0.2, 0.5)))


def py_response(s: PySrc, ent: str) -> str:
    s.imp("import json", "from datetime import date, datetime", "from decimal import Decimal", "from typing import Any")
    jd, resp, api = s.uniq("_json_default"), s.uniq("respond"), s.uniq("ApiError")
    s.names.add("respond")
    return fill('''def <<jd>>(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def <<resp>>(status: int, body: Any, headers: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json", "Access-Control-Allow-Origin": "<<origin>>", **(headers or {})},
        "body": json.dumps(body, default=<<jd>>),
    }


class <<api>>(Exception):
    def __init__(self, status: int, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details or []

    def to_response(self) -> dict[str, Any]:
        return <<resp>>(self.status, {"message": self.message, "details": self.details})''',
                jd=jd, resp=resp, api=api, origin=f"https://app.{s.domain}.example.com")


def py_crud(s: PySrc, ent: str) -> str:
    t = s.use_table()
    s.imp("from typing import Any", "from boto3.dynamodb.conditions import Key", "from botocore.exceptions import ClientError")
    e, E = snake(ent), snake(ent).upper()
    g, p, u, d, q = (s.uniq(f"get_{e}"), s.uniq(f"put_{e}"), s.uniq(f"update_{e}_status"), s.uniq(f"delete_{e}"),
                     s.uniq(f"list_{e}s_for_customer"))
    return fill('''def <<g>>(<<e>>_id: str) -> dict[str, Any] | None:
    resp = <<t>>.get_item(Key={"pk": f"<<E>>#{<<e>>_id}", "sk": "META"}, ConsistentRead=True)
    return resp.get("Item")


def <<p>>(item: dict[str, Any]) -> None:
    try:
        <<t>>.put_item(Item=item, ConditionExpression="attribute_not_exists(pk)")
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
            raise ValueError(f"<<e>> {item['pk']} already exists") from exc
        raise


def <<u>>(<<e>>_id: str, status: str, expected_version: int) -> dict[str, Any]:
    resp = <<t>>.update_item(
        Key={"pk": f"<<E>>#{<<e>>_id}", "sk": "META"},
        UpdateExpression="SET #s = :s, #v = #v + :one, updated_at = :now",
        ConditionExpression="#v = :expected",
        ExpressionAttributeNames={"#s": "status", "#v": "version"},
        ExpressionAttributeValues={":s": status, ":one": 1, ":expected": expected_version, ":now": _now_iso()},
        ReturnValues="ALL_NEW",
    )
    return resp["Attributes"]


def <<d>>(<<e>>_id: str) -> None:
    <<t>>.delete_item(Key={"pk": f"<<E>>#{<<e>>_id}", "sk": "META"})


def <<q>>(customer_id: str, limit: int = <<lim>>) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {
        "IndexName": "gsi1",
        "KeyConditionExpression": Key("gsi1pk").eq(f"CUSTOMER#{customer_id}") & Key("sk").begins_with("<<E>>#"),
        "Limit": limit,
    }
    while True:
        resp = <<t>>.query(**kwargs)
        items.extend(resp.get("Items", []))
        if "LastEvaluatedKey" not in resp or len(items) >= limit:
            return items[:limit]
        kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]''',
                g=g, p=p, u=u, d=d, q=q, t=t, e=e, E=E, lim=s.rng.choice((25, 50, 100)))


def py_now(s: PySrc) -> None:
    if "_now_iso" not in s.names:
        s.names.add("_now_iso")
        s.imp("from datetime import datetime, timezone")
        s.add_block('def _now_iso() -> str:\n    return datetime.now(timezone.utc).isoformat(timespec="seconds")')


def py_cursor(s: PySrc, ent: str) -> str:
    s.imp("import base64", "import json", "from typing import Any")
    word = "next_token" if s.incidental == "next_token" else s.rng.choice(("cursor", "page_key"))  # "token": a pre-check hit
    enc, dec = s.uniq(f"encode_{word}"), s.uniq(f"decode_{word}")
    return fill('''def <<enc>>(last_key: dict[str, Any] | None) -> str | None:
    """Opaque pagination <<w>> for API clients (a base64 LastEvaluatedKey)."""
    if not last_key:
        return None
    return base64.urlsafe_b64encode(json.dumps(last_key, separators=(",", ":")).encode()).decode()


def <<dec>>(value: str | None) -> dict[str, Any] | None:
    if not value:
        return None
    try:
        return json.loads(base64.urlsafe_b64decode(value.encode()))
    except (ValueError, json.JSONDecodeError):
        raise ValueError("invalid pagination <<w>>") from None''', enc=enc, dec=dec, w=word.replace("_", " "))


def py_records(s: PySrc, ent: str) -> str:
    s.imp("import json", "from typing import Any")
    fn = s.uniq(f"process_{snake(ent)}_records")
    one = s.uniq(f"handle_{snake(ent)}_message")
    var = "msg" if s.incidental == "msg" else "record"  # msg.get(...): the pre-check's SG\. pattern matches it
    return fill('''def <<one>>(message: dict[str, Any]) -> None:
    kind = message.get("type", "unknown")
    if kind not in (<<kinds>>):
        raise ValueError(f"unsupported message type {kind!r}")
    if not message.get("id"):
        raise ValueError("message without id")


def <<fn>>(records: list[dict[str, Any]]) -> dict[str, list[dict[str, str]]]:
    """SQS partial batch response: only the failed messages are retried."""
    failures: list[dict[str, str]] = []
    for <<v>> in records:
        try:
            body = json.loads(<<v>>.get("body") or "{}")
            <<one>>(body)
        except (ValueError, KeyError):
            failures.append({"itemIdentifier": <<v>>["messageId"]})
    return {"batchItemFailures": failures}''', one=one, fn=fn, v=var,
                kinds=", ".join(f'"{snake(s.ent)}.{x}"' for x in s.rng.sample(("created", "updated", "deleted", "synced"), 3)))


def py_service(s: PySrc, ent: str) -> str:
    s.imp("from typing import Any, Protocol")
    e = snake(ent)
    repo, svc = s.uniq(f"{ent}Repository"), s.uniq(f"{ent}Service")
    return fill('''class <<repo>>(Protocol):
    def get(self, key: str) -> dict[str, Any] | None: ...

    def put(self, item: dict[str, Any]) -> None: ...


class <<svc>>:
    """Business rules for <<e>>s; storage is injected so tests can use a dict."""

    def __init__(self, repository: <<repo>>, max_items: int = <<mx>>) -> None:
        self.repository = repository
        self.max_items = max_items

    def create(self, <<e>>_id: str, lines: list[dict[str, Any]]) -> dict[str, Any]:
        if not lines:
            raise ValueError("at least one line is required")
        if len(lines) > self.max_items:
            raise ValueError(f"at most {self.max_items} lines")
        total = sum(int(line.get("quantity", 1)) * int(line.get("unit_price_cents", 0)) for line in lines)
        item = {"id": <<e>>_id, "lines": lines, "total_cents": total, "status": "pending", "version": 1}
        self.repository.put(item)
        return item

    def cancel(self, <<e>>_id: str) -> dict[str, Any]:
        item = self.repository.get(<<e>>_id)
        if item is None:
            raise KeyError(<<e>>_id)
        if item["status"] in ("shipped", "delivered", "cancelled"):
            raise ValueError(f"cannot cancel a {item['status']} <<e>>")
        item = {**item, "status": "cancelled", "version": item["version"] + 1}
        self.repository.put(item)
        return item

    def summary(self, <<e>>_id: str) -> dict[str, Any]:
        item = self.repository.get(<<e>>_id) or {}
        return {"id": <<e>>_id, "status": item.get("status", "unknown"), "lines": len(item.get("lines", []))}''',
                repo=repo, svc=svc, e=e, mx=s.rng.choice((50, 100, 500)))


def py_constants(s: PySrc, ent: str) -> str:
    rng = s.rng
    E = snake(ent).upper()
    labels = ", ".join(f'"{st}": "{st.replace("_", " ").capitalize()}"' for st in rng.sample(STATUSES, 5))
    rows = [f"{s.uniq(f'{E}_STATUS_LABELS')} = {{{labels}}}",
            f"{s.uniq(f'{E}_PAGE_SIZE')} = {rng.choice((10, 20, 25, 50))}",
            f"{s.uniq(f'MAX_{E}_BATCH')} = {rng.choice((10, 25, 100))}",
            f"{s.uniq(f'{E}_SUPPORTED_COUNTRIES')} = frozenset({{{', '.join(repr(c) for c in rng.sample(COUNTRIES, 7))}}})",
            f"{s.uniq(f'{E}_EVENT_SOURCE')} = \"com.example.{s.domain}\"",
            f"{s.uniq(f'{E}_RETENTION_DAYS')} = {rng.choice((30, 90, 365))}"]
    if s.incidental == "task":
        rows.append(f"{s.uniq(f'{E}_TASK_PREFIX')} = \"task-{kebab(ent)}\"")  # "sk-": the pre-check matches it
    return "\n".join(rows)


def py_search(s: PySrc, ent: str) -> str:
    s.imp("import re")
    tok = s.uniq("tokenize")  # the word "token": a pre-check hit in code that has nothing to do with secrets
    idx = s.uniq("build_search_terms")
    return fill('''_WORD_RE = re.compile(r"[a-z0-9]+")
_STOP = frozenset({"a", "an", "and", "the", "of", "for", "with", "to", "in"})


def <<tok>>(text: str) -> list[str]:
    return [w for w in _WORD_RE.findall(text.lower()) if w not in _STOP]


def <<idx>>(item: dict[str, object]) -> list[str]:
    terms: set[str] = set()
    for key in ("name", "description", "sku"):
        value = item.get(key)
        if isinstance(value, str):
            terms.update(<<tok>>(value))
    return sorted(terms)[:50]''', tok=tok, idx=idx)


PY_BLOCKS: tuple[tuple[Callable[[PySrc, str], str], int], ...] = (
    (py_model, 10), (py_enum, 4), (py_validator, 8), (py_normalize, 5), (py_dates, 3), (py_batch, 3), (py_money, 3),
    (py_retry, 2), (py_service, 5), (py_constants, 4), (py_records, 4), (py_cursor, 2),
)
PY_DB_BLOCKS: tuple[tuple[Callable[[PySrc, str], str], int], ...] = ((py_crud, 6),)


def py_fill(s: PySrc, target: int, db: bool) -> None:
    """Business blocks until the file reaches `target` bytes."""
    pool = PY_BLOCKS + (PY_DB_BLOCKS if db else ())
    funcs, weights = zip(*pool)
    if s.incidental:  # the block that carries the incidental word comes first, whatever the size
        first = {"author": py_model, "tokenize": py_search, "next_token": py_cursor, "msg": py_records,
                 "task": py_constants, "asia": py_dates}[s.incidental]
        s.add_block(first(s, s.rng.choice(ENTITIES)))
    while s.size < target:
        fn = s.rng.choices(funcs, weights)[0]
        if fn is py_crud:
            py_now(s)
        s.add_block(fn(s, s.rng.choice(ENTITIES)))


# Python secret constructs. Each adds code to the module / blocks / handler
# body, records the finding it should produce, and exposes the secret as a
# handler-scope expression (s.values) or a whole response (s.containers).


def _py_client(s: PySrc, service: str) -> str:
    var = {"secretsmanager": "_secrets", "ssm": "_ssm"}[service]
    if var not in s.names:
        s.names.add(var)
        s.imp("import boto3")
        r = s.rng.random()
        if r < 0.6:
            s.module.append(f'{var} = boto3.client("{service}")')
        elif r < 0.8:
            s.imp("import os")
            s.module.append(f'{var} = boto3.client("{service}", region_name=os.environ.get("AWS_REGION", "{s.rng.choice(REGIONS)}"))')
        else:
            s.module.append(f'{var} = boto3.session.Session().client(service_name="{service}")')
    return var


def _py_secret_id(s: PySrc) -> str:
    r = s.rng.random()
    s.imp("import os")
    if r < 0.6:
        return f'os.environ["{s.rng.choice(SECRET_REF_ENV)}"]'
    if r < 0.75:
        return f'os.environ.get("{s.rng.choice(SECRET_REF_ENV)}", "prod/{s.domain}/db")'
    if r < 0.9:
        return f'"prod/{s.domain}/{s.rng.choice(("db", "partner", "stripe", "api"))}"'
    return f'f"{{os.environ.get(\'STAGE\', \'dev\')}}/{s.domain}/{s.rng.choice(("db", "partner"))}"'


def py_sm_module(s: PySrc) -> None:
    """A raw Secrets Manager read at module level: cached forever (LSL502)."""
    c = _py_client(s, "secretsmanager")
    s.imp("import json")
    var = s.uniq(s.rng.choice(("DB_CREDENTIALS", "PARTNER_CONFIG", "_SETTINGS")))
    s.module.append(f'{var} = json.loads({c}.get_secret_value(SecretId={_py_secret_id(s)})["SecretString"])')
    s.expect("LSL502")
    s.values.append(f'{var}["{s.rng.choice(("password", "api_key", "client_secret"))}"]')


def py_sm_handler(s: PySrc) -> None:
    """A raw Secrets Manager read in the handler: fetched per invocation (LSL501)."""
    c = _py_client(s, "secretsmanager")
    s.imp("import json")
    resp, val = s.uniq("secret_resp"), s.uniq(s.rng.choice(("api_key", "partner_key", "password")))
    s.body += [f"{resp} = {c}.get_secret_value(SecretId={_py_secret_id(s)})",
               f'{val} = json.loads({resp}["SecretString"])["{s.rng.choice(("api_key", "password", "token"))}"]']
    s.expect("LSL501")
    s.values.append(val)
    s.containers.append(resp)


def py_ssm(s: PySrc) -> None:
    """A raw SSM read in a helper or the handler (LSL501; LSL503 for a secret-like name without decryption)."""
    rng = s.rng
    c = _py_client(s, "ssm")
    if rng.random() < 0.7:
        name = f'"{secret_param_name(rng, s.domain)}"' if rng.random() < 0.7 else f'os.environ["{rng.choice(PARAM_ENV_SECRETISH)}"]'
    else:
        name = f'"{config_param_name(rng, s.domain)}"'
    secretish = param_is_secretish(name)
    if "os.environ" in name:
        s.imp("import os")
    dec = rng.choices(("True", None, "False"), (6, 3, 1))[0]
    args = f"Name={name}" + (f", WithDecryption={dec}" if dec else "")
    s.expect("LSL501")
    if secretish and dec != "True":
        s.expect("LSL503")
    if rng.random() < 0.5:
        fn = s.uniq(rng.choice(("_load_api_key", "_partner_key", "_fetch_parameter")))
        s.add_block(f'def {fn}() -> str:\n    resp = {c}.get_parameter({args})\n    return resp["Parameter"]["Value"]')
        var = s.uniq("param_value")
        s.body.append(f"{var} = {fn}()")
    else:
        resp, var = s.uniq("param"), s.uniq("param_value")
        s.body += [f"{resp} = {c}.get_parameter({args})", f'{var} = {resp}["Parameter"]["Value"]']
        if secretish or dec == "True":  # a plain config read without decryption is clean (still a read)
            s.containers.append(resp)
    if secretish:
        s.values.append(var)


def py_lazy(s: PySrc) -> None:
    """Fetch once into a global: forever (LSL502), or with a timestamp check (TTL, no finding)."""
    c = _py_client(s, "secretsmanager")
    s.imp("import os")
    g = s.uniq(s.rng.choice(("_API_KEY", "_SIGNING_SECRET", "_CACHED_SECRET")))
    fn = s.uniq(s.rng.choice(("get_api_key", "signing_secret", "_secret_value")))
    sid = f'os.environ["{s.rng.choice(SECRET_REF_ENV)}"]'
    if s.rng.random() < 0.6:
        s.module.append(f"{g}: str | None = None")
        s.add_block(fill('''def <<fn>>() -> str:
    global <<g>>
    if <<g>> is None:
        <<g>> = <<c>>.get_secret_value(SecretId=<<sid>>)["SecretString"]
    return <<g>>''', fn=fn, g=g, c=c, sid=sid))
        s.expect("LSL502")
    else:
        s.imp("import time")
        s.module += [f"{g}: str | None = None", f"{g}_AT = 0.0", f"{g}_TTL_SECONDS = {s.rng.choice((60, 300, 900))}"]
        s.add_block(fill('''def <<fn>>() -> str:
    global <<g>>, <<g>>_AT
    if <<g>> is None or time.monotonic() - <<g>>_AT > <<g>>_TTL_SECONDS:
        <<g>> = <<c>>.get_secret_value(SecretId=<<sid>>)["SecretString"]
        <<g>>_AT = time.monotonic()
    return <<g>>''', fn=fn, g=g, c=c, sid=sid))
    s.values.append(f"{fn}()")


def py_lru(s: PySrc) -> None:
    """@lru_cache around a raw read: forever (LSL502); cachetools TTLCache: TTL (no finding)."""
    c = _py_client(s, "secretsmanager")
    s.imp("import json", "import os")
    fn = s.uniq(s.rng.choice(("_db_credentials", "_partner_credentials", "_load_secret")))
    sid = f'os.environ["{s.rng.choice(SECRET_REF_ENV)}"]'
    if s.rng.random() < 0.65:
        if s.rng.random() < 0.5:
            s.imp("from functools import lru_cache")
            deco = "@lru_cache(maxsize=1)"
        else:
            s.imp("import functools")
            deco = "@functools.cache"
        s.expect("LSL502")
    else:
        s.imp("from cachetools import TTLCache, cached")
        deco = f"@cached(cache=TTLCache(maxsize=8, ttl={s.rng.choice((120, 300, 600))}))"
    s.add_block(f'{deco}\ndef {fn}() -> dict[str, str]:\n    raw = {c}.get_secret_value(SecretId={sid})["SecretString"]\n    return json.loads(raw)')
    s.values.append(f'{fn}()["{s.rng.choice(("password", "api_key", "client_secret"))}"]')


def py_powertools(s: PySrc) -> None:
    """Powertools parameters: cached by max_age (no finding), except max_age=0 (LSL501)
    and get_parameter of a secret-like name without decrypt=True (LSL503)."""
    rng = s.rng
    s.powertools = True
    alias = "parameters"
    if rng.random() < 0.8:
        s.imp("from aws_lambda_powertools.utilities import parameters")
    else:
        s.imp("from aws_lambda_powertools.utilities import parameters as params")
        alias = "params"
    var = s.uniq(rng.choice(("api_key", "stripe_key", "db_secret", "webhook_secret")))
    r = rng.random()
    if r < 0.5:
        s.imp("import os")
        age = rng.choice(("max_age=300", "max_age=60", "max_age=900", ""))
        args = f'os.environ["{rng.choice(SECRET_REF_ENV)}"]' + (f", {age}" if age else "")
        call = f"{alias}.get_secret({args})"
    elif r < 0.8:
        name = secret_param_name(rng, s.domain) if rng.random() < 0.7 else config_param_name(rng, s.domain)
        secretish = param_is_secretish(name)
        dec = rng.random() < 0.6
        call = f'{alias}.get_parameter("{name}"{", decrypt=True" if dec else ""}, max_age={rng.choice((60, 300, 600))})'
        if secretish and not dec:
            s.expect("LSL503")
        if not secretish:
            s.body.append(f"{var} = {call}")
            return
    elif r < 0.9:
        s.imp("import os")
        call = f'{alias}.get_secret(os.environ["{rng.choice(SECRET_REF_ENV)}"], max_age=0)'
        s.expect("LSL501")
    else:
        prov = s.uniq("secrets_provider")
        s.module.append(f"{prov} = {alias}.SecretsProvider()")
        call = f'{prov}.get("prod/{s.domain}/partner", max_age={rng.choice((120, 300))})'
    if rng.random() < 0.3 and "max_age=0" not in call:
        mod = s.uniq(var.upper())
        s.module.append(f"{mod} = {call}")  # module level: init phase, still cached by Powertools
        s.values.append(mod)
    else:
        s.body.append(f"{var} = {call}")
        s.values.append(var)


def py_extension(s: PySrc) -> None:
    """The Parameters and Secrets extension over HTTP: cached by the extension (no finding)."""
    s.imp("import json", "import os", "import urllib.request", "from urllib.parse import quote")
    fn = s.uniq("_secret_from_extension")
    if s.rng.random() < 0.5:
        url = 'f"http://localhost:2773/secretsmanager/get?secretId={quote(secret_id)}"'
    else:
        s.module.append('_EXTENSION_PORT = os.environ.get("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", "2773")')
        url = 'f"http://localhost:{_EXTENSION_PORT}/secretsmanager/get?secretId={quote(secret_id)}"'
    s.add_block(fill('''def <<fn>>(secret_id: str) -> dict[str, str]:
    req = urllib.request.Request(<<url>>, headers={"X-Aws-Parameters-Secrets-Token": os.environ["AWS_SESSION_TOKEN"]})
    with urllib.request.urlopen(req, timeout=2) as resp:
        return json.loads(json.loads(resp.read())["SecretString"])''', fn=fn, url=url))
    var = s.uniq("partner_secret")
    s.body.append(f'{var} = {fn}(os.environ["{s.rng.choice(SECRET_REF_ENV)}"])["api_key"]')
    s.values.append(var)


def py_env_secret(s: PySrc) -> None:
    """A secret-like env var read (LSL103), plus some config reads (no finding)."""
    rng = s.rng
    s.imp("import os")
    name = rng.choice(SECRET_ENV_NAMES)
    var = s.uniq(name)
    form = rng.choice((f'os.environ["{name}"]', f'os.environ.get("{name}")', f'os.getenv("{name}", "")'))
    s.module.append(f"{var} = {form}")
    s.expect("LSL103")
    s.values.append(var)
    py_env_config(s)


_ENV_DEFAULTS = {"LOG_LEVEL": "INFO", "STAGE": "dev", "TIMEOUT_MS": "3000", "AWS_REGION": "us-east-1"}


def py_env_config(s: PySrc) -> None:
    s.imp("import os")
    for name in s.rng.sample(CONFIG_ENV_NAMES, s.rng.randint(1, 3)):
        var = s.uniq(name)
        if name in _ENV_DEFAULTS:
            s.module.append(f'{var} = os.environ.get("{name}", "{_ENV_DEFAULTS[name]}")')
        else:
            s.module.append(f'{var} = os.environ["{name}"]')


def _py_local(s: PySrc, v: str) -> str:
    """A plain name for a secret expression (nested quotes in f-strings need Python 3.12)."""
    if v.isidentifier():
        return v
    tmp = s.uniq("secret_value")
    s.body.append(f"{tmp} = {v}")
    return tmp


def py_safe_use(s: PySrc) -> None:
    """Uses that are not leaks: hmac, auth header, length / hash in logs."""
    if not s.values:
        return
    v = s.rng.choice(s.values)
    r = s.rng.random()
    if r < 0.35:
        s.imp("import hashlib", "import hmac")
        s.body += ['signature = (event.get("headers") or {}).get("x-signature", "")',
                   f'expected = hmac.new(str({v}).encode(), (event.get("body") or "").encode(), hashlib.sha256).hexdigest()',
                   "if not hmac.compare_digest(signature, expected):",
                   '    return {"statusCode": 401, "body": "invalid signature"}']
    elif r < 0.7:
        s.imp("import urllib.request", "import json")
        v = _py_local(s, v)
        s.body += [f'partner_req = urllib.request.Request("https://api.{s.rng.choice(PARTNERS)}.com/v2/{kebab(s.ent)}s",',
                   f'                                     headers={{"Authorization": f"Bearer {{{v}}}", "Content-Type": "application/json"}})',
                   "with urllib.request.urlopen(partner_req, timeout=5) as partner_resp:",
                   "    partner_data = json.loads(partner_resp.read())"]
    else:
        lg = s.use_logger()
        s.imp("import hashlib")
        s.body.append(f'{lg}.info("credentials loaded", extra={{"length": len({v}), "sha": hashlib.sha256(str({v}).encode()).hexdigest()[:8]}})')


def py_leak(s: PySrc, in_handler: bool) -> None:
    """One leak: a secret logged (LSL201), a response logged (LSL203), the
    environment logged (LSL202), or a secret in an error / the response (LSL204)."""
    rng = s.rng
    kinds = ["env"] + (["container"] if s.containers else [])
    if s.values:
        kinds += ["log", "log", "log", "error"] + (["response"] if in_handler else [])
    kind = rng.choice(kinds)
    if kind == "log":
        v = rng.choice(s.values)
        r = rng.random()
        if r < 0.5:
            lg = s.use_logger()
            s.body.append(f'{lg}.info("partner client configured", extra={{"api_key": {v}}})')
        elif r < 0.8:
            v = _py_local(s, v)
            s.body.append(f'print(f"using credentials {{{v}}}")')
        else:
            s.imp("import logging")
            s.body.append(f'logging.debug("secret value: %s", {v})')
        s.expect("LSL201")
    elif kind == "container":
        lg = s.use_logger()
        s.body.append(f'{lg}.debug("fetched", extra={{"response": {rng.choice(s.containers)}}})')
        s.expect("LSL203")
    elif kind == "env":
        s.imp("import os")
        if rng.random() < 0.5:
            s.body.append("print(os.environ)")
        else:
            s.imp("import json")
            lg = s.use_logger()
            s.body.append(f'{lg}.debug("environment: %s", json.dumps(dict(os.environ)))')
        s.expect("LSL202")
    elif kind == "error":
        v = _py_local(s, rng.choice(s.values))
        s.body += ['if event.get("dryRun") is False and not event.get("id"):',
                   f'    raise RuntimeError(f"partner rejected the request made with key {{{v}}}")']
        s.expect("LSL204")
    else:  # response
        s.imp("import json")
        v = rng.choice(s.values)
        s.body += ['if event.get("debug"):', f'    return {{"statusCode": 200, "body": json.dumps({{"token": {v}}})}}']
        s.expect("LSL204")


PY_SECRET_FEATURES: tuple[tuple[Callable[[PySrc], None], int], ...] = (
    (py_sm_module, 8), (py_sm_handler, 10), (py_ssm, 10), (py_lazy, 6), (py_lru, 4), (py_powertools, 16),
    (py_extension, 3), (py_env_secret, 12),
)


def py_hardcoded(s: PySrc) -> None:
    name, value = hardcoded_literal(s.rng)
    name = s.uniq(name)
    if s.rng.random() < 0.7:
        s.module.append(f'{name} = "{value}"')
    else:
        s.module.append(f'{s.uniq("PARTNER_SETTINGS")} = {{"base_url": "https://api.{s.rng.choice(PARTNERS)}.com", '
                        f'"{camel(name.lower())}": "{value}"}}')
    s.expect("LSL205")


# -- Python files -------------------------------------------------------------

_PY_API_DISPATCH = '''method = event.get("httpMethod") or event.get("requestContext", {}).get("http", {}).get("method", "GET")
path_params = event.get("pathParameters") or {}
<<e>>_id = path_params.get("id")
try:
    if method == "GET" and <<e>>_id:
        item = <<get>>(<<e>>_id)
        if item is None:
            return <<respond>>(404, {"message": "<<e>> not found"})
        return <<respond>>(200, item)
    if method == "POST":
        payload = json.loads(event.get("body") or "{}")
        errors = <<validate>>(payload)
        if errors:
            return <<respond>>(400, {"message": "invalid <<e>>", "errors": errors})
        <<put>>({"pk": f"<<E>>#{payload['id']}", "sk": "META", **payload})
        return <<respond>>(201, {"id": payload["id"]})
    if method == "DELETE" and <<e>>_id:
        <<delete>>(<<e>>_id)
        return <<respond>>(204, {})
except ValueError as exc:
    return <<respond>>(409, {"message": str(exc)})
return <<respond>>(405, {"message": f"{method} not allowed"})'''


def _py_handler_def(s: PySrc, decorated: bool) -> list[str]:
    rng = s.rng
    name = rng.choice(("lambda_handler", "lambda_handler", "handler", f"{snake(s.ent)}_handler", "main"))
    lines: list[str] = []
    if decorated:
        s.powertools = True
        lg = s.use_logger()
        s.imp("from aws_lambda_powertools import Tracer", "from aws_lambda_powertools.utilities.typing import LambdaContext",
              "from typing import Any")
        if "tracer" not in s.names:
            s.names.add("tracer")
            s.module.append("tracer = Tracer()")
        if lg == "logger" and "from aws_lambda_powertools import Logger" in s.imports:
            lines.append("@logger.inject_lambda_context(log_event=False)")
        lines.append("@tracer.capture_lambda_handler")
        lines.append(f"def {name}(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:")
    else:
        lines.append(f"def {name}(event, context):")
    return lines


def make_py_file(rng: random.Random, domain: str, role: str, target: int, secret: bool, hardcoded: bool) -> tuple[str, PySrc]:
    """role: "api" | "sqs" | "task" (handlers) or "lib" (no handler)."""
    ent = rng.choice(ENTITIES)
    s = PySrc(rng, domain, ent)
    has_handler = role != "lib"
    if secret:
        plant_secret_features(
            rng, s, PY_SECRET_FEATURES, has_handler,
            needs_handler=(py_sm_handler, py_ssm, py_powertools, py_extension),
            without_handler=(py_sm_module, py_lazy, py_lru, py_env_secret),
            safe_use=py_safe_use, leak=py_leak,
        )
    if hardcoded:
        py_hardcoded(s)
    e = snake(ent)
    respond = None
    if role == "api":
        s.imp("import json", "from __future__ import annotations")
        py_now(s)
        get_, put_, del_ = f"get_{e}", f"put_{e}", f"delete_{e}"
        crud = py_crud(s, ent)
        get_, put_, del_ = (re.search(rf"def ({n}\d*)\(", crud).group(1) for n in (get_, put_, del_))  # type: ignore[union-attr]
        s.add_block(crud)
        val = py_validator(s, ent)
        validate = re.search(r"def (validate_\w+)\(", val).group(1)  # type: ignore[union-attr]
        s.add_block(val)
        resp = py_response(s, ent)
        respond = re.search(r"def (respond\d*)\(", resp).group(1)  # type: ignore[union-attr]
        s.add_block(resp)
        dispatch = fill(_PY_API_DISPATCH, e=e, E=e.upper(), get=get_, put=put_, delete=del_, validate=validate, respond=respond)
    elif role == "sqs":
        rec = py_records(s, ent)
        proc = re.search(r"def (process_\w+)\(", rec).group(1)  # type: ignore[union-attr]
        s.add_block(rec)
        dispatch = f'return {proc}(event.get("Records", []))'
    elif role == "task":
        nrm = py_normalize(s, ent)
        norm = re.search(r"def (normalize_\w+)\(", nrm).group(1)  # type: ignore[union-attr]
        s.add_block(nrm)
        val = py_validator(s, ent)
        validate = re.search(r"def (validate_\w+)\(", val).group(1)  # type: ignore[union-attr]
        s.add_block(val)
        dispatch = (f'{e}_data = {norm}(event.get("{e}", event))\nerrors = {validate}({e}_data)\nif errors:\n'
                    f'    raise ValueError("invalid {e}: " + "; ".join(errors))\nreturn {{"{e}": {e}_data, "valid": True}}')
    else:
        dispatch = ""
    if not has_handler and s.body:  # a library's setup function (not a handler: no RESPONSE sinks)
        s.imp("from typing import Any")
        fn = s.uniq(f"prepare_{e}_request")
        s.add_block("\n".join([f"def {fn}(event: dict[str, Any]) -> dict[str, Any]:"] + ["    " + ln for ln in s.body]
                              + ['    return {"ready": True}']))
    handler_text = ""
    if has_handler:
        decorated = role != "task" and (s.powertools or rng.random() < 0.5)
        head = _py_handler_def(s, decorated)
        body = s.body + dispatch.split("\n")
        handler_text = "\n".join(head + ["    " + ln if ln else "" for ln in body])
        s.size += len(handler_text)
    py_fill(s, target, db=role == "api" or (s.table is not None))
    if handler_text:
        s.blocks.append(handler_text)
    doc = f"{domain}: {role} {'handler' if has_handler else 'module'} for {snake(ent).replace('_', ' ')}s."
    return s.render(doc), s


# -- JavaScript / TypeScript ---------------------------------------------------

_JS_TYPES = {"str": "string", "int": "number", "Decimal": "number", "bool": "boolean", "float": "number",
             "str | None": "string | null", "list[str]": "string[]"}
_JS_DEFAULTS = {"str": "''", "int": "0", "Decimal": "0", "bool": "false", "float": "0", "str | None": "null",
                "list[str]": "[]"}


class JsSrc(Src):
    def __init__(self, rng: random.Random, domain: str, ent: str, flavor: str) -> None:
        super().__init__(rng, domain, ent)
        self.flavor = flavor  # "ts" | "mjs" (ES modules) | "js" (CommonJS)
        self.esm = flavor != "js"
        self.ts = flavor == "ts"
        self.named: dict[str, set[str]] = {}
        self.default: dict[str, str] = {}
        self.types: dict[str, set[str]] = {}
        self.exports: list[str] = []
        self.logger: str | None = None
        self.ddb: str | None = None
        self.uses: list[str] = []  # middy .use(...) calls; non-empty: the handler is middy(baseHandler)
        self.context_container = False  # middy setToContext: context carries secrets
        self.lib = False  # a library module: CommonJS exports its helpers (a handler file exports only the handler)

    def a(self, ann: str) -> str:
        return ann if self.ts else ""

    @property
    def bang(self) -> str:
        return "!" if self.ts else ""

    def imp(self, mod: str, *names: str) -> None:
        self.named.setdefault(mod, set()).update(names)
        self.names.update(names)

    def imp_default(self, mod: str, name: str) -> None:
        self.default[mod] = name
        self.names.add(name)

    def imp_type(self, mod: str, *names: str) -> None:
        if self.ts:
            self.types.setdefault(mod, set()).update(names)

    def ex(self, name: str) -> str:
        """`export ` for ES modules; CommonJS collects the name for module.exports."""
        if self.esm:
            return "export "
        if self.lib:
            self.exports.append(name)
        return ""

    def use_logger(self) -> str:
        if self.logger is None:
            r = self.rng.random()
            if r < 0.45:
                self.imp("@aws-lambda-powertools/logger", "Logger")
                self.module.append(f"const logger = new Logger({{ serviceName: '{self.domain}' }});")
                self.logger = "logger"
            elif r < 0.6:
                self.imp_default("pino", "pino")
                self.module.append("const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });")
                self.logger = "logger"
            else:
                self.logger = "console"
        return self.logger

    def use_ddb(self) -> str:
        if self.ddb is None:
            self.imp("@aws-sdk/client-dynamodb", "DynamoDBClient")
            self.imp("@aws-sdk/lib-dynamodb", "DynamoDBDocumentClient")
            self.module.append("const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });")
            if "TABLE_NAME" not in self.names:
                env = self.rng.choice(("TABLE_NAME", "TABLE_NAME", f"{snake(self.ent).upper()}_TABLE_NAME"))
                self.module.append(f"const TABLE_NAME = process.env.{env}{self.bang};")
            self.names.update(("ddb", "TABLE_NAME"))
            self.ddb = "ddb"
        return self.ddb

    def render(self, doc: str, tail: str = "") -> str:
        head = [f"// {doc}"]
        lines: list[str] = []
        mods = sorted(set(self.named) | set(self.default) | set(self.types), key=lambda m: (not m.startswith("@aws"), m))
        for mod in mods:
            if mod in self.types:
                lines.append(f"import type {{ {', '.join(sorted(self.types[mod]))} }} from '{mod}';")
            if mod in self.default:
                d = self.default[mod]
                lines.append(f"import {d} from '{mod}';" if self.esm else f"const {d} = require('{mod}');")
            if mod in self.named:
                names = ", ".join(sorted(self.named[mod]))
                lines.append(f"import {{ {names} }} from '{mod}';" if self.esm else f"const {{ {names} }} = require('{mod}');")
        if not self.esm:
            head.append("'use strict';")
        if lines:
            head.append("\n".join(lines))
        if self.module:
            head.append("\n".join(self.module))
        parts = ["\n\n".join(head)] + self.blocks
        if tail:
            parts.append(tail)
        if self.exports:
            parts.append(f"module.exports = {{ {', '.join(self.exports)} }};")
        return "\n\n".join(parts) + "\n"


def js_model(s: JsSrc, ent: str) -> str:
    rng = s.rng
    name = s.uniq(ent + rng.choice(("", "Record", "Details", "Summary")))
    fields = s.model_fields()
    prefix = snake(ent).upper()
    to, frm = s.uniq(f"{camel(name)}ToItem"), s.uniq(f"{camel(name)}FromItem")
    out: list[str] = []
    if s.ts:
        out += [f"{s.ex(name)}interface {name} {{", "  id: string;"]
        out += [f"  {camel(f)}{'?' if rng.random() < 0.3 else ''}: {_JS_TYPES[FIELD_TYPES[f]]};" for f in fields]
        out.append("}")
    else:
        out += ["/**", f" * @typedef {{Object}} {name}", " * @property {string} id"]
        out += [f" * @property {{{_JS_TYPES[FIELD_TYPES[f]]}}} {camel(f)}" for f in fields]
        out.append(" */")
    out += ["", f"{s.ex(to)}function {to}({camel(ent)}{s.a(f': {name}')}){s.a(': Record<string, unknown>')} {{", "  return {",
            f"    pk: `{prefix}#${{{camel(ent)}.id}}`,", f"    sk: '{rng.choice(('META', 'PROFILE', 'v0'))}',"]
    out += [f"    {f}: {camel(ent)}.{camel(f)}," for f in fields]
    out += ["  };", "}", "", f"{s.ex(frm)}function {frm}(item{s.a(': Record<string, any>')}){s.a(f': {name}')} {{", "  return {",
            "    id: String(item.pk).split('#')[1],"]
    for f in fields:
        t = FIELD_TYPES[f]
        conv = {"int": f"Number(item.{f} ?? 0)", "Decimal": f"Number(item.{f} ?? 0)", "float": f"Number(item.{f} ?? 0)",
                "bool": f"Boolean(item.{f})", "list[str]": f"Array.isArray(item.{f}) ? item.{f} : []",
                "str | None": f"item.{f} ?? null"}.get(t, f"item.{f} ?? ''")
        out.append(f"    {camel(f)}: {conv},")
    out += ["  };", "}"]
    return "\n".join(out)


def js_enum(s: JsSrc, ent: str) -> str:
    rng = s.rng
    name = s.uniq(f"{ent}Status")
    start = rng.randint(0, 2)
    states = list(STATUSES[start: start + rng.randint(4, 7)])
    if "cancelled" not in states:
        states.append("cancelled")
    out: list[str] = []
    if s.ts and rng.random() < 0.5:
        out += [f"{s.ex(name)}enum {name} {{"] + [f"  {pascal(st)} = '{st}'," for st in states] + ["}"]
        ref = lambda st: f"{name}.{pascal(st)}"  # noqa: E731
    else:
        out += [f"{s.ex(name)}const {name} = Object.freeze({{"] + [f"  {st.upper()}: '{st}'," for st in states] + ["});"]
        ref = lambda st: f"{name}.{st.upper()}"  # noqa: E731
    tr = s.uniq(f"{camel(ent)}Transitions")
    out += ["", f"const {tr}{s.a(': Record<string, string[]>')} = {{"]
    for i, st in enumerate(states[:-1]):
        nxt = [states[i + 1]] + (["cancelled"] if states[i + 1] != "cancelled" else [])
        out.append(f"  [{ref(st)}]: [{', '.join(ref(x) for x in nxt)}],")
    out.append("};")
    fn = s.uniq(f"canTransition{ent}")
    out += ["", f"{s.ex(fn)}function {fn}(current{s.a(': string')}, target{s.a(': string')}){s.a(': boolean')} {{",
            f"  return ({tr}[current] ?? []).includes(target);", "}"]
    return "\n".join(out)


def js_validator(s: JsSrc, ent: str) -> str:
    rng = s.rng
    fn = s.uniq(f"validate{ent}")
    fields = rng.sample(OTHER_FIELDS, rng.randint(4, 9))
    out = [f"{s.ex(fn)}function {fn}(payload{s.a(': Record<string, unknown>')}){s.a(': string[]')} {{",
           f"  const errors{s.a(': string[]')} = [];",
           f"  for (const field of [{', '.join(repr(camel(f)) for f in fields[:3])}]) {{",
           "    if (payload[field] === undefined || payload[field] === null || payload[field] === '') {",
           "      errors.push(`${field} is required`);", "    }", "  }"]
    for f in fields:
        t, c = FIELD_TYPES[f], camel(f)
        if t in ("Decimal", "float"):
            out += [f"  if ('{c}' in payload && !(Number(payload.{c}) >= 0)) {{", f"    errors.push('{c} must be a non-negative number');", "  }"]
        elif t == "int":
            hi = rng.choice((100, 1000, 10_000))
            out += [f"  if ('{c}' in payload && !(Number.isInteger(payload.{c}) && Number(payload.{c}) <= {hi})) {{",
                    f"    errors.push('{c} must be an integer up to {hi}');", "  }"]
        elif f == "email":
            if "EMAIL_RE" not in s.names:
                s.names.add("EMAIL_RE")
                s.module.append("const EMAIL_RE = /^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$/i;")
            out += ["  if ('email' in payload && !EMAIL_RE.test(String(payload.email))) {", "    errors.push('email is not a valid address');", "  }"]
        elif f == "country":
            out += [f"  if ('country' in payload && ![{', '.join(repr(x) for x in rng.sample(COUNTRIES, 6))}].includes(String(payload.country))) {{",
                    "    errors.push('country is not supported');", "  }"]
        elif t == "str":
            n = rng.choice((64, 128, 256))
            out += [f"  if (String(payload.{c} ?? '').length > {n}) {{", f"    errors.push('{c} is longer than {n} characters');", "  }"]
        elif t == "list[str]":
            out += [f"  if ('{c}' in payload && !Array.isArray(payload.{c})) {{", f"    errors.push('{c} must be a list');", "  }"]
    out += ["  return errors;", "}"]
    return "\n".join(out)


def js_normalize(s: JsSrc, ent: str) -> str:
    fn = s.uniq(f"normalize{ent}")
    return fill('''<<ex>>function <<fn>>(raw<<rec>>)<<rec>> {
  const out<<rec>> = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== null));
  for (const key of ['name', 'description', 'notes']) {
    if (typeof out[key] === 'string') out[key] = (out[key]<<asstr>>).trim().replace(/\\s+/g, ' ');
  }
  if (typeof out.email === 'string') out.email = out.email.trim().toLowerCase();
  if (typeof out.country === 'string') out.country = out.country.trim().toUpperCase().slice(0, 2);
  out.tags = [...new Set((Array.isArray(out.tags) ? out.tags : []).map((t<<anyt>>) => String(t).trim().toLowerCase()).filter(Boolean))].sort();
  out.currency ??= '<<cur>>';
  out.status ??= '<<st>>';
  return out;
}''', ex=s.ex(fn), fn=fn, rec=s.a(": Record<string, any>"), asstr=s.a(" as string"), anyt=s.a(": unknown"),
                cur=s.rng.choice(CURRENCIES), st=s.rng.choice(STATUSES[:3]))


def js_dates(s: JsSrc, ent: str) -> str:
    p, b = s.uniq("parseTimestamp"), s.uniq("addBusinessDays")
    hol = s.uniq("HOLIDAYS")
    y = s.rng.choice((2024, 2025))
    text = fill('''const <<hol>> = new Set(['<<y>>-01-01', '<<y>>-12-25', '<<y>>-12-26']);

<<ex1>>function <<p>>(value<<pt>>)<<rt>> {
  if (value === undefined || value === null || value === '') return null;
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

<<ex2>>function <<b>>(start<<dt>>, days<<nt>>)<<dt>> {
  const current = new Date(start.getTime());
  let remaining = days;
  while (remaining > 0) {
    current.setUTCDate(current.getUTCDate() + 1);
    const day = current.getUTCDay();
    if (day !== 0 && day !== 6 && !<<hol>>.has(current.toISOString().slice(0, 10))) remaining -= 1;
  }
  return current;
}''', hol=hol, y=y, ex1=s.ex(p), p=p, ex2=s.ex(b), b=b, pt=s.a(": string | number | null | undefined"),
                rt=s.a(": Date | null"), dt=s.a(": Date"), nt=s.a(": number"))
    if s.rng.random() < 0.3 or s.incidental == "asia":
        tz = s.uniq("REGION_TIMEZONES")
        zones = TIMEZONES if s.incidental == "asia" else [z for z in TIMEZONES if not z.startswith("Asia/")]
        pairs = ", ".join(f"'{r}': '{z}'" for r, z in zip(REGIONS, s.rng.choices(zones, k=len(REGIONS))))
        text += f"\n\n{s.ex(tz)}const {tz}{s.a(': Record<string, string>')} = {{ {pairs} }};"
    return text


def js_batch(s: JsSrc, ent: str) -> str:
    c, u, g = s.uniq("chunk"), s.uniq("uniqueBy"), s.uniq("groupBy")
    return fill('''<<e1>>function <<c>><<T>>(items<<ta>>, size = 25)<<tr>> {
  const out<<tr>> = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

<<e2>>function <<u>><<T>>(items<<ta>>, key<<kf>>)<<ta>> {
  const seen = new Set<<su>>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

<<e3>>function <<g>><<T>>(items<<ta>>, key<<kf>>)<<gr>> {
  const groups<<gr>> = {};
  for (const item of items) {
    const k = String(key(item));
    (groups[k] ??= []).push(item);
  }
  return groups;
}''', e1=s.ex(c), e2=s.ex(u), e3=s.ex(g), c=c, u=u, g=g, T=s.a("<T>"), ta=s.a(": T[]"), tr=s.a(": T[][]"),
                kf=s.a(": (item: T) => unknown"), su=s.a("<unknown>"), gr=s.a(": Record<string, T[]>"))


def js_money(s: JsSrc, ent: str) -> str:
    f, a, sp = s.uniq("formatMoney"), s.uniq("applyDiscount"), s.uniq("splitEvenly")
    return fill('''<<e1>>function <<f>>(cents<<n>>, currency = '<<cur>>', locale = 'en-US')<<st>> {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(cents / 100);
}

<<e2>>function <<a>>(cents<<n>>, percent<<n>>)<<n>> {
  if (percent < 0 || percent > 100) throw new RangeError('discount percent out of range');
  return Math.round((cents * (100 - percent)) / 100);
}

<<e3>>function <<sp>>(totalCents<<n>>, parts<<n>>)<<na>> {
  const base = Math.floor(totalCents / parts);
  const rest = totalCents - base * parts;
  return Array.from({ length: parts }, (_, i) => base + (i < rest ? 1 : 0));
}''', e1=s.ex(f), e2=s.ex(a), e3=s.ex(sp), f=f, a=a, sp=sp, n=s.a(": number"), st=s.a(": string"), na=s.a(": number[]"),
                cur=s.rng.choice(CURRENCIES))


def js_retry(s: JsSrc, ent: str) -> str:
    err, sl, w = s.uniq("TransientError"), s.uniq("sleep"), s.uniq("withRetries")
    return fill('''<<e1>>class <<err>> extends Error {
  constructor(message<<st>>) {
    super(message);
    this.name = '<<err>>';
  }
}

const <<sl>> = (ms<<n>>) => new Promise((resolve) => setTimeout(resolve, ms));

<<e2>>async function <<w>><<T>>(fn<<fnt>>, attempts = <<att>>, baseDelayMs = <<d>>)<<pt>> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof <<err>>) || attempt >= attempts) throw err;
      await <<sl>>(baseDelayMs * 2 ** (attempt - 1) + Math.random() * baseDelayMs);
    }
  }
}''', e1=s.ex(err), e2=s.ex(w), err=err, sl=sl, w=w, st=s.a(": string"), n=s.a(": number"), T=s.a("<T>"),
                fnt=s.a(": () => Promise<T>"), pt=s.a(": Promise<T>"), att=s.rng.randint(2, 5), d=s.rng.choice((100, 200, 500)))


def js_response(s: JsSrc, ent: str) -> str:
    r, h = s.uniq("respond"), s.uniq("HttpError")
    s.names.add("respond")
    return fill('''<<e1>>function <<r>>(statusCode<<n>>, body<<u>>, headers<<hs>> = {}) {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '<<origin>>', ...headers },
    body: JSON.stringify(body),
  };
}

<<e2>>class <<h>> extends Error {
<<fields>>  constructor(statusCode<<n>>, message<<st>>, details<<sa>> = []) {
    super(message);
    this.statusCode = statusCode;
    this.details = details;
  }

  toResponse() {
    return <<r>>(this.statusCode, { message: this.message, details: this.details });
  }
}''', e1=s.ex(r), e2=s.ex(h), r=r, h=h, n=s.a(": number"), u=s.a(": unknown"), hs=s.a(": Record<string, string>"),
                st=s.a(": string"), sa=s.a(": string[]"), origin=f"https://app.{s.domain}.example.com",
                fields="  statusCode: number;\n  details: string[];\n\n" if s.ts else "")


def js_crud(s: JsSrc, ent: str) -> str:
    d = s.use_ddb()
    s.imp("@aws-sdk/lib-dynamodb", "GetCommand", "PutCommand", "UpdateCommand", "DeleteCommand", "QueryCommand")
    c, E = camel(ent), snake(ent).upper()
    g, p, u, dl, q = (s.uniq(f"get{ent}"), s.uniq(f"put{ent}"), s.uniq(f"update{ent}Status"), s.uniq(f"delete{ent}"),
                      s.uniq(f"list{ent}sForCustomer"))
    return fill('''<<e1>>async function <<g>>(<<c>>Id<<st>>) {
  const { Item } = await <<d>>.send(new GetCommand({ TableName: TABLE_NAME, Key: { pk: `<<E>>#${<<c>>Id}`, sk: 'META' }, ConsistentRead: true }));
  return Item;
}

<<e2>>async function <<p>>(item<<rec>>) {
  try {
    await <<d>>.send(new PutCommand({ TableName: TABLE_NAME, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
  } catch (err) {
    if ((err<<anyc>>).name === 'ConditionalCheckFailedException') throw new Error(`<<c>> ${item.pk} already exists`);
    throw err;
  }
}

<<e3>>async function <<u>>(<<c>>Id<<st>>, status<<st>>, expectedVersion<<n>>) {
  const { Attributes } = await <<d>>.send(new UpdateCommand({
    TableName: TABLE_NAME,
    Key: { pk: `<<E>>#${<<c>>Id}`, sk: 'META' },
    UpdateExpression: 'SET #s = :s, #v = #v + :one, updatedAt = :now',
    ConditionExpression: '#v = :expected',
    ExpressionAttributeNames: { '#s': 'status', '#v': 'version' },
    ExpressionAttributeValues: { ':s': status, ':one': 1, ':expected': expectedVersion, ':now': new Date().toISOString() },
    ReturnValues: 'ALL_NEW',
  }));
  return Attributes;
}

<<e4>>async function <<dl>>(<<c>>Id<<st>>) {
  await <<d>>.send(new DeleteCommand({ TableName: TABLE_NAME, Key: { pk: `<<E>>#${<<c>>Id}`, sk: 'META' } }));
}

<<e5>>async function <<q>>(customerId<<st>>, limit = <<lim>>) {
  const items<<reca>> = [];
  let ExclusiveStartKey<<reck>>;
  do {
    const page = await <<d>>.send(new QueryCommand({
      TableName: TABLE_NAME,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `CUSTOMER#${customerId}`, ':prefix': '<<E>>#' },
      Limit: limit,
      ExclusiveStartKey,
    }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey && items.length < limit);
  return items.slice(0, limit);
}''', e1=s.ex(g), e2=s.ex(p), e3=s.ex(u), e4=s.ex(dl), e5=s.ex(q), g=g, p=p, u=u, dl=dl, q=q, d=d, c=c, E=E,
                st=s.a(": string"), n=s.a(": number"), rec=s.a(": Record<string, any>"), anyc=s.a(" as Error"),
                reca=s.a(": Record<string, any>[]"), reck=s.a(": Record<string, any> | undefined"), lim=s.rng.choice((25, 50, 100)))


def js_cursor(s: JsSrc, ent: str) -> str:
    word = "NextToken" if s.incidental == "next_token" else s.rng.choice(("Cursor", "PageKey"))  # "Token": a pre-check hit
    enc, dec = s.uniq(f"encode{word}"), s.uniq(f"decode{word}")
    return fill('''<<e1>>function <<enc>>(lastKey<<rk>>)<<su>> {
  return lastKey ? Buffer.from(JSON.stringify(lastKey)).toString('base64url') : undefined;
}

<<e2>>function <<dec>>(value<<su>>)<<rk>> {
  if (!value) return undefined;
  try {
    return JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw new Error('invalid pagination <<w>>');
  }
}''', e1=s.ex(enc), e2=s.ex(dec), enc=enc, dec=dec, rk=s.a(": Record<string, unknown> | undefined"),
                su=s.a(": string | undefined"), w=kebab(word).replace("-", " "))


def js_records(s: JsSrc, ent: str) -> str:
    fn, one = s.uniq(f"process{ent}Records"), s.uniq(f"handle{ent}Message")
    var = "msg" if s.incidental == "msg" else "record"  # msg.body: the pre-check's SG\\. pattern matches it
    s.imp_type("aws-lambda", "SQSRecord", "SQSBatchResponse")
    kinds = ", ".join(f"'{camel(ent)}.{x}'" for x in s.rng.sample(("created", "updated", "deleted", "synced"), 3))
    return fill('''async function <<one>>(message<<rec>>)<<pv>> {
  if (![<<kinds>>].includes(message.type)) throw new Error(`unsupported message type ${message.type}`);
  if (!message.id) throw new Error('message without id');
}

<<ex>>async function <<fn>>(records<<rt>>)<<br>> {
  const batchItemFailures<<ft>> = [];
  for (const <<v>> of records) {
    try {
      await <<one>>(JSON.parse(<<v>>.body || '{}'));
    } catch (err) {
      batchItemFailures.push({ itemIdentifier: <<v>>.messageId });
    }
  }
  return { batchItemFailures };
}''', one=one, fn=fn, ex=s.ex(fn), v=var, kinds=kinds, rec=s.a(": Record<string, any>"), pv=s.a(": Promise<void>"),
                rt=s.a(": SQSRecord[]"), br=s.a(": Promise<SQSBatchResponse>"), ft=s.a(": { itemIdentifier: string }[]"))


def js_service(s: JsSrc, ent: str) -> str:
    c = camel(ent)
    svc = s.uniq(f"{ent}Service")
    head, fields, repo_ann = "", "", ""
    if s.ts:
        rt = s.uniq(f"{ent}Repository")
        head = (f"{s.ex(rt)}interface {rt} {{\n  get(id: string): Promise<Record<string, any> | undefined>;\n"
                f"  put(item: Record<string, any>): Promise<void>;\n}}\n\n")
        fields = f"  private readonly repository: {rt};\n  private readonly maxLines: number;\n\n"
        repo_ann = f": {rt}"
    return head + fill('''<<ex>>class <<svc>> {
<<fields>>  constructor(repository<<rt>>, maxLines = <<mx>>) {
    this.repository = repository;
    this.maxLines = maxLines;
  }

  async create(<<c>>Id<<st>>, lines<<la>>) {
    if (lines.length === 0) throw new Error('at least one line is required');
    if (lines.length > this.maxLines) throw new Error(`at most ${this.maxLines} lines`);
    const totalCents = lines.reduce((sum, line) => sum + (line.quantity ?? 1) * (line.unitPriceCents ?? 0), 0);
    const item = { id: <<c>>Id, lines, totalCents, status: 'pending', version: 1 };
    await this.repository.put(item);
    return item;
  }

  async cancel(<<c>>Id<<st>>) {
    const item = await this.repository.get(<<c>>Id);
    if (!item) throw new Error(`<<c>> ${<<c>>Id} not found`);
    if (['shipped', 'delivered', 'cancelled'].includes(item.status)) throw new Error(`cannot cancel a ${item.status} <<c>>`);
    const next = { ...item, status: 'cancelled', version: item.version + 1 };
    await this.repository.put(next);
    return next;
  }
}''', ex=s.ex(svc), svc=svc, c=c, mx=s.rng.choice((50, 100, 500)), st=s.a(": string"),
                la=s.a(": { quantity?: number; unitPriceCents?: number }[]"), rt=repo_ann, fields=fields)


def js_constants(s: JsSrc, ent: str) -> str:
    rng = s.rng
    E = snake(ent).upper()
    rows = []
    for base, value in ((f"{E}_STATUS_LABELS", "{ " + ", ".join(f"{st}: '{st.replace('_', ' ').capitalize()}'" for st in rng.sample(STATUSES, 5)) + " }"),
                        (f"{E}_PAGE_SIZE", str(rng.choice((10, 20, 25, 50)))),
                        (f"MAX_{E}_BATCH", str(rng.choice((10, 25, 100)))),
                        (f"{E}_SUPPORTED_COUNTRIES", "new Set([" + ", ".join(repr(c) for c in rng.sample(COUNTRIES, 7)) + "])"),
                        (f"{E}_EVENT_SOURCE", f"'com.example.{s.domain}'")):
        n = s.uniq(base)
        rows.append(f"{s.ex(n)}const {n} = {value};")
    if s.incidental == "task":
        n = s.uniq(f"{E}_TASK_PREFIX")
        rows.append(f"{s.ex(n)}const {n} = 'task-{kebab(ent)}';")  # "sk-": the pre-check matches it
    return "\n".join(rows)


def js_search(s: JsSrc, ent: str) -> str:
    tok, idx = s.uniq("tokenize"), s.uniq("searchTerms")  # "token": a pre-check hit
    stop = s.uniq("STOP_WORDS")
    return fill('''const <<stop>> = new Set(['a', 'an', 'and', 'the', 'of', 'for', 'with', 'to', 'in']);

<<e1>>function <<tok>>(text<<st>>)<<sa>> {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => !<<stop>>.has(w));
}

<<e2>>function <<idx>>(item<<rec>>)<<sa>> {
  const terms = new Set<<ss>>();
  for (const key of ['name', 'description', 'sku']) {
    if (typeof item[key] === 'string') <<tok>>(item[key]).forEach((t) => terms.add(t));
  }
  return [...terms].sort().slice(0, 50);
}''', stop=stop, e1=s.ex(tok), e2=s.ex(idx), tok=tok, idx=idx, st=s.a(": string"), sa=s.a(": string[]"),
                rec=s.a(": Record<string, any>"), ss=s.a("<string>"))


JS_BLOCKS: tuple[tuple[Callable[[JsSrc, str], str], int], ...] = (
    (js_model, 10), (js_enum, 4), (js_validator, 8), (js_normalize, 5), (js_dates, 3), (js_batch, 3), (js_money, 3),
    (js_retry, 2), (js_service, 5), (js_constants, 4), (js_records, 4), (js_cursor, 2),
)


def js_fill(s: JsSrc, target: int, db: bool) -> None:
    pool = JS_BLOCKS + (((js_crud, 6),) if db else ())
    funcs, weights = zip(*pool)
    if s.incidental:
        first = {"author": js_model, "tokenize": js_search, "next_token": js_cursor, "msg": js_records,
                 "task": js_constants, "asia": js_dates}[s.incidental]
        s.add_block(first(s, s.rng.choice(ENTITIES)))
    while s.size < target:
        s.add_block(s.rng.choices(funcs, weights)[0](s, s.rng.choice(ENTITIES)))


# JS/TS secret constructs (same contract as the Python ones).


def _js_client(s: JsSrc, service: str) -> str:
    if service == "secretsmanager":
        var, mod, cls = "secretsClient", "@aws-sdk/client-secrets-manager", "SecretsManagerClient"
    else:
        var, mod, cls = "ssmClient", "@aws-sdk/client-ssm", "SSMClient"
    if var not in s.names:
        s.names.add(var)
        s.imp(mod, cls)
        opts = "{}" if s.rng.random() < 0.6 else "{ region: process.env.AWS_REGION }"
        s.module.append(f"const {var} = new {cls}({opts});")
    return var


def _js_secret_id(s: JsSrc) -> str:
    r = s.rng.random()
    if r < 0.65:
        return f"process.env.{s.rng.choice(SECRET_REF_ENV)}{s.bang}"
    if r < 0.85:
        return f"'prod/{s.domain}/{s.rng.choice(('db', 'partner', 'stripe', 'api'))}'"
    return f"`${{process.env.STAGE}}/{s.domain}/{s.rng.choice(('db', 'partner'))}`"


def js_sm_module(s: JsSrc) -> None:
    """A raw SDK v3 read at module level (top-level await, or an init-phase promise in CommonJS): LSL502."""
    c = _js_client(s, "secretsmanager")
    s.imp("@aws-sdk/client-secrets-manager", "GetSecretValueCommand")
    creds = s.uniq(s.rng.choice(("dbCredentials", "partnerConfig", "settings")))
    if s.esm:
        res = s.uniq("secretResponse")
        s.module += [f"const {res} = await {c}.send(new GetSecretValueCommand({{ SecretId: {_js_secret_id(s)} }}));",
                     f"const {creds} = JSON.parse({res}.SecretString ?? '{{}}');"]
    else:
        pr = s.uniq("secretPromise")
        s.module.append(f"const {pr} = {c}.send(new GetSecretValueCommand({{ SecretId: {_js_secret_id(s)} }}));")
        s.body.append(f"const {creds} = JSON.parse((await {pr}).SecretString ?? '{{}}');")
    s.expect("LSL502")
    s.values.append(f"{creds}.{s.rng.choice(('password', 'apiKey', 'clientSecret'))}")


def js_sm_handler(s: JsSrc) -> None:
    """A raw SDK v3 read in the handler: LSL501."""
    c = _js_client(s, "secretsmanager")
    s.imp("@aws-sdk/client-secrets-manager", "GetSecretValueCommand")
    res, val = s.uniq("secretRes"), s.uniq(s.rng.choice(("apiKey", "partnerKey", "dbPassword")))
    s.body.append(f"const {res} = await {c}.send(new GetSecretValueCommand({{ SecretId: {_js_secret_id(s)} }}));")
    if s.rng.random() < 0.5:
        s.body.append(f"const {val} = JSON.parse({res}.SecretString ?? '{{}}').{s.rng.choice(('apiKey', 'password', 'token'))};")
    else:
        s.body.append(f"const {{ {s.rng.choice(('apiKey', 'password', 'token'))}: {val} }} = JSON.parse({res}.SecretString ?? '{{}}');")
    s.expect("LSL501")
    s.values.append(val)
    s.containers.append(res)


def js_ssm(s: JsSrc) -> None:
    """A raw SDK v3 SSM read (LSL501; LSL503 for a secret-like name without decryption)."""
    rng = s.rng
    if rng.random() < 0.7:
        name = f"'{secret_param_name(rng, s.domain)}'" if rng.random() < 0.7 else f"process.env.{rng.choice(PARAM_ENV_SECRETISH)}"
    else:
        name = f"'{config_param_name(rng, s.domain)}'"
    secretish = param_is_secretish(name)
    if name.startswith("process.env"):
        name += s.bang
    dec = rng.choices(("true", None, "false"), (6, 3, 1))[0]
    args = f"{{ Name: {name}" + (f", WithDecryption: {dec}" if dec else "") + " }"
    s.expect("LSL501")
    if secretish and dec != "true":
        s.expect("LSL503")
    if rng.random() < 0.15:  # aggregated client
        s.imp("@aws-sdk/client-ssm", "SSM")
        if "ssmApi" not in s.names:
            s.names.add("ssmApi")
            s.module.append("const ssmApi = new SSM({});")
        call = f"ssmApi.getParameter({args})"
    else:
        c = _js_client(s, "ssm")
        s.imp("@aws-sdk/client-ssm", "GetParameterCommand")
        call = f"{c}.send(new GetParameterCommand({args}))"
    var = s.uniq(rng.choice(("partnerKey", "paramValue", "webhookKey")))
    if rng.random() < 0.5:
        fn = s.uniq(rng.choice(("loadPartnerKey", "fetchParameter", "readApiKey")))
        s.add_block(f"async function {fn}(){s.a(': Promise<string | undefined>')} {{\n  const res = await {call};\n  return res.Parameter?.Value;\n}}")
        s.body.append(f"const {var} = await {fn}();")
    else:
        res = s.uniq("paramRes")
        s.body += [f"const {res} = await {call};", f"const {var} = {res}.Parameter?.Value;"]
        if secretish or dec == "true":  # a plain config read without decryption is clean (still a read)
            s.containers.append(res)
    if secretish:
        s.values.append(var)


def js_v2(s: JsSrc) -> None:
    """aws-sdk v2 with .promise() in the handler: LSL501 (+ LSL503)."""
    rng = s.rng
    if rng.random() < 0.5:
        s.imp_default("aws-sdk", "AWS")
        if "smV2" not in s.names:
            s.names.add("smV2")
            s.module.append("const smV2 = new AWS.SecretsManager();")
        data, val = s.uniq("data"), s.uniq(rng.choice(("apiKey", "secretString")))
        s.body += [f"const {data} = await smV2.getSecretValue({{ SecretId: process.env.{rng.choice(SECRET_REF_ENV)}{s.bang} }}).promise();",
                   f"const {val} = {data}.SecretString;"]
        s.containers.append(data)
        s.values.append(val)
        s.expect("LSL501")
        return
    if rng.random() < 0.5:
        s.imp_default("aws-sdk", "AWS")
        ctor = "new AWS.SSM()"
    else:
        s.imp_default("aws-sdk/clients/ssm", "SSM")
        ctor = "new SSM()"
    if "ssmV2" not in s.names:
        s.names.add("ssmV2")
        s.module.append(f"const ssmV2 = {ctor};")
    name = secret_param_name(rng, s.domain) if rng.random() < 0.7 else config_param_name(rng, s.domain)
    dec = rng.random() < 0.7
    res, val = s.uniq("paramOut"), s.uniq("paramValue")
    s.body += [f"const {res} = await ssmV2.getParameter({{ Name: '{name}'{', WithDecryption: true' if dec else ''} }}).promise();",
               f"const {val} = {res}.Parameter{s.bang}.Value;"]
    s.expect("LSL501")
    if param_is_secretish(name):
        if not dec:
            s.expect("LSL503")
        s.values.append(val)
        s.containers.append(res)


def js_lazy(s: JsSrc) -> None:
    """Fetch once into a module-level variable: forever (LSL502); with a Date.now() check: TTL."""
    c = _js_client(s, "secretsmanager")
    s.imp("@aws-sdk/client-secrets-manager", "GetSecretValueCommand")
    g = s.uniq(s.rng.choice(("cachedSecret", "signingSecret", "secretCache")))
    fn = s.uniq(s.rng.choice(("getSigningSecret", "getApiKey", "loadSecret")))
    sid = f"process.env.{s.rng.choice(SECRET_REF_ENV)}{s.bang}"
    typ = s.a(": { SecretString?: string } | undefined")
    if s.rng.random() < 0.6:
        s.module.append(f"let {g}{typ};")
        s.add_block(fill('''async function <<fn>>()<<rt>> {
  if (!<<g>>) {
    <<g>> = await <<c>>.send(new GetSecretValueCommand({ SecretId: <<sid>> }));
  }
  return <<g>>.SecretString ?? '';
}''', fn=fn, g=g, c=c, sid=sid, rt=s.a(": Promise<string>")))
        s.expect("LSL502")
    else:
        s.module += [f"let {g}{typ};", f"let {g}FetchedAt = 0;", f"const {g.upper()}_TTL_MS = {s.rng.choice((60_000, 300_000))};"]
        s.add_block(fill('''async function <<fn>>()<<rt>> {
  if (!<<g>> || Date.now() - <<g>>FetchedAt > <<G>>_TTL_MS) {
    <<g>> = await <<c>>.send(new GetSecretValueCommand({ SecretId: <<sid>> }));
    <<g>>FetchedAt = Date.now();
  }
  return <<g>>.SecretString ?? '';
}''', fn=fn, g=g, G=g.upper(), c=c, sid=sid, rt=s.a(": Promise<string>")))
    var = s.uniq("secretValue")
    s.body.append(f"const {var} = await {fn}();")
    s.values.append(var)


def js_middy(s: JsSrc) -> None:
    """middy ssm / secrets-manager with setToContext: cacheExpiry > 0 is fine;
    omitted or -1 caches forever (LSL502); v0/v1 without cache: true is LSL501."""
    rng = s.rng
    s.imp_default("@middy/core", "middy")
    key = s.uniq(rng.choice(("partnerApiKey", "stripeKey", "dbSecret", "slackToken", "signingKey")))
    sm = rng.random() < 0.4
    if sm:
        s.imp_default("@middy/secrets-manager", "secretsManager")
        mw, path = "secretsManager", f"prod/{s.domain}/{rng.choice(('db', 'partner', 'stripe'))}"
    else:
        s.imp_default("@middy/ssm", "ssm")
        mw, path = "ssm", secret_param_name(rng, s.domain)
    v1 = not s.esm and rng.random() < 0.4
    opts: list[str] = []
    if v1:
        opts.append(f"{'secrets' if sm else 'names'}: {{ {key}: '{path}' }}")
        if rng.random() < 0.6:
            opts += ["cache: true", f"cacheExpiryInMillis: {rng.choice((60000, 300000, 900000))}"]
        else:
            s.expect("LSL501")
    else:
        opts.append(f"fetchData: {{ {key}: '{path}' }}")
        r = rng.random()
        if r < 0.55:
            opts.append(f"cacheExpiry: {rng.choice((60000, 300000, 900000))}")
        elif r < 0.8:
            s.expect("LSL502")
        else:
            opts.append("cacheExpiry: -1")
            s.expect("LSL502")
    opts.insert(1, "setToContext: true")
    if rng.random() < 0.5:
        s.uses.append(f".use({mw}({{ {', '.join(opts)} }}))")
    else:
        s.uses.append(f".use(\n    {mw}({{\n" + "".join(f"      {o},\n" for o in opts) + "    }),\n  )")
    s.context_container = True
    s.values.append(f"context.{key}" + (".password" if sm else ""))
    s.containers.append("context")


def js_powertools(s: JsSrc) -> None:
    """Powertools parameters: cached (no finding) unless maxAge: 0 / forceFetch (LSL501);
    getParameter of a secret-like name without decrypt: true is LSL503."""
    rng = s.rng
    var = s.uniq(rng.choice(("apiKey", "stripeKey", "dbSecret", "webhookSecret")))
    r = rng.random()
    module_level_ok = s.esm
    if r < 0.5:
        s.imp("@aws-lambda-powertools/parameters/secrets", "getSecret")
        age = rng.choice(("{ maxAge: 300 }", "{ maxAge: 60 }", "{ maxAge: 900 }", ""))
        call = f"getSecret(process.env.{rng.choice(SECRET_REF_ENV)}{s.bang}{', ' + age if age else ''})"
    elif r < 0.8:
        s.imp("@aws-lambda-powertools/parameters/ssm", "getParameter")
        name = secret_param_name(rng, s.domain) if rng.random() < 0.7 else config_param_name(rng, s.domain)
        dec = rng.random() < 0.6
        call = f"getParameter('{name}', {{ {'decrypt: true, ' if dec else ''}maxAge: {rng.choice((60, 300, 600))} }})"
        if not dec and param_is_secretish(name):
            s.expect("LSL503")
        if not param_is_secretish(name):
            s.body.append(f"const {var} = await {call};")
            return
    elif r < 0.9:
        s.imp("@aws-lambda-powertools/parameters/secrets", "getSecret")
        call = f"getSecret(process.env.{rng.choice(SECRET_REF_ENV)}{s.bang}, {rng.choice(('{ maxAge: 0 }', '{ forceFetch: true }'))})"
        s.expect("LSL501")
        module_level_ok = False
    else:
        s.imp("@aws-lambda-powertools/parameters/secrets", "SecretsProvider")
        if "secretsProvider" not in s.names:
            s.names.add("secretsProvider")
            s.module.append("const secretsProvider = new SecretsProvider();")
        call = f"secretsProvider.get('prod/{s.domain}/partner', {{ maxAge: {rng.choice((120, 300))} }})"
    if module_level_ok and rng.random() < 0.3:
        mod = s.uniq(var.upper() if rng.random() < 0.3 else var)
        s.module.append(f"const {mod} = await {call};")
        s.values.append(mod)
    else:
        s.body.append(f"const {var} = await {call};")
        s.values.append(var)


def js_env_secret(s: JsSrc) -> None:
    """A secret-like env var read (LSL103), plus some config reads."""
    rng = s.rng
    name = rng.choice(SECRET_ENV_NAMES)
    r = rng.random()
    if r < 0.4 and name not in s.names:
        s.names.add(name)
        s.module.append(f"const {{ {name} }} = process.env;")
        var = name
    else:
        var = s.uniq(camel(name.lower()))
        form = f"process.env.{name}" if r < 0.8 else f"process.env['{name}']"
        suffix = rng.choice((" ?? ''", "", s.bang))
        s.module.append(f"const {var} = {form}{suffix};")
    s.expect("LSL103")
    s.values.append(var)
    js_env_config(s)


def js_env_config(s: JsSrc) -> None:
    for name in s.rng.sample(CONFIG_ENV_NAMES, s.rng.randint(1, 3)):
        if name in s.names:
            continue
        s.names.add(name)
        default = {"LOG_LEVEL": "'info'", "STAGE": "'dev'", "TIMEOUT_MS": "'3000'", "AWS_REGION": "'us-east-1'"}.get(name)
        s.module.append(f"const {name} = process.env.{name}{' ?? ' + default if default else s.bang};")


def js_safe_use(s: JsSrc) -> None:
    if not s.values:
        return
    v = s.rng.choice(s.values)
    r = s.rng.random()
    if r < 0.35:
        s.imp("node:crypto", "createHmac", "timingSafeEqual")
        s.body += ["const signature = Buffer.from(String(event.headers?.['x-signature'] ?? ''), 'hex');",
                   f"const expected = createHmac('sha256', String({v})).update(event.body ?? '').digest();",
                   "if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {",
                   "  return { statusCode: 401, body: 'invalid signature' };", "}"]
    elif r < 0.7:
        s.body += [f"const partnerRes = await fetch('https://api.{s.rng.choice(PARTNERS)}.com/v2/{kebab(s.ent)}s', {{",
                   "  method: 'POST',",
                   f"  headers: {{ Authorization: `Bearer ${{{v}}}`, 'Content-Type': 'application/json' }},",
                   "  body: event.body ?? '{}',", "});",
                   "if (!partnerRes.ok) throw new Error(`partner returned ${partnerRes.status}`);"]
    else:
        lg = s.use_logger()
        s.body.append(f"{lg}.info('credentials loaded', {{ length: String({v}).length }});")


def js_leak(s: JsSrc, in_handler: bool) -> None:
    rng = s.rng
    kinds = ["env"] + (["container"] if s.containers else [])
    if s.values:
        kinds += ["log", "log", "log", "error"] + (["response"] if in_handler else [])
    kind = rng.choice(kinds)
    if kind == "log":
        v = rng.choice(s.values)
        r = rng.random()
        if r < 0.4:
            s.body.append(f"console.log('using key', {v});")
        elif r < 0.7:
            lg = s.use_logger()
            s.body.append(f"{lg}.info('partner client configured', {{ apiKey: {v} }});")
        else:
            s.body.append(f"console.info(`credentials: ${{{v}}}`);")
        s.expect("LSL201")
    elif kind == "container":
        lg = s.use_logger()
        c = rng.choice(s.containers)
        s.body.append(f"{lg}.debug('fetched', {{ {c} }});" if rng.random() < 0.6 else f"console.log({c});")
        s.expect("LSL203")
    elif kind == "env":
        s.body.append(rng.choice(("console.log(process.env);", "console.debug('environment', { ...process.env });",
                                  "console.log(JSON.stringify(process.env));")))
        s.expect("LSL202")
    elif kind == "error":
        v = rng.choice(s.values)
        s.body += ["if (event.dryRun === false && !event.id) {", f"  throw new Error(`partner rejected the request made with key ${{{v}}}`);", "}"]
        s.expect("LSL204")
    else:
        v = rng.choice(s.values)
        s.body += ["if (event.debug) {", f"  return {{ statusCode: 200, body: JSON.stringify({{ token: {v} }}) }};", "}"]
        s.expect("LSL204")


JS_SECRET_FEATURES: tuple[tuple[Callable[[JsSrc], None], int], ...] = (
    (js_sm_module, 7), (js_sm_handler, 10), (js_ssm, 8), (js_v2, 6), (js_lazy, 5), (js_middy, 12), (js_powertools, 12),
    (js_env_secret, 12),
)


def js_hardcoded(s: JsSrc) -> None:
    name, value = hardcoded_literal(s.rng)
    if s.rng.random() < 0.6:
        n = s.uniq(name if s.rng.random() < 0.5 else camel(name.lower()))
        s.module.append(f"const {n} = '{value}';")
    else:
        n = s.uniq("partnerConfig")
        s.module.append(f"const {n} = {{ baseUrl: 'https://api.{s.rng.choice(PARTNERS)}.com', {camel(name.lower())}: '{value}' }};")
    s.expect("LSL205")


_JS_API_DISPATCH = '''const method = event.requestContext?.http?.method ?? event.httpMethod ?? 'GET';
const <<c>>Id = event.pathParameters?.id;
try {
  if (method === 'GET' && <<c>>Id) {
    const item = await <<get>>(<<c>>Id);
    return item ? <<respond>>(200, item) : <<respond>>(404, { message: '<<c>> not found' });
  }
  if (method === 'POST') {
    const payload = JSON.parse(event.body ?? '{}');
    const errors = <<validate>>(payload);
    if (errors.length > 0) return <<respond>>(400, { message: 'invalid <<c>>', errors });
    await <<put>>({ pk: `<<E>>#${payload.id}`, sk: 'META', ...payload });
    return <<respond>>(201, { id: payload.id });
  }
  if (method === 'DELETE' && <<c>>Id) {
    await <<dele>>(<<c>>Id);
    return <<respond>>(204, {});
  }
} catch (err) {
  return <<respond>>(409, { message: (err<<aserr>>).message });
}
return <<respond>>(405, { message: `${method} not allowed` });'''


def make_js_file(rng: random.Random, domain: str, role: str, target: int, secret: bool, hardcoded: bool,
                 flavor: str) -> tuple[str, JsSrc]:
    ent = rng.choice(ENTITIES)
    s = JsSrc(rng, domain, ent, flavor)
    has_handler = role != "lib"
    s.lib = not has_handler
    if secret:
        without = (js_sm_module, js_lazy, js_env_secret)
        plant_secret_features(
            rng, s, JS_SECRET_FEATURES, has_handler,
            needs_handler=tuple(f for f, _ in JS_SECRET_FEATURES if f not in without),
            without_handler=without,
            safe_use=js_safe_use, leak=js_leak,
        )
    if hardcoded:
        js_hardcoded(s)
    c = camel(ent)
    if role == "api":
        crud = js_crud(s, ent)
        get_, put_, del_ = (re.search(rf"function ({n}\d*)\(", crud).group(1)  # type: ignore[union-attr]
                            for n in (f"get{ent}", f"put{ent}", f"delete{ent}"))
        s.add_block(crud)
        val = js_validator(s, ent)
        validate = re.search(r"function (validate\w+)\(", val).group(1)  # type: ignore[union-attr]
        s.add_block(val)
        resp = js_response(s, ent)
        respond = re.search(r"function (respond\d*)\(", resp).group(1)  # type: ignore[union-attr]
        s.add_block(resp)
        dispatch = fill(_JS_API_DISPATCH, c=c, E=snake(ent).upper(), get=get_, put=put_, dele=del_, validate=validate,
                        respond=respond, aserr=s.a(" as Error"))
        s.imp_type("aws-lambda", "APIGatewayProxyEventV2", "Context")
        params = f"event{s.a(': APIGatewayProxyEventV2 & Record<string, any>')}, context{s.a(': Context & Record<string, any>')}"
    elif role == "sqs":
        rec = js_records(s, ent)
        proc = re.search(r"function (process\w+)\(", rec).group(1)  # type: ignore[union-attr]
        s.add_block(rec)
        dispatch = f"return {proc}(event.Records);"
        s.imp_type("aws-lambda", "SQSEvent", "Context")
        params = f"event{s.a(': SQSEvent & Record<string, any>')}, context{s.a(': Context & Record<string, any>')}"
    elif role == "task":
        nrm = js_normalize(s, ent)
        norm = re.search(r"function (normalize\w+)\(", nrm).group(1)  # type: ignore[union-attr]
        s.add_block(nrm)
        val = js_validator(s, ent)
        validate = re.search(r"function (validate\w+)\(", val).group(1)  # type: ignore[union-attr]
        s.add_block(val)
        dispatch = (f"const {c}Data = {norm}(event.{c} ?? event);\nconst errors = {validate}({c}Data);\n"
                    f"if (errors.length > 0) throw new Error(`invalid {c}: ${{errors.join('; ')}}`);\nreturn {{ {c}: {c}Data, valid: true }};")
        params = f"event{s.a(': Record<string, any>')}, context{s.a(': unknown')}"
    else:
        dispatch, params = "", ""
    if not has_handler and s.body:  # a library's setup function (not a handler)
        fn = s.uniq(f"prepare{ent}Request")
        s.add_block("\n".join([f"{s.ex(fn)}async function {fn}(event{s.a(': Record<string, any>')}) {{"]
                              + ["  " + ln for ln in s.body] + ["  return { ready: true };", "}"]))
    tail = ""
    if has_handler:
        body = "\n".join("  " + ln if ln else "" for ln in s.body + dispatch.split("\n"))
        hname = rng.choice(("handler", "handler", "handler", f"{c}Handler"))
        if s.uses:
            base = f"const baseHandler = async ({params}) => {{\n{body}\n}};"
            chain = "middy(baseHandler)\n  " + "\n  ".join(s.uses)
            if s.esm:
                tail = f"{base}\n\nexport const {hname} = {chain};"
            else:
                tail = f"{base}\n\nmodule.exports.{hname} = {chain};"
        elif s.esm:
            tail = (f"export const {hname} = async ({params}) => {{\n{body}\n}};" if rng.random() < 0.7
                    else f"export async function {hname}({params}) {{\n{body}\n}}")
        else:
            r = rng.random()
            if r < 0.5:
                tail = f"exports.{hname} = async ({params}) => {{\n{body}\n}};"
            elif r < 0.75 or s.exports:
                tail = f"module.exports.{hname} = async ({params}) => {{\n{body}\n}};"
            else:
                tail = f"const {hname} = async ({params}) => {{\n{body}\n}};\n\nmodule.exports = {{ {hname} }};"
        s.size += len(tail)
    js_fill(s, target, db=role == "api" or s.ddb is not None)
    doc = f"{domain}: {role} {'handler' if has_handler else 'module'} for {kebab(ent).replace('-', ' ')}s."
    text = s.render(doc, tail)
    return text, s


# -- Handler corpus on disk -----------------------------------------------------

HANDLER_LANGUAGES = ("python", "js")
_PY_LIB_NAMES = ("models", "validation", "utils", "service", "helpers", "mappers", "constants", "dates", "pagination")
_PY_SECRET_LIB_NAMES = ("config", "settings", "secrets", "clients", "partner_client")


@dataclass
class HandlerCorpus:
    root: Path
    language: str
    code_files: int = 0
    files: int = 0
    bytes: int = 0
    code_bytes: int = 0
    largest: int = 0
    secret_files: int = 0
    hardcoded_files: int = 0
    precheck_pass: int | None = 0  # files the linter's cheap pre-check sends to the parser (None: not available)
    exts: dict[str, int] = field(default_factory=dict)
    roles: dict[str, int] = field(default_factory=dict)
    expected: dict[str, int] = field(default_factory=dict)  # findings planted, by rule

    def note_measured(self, size: int) -> None:
        self.code_files += 1
        self.code_bytes += size
        self.largest = max(self.largest, size)


def _handler_target(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.55:
        return rng.randint(1_000, 6_000)
    if r < 0.85:
        return rng.randint(6_000, 15_000)
    return rng.randint(15_000, 30_000)


def _precheck() -> Callable[[str], bool] | None:
    try:
        from lambda_secrets_lint.parsers.code_precheck import worth_parsing
    except ImportError:
        return None
    return worth_parsing


def _manifest(rng: random.Random, language: str, svc: str, flavor: str) -> tuple[str, str]:
    if language == "python":
        deps = ["boto3==1.34.162", "aws-lambda-powertools==2.43.1"] + rng.sample(
            ["cachetools==5.4.0", "pg8000==1.31.2", "requests==2.32.3", "pydantic==2.8.2", "aws-xray-sdk==2.14.0"], 2)
        return "requirements.txt", "\n".join(deps) + "\n"
    deps = {"@aws-sdk/client-dynamodb": "^3.637.0", "@aws-sdk/lib-dynamodb": "^3.637.0",
            "@aws-sdk/client-secrets-manager": "^3.637.0", "@aws-sdk/client-ssm": "^3.637.0"}
    for extra, ver in rng.sample([("@middy/core", "^5.4.6"), ("@middy/ssm", "^5.4.6"), ("@middy/secrets-manager", "^5.4.6"),
                                  ("@aws-lambda-powertools/logger", "^2.7.0"), ("@aws-lambda-powertools/parameters", "^2.7.0"),
                                  ("pino", "^9.3.2"), ("aws-sdk", "^2.1691.0")], 4):
        deps[extra] = ver
    doc: dict[str, Any] = {"name": svc, "version": "1.0.0", "private": True, "dependencies": dict(sorted(deps.items()))}
    if flavor == "ts":
        doc["devDependencies"] = {"typescript": "^5.5.4", "@types/aws-lambda": "^8.10.143", "esbuild": "^0.23.1"}
    elif flavor == "mjs":
        doc["type"] = "module"
    return "package.json", json.dumps(doc, indent=2) + "\n"


def generate_handlers(n: int, seed: int, root: Path, language: str) -> HandlerCorpus:
    """Write n handler / library source files of one language under root,
    grouped into services (each with its requirements.txt / package.json)."""
    rng = random.Random(f"lsl-bench-handlers:{seed}:{n}:{language}")
    root.mkdir(parents=True, exist_ok=True)
    (root / ".git").mkdir(exist_ok=True)
    (root / MARKER).write_text("generated by scripts/bench.py; safe to delete\n", "utf-8")
    corpus = HandlerCorpus(root, language)
    precheck = _precheck()
    if precheck is None:
        corpus.precheck_pass = None
    big = set(rng.sample(range(n), max(1, round(n * 0.004)))) if n >= 100 else set()
    used: set[str] = set()
    left = 0
    base = flavor = domain = ""

    def write(rel: str, text: str, code: bool) -> None:
        write_file(root, corpus, rel, text, code)

    for i in range(n):
        if left == 0:  # a new service
            left = rng.randint(4, 40)
            domain = rng.choice(DOMAINS)
            svc = f"{domain}-{rng.choice(('api', 'worker', 'service', 'sync', 'events', 'jobs'))}-{i:05d}"
            team = rng.choice(TEAMS)
            base = rng.choice((f"services/{svc}", f"services/{team}/{svc}", f"apps/{svc}/backend"))
            flavor = "py" if language == "python" else rng.choices(("ts", "mjs", "js"), (50, 20, 30))[0]
            mname, mtext = _manifest(rng, language, svc, flavor)
            write(f"{base}/{mname}", mtext, False)
        left -= 1
        secret = rng.random() < HANDLER_SECRET_RATE
        hardcoded = rng.random() < HARDCODED_RATE
        if secret:
            role = rng.choices(("api", "sqs", "task", "lib"), (35, 20, 25, 20))[0]
        else:
            r = rng.random()
            role = "api" if r < CRUD_SHARE else rng.choice(("task", "sqs")) if r < CRUD_SHARE + PURE_HANDLER_SHARE else "lib"
        target = rng.randint(140_000, 160_000) if i in big else _handler_target(rng)
        ent_word = snake(rng.choice(ENTITIES))
        if language == "python":
            text, src = make_py_file(rng, domain, role, target, secret, hardcoded)
            ext = ".py"
            if role == "lib":
                name = rng.choice(_PY_SECRET_LIB_NAMES if secret else _PY_LIB_NAMES)
                rel = f"{base}/src/lib/{rng.choice(('', 'core/', 'common/'))}{ent_word}_{name}"
            else:
                rel = f"{base}/src/handlers/{snake(rng.choice(ACTIONS))}_{ent_word}"
        else:
            text, src = make_js_file(rng, domain, role, target, secret, hardcoded, flavor)
            ext = ".ts" if flavor == "ts" else ".mjs" if flavor == "mjs" else ".js"
            stem = rng.choice((f"{kebab(rng.choice(ACTIONS))}-{kebab(ent_word)}", camel(f"{rng.choice(ACTIONS)}_{ent_word}")))
            if role == "lib":
                rel = f"{base}/src/lib/{rng.choice(('', 'utils/', 'models/', 'clients/'))}{kebab(ent_word)}-{rng.choice(('model', 'utils', 'service', 'config', 'validation'))}"
            else:
                rel = f"{base}/src/handlers/{stem}"
        k = 2
        path = rel + ext
        while path in used:
            path = f"{rel}-{k}{ext}"
            k += 1
        used.add(path)
        write(path, text, True)
        corpus.exts[ext] = corpus.exts.get(ext, 0) + 1
        corpus.roles[role] = corpus.roles.get(role, 0) + 1
        corpus.secret_files += secret
        corpus.hardcoded_files += hardcoded
        if precheck is not None and precheck(text):
            corpus.precheck_pass = (corpus.precheck_pass or 0) + 1
        for rule, count in src.expected.items():
            corpus.expected[rule] = corpus.expected.get(rule, 0) + count
    corpus.expected = dict(sorted(corpus.expected.items()))
    return corpus


# ---------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------

# Runs in a fresh interpreter: starts the lint, waits for it with wait4 and
# prints its own wall time and the child's rusage as JSON.
_HELPER = r"""
import json, os, subprocess, sys, time
cmd = json.loads(sys.argv[1])
t0 = time.perf_counter()
p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
err = p.stderr.read()
_, status, ru = os.wait4(p.pid, 0)
wall = time.perf_counter() - t0
p.returncode = os.waitstatus_to_exitcode(status)
print(json.dumps({"wall": wall, "maxrss": ru.ru_maxrss, "utime": ru.ru_utime, "stime": ru.ru_stime,
                  "rc": p.returncode, "stderr": err.decode("utf-8", "replace")[-2000:]}))
"""


def lint_command(corpus: Path, report: Path) -> list[str]:
    return [sys.executable, "-m", "lambda_secrets_lint", "check", str(corpus),
            "--format", "json", "-o", str(report), "--fail-on", "never"]


def _rss_mb(maxrss: int) -> float:
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024


def measure(corpus: Path, report: Path) -> dict[str, Any]:
    cmd = lint_command(corpus, report)
    proc = subprocess.run([sys.executable, "-c", _HELPER, json.dumps(cmd)], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"bench: measuring helper failed: {proc.stderr.strip()[-2000:]}")
    info = json.loads(proc.stdout)
    if info["rc"] != 0:
        hint = ""
        if "ModuleNotFoundError" in info["stderr"]:
            hint = ("\nbench: hint: handler files need the extractors lambda_secrets_lint.parsers.python_code and "
                    "lambda_secrets_lint.parsers.js_code")
        raise SystemExit(f"bench: lint exited {info['rc']}: {info['stderr'].strip()}{hint}")
    return info


@dataclass
class Result:
    n: int
    files: int  # files the linter reports as scanned
    files_written: int
    templates: int
    mb: float  # all corpus bytes, MiB
    template_mb: float
    largest_kb: float
    seconds: float  # best wall time of the lint subprocess
    user_s: float
    sys_s: float
    files_per_s: float
    mb_per_s: float
    peak_rss_mb: float
    findings: int
    expected_findings: int
    suppressed: int
    expected_suppressed: int
    functions: int
    env_vars: int
    kinds: dict[str, int]
    generate_s: float
    runs: int
    corpus: str | None  # kept corpus path, else None


def bench_one(n: int, seed: int, out: Path | None, keep: bool, repeat: int, log: Any) -> Result:
    work, root = _prepare(n, out, "lsl-bench")
    try:
        log(f"bench: generating {n} templates in {root} …")
        t0 = time.perf_counter()
        corpus = generate(n, seed, root)
        gen_s = time.perf_counter() - t0
        best: dict[str, Any] | None = None
        peak = 0  # the highest RSS of any run (runs differ little; report the worst)
        for k in range(repeat):
            log(f"bench: linting N={n} (run {k + 1}/{repeat}) …")
            info = measure(root, work / "report.json")
            peak = max(peak, info["maxrss"])
            if best is None or info["wall"] < best["wall"]:
                best = info
        assert best is not None
        summary = json.loads((work / "report.json").read_text("utf-8"))["summary"]
        mb = corpus.bytes / 2**20
        return Result(
            n=n, files=summary["files"], files_written=corpus.files, templates=corpus.templates,
            mb=round(mb, 2), template_mb=round(corpus.template_bytes / 2**20, 2), largest_kb=round(corpus.largest / 1024, 1),
            seconds=round(best["wall"], 3), user_s=round(best["utime"], 3), sys_s=round(best["stime"], 3),
            files_per_s=round(summary["files"] / best["wall"], 1), mb_per_s=round(mb / best["wall"], 2),
            peak_rss_mb=round(_rss_mb(peak), 1),
            findings=summary["findings"], expected_findings=corpus.expected_findings,
            suppressed=summary["suppressed"], expected_suppressed=corpus.counts.suppressed,
            functions=corpus.counts.functions, env_vars=corpus.counts.env_vars, kinds=dict(sorted(corpus.kinds.items())),
            generate_s=round(gen_s, 2), runs=repeat, corpus=str(root) if (keep or out) else None,
        )
    finally:
        _cleanup(work, out, keep)


def _print_rows(cols: list[tuple[str, str, str]], results: list[Any]) -> None:
    rows = [[fmt.format(getattr(r, attr)) for _, attr, fmt in cols] for r in results]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, (h, _, _) in enumerate(cols)]
    print("  ".join(h.rjust(w) for (h, _, _), w in zip(cols, widths)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(c.rjust(w) for c, w in zip(row, widths)))


def print_table(results: list[Result]) -> None:
    cols = [("N", "n", "{:d}"), ("files", "files", "{:d}"), ("MB", "mb", "{:.1f}"), ("seconds", "seconds", "{:.2f}"),
            ("files/s", "files_per_s", "{:.0f}"), ("MB/s", "mb_per_s", "{:.2f}"), ("peak RSS MB", "peak_rss_mb", "{:.1f}"),
            ("findings", "findings", "{:d}")]
    _print_rows(cols, results)
    for r in results:
        extra = f"N={r.n}: {r.templates} templates ({r.template_mb:.1f} MB, largest {r.largest_kb:.0f} KB), " \
                f"{r.functions} functions, {r.env_vars} env vars; user {r.user_s:.2f}s sys {r.sys_s:.2f}s; " \
                f"generated in {r.generate_s:.1f}s"
        print(extra)
        if r.findings != r.expected_findings or r.suppressed != r.expected_suppressed:
            print(f"  note: N={r.n}: {r.findings} findings / {r.suppressed} suppressed, generator planted "
                  f"{r.expected_findings} / {r.expected_suppressed}")
        if r.corpus:
            print(f"  corpus kept in {r.corpus}")


@dataclass
class HandlerResult:
    language: str  # "python" | "js" (JavaScript and TypeScript)
    n: int  # source files asked for (per language)
    files: int  # files the linter reports as scanned (code + manifests)
    files_written: int
    code_files: int
    mb: float  # all corpus bytes, MiB
    code_mb: float
    largest_kb: float
    seconds: float
    user_s: float
    sys_s: float
    files_per_s: float
    mb_per_s: float
    peak_rss_mb: float
    findings: int
    expected_findings: int
    by_rule: dict[str, int]  # active findings by rule (LSL000: files that did not parse)
    expected_by_rule: dict[str, int]  # what the generator planted
    secret_files: int
    hardcoded_files: int
    precheck_pass: int | None  # files the cheap pre-check sends to the parser
    exts: dict[str, int]
    roles: dict[str, int]
    generate_s: float
    runs: int
    corpus: str | None


def bench_handlers(n: int, seed: int, out: Path | None, keep: bool, repeat: int, log: Any) -> list[HandlerResult]:
    """One corpus and one lint per language, so each gets its own time and RSS."""
    results: list[HandlerResult] = []
    for lang in HANDLER_LANGUAGES:
        work, root = _prepare(n, out, f"lsl-bench-handlers-{lang}", f"handlers-{lang}-n{n}")
        try:
            log(f"bench: generating {n} {lang} handler files in {root} …")
            t0 = time.perf_counter()
            corpus = generate_handlers(n, seed, root, lang)
            gen_s = time.perf_counter() - t0
            best: dict[str, Any] | None = None
            peak = 0
            for k in range(repeat):
                log(f"bench: linting {lang} handlers N={n} (run {k + 1}/{repeat}) …")
                info = measure(root, work / "report.json")
                peak = max(peak, info["maxrss"])
                if best is None or info["wall"] < best["wall"]:
                    best = info
            assert best is not None
            report = json.loads((work / "report.json").read_text("utf-8"))
            summary = report["summary"]
            by_rule: dict[str, int] = {}
            for f in report["findings"]:
                if f.get("suppressed") is None:
                    by_rule[f["rule"]] = by_rule.get(f["rule"], 0) + 1
            mb = corpus.bytes / 2**20
            results.append(HandlerResult(
                language=lang, n=n, files=summary["files"], files_written=corpus.files, code_files=corpus.code_files,
                mb=round(mb, 2), code_mb=round(corpus.code_bytes / 2**20, 2), largest_kb=round(corpus.largest / 1024, 1),
                seconds=round(best["wall"], 3), user_s=round(best["utime"], 3), sys_s=round(best["stime"], 3),
                files_per_s=round(summary["files"] / best["wall"], 1), mb_per_s=round(mb / best["wall"], 2),
                peak_rss_mb=round(_rss_mb(peak), 1), findings=summary["findings"],
                expected_findings=sum(corpus.expected.values()), by_rule=dict(sorted(by_rule.items())),
                expected_by_rule=corpus.expected, secret_files=corpus.secret_files, hardcoded_files=corpus.hardcoded_files,
                precheck_pass=corpus.precheck_pass, exts=dict(sorted(corpus.exts.items())),
                roles=dict(sorted(corpus.roles.items())), generate_s=round(gen_s, 2), runs=repeat,
                corpus=str(root) if (keep or out) else None,
            ))
        finally:
            _cleanup(work, out, keep)
    return results


def print_handler_table(results: list[HandlerResult]) -> None:
    cols = [("N", "n", "{:d}"), ("language", "language", "{}"), ("files", "files", "{:d}"), ("MB", "mb", "{:.1f}"),
            ("seconds", "seconds", "{:.2f}"), ("files/s", "files_per_s", "{:.0f}"), ("MB/s", "mb_per_s", "{:.2f}"),
            ("peak RSS MB", "peak_rss_mb", "{:.1f}"), ("findings", "findings", "{:d}")]
    _print_rows(cols, results)
    for r in results:
        exts = ", ".join(f"{v} {k}" for k, v in r.exts.items())
        pre = "" if r.precheck_pass is None else \
            f"; pre-check parses {r.precheck_pass} ({100 * r.precheck_pass / max(1, r.code_files):.0f}%)"
        print(f"{r.language} N={r.n}: {exts} ({r.code_mb:.1f} MB, largest {r.largest_kb:.0f} KB); "
              f"{r.secret_files} touch secrets, {r.hardcoded_files} with a credential literal{pre}; "
              f"user {r.user_s:.2f}s sys {r.sys_s:.2f}s; generated in {r.generate_s:.1f}s")
        rules = sorted(set(r.by_rule) | set(r.expected_by_rule))
        print("  by rule (found/planted): " + ", ".join(f"{k} {r.by_rule.get(k, 0)}/{r.expected_by_rule.get(k, 0)}" for k in rules))
        if r.by_rule != r.expected_by_rule:
            diff = [k for k in rules if r.by_rule.get(k, 0) != r.expected_by_rule.get(k, 0)]
            print(f"  note: {r.language} N={r.n}: {r.findings} findings, generator planted {r.expected_findings}; "
                  f"differs for {', '.join(diff)}")
        if r.corpus:
            print(f"  corpus kept in {r.corpus}")


# ---------------------------------------------------------------------------
# Profiling
# ---------------------------------------------------------------------------


def _profile(label: str, work: Path, root: Path, profile_out: str | None, top: int) -> None:
    import cProfile
    import pstats

    # The CLI imports parsers, rules and reporters lazily, so their import
    # time is inside the profile, as it is in a real run.
    from lambda_secrets_lint.cli import cli

    args = lint_command(root, work / "report.json")[4:]  # drop "python -m lambda_secrets_lint check"
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    try:
        cli.main(args=["check", *args], prog_name="lambda-secrets-lint", standalone_mode=False)
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise
    finally:
        prof.disable()
    wall = time.perf_counter() - t0
    summary = json.loads((work / "report.json").read_text("utf-8"))["summary"]
    print(f"{label}: {summary['files']} files, {summary['findings']} findings, {wall:.2f}s under cProfile\n")
    if profile_out:
        prof.dump_stats(profile_out)
        print(f"profile written to {profile_out} (python -m pstats {profile_out})\n")
    stats = pstats.Stats(prof, stream=sys.stdout)
    stats.strip_dirs()
    print(f"=== top {top} by cumulative time ===")
    stats.sort_stats("cumulative").print_stats(top)
    print(f"=== top {top} by own time (tottime) ===")
    stats.sort_stats("tottime").print_stats(top)


def profile_one(n: int, seed: int, out: Path | None, keep: bool, profile_out: str | None, top: int) -> None:
    work, root = _prepare(n, out, "lsl-bench-prof")
    try:
        corpus = generate(n, seed, root)
        print(f"bench: profiling N={n}: {corpus.templates} templates, {corpus.bytes / 2**20:.1f} MB, in-process", file=sys.stderr)
        _profile(f"N={n}", work, root, profile_out, top)
        if keep or out:
            print(f"corpus kept in {root}")
    finally:
        _cleanup(work, out, keep)


def profile_handlers(n: int, seed: int, out: Path | None, keep: bool, profile_out: str | None, top: int) -> None:
    """One profile per language; with --profile-out FILE, FILE gets a -python / -js suffix."""
    for lang in HANDLER_LANGUAGES:
        work, root = _prepare(n, out, f"lsl-bench-prof-handlers-{lang}", f"handlers-{lang}-n{n}")
        try:
            corpus = generate_handlers(n, seed, root, lang)
            print(f"bench: profiling {lang} handlers N={n}: {corpus.code_files} files, "
                  f"{corpus.bytes / 2**20:.1f} MB, in-process", file=sys.stderr)
            dest = None
            if profile_out:
                base, ext = os.path.splitext(profile_out)
                dest = f"{base}-{lang}{ext}"
            _profile(f"{lang} handlers N={n}", work, root, dest, top)
            if keep or out:
                print(f"corpus kept in {root}")
        finally:
            _cleanup(work, out, keep)


# ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="Timings include interpreter start-up; the corpus is seeded, so runs are comparable.")
    ap.add_argument("--sizes", type=int, nargs="+", metavar="N",
                    help="template corpus sizes; default 1000, or none when --handlers is given alone")
    ap.add_argument("--handlers", type=int, nargs="+", metavar="N",
                    help="also (or, without --sizes, only) benchmark N synthetic handler source files per language "
                         "(Python; JavaScript/TypeScript), each language linted on its own")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--out", type=Path, help="write corpora to OUT/n<N> and OUT/handlers-<language>-n<N> (kept; an old one made by "
                                            "bench.py is replaced) instead of a temp dir")
    ap.add_argument("--keep", action="store_true", help="keep the temp corpora and print where they are")
    ap.add_argument("--repeat", type=int, default=1, metavar="R", help="lint each corpus R times, report the best wall time")
    ap.add_argument("--json", action="store_true", help="print machine-readable JSON instead of the table")
    ap.add_argument("--profile", action="store_true", help="run the lint in-process under cProfile and print hot spots")
    ap.add_argument("--profile-out", metavar="FILE", help="with --profile: also write the raw pstats data")
    ap.add_argument("--top", type=int, default=25, help="with --profile: entries per listing (default 25)")
    args = ap.parse_args(argv)
    if args.sizes is None:
        args.sizes = [] if args.handlers else [1000]
    handler_sizes: list[int] = args.handlers or []
    if any(n < 1 for n in args.sizes):
        ap.error("--sizes must be positive")
    if any(n < 1 for n in handler_sizes):
        ap.error("--handlers must be positive")
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    if args.profile and args.json:
        ap.error("--profile prints text; drop --json")
    out = Path(os.path.abspath(args.out)) if args.out else None

    if args.profile:
        for n in args.sizes:
            profile_one(n, args.seed, out, args.keep, args.profile_out, args.top)
        for n in handler_sizes:
            profile_handlers(n, args.seed, out, args.keep, args.profile_out, args.top)
        return 0

    def log(msg: str) -> None:
        if not args.json:
            print(msg, file=sys.stderr, flush=True)

    results = [bench_one(n, args.seed, out, args.keep, args.repeat, log) for n in args.sizes]
    handlers = [r for n in handler_sizes for r in bench_handlers(n, args.seed, out, args.keep, args.repeat, log)]
    if args.json:
        from lambda_secrets_lint import __version__

        print(json.dumps({
            "tool_version": __version__,
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpu_count": os.cpu_count(),
            "seed": args.seed,
            "command": lint_command(Path("CORPUS"), Path("REPORT")),
            "results": [asdict(r) for r in results],
            "handlers": [asdict(r) for r in handlers],
        }, indent=2))
    else:
        if results:
            print_table(results)
        if handlers:
            if results:
                print()
            print("handlers (per language; each corpus linted on its own):")
            print_handler_table(handlers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
