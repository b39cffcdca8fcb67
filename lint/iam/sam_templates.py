"""SAM ``Policies`` entries -> statements (REFERENCE §E.3, aws-sam-translator 1.115.0).

Parameter values may be plain strings or intrinsics; ``Ref`` resolves from the
optional ``context`` (pseudo parameters such as ``AWS::Region`` and template
parameter values), everything unknown becomes ``*`` and the statement is
flagged ``unresolved``.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

from .arns import substitute
from .managed import managed_policy_statements
from .policy import Statement, resolve_value, statements_from_document

__all__ = ["SAM_TEMPLATES", "expand_sam_policy"]

_SSM_READ = ("ssm:GetParameters", "ssm:GetParameter", "ssm:GetParametersByPath")


def _stmt(
    name: str, actions: tuple[str, ...], resource: str, *, condition: bool = False, unresolved: bool = False
) -> Statement:
    return Statement(
        effect="Allow",
        actions=actions,
        resources=(resource,),
        has_condition=condition,
        source=f"sam:{name}",
        unresolved=unresolved,
    )


def _ssm_read(name: str, sep: str) -> Callable[[Mapping[str, str], bool], tuple[Statement, ...]]:
    def build(p: Mapping[str, str], unresolved: bool) -> tuple[Statement, ...]:
        arn = substitute(
            "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter" + sep + "${ParameterName}", p
        )
        return (
            _stmt(name, ("ssm:DescribeParameters",), "*"),
            _stmt(name, _SSM_READ, arn, unresolved=unresolved),
        )

    return build


def _secret_get(p: Mapping[str, str], unresolved: bool) -> tuple[Statement, ...]:
    name = "AWSSecretsManagerGetSecretValuePolicy"
    return (_stmt(name, ("secretsmanager:GetSecretValue",), substitute("${SecretArn}", p), unresolved=unresolved),)


def _rotation(p: Mapping[str, str], unresolved: bool) -> tuple[Statement, ...]:
    name = "AWSSecretsManagerRotationPolicy"
    return (
        _stmt(
            name,
            (
                "secretsmanager:DescribeSecret",
                "secretsmanager:GetSecretValue",
                "secretsmanager:PutSecretValue",
                "secretsmanager:UpdateSecretVersionStage",
            ),
            substitute("arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:*", p),
            condition=True,  # StringEquals secretsmanager:resource/AllowRotationLambdaArn = this function
        ),
        _stmt(name, ("secretsmanager:GetRandomPassword",), "*"),
    )


def _kms_decrypt(p: Mapping[str, str], unresolved: bool) -> tuple[Statement, ...]:
    arn = substitute("arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${KeyId}", p)
    return (_stmt("KMSDecryptPolicy", ("kms:Decrypt",), arn, unresolved=unresolved),)


SAM_TEMPLATES: dict[str, Callable[[Mapping[str, str], bool], tuple[Statement, ...]]] = {
    "SSMParameterReadPolicy": _ssm_read("SSMParameterReadPolicy", "/"),
    "SSMParameterWithSlashPrefixReadPolicy": _ssm_read("SSMParameterWithSlashPrefixReadPolicy", ""),
    "AWSSecretsManagerGetSecretValuePolicy": _secret_get,
    "AWSSecretsManagerRotationPolicy": _rotation,
    "KMSDecryptPolicy": _kms_decrypt,
}


def expand_sam_policy(entry: Any, context: Mapping[str, str] | None = None) -> tuple[Statement, ...]:
    """Statements for one element of a SAM function's ``Policies`` list.

    - a string: an AWS managed policy name or ARN (see :mod:`.managed`); ``()`` if not modelled;
    - ``{TemplateName: {Param: value}}``: one of the SAM policy templates above;
    - ``{"Statement": [...]}``: an inline policy document;
    - anything else (unknown template, an intrinsic naming a policy ARN): ``()``.
    ``context`` supplies ``AWS::Region``/``AWS::AccountId``/``AWS::Partition`` and
    template parameter values; unknown values become ``*``.
    """
    ctx: Mapping[str, str] = context or {}
    if isinstance(entry, str):
        return managed_policy_statements(entry)
    if not isinstance(entry, Mapping):
        return ()
    if "Statement" in entry:
        return statements_from_document(entry, source="sam:inline", context=ctx)
    if len(entry) == 1:
        ((name, args),) = entry.items()
        builder = SAM_TEMPLATES.get(name)
        if builder is not None:
            params: dict[str, str] = dict(ctx)
            unresolved = False
            for key, value in (args or {}).items() if isinstance(args, Mapping) else ():
                params[key], widened = resolve_value(value, ctx)
                unresolved = unresolved or widened
            return builder(params, unresolved)
        if name in ("Fn::Sub", "Ref", "Fn::Join"):
            # e.g. !Sub arn:${AWS::Partition}:iam::aws:policy/X -- the partition does not matter
            resolved, _ = resolve_value(entry, ctx)
            if "*" in resolved.rsplit("/", 1)[-1]:
                return ()
            return managed_policy_statements(resolved)
    return ()
