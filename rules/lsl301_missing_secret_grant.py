"""LSL301 missing-secret-grant."""
from __future__ import annotations

from collections.abc import Iterable

from lambda_secrets_lint.iam.policy import evaluate
from lambda_secrets_lint.link.iam import FunctionLink, ResolvedRead, links_for
from lambda_secrets_lint.model.findings import Finding, Level, Related
from lambda_secrets_lint.model.location import Location
from lambda_secrets_lint.model.project import Project
from lambda_secrets_lint.rule import BaseRule, Example, RuleMeta, Settings

DOC = """\
## What it does
Follows each Lambda function (CloudFormation, SAM, CDK in TypeScript and
Python, Serverless Framework, Terraform) to its handler file and the local
modules it imports, finds the SSM parameters
and Secrets Manager secrets the handler reads — by literal name, or by a
name or ARN the infrastructure passes in an environment variable — and
checks the function role's policies for the action each read needs:
`ssm:GetParameter` for GetParameter, `ssm:GetParameters` for
GetParameters and for middy's `ssm` middleware, `ssm:GetParametersByPath`
on the path, `secretsmanager:GetSecretValue` (also for
BatchGetSecretValue), and `kms:Decrypt` when the infrastructure encrypts
that parameter or secret with a customer-managed key. Flags the read when
no statement allows it, or an explicit Deny blocks it.

It stays silent when it cannot know: an imported role, a customer-managed
or unmodelled managed policy, a statement with a Condition, a name computed
at runtime. `--verbose` lists what it could not link.

## Why is this bad
The function deploys fine and fails on its first invocation with
AccessDenied — often only in the environment where the secret exists, and
often after the change that removed or renamed the grant has shipped.
`ssm:GetParameter` does not authorise `GetParameters`, and CDK's
`grantRead` on a parameter does not include `GetParametersByPath`, so
"it has a grant" is not the same as "this call is allowed".

## Example
```yaml
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Environment:
        Variables:
          DB_PASSWORD_PARAM: /orders/prod/db-password
      # no Policies: the generated role can only write logs
```
```python
password = ssm.get_parameter(Name=os.environ["DB_PASSWORD_PARAM"], WithDecryption=True)
```

## Use instead
Grant exactly the parameter or secret the handler reads:
```yaml
      Policies:
        - SSMParameterWithSlashPrefixReadPolicy:
            ParameterName: /orders/prod/db-password
```
In CDK: `dbPassword.grantRead(fn)`.

## References
- [SSM: restricting access to parameters with IAM policies](https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-access.html)
- [Secrets Manager: permissions to retrieve secrets](https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples.html)
- [AWS SAM policy templates](https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-template-list.html)
"""

_TEMPLATE_MISSING = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
      Environment:
        Variables:
          DB_PASSWORD_PARAM: /orders/prod/db-password
"""

_TEMPLATE_GRANTED = _TEMPLATE_MISSING + """\
      Policies:
        - SSMParameterWithSlashPrefixReadPolicy:
            ParameterName: /orders/prod/db-password
"""

_HANDLER = """\
import os
from aws_lambda_powertools.utilities import parameters


def handler(event, context):
    password = parameters.get_parameter(os.environ["DB_PASSWORD_PARAM"], decrypt=True, max_age=300){mark}
    return {{"statusCode": 200 if password else 500}}
"""


class MissingSecretGrant(BaseRule):
    meta = RuleMeta(
        id="LSL301",
        name="missing-secret-grant",
        level=Level.ERROR,
        summary="The handler reads a secret or parameter its function's role may not read",
        doc=DOC,
        tags=("correctness", "iam", "secrets"),
        cwe=("CWE-285",),
        precision="high",
        security_severity="2.0",
        valid=(
            Example({"template.yaml": _TEMPLATE_GRANTED, "src/app.py": _HANDLER.format(mark="")},
                    "the SAM policy template grants the parameter"),
        ),
        invalid=(
            Example({"template.yaml": _TEMPLATE_MISSING, "src/app.py": _HANDLER.format(mark="  # expect: LSL301")},
                    "no grant: AccessDenied at runtime"),
        ),
    )

    def check(self, project: Project, settings: Settings) -> Iterable[Finding]:
        # One finding per reading line: several names or functions are listed in it.
        grouped: dict[Location, list[tuple[FunctionLink, ResolvedRead, tuple[str, ...], bool]]] = {}
        for fl in links_for(project).functions:
            role = fl.function.role
            if role is None or not role.known or role.partial:
                continue
            for rr in fl.handler_reads:
                missing, denied = _missing(rr, role.statements)
                if missing:
                    grouped.setdefault(rr.read.location, []).append((fl, rr, missing, denied))
        for location, items in grouped.items():
            yield self._finding(location, items)

    def _finding(self, location: Location, items: list[tuple[FunctionLink, ResolvedRead, tuple[str, ...], bool]]) -> Finding:
        fl, rr, missing, denied = items[0]
        role = fl.function.role
        assert role is not None
        whose = f"role {role.name}" if role.name else "the role"
        verb = "denies" if denied else "does not allow"
        parts = [f"{rr.label[:1].upper()}{rr.label[1:]} is read here, but {whose} of function {fl.function.logical_id} ({fl.template.path}) "
                 f"{verb} {', '.join(missing)} on it: the call fails with AccessDenied at runtime"]
        for other, orr, omissing, _ in items[1:4]:
            parts.append(f"also {orr.label}: {', '.join(omissing)} for function {other.function.logical_id}")
        if len(items) > 4:
            parts.append(f"and {len(items) - 4} more")
        related: list[Related] = []
        seen: set[Location] = set()
        for other, _, _, _ in items:
            if other.function.location not in seen:
                seen.add(other.function.location)
                related.append(Related(other.function.location, f"function {other.function.logical_id}"))
            r = other.function.role
            if r is not None and r.location is not None and r.location not in seen:
                seen.add(r.location)
                related.append(Related(r.location, f"{'role ' + r.name if r.name else 'its role'}: grant the read here"))
            # The statements that come closest (same service): usually the
            # grant with the wrong action or resource.
            if r is not None:
                service = rr.service + ":"
                for grant in r.grants:
                    st = grant.statement
                    if grant.location not in seen and any(a.lower().startswith(service) for a in st.actions):
                        seen.add(grant.location)
                        related.append(Related(grant.location, f"{grant.origin}: allows {', '.join(st.actions)} on {', '.join(st.resources) or 'NotResource'}"))
        key = "|".join(sorted({f"{i[0].function.logical_id}:{i[1].resource}:{','.join(i[2])}" for i in items}))
        return self.finding("; ".join(parts), location, f"{location.path}|{key}", tuple(related))


def _missing(rr: ResolvedRead, statements: tuple) -> tuple[tuple[str, ...], bool]:
    missing: list[str] = []
    denied = False
    checks = [(a, (rr.resource, *rr.alternatives)) for a in rr.actions]
    if rr.kms_key:
        checks.append(("kms:Decrypt", (rr.kms_key,)))
    for action, resources in checks:
        decisions = [evaluate(statements, action, resource) for resource in resources]
        if not any(d.allowed for d in decisions):
            missing.append(action)
            denied = denied or any(d.denying and d.allowing for d in decisions)
    return tuple(missing), denied
