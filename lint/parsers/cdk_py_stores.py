"""CDK Python: the SSM parameters and Secrets Manager secrets a stack file
declares or imports (REFERENCE.md §D.2, §D.3), what their attributes
evaluate to at runtime, and which resource `grant_read` names.

- `ssm.StringParameter(parameter_name=…)` / `StringListParameter` /
  `CfnParameter(name=…)`; unnamed, CloudFormation calls it
  `CFN-<LogicalId>-<random>`.
- `StringParameter.from_string_parameter_name` / `…_attributes` /
  `from_secure_string_parameter_attributes(parameter_name=…, encryption_key=…)`.
- `secretsmanager.Secret(secret_name=…)` / `CfnSecret` / `rds.DatabaseSecret`:
  the ARN ends in a random `-??????`.
- `Secret.from_secret_name_v2(name)`: `secret_arn` is the PARTIAL ARN
  `…:secret:name`, `grant_read` names `…:secret:name-??????`; the deprecated
  `from_secret_name` grants `name*`.
- `from_secret_complete_arn` / `from_secret_partial_arn` / `from_secret_arn`
  (complete when it ends in a 6-character suffix) / `from_secret_attributes`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from lambda_secrets_lint.iam.arns import is_complete_secret_arn, ssm_parameter_arn
from lambda_secrets_lint.model.infra import SecretStore
from lambda_secrets_lint.model.location import Location
from lambda_secrets_lint.parsers.cdk_py import _arg, _last

if TYPE_CHECKING:
    from lambda_secrets_lint.parsers.cdk_py import _Builder, _Scope
    from lambda_secrets_lint.parsers.cdk_py_values import ValueReader

__all__ = ["KMS_ANY", "STORE_CTORS", "StoreReader", "StoreRec"]

KMS_ANY = "arn:*:kms:*:*:key/*"  # a customer-managed key whose ARN is not static
_SECRET_PREFIX = "arn:*:secretsmanager:*:*:secret:"
_SECRET_NAME_RE = re.compile(r"^arn:[^:]*:secretsmanager:[^:]*:[^:]*:secret:(?P<name>.+)$")

# (module, class[.method]) → how a parameter / secret comes to be.
STORE_CTORS: dict[tuple[str, str], str] = {
    ("aws_ssm", "StringParameter"): "ssm-new",
    ("aws_ssm", "StringListParameter"): "ssm-new",
    ("aws_ssm", "CfnParameter"): "ssm-cfn",
    ("aws_ssm", "StringParameter.from_string_parameter_name"): "ssm-name",
    ("aws_ssm", "StringParameter.from_string_parameter_attributes"): "ssm-attrs",
    ("aws_ssm", "StringParameter.from_secure_string_parameter_attributes"): "ssm-attrs",
    ("aws_ssm", "StringListParameter.from_string_list_parameter_name"): "ssm-name",
    ("aws_ssm", "StringListParameter.from_list_parameter_attributes"): "ssm-attrs",
    ("aws_secretsmanager", "Secret"): "sm-new",
    ("aws_secretsmanager", "CfnSecret"): "sm-cfn",
    ("aws_rds", "DatabaseSecret"): "sm-new",
    ("aws_secretsmanager", "Secret.from_secret_name_v2"): "sm-name-v2",
    ("aws_secretsmanager", "Secret.from_secret_name"): "sm-name-v1",
    ("aws_secretsmanager", "Secret.from_secret_complete_arn"): "sm-complete",
    ("aws_secretsmanager", "Secret.from_secret_partial_arn"): "sm-partial",
    ("aws_secretsmanager", "Secret.from_secret_arn"): "sm-arn",
    ("aws_secretsmanager", "Secret.from_secret_attributes"): "sm-attrs",
}
_ARN_KEYWORD = {"sm-complete": "secret_complete_arn", "sm-partial": "secret_partial_arn", "sm-arn": "secret_arn"}
_SSM_NAME_KEYWORD = {
    "from_string_parameter_name": "string_parameter_name",
    "from_string_list_parameter_name": "string_list_parameter_name",
}


def split_qual(qual: str) -> tuple[str, str] | None:
    """"aws_cdk.aws_ssm.StringParameter.from_x" → ("aws_ssm", "StringParameter.from_x")."""
    parts = qual.split(".")
    for i, part in enumerate(parts):
        if part.startswith("aws_") and part != "aws_cdk" and i + 1 < len(parts):
            return part, ".".join(parts[i + 1 :])
    return None


def _logical_glob(construct_id: str) -> str:
    """CDK logical ids are the construct path's alphanumerics plus a hash."""
    clean = re.sub(r"[^A-Za-z0-9]", "", construct_id)
    return f"*{clean}*" if clean else "*"


# Mutable on purpose: the variable that names a store (`ref`) is only seen
# after the construct call; frozen into SecretStore at the end.
@dataclass
class StoreRec:
    """A parameter or secret of the file. `name`: its name as a glob (None:
    unknown); `attr_arn`: what `.parameter_arn` / `.secret_arn` returns;
    `identity`: what SecretStore.name carries (a parameter's name, a
    secret's real ARN, which ends in a random suffix); `grant`: the resource
    `grant_read` names; `widened`: the name has parts the linter cannot see
    (then its grants are `unresolved`)."""

    service: str
    location: Location
    name: str | None
    attr_arn: str | None
    identity: str
    grant: str
    widened: bool
    kms: bool
    full_arn: str | None = None  # `.secret_full_arn` (None for name-imported secrets)
    ref: str = ""

    def freeze(self) -> SecretStore:
        return SecretStore(self.service, self.identity, self.location, ref=self.ref, kms_key=KMS_ANY if self.kms else "")


class StoreReader:
    def __init__(self, b: "_Builder", values: "ValueReader") -> None:
        self.b = b
        self.values = values
        self.recs: dict[int, StoreRec] = {}  # id(construct Call) → store

    def stores(self) -> tuple[SecretStore, ...]:
        return tuple(rec.freeze() for rec in self.recs.values())

    def register(self, call: cst.Call, how: str, scope: "_Scope") -> None:
        if id(call) not in self.recs:
            self.recs[id(call)] = self._build(call, how, scope)

    def on_assign(self, target: str, value: cst.BaseExpression) -> None:
        rec = self.recs.get(id(value))
        if rec is not None and not rec.ref:
            rec.ref = target

    def of(self, node: cst.BaseExpression, scope: "_Scope") -> StoreRec | None:
        """The store an expression refers to (through variables), if any."""
        resolved, rscope = self.b._resolve(node, scope)
        if not isinstance(resolved, cst.Call):
            return None
        if id(resolved) not in self.recs:
            split = split_qual(self.b.qualify(resolved.func))
            how = STORE_CTORS.get(split) if split is not None else None
            if how is None:
                return None
            self.register(resolved, how, rscope)  # built where the walk does not go (a lambda)
        return self.recs[id(resolved)]

    def attr_text(self, base: cst.BaseExpression, attr: str, scope: "_Scope") -> str | None:
        """What `param.parameter_name`, `secret.secret_arn` … evaluate to at
        runtime, as a glob; None when the object is not a store of the file."""
        rec = self.of(base, scope)
        if rec is None:
            return None
        text: str | None = None
        if attr in ("parameter_name", "secret_name"):
            text = rec.name
        elif attr in ("parameter_arn", "secret_arn"):
            text = rec.attr_arn
        elif attr == "secret_full_arn":
            text = rec.full_arn
        elif attr == "ref" and rec.service == "ssm":
            text = rec.name  # the Ref of a parameter is its name
        if text is not None and rec.widened:
            self.values.widened_texts.add(text)
        return text

    def _build(self, call: cst.Call, how: str, scope: "_Scope") -> StoreRec:
        b = self.b
        cid = b._text(_arg(call, 1, "id"), scope) or ""
        kms = _arg(call, None, "encryption_key") is not None
        where = b.loc(call)
        glob = self.values.glob
        if how.startswith("ssm"):
            node = _ssm_name_node(call, how)
            if node is None:  # unnamed: CloudFormation calls it CFN-<LogicalId>-<random>
                name: str | None = f"CFN-{_logical_glob(cid)}"
                widened = True
            else:
                name, widened = glob(node, scope)
            arn = ssm_parameter_arn(name) if name is not None else "arn:aws:ssm:*:*:parameter/*"
            return StoreRec("ssm", where, name, arn, name or "*", arn, widened or name is None, kms)
        if how in ("sm-new", "sm-cfn"):
            node = _arg(call, None, "name" if how == "sm-cfn" else "secret_name")
            name, widened = glob(node, scope) if node is not None else (None, True)
            # unnamed, the secret's name derives from its logical id
            real = f"{_SECRET_PREFIX}{name}-??????" if name is not None else f"{_SECRET_PREFIX}{_logical_glob(cid)}"
            return StoreRec("secretsmanager", where, name, real, real, real, widened, kms, full_arn=real)
        if how in ("sm-name-v2", "sm-name-v1"):
            name, widened = glob(_arg(call, 2, "secret_name"), scope)
            partial = f"{_SECRET_PREFIX}{name or '*'}"  # REFERENCE §D.3: secretArn is the partial ARN
            real = partial + "-??????"
            grant = real if how == "sm-name-v2" else partial + "*"  # the deprecated fromSecretName grants name*
            return StoreRec("secretsmanager", where, name, partial, real, grant, widened or name is None, kms)
        kind, node = how, None
        if how == "sm-attrs":
            for key, k in (("secret_complete_arn", "sm-complete"), ("secret_partial_arn", "sm-partial"), ("secret_arn", "sm-arn")):
                node = _arg(call, None, key)
                if node is not None:
                    kind = k
                    break
        else:
            node = _arg(call, 2, _ARN_KEYWORD[how])
        arn, widened = glob(node, scope) if node is not None else (None, True)
        if arn is None:
            arn, widened = f"{_SECRET_PREFIX}*", True
        if kind == "sm-arn":  # fromSecretArn tells complete from partial by the suffix
            kind = "sm-complete" if is_complete_secret_arn(arn) else "sm-partial"
        m = _SECRET_NAME_RE.match(arn)
        name = m.group("name") if m else None
        if kind == "sm-complete":
            if name is not None and is_complete_secret_arn(arn):
                name = name[: -len("-AbCdEf")]
            return StoreRec("secretsmanager", where, name, arn, arn, arn, widened, kms, full_arn=arn)
        real = arn + "-??????"
        return StoreRec("secretsmanager", where, name, arn, real, real, widened, kms)


def _ssm_name_node(call: cst.Call, how: str) -> cst.BaseExpression | None:
    if how == "ssm-name":
        return _arg(call, 2, _SSM_NAME_KEYWORD.get(_last(call.func), "string_parameter_name"))
    return _arg(call, None, "name" if how == "ssm-cfn" else "parameter_name")
