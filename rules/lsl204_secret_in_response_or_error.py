"""LSL204 secret-in-response-or-error."""
from __future__ import annotations

from collections.abc import Iterable

from lambda_secrets_lint.model.code import SinkKind, Tainted
from lambda_secrets_lint.model.findings import Finding, Level
from lambda_secrets_lint.model.project import Project
from lambda_secrets_lint.rule import BaseRule, Example, RuleMeta, Settings
from lambda_secrets_lint.rules.code_common import sink_key, sinks

DOC = """\
## What it does
Flags a secret value (or an object carrying secrets, or the environment)
that leaves the function through its result or an error: returned from the
handler (also inside a response `body`), passed to `callback(null, …)`, or
put into the message of a raised exception / thrown `Error`.

## Why is this bad
Responses go to callers — API clients, browsers, other services — and
uncaught errors are written to the logs and often echoed by API Gateway or
Step Functions. Either way the secret leaves the trust boundary it was
fetched into.

## Example
```python
def handler(event, context):
    password = parameters.get_secret("prod/db", max_age=300)
    if not connect(password):
        raise RuntimeError(f"cannot connect with password {password}")
```

## Use instead
Say what failed, not with what:
```python
def handler(event, context):
    password = parameters.get_secret("prod/db", max_age=300)
    if not connect(password):
        raise RuntimeError("cannot connect to the database (secret prod/db)")
```

## References
- [CWE-209: Generation of Error Message Containing Sensitive Information](https://cwe.mitre.org/data/definitions/209.html)
- [CWE-200: Exposure of Sensitive Information to an Unauthorized Actor](https://cwe.mitre.org/data/definitions/200.html)
"""

TS_INVALID = """\
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';

export const handler = async (event: { userId: string }) => {
  const apiToken = await getSecret('prod/partner/api-token', { maxAge: 300 });
  if (!apiToken) {
    throw new Error(`partner token missing: ${apiToken}`); // expect: LSL204
  }
  return { statusCode: 200, body: JSON.stringify({ user: event.userId, token: apiToken }) }; // expect: LSL204
};
"""

TS_VALID = """\
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';

export const handler = async (event: { userId: string }) => {
  const apiToken = await getSecret('prod/partner/api-token', { maxAge: 300 });
  if (!apiToken) {
    throw new Error('partner token missing (secret prod/partner/api-token)');
  }
  return { statusCode: 200, body: JSON.stringify({ user: event.userId, tokenConfigured: apiToken.length > 0 }) };
};
"""


class SecretInResponseOrError(BaseRule):
    meta = RuleMeta(
        id="LSL204",
        name="secret-in-response-or-error",
        level=Level.ERROR,
        summary="A secret value is returned from the handler or put into an error message",
        doc=DOC,
        tags=("security", "secrets"),
        cwe=("CWE-209", "CWE-200"),
        precision="high",
        security_severity="8.0",
        valid=(Example({"src/handler.ts": TS_VALID}, "naming the secret, not its value"),),
        invalid=(Example({"src/handler.ts": TS_INVALID}, "a token in an error and in the response body"),),
    )

    def check(self, project: Project, settings: Settings) -> Iterable[Finding]:
        kinds = (SinkKind.RESPONSE, SinkKind.ERROR)
        for facts, sink in sinks(project, kinds, (Tainted.VALUE, Tainted.CONTAINER, Tainted.ENVIRONMENT)):
            where = "returned from the handler" if sink.kind is SinkKind.RESPONSE else "put into an error message"
            yield self.finding(
                f"Secret value from {sink.origin} is {where} ({sink.via}); return or raise without it",
                sink.location,
                sink_key(sink),
            )
