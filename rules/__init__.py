"""The rule registry: every rule, in ID order.

To add a rule: write a module `lslNNN_<name>.py` with a BaseRule subclass
whose RuleMeta carries the doc and VALID/INVALID examples, then list it here.
"""
from __future__ import annotations

from lambda_secrets_lint.rule import Rule
from lambda_secrets_lint.rules.lsl000_parse_error import ParseError
from lambda_secrets_lint.rules.lsl101_literal_secret_in_env import LiteralSecretInEnv
from lambda_secrets_lint.rules.lsl102_resolved_secret_in_env import ResolvedSecretInEnv
from lambda_secrets_lint.rules.lsl103_secret_read_from_env import SecretReadFromEnv
from lambda_secrets_lint.rules.lsl104_middleware_secret_to_env import MiddlewareSecretToEnv
from lambda_secrets_lint.rules.lsl105_secret_in_cdk_context import SecretInCdkContext
from lambda_secrets_lint.rules.lsl301_missing_secret_grant import MissingSecretGrant
from lambda_secrets_lint.rules.lsl302_overbroad_secret_grant import OverbroadSecretGrant
from lambda_secrets_lint.rules.lsl303_unused_secret_grant import UnusedSecretGrant
from lambda_secrets_lint.rules.lsl401_typosquatted_dependency import TyposquattedDependency
from lambda_secrets_lint.rules.lsl402_denylisted_dependency import DenylistedDependency
from lambda_secrets_lint.rules.lsl201_logged_secret import LoggedSecret
from lambda_secrets_lint.rules.lsl202_logged_environment import LoggedEnvironment
from lambda_secrets_lint.rules.lsl203_logged_secret_container import LoggedSecretContainer
from lambda_secrets_lint.rules.lsl204_secret_in_response_or_error import SecretInResponseOrError
from lambda_secrets_lint.rules.lsl205_hardcoded_secret_in_source import HardcodedSecretInSource
from lambda_secrets_lint.rules.lsl501_uncached_secret_fetch import UncachedSecretFetch
from lambda_secrets_lint.rules.lsl502_secret_cached_forever import SecretCachedForever
from lambda_secrets_lint.rules.lsl503_secure_string_not_decrypted import SecureStringNotDecrypted
from lambda_secrets_lint.rules.lsl900_unused_suppression import UnusedSuppression

ALL_RULES: tuple[Rule, ...] = (
    ParseError(),
    LiteralSecretInEnv(),
    ResolvedSecretInEnv(),
    SecretReadFromEnv(),
    MiddlewareSecretToEnv(),
    SecretInCdkContext(),
    LoggedSecret(),
    LoggedEnvironment(),
    LoggedSecretContainer(),
    SecretInResponseOrError(),
    HardcodedSecretInSource(),
    MissingSecretGrant(),
    OverbroadSecretGrant(),
    UnusedSecretGrant(),
    TyposquattedDependency(),
    DenylistedDependency(),
    UncachedSecretFetch(),
    SecretCachedForever(),
    SecureStringNotDecrypted(),
    UnusedSuppression(),
)


def by_id() -> dict[str, Rule]:
    return {r.meta.id: r for r in ALL_RULES}
