"""Resource ARNs for SSM parameters and Secrets Manager secrets (REFERENCE §C, §D.2, §D.3)."""
from __future__ import annotations

import re
from typing import Mapping

__all__ = ["ssm_parameter_arn", "secret_arn_patterns", "substitute", "is_complete_secret_arn"]

# Secrets Manager appends "-" + 6 random characters to every secret ARN.  An ARN
# whose secret name already ends like that is treated as a complete ARN (this is
# also how CDK's ``Secret.fromSecretArn`` and the service itself tell them apart).
_SECRET_SUFFIX_RE = re.compile(r"-[A-Za-z0-9]{6}$")
_SECRET_ARN_RE = re.compile(r"^arn:[^:]*:secretsmanager:[^:]*:[^:]*:secret:(?P<name>.+)$")
SECRET_SUFFIX_PATTERN = "-??????"


def ssm_parameter_arn(name: str, region: str = "*", account: str = "*", partition: str = "aws") -> str:
    """ARN of an SSM parameter.

    ``/a/b`` -> ``arn:aws:ssm:*:*:parameter/a/b`` (no double slash) and
    ``a`` -> ``arn:aws:ssm:*:*:parameter/a``.  A full ``arn:`` is returned as is.
    """
    if name.startswith("arn:"):
        return name
    path = name[1:] if name.startswith("/") else name
    return f"arn:{partition}:ssm:{region}:{account}:parameter/{path}"


def is_complete_secret_arn(arn: str) -> bool:
    """True for a secret ARN that already carries the random 6-char suffix."""
    m = _SECRET_ARN_RE.match(arn)
    return bool(m and _SECRET_SUFFIX_RE.search(m.group("name")))


def secret_arn_patterns(
    name_or_arn: str, region: str = "*", account: str = "*", partition: str = "aws"
) -> tuple[str, ...]:
    """Resource patterns a GetSecretValue on ``name_or_arn`` is authorized against.

    - a name ``prod/db`` -> ``arn:aws:secretsmanager:*:*:secret:prod/db-??????``;
    - a complete ARN (``...:secret:prod/db-AbCdEf``) -> itself;
    - a partial ARN (``...:secret:prod/db``) -> itself + ``-??????``.
    """
    if name_or_arn.startswith("arn:"):
        if is_complete_secret_arn(name_or_arn):
            return (name_or_arn,)
        return (name_or_arn + SECRET_SUFFIX_PATTERN,)
    return (f"arn:{partition}:secretsmanager:{region}:{account}:secret:{name_or_arn}{SECRET_SUFFIX_PATTERN}",)


_SUB_RE = re.compile(r"\$\{(!?)([^}]*)\}")


def substitute(template: str, params: Mapping[str, str]) -> str:
    """Resolve ``Fn::Sub``-style ``${X}`` placeholders.

    ``${AWS::Region}``, ``${AWS::AccountId}``, ``${AWS::Partition}`` and
    ``${Param}`` take their value from ``params``; unknown names become ``*``.
    ``${!Literal}`` is the Fn::Sub escape and renders as ``${Literal}``.
    """

    def repl(m: re.Match[str]) -> str:
        if m.group(1):
            return "${" + m.group(2) + "}"
        value = params.get(m.group(2).strip())
        return value if isinstance(value, str) else "*"

    return _SUB_RE.sub(repl, template)
