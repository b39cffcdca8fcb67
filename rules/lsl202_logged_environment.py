"""LSL202 logged-environment."""
from __future__ import annotations

from collections.abc import Iterable

from lambda_secrets_lint.model.code import SinkKind, Tainted
from lambda_secrets_lint.model.findings import Finding, Level
from lambda_secrets_lint.model.project import Project
from lambda_secrets_lint.rule import BaseRule, Example, RuleMeta, Settings
from lambda_secrets_lint.rules.code_common import sink_key, sinks

DOC = """\
## What it does
Flags a log call that receives the whole process environment:
`print(os.environ)`, `logger.info(dict(os.environ))`,
`json.dumps(dict(os.environ))` inside a log call, `console.log(process.env)`,
`logger.debug(JSON.stringify(process.env))`, `console.log({ ...process.env })`.

## Why is this bad
The Lambda environment always holds the function's temporary AWS credentials
(`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), and
often configuration that should never leave the function. Dumping it "for
debugging" puts all of it in CloudWatch and everywhere the logs are shipped.

## Example
```python
def handler(event, context):
    print("environment:", os.environ)
```

## Use instead
Log the few non-sensitive settings you need, by name:
```python
def handler(event, context):
    logger.info("config", extra={"stage": os.environ["STAGE"], "table": os.environ["TABLE_NAME"]})
```

## References
- [CWE-532: Insertion of Sensitive Information into Log File](https://cwe.mitre.org/data/definitions/532.html)
- [Lambda: defined runtime environment variables](https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime)
"""


class LoggedEnvironment(BaseRule):
    meta = RuleMeta(
        id="LSL202",
        name="logged-environment",
        level=Level.ERROR,
        summary="The whole process environment is logged",
        doc=DOC,
        tags=("security", "secrets", "logging", "environment"),
        cwe=("CWE-532", "CWE-526"),
        precision="very-high",
        security_severity="8.0",
        valid=(
            Example(
                {
                    "src/handler.js": (
                        "exports.handler = async (event) => {\n"
                        "  console.log('stage', process.env.STAGE, 'vars', Object.keys(process.env).length);\n"
                        "  return { statusCode: 200 };\n"
                        "};\n"
                    )
                },
                "logging one setting and a count",
            ),
        ),
        invalid=(
            Example(
                {
                    "src/handler.js": (
                        "exports.handler = async (event) => {\n"
                        "  console.log('env', JSON.stringify(process.env)); // expect: LSL202\n"
                        "  return { statusCode: 200 };\n"
                        "};\n"
                    ),
                    "src/app.py": "import os\n\n\ndef handler(event, context):\n    print(os.environ)  # expect: LSL202\n",
                },
                "dumping the environment in JavaScript and Python",
            ),
        ),
    )

    def check(self, project: Project, settings: Settings) -> Iterable[Finding]:
        for facts, sink in sinks(project, (SinkKind.LOG,), (Tainted.ENVIRONMENT,)):
            yield self.finding(
                f"The whole environment is logged by {sink.via}(), including the function's AWS credentials; "
                "log the settings you need by name",
                sink.location,
                sink_key(sink),
            )
