"""LSL102 resolved-secret-in-env."""
from __future__ import annotations

from collections.abc import Iterable

from lambda_secrets_lint.model.findings import Finding, Level, Related
from lambda_secrets_lint.model.infra import EnvVar, SourceKind, Template, ValueSource
from lambda_secrets_lint.model.project import Project
from lambda_secrets_lint.rule import BaseRule, Example, RuleMeta, Settings
from lambda_secrets_lint.rules.env_common import ADVICE, env_vars, sam_function, sentence, where
from lambda_secrets_lint.secrets.names import is_secret_name
from lambda_secrets_lint.secrets.values import is_reference_value

DOC = """\
## What it does
Flags a Lambda environment variable whose value is fetched from a secret
store at deploy time, so the plaintext secret ends up in the function's
configuration:
- `{{resolve:secretsmanager:…}}` (always), `{{resolve:ssm-secure:…}}` (which
  CloudFormation also rejects in Lambda environments), and
  `{{resolve:ssm:…}}` when the variable or the parameter name is secret-like;
- `Ref`/`Fn::Sub` of a `NoEcho` template parameter, of a template parameter
  with a secret-like name, or of an `AWS::SSM::Parameter::Value<…>` parameter
  whose name or SSM parameter name is secret-like;
- `Fn::GetAtt` of an attribute that IS a secret:
  `AWS::Cognito::UserPoolClient.ClientSecret`,
  `AWS::IAM::AccessKey.SecretAccessKey`, `AWS::AppSync::ApiKey.ApiKey`, and
  `AWS::SSM::Parameter.Value` of a secret-like parameter.

## Why is this bad
The secret store is only doing half its job: CloudFormation resolves the
reference and Lambda stores the result in plain text in the function
configuration, where anyone with `lambda:GetFunctionConfiguration` or console
access can read it, and where every package in the process can read it from
the environment. `NoEcho` only masks the parameter in `describe-stacks`; it
does not protect the places the value is used. Rotating the secret also does
nothing until the stack is updated again.

## Example
```yaml
ApiFunction:
  Type: AWS::Serverless::Function
  Properties:
    Environment:
      Variables:
        DB_PASSWORD: '{{resolve:secretsmanager:prod/db:SecretString:password}}'
```

## Use instead
Pass the secret's name or ARN and read it at runtime, with a cache
(Powertools `get_secret(..., max_age=300)`, middy `secretsManager` with
`cacheExpiry`):
```yaml
ApiFunction:
  Type: AWS::Serverless::Function
  Properties:
    Environment:
      Variables:
        DB_SECRET_ARN: !Ref DatabaseSecret
    Policies:
      - AWSSecretsManagerGetSecretValuePolicy:
          SecretArn: !Ref DatabaseSecret
```

## References
- [CWE-526: Exposure of Sensitive Information Through Environmental Variables](https://cwe.mitre.org/data/definitions/526.html)
- [CloudFormation dynamic references](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html)
- [CloudFormation Parameters: NoEcho](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html)
- [Powertools for AWS Lambda: Parameters](https://docs.powertools.aws.dev/lambda/python/latest/utilities/parameters/)
"""

_NOECHO_PARAM = "  DbPassword:\n    Type: String\n    NoEcho: true\n"
_SECRET_RESOURCE = "  DatabaseSecret:\n    Type: AWS::SecretsManager::Secret\n"


class ResolvedSecretInEnv(BaseRule):
    meta = RuleMeta(
        id="LSL102",
        name="resolved-secret-in-env",
        level=Level.ERROR,
        summary="A Lambda environment variable is filled from a secret store at deploy time, so it holds the plaintext",
        doc=DOC,
        tags=("security", "secrets", "lambda", "environment"),
        cwe=("CWE-526", "CWE-312"),
        precision="high",
        security_severity="7.5",
        valid=(
            Example({"template.yaml": sam_function("          DB_SECRET_ARN: !Ref DatabaseSecret\n"
                     "          LOG_LEVEL: '{{resolve:ssm:/prod/app/log-level}}'\n", parameters=_NOECHO_PARAM, resources=_SECRET_RESOURCE)},
                    "the secret's ARN, and a plain config parameter"),
        ),
        invalid=(
            Example({"template.yaml": sam_function("          DB_CONFIG: '{{resolve:secretsmanager:prod/db:SecretString:password}}'  # expect: LSL102\n"
                     "          DB_PASSWORD: !Ref DbPassword  # expect: LSL102\n", parameters=_NOECHO_PARAM, resources=_SECRET_RESOURCE)},
                    "a Secrets Manager dynamic reference and a NoEcho parameter"),
        ),
    )

    def check(self, project: Project, settings: Settings) -> Iterable[Finding]:
        for template, fn, var in env_vars(project, settings):
            for source in var.value.sources:
                why = _why(var, source, template, settings.extra_secret_words)
                if why is None:
                    continue
                related = (Related(source.location, "declared here"),) if source.location else ()
                yield self.finding(
                    f"{sentence(where(var))} is {why}, so the plaintext lands in the function configuration; {ADVICE}",
                    var.key_location,
                    var.pointer,
                    related=related,
                )
                break  # one finding per variable; the first reason is enough


def _why(var: EnvVar, source: ValueSource, template: Template, extra: tuple[str, ...]) -> str | None:
    secret_env = is_secret_name(var.name, extra)
    kind = source.kind
    if kind is SourceKind.SECRETS_MANAGER:
        return f"resolved from Secrets Manager secret '{source.name}' at deploy time"
    if kind is SourceKind.SSM_SECURE:
        return (
            f"resolved from SSM SecureString '{source.name}' ({{{{resolve:ssm-secure}}}} is also rejected by "
            "CloudFormation in Lambda environments)"
        )
    if kind is SourceKind.SSM:
        if source.decrypted:
            return f"resolved from SSM parameter '{source.name}' with decryption at deploy time"
        if secret_env or is_secret_name(source.name, extra) or is_secret_name(source.template_parameter, extra):
            via = f" through template parameter '{source.template_parameter}'" if source.template_parameter else ""
            return f"resolved from SSM parameter '{source.name}' at deploy time{via}"
        return None
    if kind is SourceKind.TEMPLATE_PARAMETER:
        param = template.parameter(source.template_parameter)
        if source.no_echo and template.tool == "terraform":
            return f"set from sensitive variable '{source.template_parameter}' (sensitive only hides it from plan output)"
        if source.no_echo:
            return f"set from NoEcho parameter '{source.template_parameter}' (NoEcho does not hide it here)"
        if is_secret_name(source.template_parameter, extra):
            return f"set from parameter '{source.template_parameter}', whose name says it is a secret"
        if (
            secret_env
            and param is not None
            and not (param.default and is_reference_value(param.default))
            and not _reference_shaped(var)
        ):
            return f"set from parameter '{source.template_parameter}' under a secret-like name"
        return None
    if kind is SourceKind.SECRET_ATTRIBUTE:
        return f"the secret attribute {source.detail} of '{source.name}'"
    if kind is SourceKind.DEPLOYER_ENV and secret_env:
        return "copied from the deployer's environment at synth time"
    return None


def _reference_shaped(var: EnvVar) -> bool:
    """`!Sub "/inventory/${Stage}/api-token"` builds a parameter path or an
    ARN around the parameter: the variable holds a reference, not a secret."""
    parts = var.value.literal_parts
    return bool(parts) and is_reference_value("x".join(parts) if len(parts) > 1 else parts[0] + "x")
