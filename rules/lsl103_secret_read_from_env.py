"""LSL103 secret-read-from-env."""
from __future__ import annotations

from collections.abc import Iterable

from lambda_secrets_lint.model.findings import Finding, Level
from lambda_secrets_lint.model.project import Project
from lambda_secrets_lint.rule import BaseRule, Example, RuleMeta, Settings
from lambda_secrets_lint.rules.code_common import handler_files
from lambda_secrets_lint.secrets.names import RUNTIME_ENV_NAMES, is_secret_name

DOC = """\
## What it does
Flags handler code that reads a secret-like environment variable:
`os.environ["DB_PASSWORD"]`, `os.getenv("API_KEY")`, `os.environ.get(...)`,
`process.env.STRIPE_SECRET_KEY`, `process.env["X"]`, or destructuring
`const { API_KEY } = process.env`. Variables that only carry a reference
(`…_ARN`, `…_NAME`, `…_PARAM`, `…_PATH`) and the credentials the Lambda
runtime sets itself (`AWS_SESSION_TOKEN`, `AWS_SECRET_ACCESS_KEY`, …) are
not flagged.

## Why is this bad
If the code reads the secret from the environment, the secret was put into
the environment — in plain text in the function configuration, and readable
by every package in the process, including a compromised or typosquatted
dependency that ships `process.env` to an attacker.

## Example
```python
import os

DB_PASSWORD = os.environ["DB_PASSWORD"]
```

## Use instead
Pass the secret's name or ARN in the environment and fetch it at runtime with
a short cache:
```python
import os
from aws_lambda_powertools.utilities import parameters

DB_PASSWORD = parameters.get_secret(os.environ["DB_SECRET_ARN"], max_age=300)
```

## References
- [CWE-526: Exposure of Sensitive Information Through Environmental Variables](https://cwe.mitre.org/data/definitions/526.html)
- [Powertools for AWS Lambda (Python): Parameters](https://docs.powertools.aws.dev/lambda/python/latest/utilities/parameters/)
- [Use Secrets Manager secrets in Lambda functions](https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html)
"""


class SecretReadFromEnv(BaseRule):
    meta = RuleMeta(
        id="LSL103",
        name="secret-read-from-env",
        level=Level.WARNING,
        summary="Handler code reads a secret from an environment variable",
        doc=DOC,
        tags=("security", "secrets", "lambda", "environment"),
        cwe=("CWE-526",),
        precision="high",
        security_severity="5.5",
        valid=(
            Example(
                {
                    "src/app.py": (
                        "import os\n"
                        "from aws_lambda_powertools.utilities import parameters\n\n"
                        "SECRET_ARN = os.environ['DB_SECRET_ARN']\n"
                        "TOKEN = os.environ.get('AWS_SESSION_TOKEN')\n\n\n"
                        "def handler(event, context):\n"
                        "    password = parameters.get_secret(SECRET_ARN, max_age=300)\n"
                        "    return {'statusCode': 200}\n"
                    )
                },
                "a reference name and a runtime variable",
            ),
        ),
        invalid=(
            Example(
                {
                    "src/app.py": "import os\n\nDB_PASSWORD = os.environ['DB_PASSWORD']  # expect: LSL103\n",
                    "src/handler.mjs": "const { STRIPE_SECRET_KEY } = process.env; // expect: LSL103\n"
                    "export const handler = async () => ({ statusCode: 200 });\n",
                },
                "reading secrets from the environment in Python and JavaScript",
            ),
        ),
    )

    def check(self, project: Project, settings: Settings) -> Iterable[Finding]:
        for facts in handler_files(project):
            for read in facts.env_reads:
                if read.name in RUNTIME_ENV_NAMES or not is_secret_name(read.name, settings.extra_secret_words):
                    continue
                yield self.finding(
                    f"Secret read from environment variable '{read.name}': the value sits in plain text in the "
                    "function configuration; pass the secret's name or ARN instead and fetch it at runtime",
                    read.location,
                    f"env:{read.name}",
                )
