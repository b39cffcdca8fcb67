"""LSL302 overbroad-secret-grant."""
from __future__ import annotations

from collections.abc import Iterable

from lambda_secrets_lint.iam.managed import is_broad_managed
from lambda_secrets_lint.iam.policy import is_overbroad
from lambda_secrets_lint.link.iam import origin_words as _origin
from lambda_secrets_lint.link.iam import links_for
from lambda_secrets_lint.model.findings import Finding, Level, Related
from lambda_secrets_lint.model.location import Location
from lambda_secrets_lint.model.project import Project
from lambda_secrets_lint.rule import BaseRule, Example, RuleMeta, Settings

DOC = """\
## What it does
Flags a statement on a Lambda function's role that lets the function read
every secret or parameter in the account: secret-read actions
(`ssm:GetParameter*`, `secretsmanager:GetSecretValue`, …, also through
`ssm:*`, `secretsmanager:*`, `*` or `NotAction`) on `Resource: "*"`, on
`arn:aws:ssm:*:*:parameter/*` or `arn:aws:secretsmanager:*:*:secret:*`, and
the managed policies that do the same (SecretsManagerReadWrite,
AmazonSSMFullAccess, AmazonSSMReadOnlyAccess, ReadOnlyAccess,
PowerUserAccess, AdministratorAccess). Covers CloudFormation and SAM roles
and `Policies`, CDK `addToRolePolicy` / `initialPolicy` / role props,
Serverless `iam.role.statements`, and Terraform role policies, attachments
and policy documents. A statement scoped to a path
(`parameter/orders/*`) is not flagged, nor one with a Condition.

## Why is this bad
The point of keeping secrets out of environment variables is that only the
function that needs a secret can read it. A role that can read every secret
turns one vulnerable dependency or injection bug in one function into a
leak of every database password and API key in the account.

## Example
```yaml
      Policies:
        - Statement:
            - Effect: Allow
              Action: secretsmanager:GetSecretValue
              Resource: "*"
```

## Use instead
```yaml
      Policies:
        - AWSSecretsManagerGetSecretValuePolicy:
            SecretArn: !Ref StripeApiKeySecret
```

## References
- [IAM: grant least privilege](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
- [Secrets Manager: permissions policy examples](https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples.html)
"""

_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  StripeApiKeySecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: payments/stripe-api-key
  ChargeFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: charge.handler
      Runtime: python3.12
      Environment:
        Variables:
          STRIPE_SECRET_ARN: !Ref StripeApiKeySecret
      Policies:
{policies}"""

_BROAD = """\
        - Statement:
            - Effect: Allow  # expect: LSL302
              Action: secretsmanager:GetSecretValue
              Resource: "*"
"""

_NARROW = """\
        - AWSSecretsManagerGetSecretValuePolicy:
            SecretArn: !Ref StripeApiKeySecret
"""

_HANDLER = """\
import os
from aws_lambda_powertools.utilities import parameters


def handler(event, context):
    api_key = parameters.get_secret(os.environ["STRIPE_SECRET_ARN"], max_age=300)
    return {"statusCode": 200 if api_key else 500}
"""


class OverbroadSecretGrant(BaseRule):
    meta = RuleMeta(
        id="LSL302",
        name="overbroad-secret-grant",
        level=Level.WARNING,
        summary="A function's role may read every secret or parameter in the account",
        doc=DOC,
        tags=("security", "iam", "secrets", "least-privilege"),
        cwe=("CWE-732",),
        precision="high",
        security_severity="6.5",
        valid=(Example({"template.yaml": _TEMPLATE.format(policies=_NARROW), "src/charge.py": _HANDLER},
                       "grant the one secret"),),
        invalid=(Example({"template.yaml": _TEMPLATE.format(policies=_BROAD), "src/charge.py": _HANDLER},
                         "GetSecretValue on every secret"),),
    )

    def check(self, project: Project, settings: Settings) -> Iterable[Finding]:
        done: set[Location] = set()
        for fl in links_for(project).functions:
            role = fl.function.role
            if role is None or not role.known:
                continue
            for grant in role.grants:
                if grant.location in done:
                    continue
                if grant.managed:
                    reason = f"managed policy {grant.managed} allows secret reads on every parameter or secret" if is_broad_managed(grant.managed) else None
                else:
                    reason = is_overbroad(grant.statement)
                if reason is None:
                    continue
                done.add(grant.location)
                whose = f"role {role.name}" if role.name else f"the role of function {fl.function.logical_id}"
                related = (Related(fl.function.location, f"function {fl.function.logical_id}"),)
                if fl.handler_location is not None:
                    related += (Related(fl.handler_location, f"handler of {fl.function.logical_id}"),)
                yield self.finding(
                    f"Grant {_origin(grant.origin)} on {whose}: {reason}; "
                    "any code in the function can then read every secret in the account — grant the specific ARNs it reads",
                    grant.location,
                    f"{grant.location.path}|{role.name or fl.function.logical_id}|{grant.origin}|{reason}",
                    related,
                )
