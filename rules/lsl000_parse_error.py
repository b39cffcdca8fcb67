"""LSL000 parse-error: produced by the engine when a file cannot be used."""
from __future__ import annotations

from lambda_secrets_lint.model.findings import Level
from lambda_secrets_lint.rule import BaseRule, Example, RuleMeta

DOC = """\
## What it does
Reports a file that lambda-secrets-lint wanted to read but could not: a
template with a YAML or JSON syntax error, an unknown CloudFormation tag, a
binary or non-UTF-8 file, a file over `max-file-size`, a YAML alias bomb,
nesting too deep to parse, an unreadable file or a symbolic link loop.

## Why is this bad
A file the linter cannot parse is a file it cannot check: a broken template
silently passing a security gate would be worse than a loud failure. The run
goes on with the other files; this notification tells you what was skipped
and why.

## Example
```yaml
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Handler: index.handler
```

## Use instead
Fix the syntax error the message names, or exclude the file
(`--exclude`, `exclude = [...]`) if it is not meant to be linted, or raise
`max-file-size` for a large synthesized template.

## References
- [CloudFormation template anatomy](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html)
"""


class ParseError(BaseRule):
    meta = RuleMeta(
        id="LSL000",
        name="parse-error",
        level=Level.WARNING,
        summary="A file could not be read or parsed, so it was not checked",
        doc=DOC,
        tags=("reliability",),
        precision="very-high",
        security_severity="2.0",
        tool_level=True,
        valid=(
            Example(
                {"template.yaml": 'AWSTemplateFormatVersion: "2010-09-09"\nResources: {}\n'},
                "a well-formed template",
            ),
        ),
        invalid=(
            Example(
                {
                    "template.yaml": (
                        'AWSTemplateFormatVersion: "2010-09-09"\n'
                        "Resources:\n"
                        "  Fn:\n"
                        "    Type: AWS::Lambda::Function\n"
                        "    Properties: {Handler: index.handler\n"
                    )
                },
                "an unterminated flow mapping",
                expect=(("template.yaml", 6, "LSL000"),),
            ),
        ),
    )
