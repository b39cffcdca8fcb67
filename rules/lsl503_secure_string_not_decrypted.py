"""LSL503 secure-string-not-decrypted."""
from __future__ import annotations

from collections.abc import Iterable

from lambda_secrets_lint.model.findings import Finding, Level
from lambda_secrets_lint.model.project import Project
from lambda_secrets_lint.rule import BaseRule, Example, RuleMeta, Settings
from lambda_secrets_lint.rules.retrieval_common import describe, key, reads, secretish as _secretish

DOC = """\
## What it does
Flags an SSM Parameter Store read of a secret-like parameter without
decryption: boto3 / AWS SDK `GetParameter(s)` / `GetParametersByPath`
without `WithDecryption=True`, Powertools `get_parameter` /
`getParameter` without `decrypt=True` (its default is False in Python and
TypeScript), and the Parameters and Secrets extension's
`/systemsmanager/parameters/get` without `withDecryption=true`. A parameter
is secret-like when its name (or the env var that carries its name) says so:
`/prod/db/password`, `API_KEY_PARAM`. Plain configuration parameters read
without decryption are fine, and middy always decrypts.

## Why is this bad
For a SecureString, the call succeeds and returns the ciphertext. The code
then uses an encrypted blob as a password or API key, and the failure shows
up later and elsewhere — as an authentication error against the database or
partner API — instead of at the read.

## Example
```python
value = ssm.get_parameter(Name="/prod/payments/api-key")["Parameter"]["Value"]
```

## Use instead
```python
value = ssm.get_parameter(Name="/prod/payments/api-key", WithDecryption=True)["Parameter"]["Value"]
```
or `parameters.get_parameter("/prod/payments/api-key", decrypt=True, max_age=300)`.

## References
- [SSM GetParameter: WithDecryption](https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html)
- [Powertools for AWS Lambda: Parameters (decrypt)](https://docs.powertools.aws.dev/lambda/python/latest/utilities/parameters/)
- [Parameters and Secrets Lambda Extension](https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-integration-lambda-extensions.html)
"""

TS_INVALID = """\
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';

export const handler = async () => {
  const apiKey = await getParameter('/prod/payments/api-key', { maxAge: 300 }); // expect: LSL503
  return { statusCode: apiKey ? 200 : 500 };
};
"""

TS_VALID = """\
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';

export const handler = async () => {
  const apiKey = await getParameter('/prod/payments/api-key', { decrypt: true, maxAge: 300 });
  const logLevel = await getParameter('/prod/payments/log-level', { maxAge: 300 });
  return { statusCode: apiKey && logLevel ? 200 : 500 };
};
"""


class SecureStringNotDecrypted(BaseRule):
    meta = RuleMeta(
        id="LSL503",
        name="secure-string-not-decrypted",
        level=Level.WARNING,
        summary="A secret-like SSM parameter is read without decryption",
        doc=DOC,
        tags=("correctness", "secrets", "ssm"),
        precision="medium",
        security_severity="3.0",
        valid=(Example({"src/handler.ts": TS_VALID}, "decrypt the secret, not the setting"),),
        invalid=(Example({"src/handler.ts": TS_INVALID}, "Powertools' decrypt defaults to false"),),
    )

    def check(self, project: Project, settings: Settings) -> Iterable[Finding]:
        for facts, read in reads(project):
            if read.service != "ssm" or read.decrypted is not False:
                continue
            if not any(_secretish(n, settings.extra_secret_words) for n in read.names):
                continue
            text = describe(read)
            yield self.finding(
                f"{text[:1].upper()}{text[1:]} is read without decryption, so a SecureString comes back as "
                "ciphertext; pass WithDecryption=True / decrypt=True",
                read.location,
                key(read),
            )
