"""LSL402 denylisted-dependency."""
from __future__ import annotations

from collections.abc import Iterable

from lambda_secrets_lint.model.findings import Finding, Level
from lambda_secrets_lint.model.project import Project
from lambda_secrets_lint.rule import BaseRule, Example, RuleMeta, Settings
from lambda_secrets_lint.rules.dependency_common import judged, matches_list

DOC = """\
## What it does
Flags a dependency named on the project's denylist — in any manifest
(`requirements*.txt`, `pyproject.toml`, `Pipfile`, `setup.cfg`,
`package.json`) or lockfile (`package-lock.json`, `yarn.lock`,
`pnpm-lock.yaml`, `poetry.lock`, `uv.lock`, `Pipfile.lock`). Entries are
`pypi:NAME`, `npm:NAME`, or a bare `NAME` for both ecosystems; PyPI names
compare the way pip does (case, `-`, `_` and `.` fold). Configure it in
`pyproject.toml`:
```toml
[tool.lambda-secrets-lint]
denylist = ["pypi:pycrypto", "npm:event-stream", "request"]
```

## Why is this bad
A denylist records what the security team already knows: a package that
was compromised (`event-stream`, `ua-parser-js` versions), abandoned with
known vulnerabilities (`pycrypto`), or banned by policy. Every package in
a Lambda process can read the secrets the function holds, so a banned
package anywhere in the tree — even transitively, through a lockfile — is
a path to them.

## Example
```text
# requirements.txt, with denylist = ["pypi:pycrypto"]
pycrypto==2.6.1
```

## Use instead
```text
pycryptodome==3.20.0
```

## References
- [OWASP: Vulnerable and Outdated Components](https://owasp.org/Top10/A06_2021-Vulnerable_and_Outdated_Components/)
- [npm: the event-stream incident](https://blog.npmjs.org/post/180565383195/details-about-the-event-stream-incident)
"""

_CONFIG = '[tool.lambda-secrets-lint]\ndenylist = ["pypi:pycrypto", "npm:event-stream"]\n'


class DenylistedDependency(BaseRule):
    meta = RuleMeta(
        id="LSL402",
        name="denylisted-dependency",
        level=Level.ERROR,
        summary="A dependency is on the configured denylist",
        doc=DOC,
        tags=("security", "supply-chain", "dependencies"),
        cwe=("CWE-1395",),
        precision="very-high",
        security_severity="7.0",
        valid=(Example({"pyproject.toml": _CONFIG, "requirements.txt": "pycryptodome==3.20.0\n"},
                       "a maintained replacement"),),
        invalid=(Example({"pyproject.toml": _CONFIG, "requirements.txt": "pycrypto==2.6.1  # expect: LSL402\n"},
                         "a denylisted package"),),
    )

    def check(self, project: Project, settings: Settings) -> Iterable[Finding]:
        if not settings.denylist:
            return
        for manifest, dep in judged(project):
            entry = matches_list(dep, settings.denylist)
            if entry is None:
                continue
            where = "pinned in this lockfile" if not dep.direct else f"declared in {dep.section}"
            yield self.finding(
                f"Dependency '{dep.name}' ({dep.ecosystem.value}) is on the denylist (entry '{entry}'), {where}; "
                "remove it or replace it",
                dep.location,
                f"{manifest.path}|{dep.ecosystem.value}:{dep.normalized}",
            )
