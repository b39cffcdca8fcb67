"""LSL205 hardcoded-secret-in-source."""
# lsl: file-ignore[LSL205] the rule's own examples hold fake, well-known-shaped tokens
from __future__ import annotations

import re
from collections.abc import Iterable

from lambda_secrets_lint.model.findings import Finding, Level
from lambda_secrets_lint.model.project import Project
from lambda_secrets_lint.rule import BaseRule, Example, RuleMeta, Settings

DOC = """\
## What it does
Flags a credential written into handler or CDK source code: a string literal
with the shape of a credential (AWS access key, GitHub/Slack/Stripe/Google/
OpenAI/SendGrid/Twilio tokens, PEM private keys, JWTs, URLs with an embedded
password), anywhere; or a non-trivial literal bound to a secret-like name
(`API_KEY = "…"`, `password="…"`, `{"token": "…"}`, `const apiKey = '…'`,
`{ clientSecret: '…' }`, a default parameter value). Literals inside a CDK
Lambda `environment` are LSL101's business, not this rule's.

## Why is this bad
The secret is in git history forever, in every clone, fork, CI cache and
deployment artefact, and rotating it means a code change and a redeploy.

## Example
```typescript
const githubToken = 'ghp_…';
```

## Use instead
Fetch it at runtime from Secrets Manager or SSM Parameter Store, by name:
```typescript
const githubToken = await getSecret(process.env.GITHUB_TOKEN_SECRET_ARN!, { maxAge: 300 });
```
Rotate any credential that was ever committed.

## References
- [CWE-798: Use of Hard-coded Credentials](https://cwe.mitre.org/data/definitions/798.html)
- [AWS Secrets Manager: rotate secrets](https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html)
"""


# A name a person gave a value: an identifier, or a kebab-case key. Dict keys
# like "smithy.api#httpBearerAuth" are data, and their values are data too.
_NAME = re.compile(r"[A-Za-z_$][\w$-]*")


class HardcodedSecretInSource(BaseRule):
    meta = RuleMeta(
        id="LSL205",
        name="hardcoded-secret-in-source",
        level=Level.ERROR,
        summary="A credential literal is written in handler or CDK source code",
        doc=DOC,
        tags=("security", "secrets"),
        cwe=("CWE-798",),
        precision="high",
        security_severity="8.5",
        valid=(
            Example(
                {
                    "src/config.py": (
                        '"""Settings for the payments handler."""\n'
                        'STRIPE_SECRET_NAME = "prod/payments/stripe"\n'
                        'TOKEN_HEADER = "X-Partner-Token"\n'
                        'PASSWORD_MIN_LENGTH = 12\n'
                    )
                },
                "names and settings, not secrets",
            ),
        ),
        invalid=(
            Example(
                {
                    "src/config.py": (
                        '"""Settings for the payments handler."""\n'
                        'PARTNER_API_KEY = "pk-9f8e7d6c5b4a39281706f5e4d3c2b1a0"  # expect: LSL205\n'
                        'GITHUB = "ghp_4fT9kLmN2pQr8sVw1xYz3aBc5dEf7gHi9jKl"  # expect: LSL205\n'
                    )
                },
                "a key under a secret-like name, and a token by its shape",
            ),
        ),
    )

    def check(self, project: Project, settings: Settings) -> Iterable[Finding]:
        for facts in project.code:
            for hit in facts.hardcoded:
                # Credential shapes count anywhere; a plain literal only when
                # a person named it (both extractors use this kind text).
                if hit.kind == "literal under a secret-like name" and not _NAME.fullmatch(hit.name):
                    continue
                named = f" assigned to '{hit.name}'" if hit.name else ""
                yield self.finding(
                    f"Hardcoded {hit.kind} ({hit.masked}){named}; fetch it at runtime from Secrets Manager or "
                    "SSM Parameter Store, and rotate it",
                    hit.location,
                    f"hardcoded:{hit.name}:{hit.kind}:{hit.masked}",
                )
