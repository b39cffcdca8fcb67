"""LSL502 secret-cached-forever."""
from __future__ import annotations

from collections.abc import Iterable

from lambda_secrets_lint.model.code import Api, Cache
from lambda_secrets_lint.model.findings import Finding, Level
from lambda_secrets_lint.model.project import Project
from lambda_secrets_lint.rule import BaseRule, Example, RuleMeta, Settings
from lambda_secrets_lint.rules.retrieval_common import describe, key, reads

DOC = """\
## What it does
Flags a secret that is fetched once and never refreshed: a raw SDK call at
module level (the init phase), inside an `@lru_cache` / `@cache` function,
a lazy "fetch on first call into a global" cache with no expiry check, and
middy v2+ `ssm` / `secretsManager` middlewares whose `cacheExpiry` is
omitted or `-1` (their default: cache forever).

## Why is this bad
Fetching at init is the right idea — but without an expiry the value lives
as long as the execution environment, which can be hours. When the secret is
rotated (or revoked after a leak), warm functions keep using the old value
until they are recycled, and fail or stay exposed in the meantime. The
trade-off is a little cost and latency against how fast a rotation is picked
up; a few minutes is the usual answer.

## Example
```javascript
export const handler = middy(baseHandler)
  .use(secretsManager({ fetchData: { db: 'prod/orders/db' }, setToContext: true }));
```

## Use instead
Keep the init-phase fetch, add an expiry:
```javascript
export const handler = middy(baseHandler)
  .use(secretsManager({ fetchData: { db: 'prod/orders/db' }, setToContext: true, cacheExpiry: 5 * 60 * 1000 }));
```

## References
- [middy: secrets-manager middleware (cacheExpiry)](https://middy.js.org/docs/middlewares/secrets-manager)
- [Powertools for AWS Lambda: Parameters, caching](https://docs.powertools.aws.dev/lambda/python/latest/utilities/parameters/#adjusting-cache-ttl)
- [Rotate AWS Secrets Manager secrets](https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html)
"""

PY_INVALID = """\
import os

import boto3

_sm = boto3.client("secretsmanager")
# Fetched once per execution environment and never refreshed.
DB_SECRET = _sm.get_secret_value(SecretId=os.environ["DB_SECRET_ARN"])["SecretString"]  # expect: LSL502


def handler(event, context):
    return {"statusCode": 200 if DB_SECRET else 500}
"""

PY_VALID = """\
import os

from aws_lambda_powertools.utilities import parameters


def handler(event, context):
    db_secret = parameters.get_secret(os.environ["DB_SECRET_ARN"], max_age=300)
    return {"statusCode": 200 if db_secret else 500}
"""


class SecretCachedForever(BaseRule):
    meta = RuleMeta(
        id="LSL502",
        name="secret-cached-forever",
        level=Level.NOTE,
        summary="A secret is fetched once and never refreshed, so rotation is not picked up",
        doc=DOC,
        tags=("reliability", "secrets", "rotation"),
        precision="high",
        security_severity="2.0",
        valid=(Example({"src/app.py": PY_VALID}, "a 5-minute cache"),),
        invalid=(Example({"src/app.py": PY_INVALID}, "a module-level fetch with no refresh"),),
    )

    def check(self, project: Project, settings: Settings) -> Iterable[Finding]:
        for facts, read in reads(project):
            if read.cache is not Cache.FOREVER:
                continue
            how = (
                "middy (cacheExpiry omitted or -1 caches forever)"
                if read.api is Api.MIDDY
                else "a cache without expiry"
                if read.in_function
                else "a module-level call"
            )
            text = describe(read)
            yield self.finding(
                f"{text[:1].upper()}{text[1:]} is fetched once by {how} and never refreshed, so a rotated secret "
                "is not picked up; add an expiry of a few minutes",
                read.location,
                key(read),
            )
