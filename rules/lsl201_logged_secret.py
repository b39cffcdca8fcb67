"""LSL201 logged-secret."""
from __future__ import annotations

from collections.abc import Iterable

from lambda_secrets_lint.model.code import SinkKind, Tainted
from lambda_secrets_lint.model.findings import Finding, Level
from lambda_secrets_lint.model.project import Project
from lambda_secrets_lint.rule import BaseRule, Example, RuleMeta, Settings
from lambda_secrets_lint.rules.code_common import sink_key, sinks

DOC = """\
## What it does
Flags a log call that receives a secret value: a value read from Secrets
Manager or SSM Parameter Store (SDK calls, Powertools, the Parameters and
Secrets extension, middy), or from a secret-like environment variable, or the
runtime's own credentials — directly or after assignment, destructuring,
attribute/subscript access, JSON parsing, formatting, concatenation,
containers or a same-module helper's return value. Log sinks: `print`,
`sys.stdout/stderr.write`, `logging`, any `logger.*`/`log.*` (Powertools
Logger, structlog, loguru, winston, pino, bunyan), `console.*`,
`process.stdout.write`. Hashing, masking/redacting helpers, `len()` /
`.length`, boolean tests and comparisons make a value safe to log.

## Why is this bad
Logs are copied, retained and read far more widely than secrets are: into
CloudWatch, log subscriptions, third-party observability tools, support
tickets. A secret in a log line is a leaked secret that must be rotated.

## Example
```javascript
export const handler = middy(async (event, context) => {
  console.log('using key', context.stripeKey);
}).use(ssm({ fetchData: { stripeKey: '/prod/stripe/api-key' }, setToContext: true }));
```

## Use instead
Log that you have the secret, or a fingerprint of it, never the value:
```javascript
console.log('stripe key loaded', { length: context.stripeKey.length });
```

## References
- [CWE-532: Insertion of Sensitive Information into Log File](https://cwe.mitre.org/data/definitions/532.html)
- [OWASP Logging Cheat Sheet: data to exclude](https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html)
"""

PY_INVALID = """\
import os

import boto3
from aws_lambda_powertools import Logger

logger = Logger()
secrets = boto3.client("secretsmanager")


def handler(event, context):
    secret = secrets.get_secret_value(SecretId=os.environ["API_SECRET_ARN"])["SecretString"]  # expect: LSL501
    logger.info("calling partner API", extra={"api_key": secret})  # expect: LSL201
    print(f"token={secret}")  # expect: LSL201
    return {"statusCode": 200}
"""

PY_VALID = """\
import hashlib
import os

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities import parameters

logger = Logger()
SECRET_ARN = os.environ["API_SECRET_ARN"]


def handler(event, context):
    secret = parameters.get_secret(SECRET_ARN, max_age=300)
    logger.info("fetched secret", extra={"secret": SECRET_ARN, "length": len(secret)})
    logger.debug("fingerprint %s", hashlib.sha256(secret.encode()).hexdigest()[:8])
    return {"statusCode": 200}
"""


class LoggedSecret(BaseRule):
    meta = RuleMeta(
        id="LSL201",
        name="logged-secret",
        level=Level.ERROR,
        summary="A secret value reaches a log call",
        doc=DOC,
        tags=("security", "secrets", "logging"),
        cwe=("CWE-532",),
        precision="high",
        security_severity="8.0",
        valid=(Example({"src/app.py": PY_VALID}, "logging the name, the length and a hash"),),
        invalid=(Example({"src/app.py": PY_INVALID}, "a Secrets Manager value logged twice"),),
    )

    def check(self, project: Project, settings: Settings) -> Iterable[Finding]:
        for facts, sink in sinks(project, (SinkKind.LOG,), (Tainted.VALUE,)):
            yield self.finding(
                f"Secret value from {sink.origin} is logged by {sink.via}(); log its name, length or a hash instead",
                sink.location,
                sink_key(sink),
            )
