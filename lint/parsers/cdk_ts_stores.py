"""CDK TS/JS: the SSM parameters and Secrets Manager secrets a stack file
declares or imports, and the texts their attributes stand for (REFERENCE.md
§D.2, §D.3).

Part of the CDK TypeScript builder (lint/parsers/cdk_ts.py), which builds the
`SecretConstruct` / `ParamConstruct` records while it resolves expressions;
the role and grant reading of cdk_ts_iam.py asks this module what they name.

- Stores: `new ssm.StringParameter` / `StringListParameter`, the
  `fromStringParameter*` / `fromSecureStringParameterAttributes` imports,
  `new secretsmanager.Secret` / `DatabaseSecret` and the `fromSecret*`
  imports become `SecretStore`s; their names are IAM globs (`*` where a part
  is not static).
- What `param.parameterName`, `param.parameterArn`, `secret.secretArn`,
  `secret.secretName` evaluate to (`ValueSource.text`), so an env var that
  carries a name can be followed to the secret a handler reads. A secret's
  `secretArn` is the complete ARN `…:secret:<name>-??????` for a secret the
  stack creates, and the PARTIAL ARN `…:secret:<name>` for
  `fromSecretNameV2` — in an env value (the linker adds `-??????` to a
  partial ARN) and in a policy statement alike, where IAM compares it as
  written: the partial ARN matches no real secret, exactly the AccessDenied
  LSL301 reports.
- Which resource `grantRead` names (CDK's `arnForPolicies`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Sequence

from lambda_secrets_lint.iam.arns import SECRET_SUFFIX_PATTERN, is_complete_secret_arn, ssm_parameter_arn
from lambda_secrets_lint.model.infra import SecretStore
from lambda_secrets_lint.parsers.intrinsics import value_pattern
from lambda_secrets_lint.parsers.js.text import key_text, unwrap

if TYPE_CHECKING:  # pragma: no cover
    from tree_sitter import Node

    from lambda_secrets_lint.parsers.cdk_ts import _Builder

__all__ = [
    "ParamConstruct",
    "SecretConstruct",
    "file_stores",
    "glob_of",
    "grant_resources",
    "resource_text",
    "store_text",
]

_SECRET_ARN = "arn:*:secretsmanager:*:*:secret:"


@dataclass(frozen=True)
class SecretConstruct:
    """A Secrets Manager secret the file declares or imports.

    name: a display name (the literal name, else the variable) for messages.
    glob: the secret's name — or its ARN when imported by ARN — as a glob;
    None when nothing about it is static. form: "declared" (new Secret),
    "name" (fromSecretNameV2), "legacy-name" (fromSecretName), "complete" /
    "partial" (imported by ARN), "unknown" (e.g. `cluster.secret`).
    """

    name: str
    glob: str | None = None
    form: str = "unknown"
    kms: str = ""
    node: "Node | None" = field(default=None, compare=False, hash=False)


@dataclass(frozen=True)
class ParamConstruct:
    """An SSM parameter the file declares or imports (glob: its name; None when unknown)."""

    name: str
    secure: bool
    glob: str | None = None
    kms: str = ""
    node: "Node | None" = field(default=None, compare=False, hash=False)


def _secret_name_of(s: SecretConstruct) -> str | None:
    """The secret's NAME (secretName): an imported ARN's name without the suffix."""
    if s.glob is None:
        return None
    if s.form in ("complete", "partial"):
        name = s.glob.split(":secret:", 1)[-1]
        return re.sub(r"-[A-Za-z0-9]{6}$", "", name) if s.form == "complete" else name
    return s.glob


def store_text(kind: object, prop: str) -> str | None:
    """What `<construct>.<prop>` evaluates to at runtime, as a glob, in an ENV
    value (ValueSource.text); None when unknown."""
    if isinstance(kind, ParamConstruct) and kind.glob is not None:
        if prop == "parameterName":
            return kind.glob
        if prop == "parameterArn":
            return ssm_parameter_arn(kind.glob)
    if isinstance(kind, SecretConstruct) and kind.glob is not None:
        if prop == "secretName":
            return _secret_name_of(kind)
        if prop in ("secretArn", "secretFullArn"):
            if kind.form in ("complete", "partial"):
                return kind.glob
            if kind.form == "declared":  # CloudFormation returns the complete ARN
                return _SECRET_ARN + kind.glob + SECRET_SUFFIX_PATTERN
            # fromSecretNameV2: the PARTIAL ARN (the linker adds `-??????`).
            return _SECRET_ARN + kind.glob
    return None


def resource_text(kind: object, prop: str) -> tuple[str, bool] | None:
    """What `<construct>.<prop>` is as a policy RESOURCE: (glob, unresolved).
    The same text as at runtime: IAM compares it as written."""
    if not ((isinstance(kind, ParamConstruct) and prop == "parameterArn")
            or (isinstance(kind, SecretConstruct) and prop in ("secretArn", "secretFullArn"))):
        return None
    text = store_text(kind, prop)
    if text is None:  # nothing static about its name
        return ("arn:aws:ssm:*:*:parameter/*" if isinstance(kind, ParamConstruct) else _SECRET_ARN + "*"), True
    return text, "*" in (kind.glob or "")


def grant_resources(kind: SecretConstruct | ParamConstruct) -> tuple[str, bool]:
    """The resource `grantRead` names (CDK's `arnForPolicies`): (glob, unresolved)."""
    if isinstance(kind, ParamConstruct):
        if kind.glob is None:
            return "arn:aws:ssm:*:*:parameter/*", True
        return ssm_parameter_arn(kind.glob), "*" in kind.glob
    if kind.glob is None:
        return _SECRET_ARN + "*", True
    unresolved = "*" in kind.glob
    if kind.form == "complete" or (kind.form == "partial" and is_complete_secret_arn(kind.glob)):
        return kind.glob, unresolved
    if kind.form == "partial":
        return kind.glob + SECRET_SUFFIX_PATTERN, unresolved
    if kind.form == "legacy-name":  # deprecated fromSecretName grants on `name*`
        return _SECRET_ARN + kind.glob + "*", True
    return _SECRET_ARN + kind.glob + SECRET_SUFFIX_PATTERN, unresolved


def glob_of(pieces: Sequence[object]) -> str | None:
    """An env value's `pattern` from the ordered pieces `_pieces` produced
    (the same rule as CloudFormation's, lint/parsers/intrinsics.py)."""
    return value_pattern(list(pieces))


def file_stores(b: "_Builder") -> tuple[SecretStore, ...]:
    """Every parameter and secret the file declares or imports, in source order."""
    refs: dict[int, str] = {}
    for key, entries in b.decls.items():
        for _, _, value in entries:
            refs.setdefault(unwrap(value).start_byte, key)
    out: list[SecretStore] = []
    seen: set[int] = set()
    for node in sorted(b.news + b.calls, key=lambda n: n.start_byte):
        if node.start_byte in seen or not _declares_store(b, node):
            continue
        kind = b._kind(node, 0)
        if not isinstance(kind, (SecretConstruct, ParamConstruct)):
            continue
        seen.add(node.start_byte)
        service = "ssm" if isinstance(kind, ParamConstruct) else "secretsmanager"
        out.append(SecretStore(service, kind.glob or "*", b.src.location(node), refs.get(node.start_byte, ""),
                               kind.kms))
    return tuple(out)


def _declares_store(b: "_Builder", node: "Node") -> bool:
    if node.type == "new_expression":
        ctor = node.child_by_field_name("constructor")
        found = b._class_of(ctor) if ctor is not None else None
        return found is not None and found[1] in (
            "Secret", "DatabaseSecret", "StringParameter", "StringListParameter")
    callee = unwrap(node.child_by_field_name("function"))  # type: ignore[arg-type]
    if callee.type != "member_expression":
        return False
    method = key_text(b.src, callee.child_by_field_name("property")) or ""
    return method.startswith("fromSecret") or method in (
        "fromStringParameterName", "fromStringParameterAttributes", "fromStringParameterArn",
        "fromSecureStringParameterAttributes", "fromStringListParameterName")
