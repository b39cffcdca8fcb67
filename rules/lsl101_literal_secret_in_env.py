"""LSL101 literal-secret-in-env."""
# lsl: file-ignore[LSL205] the rule's own examples hold fake, well-known-shaped tokens
from __future__ import annotations

from collections.abc import Iterable, Iterator

from lambda_secrets_lint.model.findings import Finding, Level, Related
from lambda_secrets_lint.model.infra import EnvVar, SourceKind, Template
from lambda_secrets_lint.model.project import Project
from lambda_secrets_lint.rule import BaseRule, Example, RuleMeta, Settings
from lambda_secrets_lint.rules.env_common import ADVICE, env_vars, sam_function, sentence, where
from lambda_secrets_lint.secrets.masking import mask
from lambda_secrets_lint.secrets.names import is_secret_name
from lambda_secrets_lint.secrets.values import (
    credential_shape,
    is_reference_value,
    is_trivial_value,
    url_has_password,
    value_hash,
)

DOC = """\
## What it does
Flags a Lambda environment variable whose value is a literal secret written
into the infrastructure code: either a value with the shape of a credential
(AWS access key, GitHub/Slack/Stripe/Google/OpenAI/SendGrid/Twilio tokens,
PEM private keys, JWTs, URLs with an embedded `user:password@`), whatever the
variable is called, or any non-trivial literal under a secret-like name
(`DB_PASSWORD`, `JWT_SECRET`, `stripeApiKey`, ...). Literal text inside
`Fn::Sub`/`Fn::Join` is checked too, and so is the `Default` of a template
parameter that is passed into the environment when the parameter is `NoEcho`
or has a secret-like name.

Names that denote a reference rather than a secret (`…_ARN`, `…_NAME`,
`…_PARAM`, `…_PATH`, `…_TTL`, `…_ENABLED`, ...) and values that look like a
parameter path, an ARN or a dynamic reference are left alone.

## Why is this bad
The secret is now in version control, in every copy of the template, in the
CloudFormation stack, and in the function's configuration in plain text:
anyone who can call `lambda:GetFunctionConfiguration` or open the console
reads it, and so does every package in the process through `os.environ` /
`process.env` — including a malicious or typosquatted dependency.

## Example
```yaml
ApiFunction:
  Type: AWS::Serverless::Function
  Properties:
    Environment:
      Variables:
        STRIPE_API_KEY: sk_live_…
```

## Use instead
Store the secret in Secrets Manager or SSM Parameter Store (SecureString),
pass its NAME, grant read access, and fetch it at runtime:
```yaml
ApiFunction:
  Type: AWS::Serverless::Function
  Properties:
    Environment:
      Variables:
        STRIPE_API_KEY_SECRET_NAME: prod/payments/stripe
    Policies:
      - AWSSecretsManagerGetSecretValuePolicy:
          SecretArn: !Ref StripeSecret
```
Rotate any secret that was ever committed: removing it from the file does
not remove it from git history.

## References
- [CWE-798: Use of Hard-coded Credentials](https://cwe.mitre.org/data/definitions/798.html)
- [CWE-526: Exposure of Sensitive Information Through Environmental Variables](https://cwe.mitre.org/data/definitions/526.html)
- [AWS Lambda: Securing environment variables](https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html)
- [Use Secrets Manager secrets in Lambda functions](https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html)
"""



class LiteralSecretInEnv(BaseRule):
    meta = RuleMeta(
        id="LSL101",
        name="literal-secret-in-env",
        level=Level.ERROR,
        summary="A Lambda environment variable holds a literal secret",
        doc=DOC,
        tags=("security", "secrets", "lambda", "environment"),
        cwe=("CWE-798", "CWE-526"),
        precision="high",
        security_severity="8.5",
        valid=(
            Example({"template.yaml": sam_function("          STRIPE_SECRET_NAME: prod/payments/stripe\n"
                     "          TOKEN_TTL: '300'\n          DB_SECRET_ARN: arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-Ab12Cd\n")},
                    "references and config, not secrets"),
        ),
        invalid=(
            Example({"template.yaml": sam_function("          DB_PASSWORD: Winter-Is-Coming-2024  # expect: LSL101\n"
                     "          SLACK_HOOK: xoxb-2048-4096-AbCdEfGhIjKlMnOpQrStUv  # expect: LSL101\n")},
                    "a secret-like name with a literal, and a token by its shape"),
        ),
    )

    def check(self, project: Project, settings: Settings) -> Iterable[Finding]:
        allowed_hashes = frozenset(settings.allowed_values)
        for template, fn, var in env_vars(project, settings):
            yield from self._literal(var, settings, allowed_hashes)
            yield from self._parameter_defaults(template, var, settings, allowed_hashes)

    def _literal(self, var: EnvVar, settings: Settings, allowed: frozenset[str]) -> Iterator[Finding]:
        value = var.value
        texts = [value.literal] if value.literal is not None else list(value.literal_parts)
        reason = None
        for text in texts:
            if value_hash(text) in allowed:
                continue
            shape = credential_shape(text)
            if shape is not None:
                reason = f"a literal {shape.kind} ({mask(text)})"
                break
        if reason is None and value.literal is None and _has_literal_url_password(value.literal_parts, value.sources):
            reason = "a URL with a literal embedded password"
        # A plain literal, or alternatives that are all plain literals (a
        # CloudFormation !If of two strings, a per-stage Serverless map).
        alternatives = [value.literal] if value.literal is not None else [] if value.sources else list(value.literal_parts)
        if reason is None and is_secret_name(var.name, settings.extra_secret_words):
            for literal in alternatives:
                if value_hash(literal) in allowed or is_reference_value(literal) or is_trivial_value(literal):
                    continue
                reason = f"a literal value ({mask(literal)}) under a secret-like name"
                break
        if reason is None:
            return
        yield self.finding(
            f"{sentence(where(var))} holds {reason}; {ADVICE}",
            var.key_location,
            var.pointer,
        )

    def _parameter_defaults(self, template: Template, var: EnvVar, settings: Settings, allowed: frozenset[str]) -> Iterator[Finding]:
        for source in var.value.sources:
            if source.kind is not SourceKind.TEMPLATE_PARAMETER:
                continue
            param = template.parameter(source.template_parameter)
            if param is None or param.default is None or param.default_location is None:
                continue
            default = param.default
            if value_hash(default) in allowed or is_reference_value(default) or is_trivial_value(default):
                continue
            shape = credential_shape(default)
            secretish = param.no_echo or is_secret_name(param.name, settings.extra_secret_words)
            if shape is None and not secretish:
                continue
            what = f"a literal {shape.kind}" if shape else "a literal secret"
            yield self.finding(
                f"{'Variable' if template.tool == 'terraform' else 'Parameter'} '{param.name}' has {what} as its "
                f"{'default' if template.tool == 'terraform' else 'Default'} ({mask(default)}), "
                f"and it is passed into {where(var)}; remove the Default and {ADVICE}",
                param.default_location,
                f"Parameters/{param.name}/Default",
                related=(Related(var.key_location, f"passed into {var.name} here"),),
            )


def _has_literal_url_password(parts: tuple[str, ...], sources: tuple[object, ...]) -> bool:
    """`!Sub "postgres://app:hunter2@${Host}/db"`: the text around the
    placeholders is literal; join it back with a placeholder stand-in, which
    url_has_password never counts as a literal password."""
    joined = "${ref}".join(parts)
    return bool(sources) and url_has_password(joined)
