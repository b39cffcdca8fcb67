"""What build_terraform adds for the LSL3xx rules (docs/design/iam-linking.md):
one object per module build that evaluates expressions (static.py), reads
policies (policy_json.py) and roles (iam.py) once, and completes each
function with its code (code.py) and role.
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from lambda_secrets_lint.model.infra import LambdaFunction, SecretStore
from lambda_secrets_lint.parsers.terraform.code import code_ref
from lambda_secrets_lint.parsers.terraform.env_text import TextEvaluator
from lambda_secrets_lint.parsers.terraform.hcl import (
    HclFile,
    attr_expr,
    attributes,
    block_body,
    block_labels,
    blocks,
    string_value,
    top_body,
)
from lambda_secrets_lint.parsers.terraform.iam import Roles
from lambda_secrets_lint.parsers.terraform.lambda_module import is_lambda_module, module_functions
from lambda_secrets_lint.parsers.terraform.policy_json import Policies
from lambda_secrets_lint.parsers.terraform.static import Static, TfIndex
from lambda_secrets_lint.parsers.terraform.stores import declared_stores

if TYPE_CHECKING:
    from tree_sitter import Node
else:
    Node = Any

__all__ = ["IamHook", "has_iam_facts"]

_STORE_TYPES = frozenset({"aws_ssm_parameter", "aws_secretsmanager_secret"})


def has_iam_facts(f: HclFile) -> bool:
    """The file declares a parameter or secret, or calls the Lambda registry
    module (a module `source` is always a literal string)."""
    body = top_body(f)
    for block in blocks(body, "resource"):
        if block_labels(f, block)[:1] and block_labels(f, block)[0] in _STORE_TYPES:
            return True
    for block in blocks(body, "module"):
        attr = attributes(block_body(block)).get("source")
        source = string_value(f, attr_expr(attr)) if attr is not None else None
        if source is not None and is_lambda_module(source):
            return True
    return False


class IamHook:
    def __init__(self, index: TfIndex) -> None:
        self.index = index
        self.static = Static(index)
        self.evaluator = TextEvaluator(index, self.static)
        # every variable unknown: what a grant may name once deployed (any_resources)
        self.policies = Policies(self.static, deploy=Static(index, with_defaults=False))
        self.roles = Roles(self.static, self.policies)

    @staticmethod
    def new_index() -> TfIndex:
        return TfIndex()

    def complete(self, f: HclFile, block: Node, fn: LambdaFunction) -> LambdaFunction:
        return replace(fn, code=code_ref(self.static, f, block), role=self.roles.for_function(f, block))

    def module_functions(self, f: HclFile) -> tuple[LambdaFunction, ...]:
        return tuple(module_functions(f, self.static, self.evaluator, self.roles, self.policies))

    def stores(self, f: HclFile) -> tuple[SecretStore, ...]:
        return declared_stores(self.static, f)
