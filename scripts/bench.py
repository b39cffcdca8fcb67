#!/usr/bin/env python3
"""Benchmark lambda-secrets-lint on generated CloudFormation/SAM corpora.

    python scripts/bench.py --sizes 1000 10000          # table on stdout
    python scripts/bench.py --sizes 1000 --json         # machine-readable
    python scripts/bench.py --sizes 1000 --profile      # cProfile, in-process
    python scripts/bench.py --sizes 200 --out /tmp/corpus --seed 7   # keep the corpus

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

--profile runs the same command in this process under cProfile and prints
the top 25 entries by cumulative time, then the top 25 by own time.
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
SUPPRESS_RATE = 0.05  # share of YAML secrets carrying a correct `# lsl: ignore[...]` comment


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


def _prepare(n: int, out: Path | None, prefix: str) -> tuple[Path, Path]:
    """(scratch dir for the report, corpus root); an old corpus under --out is
    replaced, but only if bench.py made it."""
    work = Path(tempfile.mkdtemp(prefix=f"{prefix}-{n}-"))
    root = (out / f"n{n}") if out else work / "corpus"
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
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        corpus.files += 1
        corpus.bytes += len(data)
        if template:
            corpus.templates += 1
            corpus.template_bytes += len(data)
            corpus.largest = max(corpus.largest, len(data))

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
        raise SystemExit(f"bench: lint exited {info['rc']}: {info['stderr'].strip()}")
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


def print_table(results: list[Result]) -> None:
    cols = [("N", "n", "{:d}"), ("files", "files", "{:d}"), ("MB", "mb", "{:.1f}"), ("seconds", "seconds", "{:.2f}"),
            ("files/s", "files_per_s", "{:.0f}"), ("MB/s", "mb_per_s", "{:.2f}"), ("peak RSS MB", "peak_rss_mb", "{:.1f}"),
            ("findings", "findings", "{:d}")]
    rows = [[fmt.format(getattr(r, attr)) for _, attr, fmt in cols] for r in results]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, (h, _, _) in enumerate(cols)]
    print("  ".join(h.rjust(w) for (h, _, _), w in zip(cols, widths)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(c.rjust(w) for c, w in zip(row, widths)))
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


# ---------------------------------------------------------------------------
# Profiling
# ---------------------------------------------------------------------------


def profile_one(n: int, seed: int, out: Path | None, keep: bool, profile_out: str | None, top: int) -> None:
    import cProfile
    import pstats

    work, root = _prepare(n, out, "lsl-bench-prof")
    try:
        corpus = generate(n, seed, root)
        print(f"bench: profiling N={n}: {corpus.templates} templates, {corpus.bytes / 2**20:.1f} MB, in-process", file=sys.stderr)
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
        print(f"N={n}: {summary['files']} files, {summary['findings']} findings, {wall:.2f}s under cProfile\n")
        if profile_out:
            prof.dump_stats(profile_out)
            print(f"profile written to {profile_out} (python -m pstats {profile_out})\n")
        stats = pstats.Stats(prof, stream=sys.stdout)
        stats.strip_dirs()
        print(f"=== top {top} by cumulative time ===")
        stats.sort_stats("cumulative").print_stats(top)
        print(f"=== top {top} by own time (tottime) ===")
        stats.sort_stats("tottime").print_stats(top)
        if keep or out:
            print(f"corpus kept in {root}")
    finally:
        _cleanup(work, out, keep)


# ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="Timings include interpreter start-up; the corpus is seeded, so runs are comparable.")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000], metavar="N", help="corpus sizes (templates); default 1000")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--out", type=Path, help="write corpora to OUT/n<N> (kept; an old one made by bench.py is replaced) instead of a temp dir")
    ap.add_argument("--keep", action="store_true", help="keep the temp corpora and print where they are")
    ap.add_argument("--repeat", type=int, default=1, metavar="R", help="lint each corpus R times, report the best wall time")
    ap.add_argument("--json", action="store_true", help="print machine-readable JSON instead of the table")
    ap.add_argument("--profile", action="store_true", help="run the lint in-process under cProfile and print hot spots")
    ap.add_argument("--profile-out", metavar="FILE", help="with --profile: also write the raw pstats data")
    ap.add_argument("--top", type=int, default=25, help="with --profile: entries per listing (default 25)")
    args = ap.parse_args(argv)
    if any(n < 1 for n in args.sizes):
        ap.error("--sizes must be positive")
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    if args.profile and args.json:
        ap.error("--profile prints text; drop --json")
    out = Path(os.path.abspath(args.out)) if args.out else None

    if args.profile:
        for n in args.sizes:
            profile_one(n, args.seed, out, args.keep, args.profile_out, args.top)
        return 0

    def log(msg: str) -> None:
        if not args.json:
            print(msg, file=sys.stderr, flush=True)

    results = [bench_one(n, args.seed, out, args.keep, args.repeat, log) for n in args.sizes]
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
        }, indent=2))
    else:
        print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
