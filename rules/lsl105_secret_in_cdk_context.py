"""LSL105 secret-in-cdk-context."""
from __future__ import annotations

from collections.abc import Iterable

from lambda_secrets_lint.model.findings import Finding, Level
from lambda_secrets_lint.model.project import Project
from lambda_secrets_lint.rule import BaseRule, Example, RuleMeta, Settings
from lambda_secrets_lint.secrets.names import is_secret_name, secret_word

DOC = """\
## What it does
Flags CDK synth-time lookups of secret-like SSM parameters —
`StringParameter.valueFromLookup(this, '/prod/db/password')` (Python:
`value_from_lookup`) — and secret-like values already cached in
`cdk.context.json`: an `ssm:…:parameterName=/prod/api-key:…` entry whose
parameter name is secret-like and whose value is not trivial, or any entry
whose value has a credential shape (a Stripe key, a GitHub token, a URL with
a password, …). A name is secret-like when it, or its last path segment,
contains a secret word (`password`, `api-key`, `token`, …).

## Why is this bad
`valueFromLookup` runs at synth time: the CDK CLI calls `ssm:GetParameter`
(without decryption), writes the value into `cdk.context.json` — which CDK
asks you to commit — and embeds it literally in the synthesized template.
The secret ends up in git history, in every `cdk.out` and in the
CloudFormation template visible to anyone who can read the stack; rotating
the parameter does not change the deployed value until someone re-runs the
lookup.

## Example
```json
{
  "ssm:account=123456789012:parameterName=/prod/payments/stripe-api-key:region=eu-west-1": "sk_live_…"
}
```
from
```ts
const key = ssm.StringParameter.valueFromLookup(this, '/prod/payments/stripe-api-key');
```

## Use instead
Pass the parameter's NAME and read the value at runtime (Powertools
`getParameter(name, { decrypt: true, maxAge: 300 })`, middy `ssm`), or
resolve it at deploy time with `ssm.StringParameter.valueForStringParameter`
/ a Secrets Manager secret. Remove the cached entry from `cdk.context.json`
(`cdk context --reset <key>`) and rotate the secret: it is in git history.

## References
- [AWS CDK: Runtime context (cdk.context.json)](https://docs.aws.amazon.com/cdk/v2/guide/context.html)
- [AWS CDK: Get a value from the Systems Manager Parameter Store](https://docs.aws.amazon.com/cdk/v2/guide/get_ssm_value.html)
- [CWE-540: Inclusion of Sensitive Information in Source Code](https://cwe.mitre.org/data/definitions/540.html)
"""

_KEY = "ssm:account=123456789012:parameterName={name}:region=eu-west-1"

INVALID_CONTEXT = """\
{
  "availability-zones:account=123456789012:region=eu-west-1": [
    "eu-west-1a",
    "eu-west-1b"
  ],
  "%s": "Xk9#mQ2vL7pR4tW8zN1c",
  "%s": "payments"
}
""" % (_KEY.format(name="/prod/payments/db-password"), _KEY.format(name="/prod/payments/service-name"))

VALID_CONTEXT = """\
{
  "availability-zones:account=123456789012:region=eu-west-1": [
    "eu-west-1a",
    "eu-west-1b"
  ],
  "%s": "payments",
  "%s": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/payments/db-AbCdEf"
}
""" % (_KEY.format(name="/prod/payments/service-name"), _KEY.format(name="/prod/payments/db-secret-arn"))

CDK_JSON = """\
{
  "app": "npx ts-node --prefer-ts-exts bin/payments.ts"
}
"""


def secretish_parameter(name: str, extra: tuple[str, ...] = ()) -> bool:
    if not name:
        return False
    last = name.rstrip("/").rsplit("/", 1)[-1]
    return is_secret_name(name, extra) or secret_word(last, extra) is not None


class SecretInCdkContext(BaseRule):
    meta = RuleMeta(
        id="LSL105",
        name="secret-in-cdk-context",
        level=Level.ERROR,
        summary="A secret is looked up at CDK synth time and cached in cdk.context.json",
        doc=DOC,
        tags=("security", "secrets", "cdk"),
        cwe=("CWE-540",),
        precision="high",
        security_severity="7.5",
        valid=(
            Example(
                {"cdk.json": CDK_JSON, "cdk.context.json": VALID_CONTEXT},
                "only configuration values and a secret's ARN are cached",
            ),
        ),
        invalid=(
            Example(
                {"cdk.json": CDK_JSON, "cdk.context.json": INVALID_CONTEXT},
                "a looked-up database password cached in cdk.context.json",
                expect=(("cdk.context.json", 6, "LSL105"),),
            ),
        ),
    )

    def check(self, project: Project, settings: Settings) -> Iterable[Finding]:
        extra = settings.extra_secret_words
        for template in project.templates:
            if template.tool != "cdk":
                continue
            for lookup in template.lookups:
                if not secretish_parameter(lookup.parameter_name, extra):
                    continue
                yield self.finding(
                    f"SSM parameter '{lookup.parameter_name}' is looked up at synth time (valueFromLookup): its "
                    "value is cached in cdk.context.json, which is committed to git, and embedded in the template; "
                    "use valueForStringParameter or read it at runtime",
                    lookup.location,
                    f"lookup:{lookup.parameter_name}",
                )
        for context in project.cdk_contexts:
            for entry in context.entries:
                named = secretish_parameter(entry.parameter_name, extra) and not entry.trivial
                if not (named or entry.credential_kind):
                    continue
                what = (
                    f"the value of SSM parameter '{entry.parameter_name}'"
                    if entry.parameter_name
                    else f"context key '{entry.key}'"
                )
                shape = f" looks like a {entry.credential_kind} and" if entry.credential_kind else ""
                yield self.finding(
                    f"cdk.context.json caches {what}, which{shape} is committed to git and embedded in the template "
                    f"({entry.masked}); use valueForStringParameter or read it at runtime, then remove the entry "
                    "and rotate the secret",
                    entry.location,
                    f"context:{entry.parameter_name or entry.key}",
                )
