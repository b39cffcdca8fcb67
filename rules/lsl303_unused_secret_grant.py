"""LSL303 unused-secret-grant."""
from __future__ import annotations

from collections.abc import Iterable

from lambda_secrets_lint.iam.arns import is_complete_secret_arn
from lambda_secrets_lint.iam.policy import _normalize_arn_pattern, patterns_intersect, specific_resources
from lambda_secrets_lint.link.iam import origin_words as _origin
from lambda_secrets_lint.link.iam import functions_by_role, links_for
from lambda_secrets_lint.model.findings import Finding, Level, Related
from lambda_secrets_lint.model.location import Location
from lambda_secrets_lint.model.project import Project
from lambda_secrets_lint.rule import BaseRule, Example, RuleMeta, Settings

DOC = """\
## What it does
Flags a grant on a function's role that names one specific parameter or
secret (wildcards only as Secrets Manager's random `-??????` suffix) when no
code the function ships reads it. It speaks only when it can see all of it:
every function using the role is linked to its handler, and every secret
read in the code under each function's code directory resolves to a name.
A grant written with a secret's partial ARN (no random suffix) for a secret
the code does read is not "unused": IAM never matches it, so the read is
denied and LSL301 reports that instead.

## Why is this bad
A grant nobody uses is attack surface with no benefit: if the function is
compromised, the attacker can read that secret too. Unused grants usually
outlive a refactor (the secret moved to another function, the name
changed), and they hide the real dependency graph from reviewers.

## Example
```yaml
      Policies:
        - AWSSecretsManagerGetSecretValuePolicy:
            SecretArn: !Ref LegacyPartnerSecret   # the handler stopped reading it
```

## Use instead
Remove the grant, or move it to the function that reads the secret.

## References
- [IAM Access Analyzer: unused access](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-findings.html)
- [IAM: grant least privilege](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
"""

_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  ReportFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: report.handler
      Runtime: python3.12
      Environment:
        Variables:
          WAREHOUSE_SECRET_ID: reporting/warehouse
      Policies:
        - AWSSecretsManagerGetSecretValuePolicy:
            SecretArn: !Sub arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:reporting/warehouse-??????
        - AWSSecretsManagerGetSecretValuePolicy:{mark}
            SecretArn: !Sub arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:reporting/legacy-ftp-??????
"""

_HANDLER = """\
import os
from aws_lambda_powertools.utilities import parameters


def handler(event, context):
    credentials = parameters.get_secret(os.environ["WAREHOUSE_SECRET_ID"], transform="json", max_age=300)
    legacy = {uses}
    return {{"statusCode": 200 if credentials and legacy is not None else 500}}
"""


class UnusedSecretGrant(BaseRule):
    meta = RuleMeta(
        id="LSL303",
        name="unused-secret-grant",
        level=Level.NOTE,
        summary="A function's role may read a specific secret or parameter its code never reads",
        doc=DOC,
        tags=("security", "iam", "secrets", "least-privilege"),
        cwe=("CWE-250",),
        precision="medium",
        security_severity="2.0",
        valid=(Example({"template.yaml": _TEMPLATE.replace("{mark}", ""),
                        "src/report.py": _HANDLER.format(uses='parameters.get_secret("reporting/legacy-ftp", max_age=300)')},
                       "both granted secrets are read"),),
        invalid=(Example({"template.yaml": _TEMPLATE.replace("{mark}", "  # expect: LSL303"),
                          "src/report.py": _HANDLER.format(uses="event.get(\"legacy\")")},
                         "the legacy secret is no longer read"),),
    )

    def check(self, project: Project, settings: Settings) -> Iterable[Finding]:
        done: set[Location] = set()
        for (_, _, _), links in functions_by_role(links_for(project)).items():
            role = links[0].function.role
            if role is None or not role.known or not all(fl.code_known for fl in links):
                continue
            read_resources = [rr.usage or rr.resource for fl in links for rr in fl.code_reads]
            for grant in role.grants:
                if grant.location in done or grant.managed:
                    continue
                deployed = _deployed(grant.statement)
                unused = [
                    r for r in specific_resources(grant.statement)
                    if not _used(deployed.get(r, r), read_resources)
                    and not (_partial_secret_arn(r) and _used(deployed.get(r, r) + "-??????", read_resources))
                ]
                if not unused:
                    continue
                done.add(grant.location)
                names = ", ".join(_short(r) for r in unused[:3]) + (f" and {len(unused) - 3} more" if len(unused) > 3 else "")
                functions = ", ".join(fl.function.logical_id for fl in links[:3])
                related = tuple(Related(fl.handler_location, f"handler of {fl.function.logical_id}") for fl in links if fl.handler_location)
                yield self.finding(
                    f"Grant {_origin(grant.origin)} lets function {functions} read {names}, "
                    "but no code it ships reads it: remove the grant (least privilege)",
                    grant.location,
                    f"{grant.location.path}|{role.name or links[0].function.logical_id}|{'|'.join(sorted(unused))}",
                    related,
                )


def _deployed(statement) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """resource (parameters at their Default) -> the same with parameters
    unknown: `…:secret:orders/dev/label-printer-??????` -> `…:orders/*/…`. A
    read of the prod secret uses that grant even though the Default says dev."""
    return dict(zip(statement.resources, statement.any_resources))


def _used(resource: str, reads: list[str]) -> bool:
    return any(patterns_intersect(_normalize_arn_pattern(resource), _normalize_arn_pattern(x)) for x in reads)


def _partial_secret_arn(resource: str) -> bool:
    """`arn:…:secret:prod/db` without the random suffix: a grant meant for a
    secret the code does read, written so that IAM never matches it. That is
    LSL301's finding (the read is denied), not an unused grant."""
    return ":secret:" in resource and not resource.endswith(("-??????", "-*", "*")) and not is_complete_secret_arn(resource)


def _short(arn: str) -> str:
    """`…:parameter/orders/db-url` → SSM parameter '/orders/db-url'."""
    if ":parameter/" in arn:
        return f"SSM parameter '/{arn.split(':parameter/', 1)[1]}'"
    if ":secret:" in arn:
        name = arn.split(":secret:", 1)[1]
        for suffix in ("-??????", "-*"):
            if name.endswith(suffix):
                name = name[: -len(suffix)]
        return f"secret '{name}'"
    return repr(arn)
