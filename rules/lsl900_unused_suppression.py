"""LSL900 unused-suppression: produced by the engine after suppressions are applied."""
from __future__ import annotations

from lambda_secrets_lint.model.findings import Level
from lambda_secrets_lint.rule import BaseRule, Example, RuleMeta
from lambda_secrets_lint.rules.env_common import sam_function

DOC = """\
## What it does
Reports a suppression that suppresses nothing: an inline
`# lsl: ignore[...]` / `// lsl: ignore[...]` comment or a template
`Metadata: {lambda-secrets-lint: {ignore: [...]}}` entry that matched no
finding, one that names an unknown rule, and a blanket `lsl: ignore` without
rule IDs (which is refused, never honoured).

## Why is this bad
Stale suppressions hide the next real problem on that line: when the secret
is removed, the comment stays and silently covers whatever comes next. A
blanket ignore would hide rules that do not exist yet.

## Example
```yaml
Environment:
  Variables:
    DB_SECRET_ARN: !Ref DbSecret  # lsl: ignore[LSL101]
```

## Use instead
Delete the suppression, or name the rule that actually fires:
```yaml
Environment:
  Variables:
    DB_SECRET_ARN: !Ref DbSecret
```

## References
- [ruff: unused-noqa (RUF100)](https://docs.astral.sh/ruff/rules/unused-noqa/)
"""


class UnusedSuppression(BaseRule):
    meta = RuleMeta(
        id="LSL900",
        name="unused-suppression",
        level=Level.WARNING,
        summary="A suppression comment or Metadata ignore matched no finding",
        doc=DOC,
        tags=("maintainability",),
        precision="very-high",
        security_severity="1.0",
        tool_level=True,
        valid=(
            Example(
                {
                    "template.yaml": sam_function(
                        "          # Rotated nightly; tracked in SEC-1234.\n"
                        "          # lsl: ignore[LSL101]\n"
                        "          LEGACY_API_KEY: 7f3b9c1e5d2a8f4b6c0e9d1a3b5c7e9f\n"
                    )
                },
                "a suppression that is used",
            ),
        ),
        invalid=(
            Example(
                {
                    "template.yaml": sam_function(
                        "          DB_SECRET_ARN: !Ref DbSecret  # lsl: ignore[LSL101]  # expect: LSL900\n",
                        resources="  DbSecret:\n    Type: AWS::SecretsManager::Secret\n",
                    )
                },
                "a suppression on a clean line",
            ),
        ),
    )
