"""The rule registry: every rule, in ID order.

To add a rule: write a module `lslNNN_<name>.py` with a BaseRule subclass
whose RuleMeta carries the doc and VALID/INVALID examples, then list it here.
"""
from __future__ import annotations

from lambda_secrets_lint.rule import Rule
from lambda_secrets_lint.rules.lsl000_parse_error import ParseError
from lambda_secrets_lint.rules.lsl101_literal_secret_in_env import LiteralSecretInEnv
from lambda_secrets_lint.rules.lsl102_resolved_secret_in_env import ResolvedSecretInEnv
from lambda_secrets_lint.rules.lsl900_unused_suppression import UnusedSuppression

ALL_RULES: tuple[Rule, ...] = (
    ParseError(),
    LiteralSecretInEnv(),
    ResolvedSecretInEnv(),
    UnusedSuppression(),
)


def by_id() -> dict[str, Rule]:
    return {r.meta.id: r for r in ALL_RULES}
