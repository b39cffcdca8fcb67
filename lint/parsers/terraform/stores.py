"""Parameters and secrets a Terraform file declares (`Template.stores`), with
the customer-managed KMS key they are encrypted with, if any: a read of such
a store needs `kms:Decrypt` as well (REFERENCE.md §C).

- `resource "aws_ssm_parameter"`: `name`; `key_id` on a SecureString names a
  CMK unless it is the AWS-managed `alias/aws/ssm`.
- `resource "aws_secretsmanager_secret"`: `name` (or `name_prefix`), as the
  secret's ARN glob; `kms_key_id` a CMK unless `alias/aws/secretsmanager`.

A store whose name is not known at all is left out: it would match every
read and demand kms:Decrypt for all of them.
"""
from __future__ import annotations

from lambda_secrets_lint.model.infra import SecretStore
from lambda_secrets_lint.parsers.terraform.hcl import HclFile, block_header, block_labels, blocks, top_body
from lambda_secrets_lint.parsers.terraform.module import Declared
from lambda_secrets_lint.parsers.terraform.static import WIDE, Static, secret_arn

__all__ = ["declared_stores", "KMS_ANY"]

KMS_ANY = "arn:*:kms:*:*:key/*"
_SSM = "aws_ssm_parameter"
_SECRET = "aws_secretsmanager_secret"


def declared_stores(static: Static, f: HclFile) -> tuple[SecretStore, ...]:
    out: list[SecretStore] = []
    for block in blocks(top_body(f), "resource"):
        labels = block_labels(f, block)
        if len(labels) != 2 or labels[0] not in (_SSM, _SECRET):
            continue
        decl = Declared(f, block)
        first, last = block_header(block)
        where = f.loc(first, last)
        ref = f"{labels[0]}.{labels[1]}"
        if labels[0] == _SSM:
            name = static.attr(decl, "name")
            if not _named(name):
                continue
            ptype = static.attr(decl, "type")
            key = static.attr(decl, "key_id") if ptype == "SecureString" else None
            out.append(SecretStore("ssm", _glob(name), where, ref=ref, kms_key=_kms(key, "alias/aws/ssm")))
        else:
            name = static.attr(decl, "name")
            if name is None:
                prefix = static.attr(decl, "name_prefix")
                name = prefix + WIDE if isinstance(prefix, str) else None
            if not _named(name):
                continue
            assert isinstance(name, str)
            key = static.attr(decl, "kms_key_id")
            out.append(SecretStore("secretsmanager", _glob(secret_arn(name)), where, ref=ref,
                                   kms_key=_kms(key, "alias/aws/secretsmanager")))
    return tuple(out)


def _named(name: object) -> bool:
    return isinstance(name, str) and bool(name.replace(WIDE, "").strip("/"))


def _glob(text: str) -> str:
    return text.replace(WIDE, "*")


def _kms(key: object, aws_managed: str) -> str:
    if key is None or key == "":
        return ""
    if isinstance(key, str):
        if key == aws_managed or key.endswith(":" + aws_managed):
            return ""  # the AWS-managed key: every principal of the account may use it
        if WIDE not in key and key.startswith("arn:") and ":key/" in key:
            return key
    return KMS_ANY
