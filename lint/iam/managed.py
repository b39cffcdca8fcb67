"""Secret-relevant slices of AWS managed policies.

Only statements that bear on SSM parameters, Secrets Manager secrets and KMS
decryption are modelled (plus the logs/ec2 statements of the Lambda execution
roles, to document that they grant no secret access).

Provenance: action lists were checked against a public mirror of the AWS
managed policy documents (gh:badele/aws-policies-analyzer-docs
policies/<name>.md, commit 3656c16833d94b9b78baca69a7687b433c269624).  That
mirror lists allowed actions only, not Resource or Condition elements, so the
``Resource: "*"`` of every statement below is **[UNVERIFIED]** (it matches the
AWS documentation as remembered, not a primary source read here).
"""
from __future__ import annotations

from .policy import Statement, is_overbroad

__all__ = ["MANAGED_POLICIES", "managed_policy_name", "managed_policy_statements", "is_known_managed", "is_broad_managed"]


def _allow(name: str, *actions: str, resources: tuple[str, ...] = ("*",), not_actions: tuple[str, ...] = ()) -> Statement:
    return Statement(
        effect="Allow",
        actions=tuple(actions),
        not_actions=not_actions,
        resources=resources,
        source=f"managed:{name}",
    )


MANAGED_POLICIES: dict[str, tuple[Statement, ...]] = {
    # mirror: "secretsmanager:*" among many cloudformation/lambda/rds/... actions
    "SecretsManagerReadWrite": (_allow("SecretsManagerReadWrite", "secretsmanager:*"),),
    # mirror: ssm:Describe*, ssm:Get*, ssm:List* (nothing else)
    "AmazonSSMReadOnlyAccess": (_allow("AmazonSSMReadOnlyAccess", "ssm:Describe*", "ssm:Get*", "ssm:List*"),),
    # mirror: ssm:* (plus ec2messages:*, ssmmessages:*, logs:*, ds:..., iam service-linked-role actions)
    "AmazonSSMFullAccess": (_allow("AmazonSSMFullAccess", "ssm:*"),),
    # logs only: no secret access (from memory; consistent with the VPC role's logs statement)
    "AWSLambdaBasicExecutionRole": (
        _allow("AWSLambdaBasicExecutionRole", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"),
    ),
    # mirror: logs:CreateLogGroup/CreateLogStream/PutLogEvents + ec2 ENI actions; no secret access
    "AWSLambdaVPCAccessExecutionRole": (
        _allow(
            "AWSLambdaVPCAccessExecutionRole",
            "logs:CreateLogGroup",
            "logs:CreateLogStream",
            "logs:PutLogEvents",
            "ec2:CreateNetworkInterface",
            "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeSubnets",
            "ec2:DeleteNetworkInterface",
            "ec2:AssignPrivateIpAddresses",
            "ec2:UnassignPrivateIpAddresses",
        ),
    ),
    # mirror: ssm:Describe*, ssm:Get*, ssm:List* (so GetParameter(s)/ByPath/History: SSM values
    # ARE readable) and secretsmanager:Describe*, GetResourcePolicy, List* (no GetSecretValue).
    # Modelled unconditionally because the mirror confirmed the actions; Resource "*" is [UNVERIFIED].
    "ReadOnlyAccess": (
        _allow("ReadOnlyAccess", "ssm:Describe*", "ssm:Get*", "ssm:List*"),
        _allow("ReadOnlyAccess", "secretsmanager:Describe*", "secretsmanager:GetResourcePolicy", "secretsmanager:List*"),
    ),
    # "*" on "*" (well known)
    "AdministratorAccess": (_allow("AdministratorAccess", "*"),),
    # [UNVERIFIED] from memory: Allow NotAction [iam:*, organizations:*, account:*] on "*"
    # (plus a few iam/organizations/account read actions, not secret-relevant).
    "PowerUserAccess": (
        _allow("PowerUserAccess", not_actions=("iam:*", "organizations:*", "account:*")),
    ),
}

# AWS managed policies commonly attached to Lambda roles that grant no SSM
# parameter, Secrets Manager or KMS decrypt access (their action lists name
# other services only), so attaching them leaves a role's secret reads fully
# known. Any AWS managed policy outside both lists makes a role "partial".
for _name in (
    "AWSLambdaExecute",  # logs:*, s3:GetObject/PutObject
    "AWSLambdaSQSQueueExecutionRole",
    "AWSLambdaDynamoDBExecutionRole",
    "AWSLambdaKinesisExecutionRole",
    "AWSLambdaMSKExecutionRole",
    "AWSLambdaENIManagementAccess",
    "AWSXRayDaemonWriteAccess",
    "AWSXrayWriteOnlyAccess",
    "CloudWatchLambdaInsightsExecutionRolePolicy",
    "CloudWatchLogsFullAccess",
    "AmazonS3ReadOnlyAccess",
    "AmazonS3FullAccess",
    "AmazonDynamoDBReadOnlyAccess",
    "AmazonDynamoDBFullAccess",
    "AmazonSQSFullAccess",
    "AmazonSNSFullAccess",
    "AmazonEventBridgeFullAccess",
):
    MANAGED_POLICIES[_name] = ()

_LOOKUP = {k.lower(): k for k in MANAGED_POLICIES}


def managed_policy_name(name_or_arn: str) -> str:
    """``arn:aws:iam::aws:policy/service-role/X`` / ``arn:${AWS::Partition}:...`` / ``X`` -> ``X``."""
    s = name_or_arn.strip()
    if s.startswith("arn:"):
        if ":iam::aws:policy/" not in s:
            return s  # customer-managed policy ARN: keep as is (never a known managed name)
        s = s.rsplit("/", 1)[-1]
    return s


def _canonical(name_or_arn: str) -> str | None:
    return _LOOKUP.get(managed_policy_name(name_or_arn).lower())


def is_known_managed(name_or_arn: str) -> bool:
    return _canonical(name_or_arn) is not None


def managed_policy_statements(name_or_arn: str) -> tuple[Statement, ...]:
    """Modelled statements of an AWS managed policy; ``()`` when it is not modelled."""
    key = _canonical(name_or_arn)
    return MANAGED_POLICIES[key] if key else ()


def is_broad_managed(name_or_arn: str) -> bool:
    """LSL302: the managed policy allows secret reads on every parameter/secret."""
    return any(is_overbroad(st) for st in managed_policy_statements(name_or_arn))
