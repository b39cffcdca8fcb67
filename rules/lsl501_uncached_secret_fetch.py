"""LSL501 uncached-secret-fetch."""
from __future__ import annotations

from collections.abc import Iterable

from lambda_secrets_lint.model.code import Api, Cache
from lambda_secrets_lint.model.findings import Finding, Level
from lambda_secrets_lint.model.project import Project
from lambda_secrets_lint.rule import BaseRule, Example, RuleMeta, Settings
from lambda_secrets_lint.rules.retrieval_common import describe, key, plain_config, reads

DOC = """\
## What it does
Flags a secret or parameter that is fetched on every invocation with no
cache: a raw SDK call (boto3, AWS SDK for JavaScript v2/v3) inside a
function, Powertools with `max_age=0` / `force_fetch=True`
(`maxAge: 0` / `forceFetch: true`), and middy v0/v1 `ssm` /
`secretsManager` middlewares without `cache: true` (their cache is off by
default). A plain String parameter with a configuration-like name
(`/app/log-level`) read without decryption is configuration, not a secret,
and is not reported.

## Why is this bad
Every invocation pays a network round trip before doing its work, and every
call is billed (Secrets Manager charges per 10,000 API calls) and counts
against API rate limits — a traffic spike can throttle `GetSecretValue` and
fail requests. Fetching once in the init phase with a short cache costs a
fraction and still picks up rotated secrets within minutes.

## Example
```python
secrets = boto3.client("secretsmanager")

def handler(event, context):
    key = secrets.get_secret_value(SecretId=os.environ["API_SECRET_ARN"])["SecretString"]
```

## Use instead
Cache with an expiry — Powertools keeps the value for `max_age` seconds:
```python
from aws_lambda_powertools.utilities import parameters

def handler(event, context):
    key = parameters.get_secret(os.environ["API_SECRET_ARN"], max_age=300)
```
With middy, set `cacheExpiry` (v2+) or `cache: true` with
`cacheExpiryInMillis` (v0/v1).

## References
- [Powertools for AWS Lambda (Python): Parameters, caching](https://docs.powertools.aws.dev/lambda/python/latest/utilities/parameters/#adjusting-cache-ttl)
- [AWS Secrets Manager pricing](https://aws.amazon.com/secrets-manager/pricing/)
- [middy: ssm middleware](https://middy.js.org/docs/middlewares/ssm)
"""

JS_INVALID = """\
const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');

const client = new SecretsManagerClient({});

exports.handler = async (event) => {
  const res = await client.send(new GetSecretValueCommand({ SecretId: process.env.DB_SECRET_ARN })); // expect: LSL501
  const { username } = JSON.parse(res.SecretString);
  return { statusCode: 200, body: JSON.stringify({ connectedAs: username }) };
};
"""

JS_VALID = """\
const { getSecret } = require('@aws-lambda-powertools/parameters/secrets');

exports.handler = async (event) => {
  const raw = await getSecret(process.env.DB_SECRET_ARN, { maxAge: 300 });
  const { username } = JSON.parse(raw);
  return { statusCode: 200, body: JSON.stringify({ connectedAs: username }) };
};
"""


class UncachedSecretFetch(BaseRule):
    meta = RuleMeta(
        id="LSL501",
        name="uncached-secret-fetch",
        level=Level.WARNING,
        summary="A secret is fetched on every invocation with no cache",
        doc=DOC,
        tags=("performance", "cost", "reliability", "secrets"),
        precision="high",
        security_severity="2.0",
        valid=(Example({"src/handler.js": JS_VALID}, "Powertools with a 5-minute cache"),),
        invalid=(Example({"src/handler.js": JS_INVALID}, "a raw SDK v3 call in the handler"),),
    )

    def check(self, project: Project, settings: Settings) -> Iterable[Finding]:
        for facts, read in reads(project):
            if read.cache is not Cache.NONE or not (read.in_function or read.api is Api.MIDDY):
                continue
            if plain_config(read, settings.extra_secret_words):
                continue  # a feature flag or log level, not a secret
            how = (
                "a middy v0/v1 middleware without 'cache: true'"
                if read.api is Api.MIDDY
                else "Powertools with caching turned off"
                if read.api is Api.POWERTOOLS
                else "a raw SDK call"
            )
            yield self.finding(
                f"{describe(read)[:1].upper()}{describe(read)[1:]} is fetched on every invocation by {how}; "
                "cache it with a short expiry (e.g. Powertools max_age=300, middy cacheExpiry)",
                read.location,
                key(read),
            )
