"""LSL203 logged-secret-container."""
from __future__ import annotations

from collections.abc import Iterable

from lambda_secrets_lint.model.code import SinkKind, Tainted
from lambda_secrets_lint.model.findings import Finding, Level
from lambda_secrets_lint.model.project import Project
from lambda_secrets_lint.rule import BaseRule, Example, RuleMeta, Settings
from lambda_secrets_lint.rules.code_common import sink_key, sinks

DOC = """\
## What it does
Flags a log call that receives a whole object known to carry secrets: a
full `GetSecretValue` / `GetParameter(s)` response, the dict returned by
Powertools `get_parameters` / `get_parameters_by_name` /
`get_secrets_by_name` (`getParametersByName` in TypeScript), the object from
middy's `getInternal`, or the Lambda `context` after a middy middleware
copied secrets onto it with `setToContext: true`.

## Why is this bad
Logging "the response" or "the context" to debug a request looks harmless,
but the secret values are inside it and end up in the logs. This is the most
common way a middy `setToContext` handler leaks its secrets.

## Example
```javascript
export const handler = middy(async (event, context) => {
  logger.debug('context', { context });
}).use(secretsManager({ fetchData: { db: 'prod/db' }, setToContext: true, cacheExpiry: 300000 }));
```

## Use instead
Log the fields you need, by name, and never the secret-bearing ones:
```javascript
logger.debug('request', { requestId: context.awsRequestId });
```

## References
- [CWE-532: Insertion of Sensitive Information into Log File](https://cwe.mitre.org/data/definitions/532.html)
- [middy: secrets-manager middleware](https://middy.js.org/docs/middlewares/secrets-manager)
"""

PY_INVALID = """\
import boto3
from aws_lambda_powertools import Logger

logger = Logger()
ssm = boto3.client("ssm")


def handler(event, context):
    response = ssm.get_parameter(Name="/orders/prod/db-password", WithDecryption=True)  # expect: LSL501
    logger.debug(response)  # expect: LSL203
    return {"statusCode": 200}
"""

PY_VALID = """\
from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities import parameters

logger = Logger()


def handler(event, context):
    settings = parameters.get_parameters("/orders/prod/", max_age=300, decrypt=True)
    logger.debug("loaded parameters", extra={"names": sorted(settings.keys()), "count": len(settings)})
    return {"statusCode": 200}
"""


class LoggedSecretContainer(BaseRule):
    meta = RuleMeta(
        id="LSL203",
        name="logged-secret-container",
        level=Level.WARNING,
        summary="A whole object that carries secrets (SDK response, secrets dict, middy context) is logged",
        doc=DOC,
        tags=("security", "secrets", "logging"),
        cwe=("CWE-532",),
        precision="medium",
        security_severity="6.5",
        valid=(Example({"src/app.py": PY_VALID}, "logging the names and the count, not the values"),),
        invalid=(Example({"src/app.py": PY_INVALID}, "logging the whole GetParameter response"),),
    )

    def check(self, project: Project, settings: Settings) -> Iterable[Finding]:
        for facts, sink in sinks(project, (SinkKind.LOG,), (Tainted.CONTAINER,)):
            yield self.finding(
                f"{sink.origin[:1].upper()}{sink.origin[1:]} is logged whole by {sink.via}() and carries secret values; "
                "log only the non-secret fields you need",
                sink.location,
                sink_key(sink),
            )
