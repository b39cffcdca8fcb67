"""LSL401 typosquatted-dependency."""
from __future__ import annotations

from collections.abc import Iterable

from lambda_secrets_lint.model.dependencies import Ecosystem
from lambda_secrets_lint.model.findings import Finding, Fix, Level, Replacement
from lambda_secrets_lint.model.project import Project
from lambda_secrets_lint.rule import BaseRule, Example, RuleMeta, Settings
from lambda_secrets_lint.rules.dependency_common import judged, matches_list
from lambda_secrets_lint.typosquat.normalize import split_scope

DOC = """\
## What it does
Flags a dependency whose name is a near miss of a popular package of the
same ecosystem while not being popular itself: one letter dropped, doubled,
swapped or mistyped (two edits for long names), `-`/`_`/`.` tricks,
look-alike characters (`l`/`1`/`I`, `0`/`o`, `rn`/`m`), added prefixes and
suffixes (`python-`, `py`, `-js`, `node-`, version digits), and npm scope
confusion (a dropped or look-alike scope, `@types/x` vs `types-x`). It works
offline from a bundled snapshot of PyPI's 15,000 most downloaded projects
and npm's most downloaded packages (see docs/typosquat.md for the snapshot,
the thresholds and their measured recall and false-positive rate). Popular
look-alikes such as `boto`/`boto3` or `lodash`/`lodash-es` are never
flagged. The finding names the package you probably meant, and
`check --fix` replaces the name in place, keeping the version specifier.
Checks `requirements*.txt` (and `-r` includes), `pyproject.toml`,
`Pipfile`, `setup.cfg`, `package.json`, and the names lockfiles pin.

## Why is this bad
A typosquat is a package published under a name one typo away from a
popular one, waiting for `pip install reqeusts`. Such packages commonly run
code at install or import time that reads `os.environ` / `process.env` and
sends it to the attacker — exactly where a Lambda function's secrets are
when they are kept in environment variables, and where its AWS session
credentials always are.

## Example
```text
reqeusts==2.31.0
```

## Use instead
```text
requests==2.31.0
```
If the name is really yours (an internal package), list it in
`allowed-dependencies` in the configuration.

## References
- [PyPI: typosquatting and malicious packages (PEP 541)](https://peps.python.org/pep-0541/)
- [npm: threats and mitigations — typosquatting](https://docs.npmjs.com/threats-and-mitigations#by-typosquatting--dependency-confusion)
- [CISA: defending against software supply chain attacks](https://www.cisa.gov/resources-tools/resources/defending-against-software-supply-chain-attacks)
"""

_SCORE_WORDS = {
    Ecosystem.PYPI: lambda s: f"#{s:,} on PyPI by downloads",
    Ecosystem.NPM: lambda s: f"{s:,} downloads a month on npm",
}


def _scope(name: str) -> str:
    scope, _ = split_scope(name)
    return f"@{scope}" if scope else ""


class TyposquattedDependency(BaseRule):
    meta = RuleMeta(
        id="LSL401",
        name="typosquatted-dependency",
        level=Level.ERROR,
        summary="A dependency's name is a near miss of a popular package",
        doc=DOC,
        tags=("security", "supply-chain", "dependencies", "typosquatting"),
        cwe=("CWE-1357",),
        precision="high",
        security_severity="8.0",
        valid=(
            Example({"requirements.txt": "requests==2.31.0\nboto3>=1.34\nboto==2.49.0\n"}, "the real packages"),
            Example({"package.json": '{\n  "dependencies": {\n    "lodash": "^4.17.21",\n    "lodash-es": "^4.17.21"\n  }\n}\n'},
                    "popular look-alikes stay clean"),
        ),
        invalid=(
            Example({"requirements.txt": "reqeusts==2.31.0  # expect: LSL401\n"}, "letters swapped"),
            Example({"package.json": '{\n  "dependencies": {\n    "expresss": "^4.18.2"\n  }\n}\n'},
                    "a doubled letter", expect=(("package.json", 3, "LSL401"),)),
        ),
    )

    def check(self, project: Project, settings: Settings) -> Iterable[Finding]:
        if not project.manifests:
            return
        from lambda_secrets_lint.typosquat import check as suspect  # loads the snapshot on first use

        cache: dict[tuple[Ecosystem, str], object] = {}
        for manifest, dep in judged(project):
            if matches_list(dep, settings.allowed_dependencies) or matches_list(dep, settings.denylist):
                continue  # allowed on purpose, or already LSL402
            key = (dep.ecosystem, dep.name)
            if key not in cache:
                cache[key] = suspect(dep.name, dep.ecosystem.value)
            hit = cache[key]
            if hit is None:
                continue
            target = hit.target  # type: ignore[attr-defined]
            popular = _SCORE_WORDS[dep.ecosystem](hit.target_score)  # type: ignore[attr-defined]
            written = dep.location.span
            fix = None
            if dep.direct and written.line == written.end_line:
                # Replace exactly the name's characters; the specifier stays.
                fix = Fix(f"Replace '{dep.name}' with '{target}'", (Replacement(dep.location, target, dep.name),))
            where = "" if dep.direct else " (pinned by this lockfile: fix or drop whatever pulls it in, then re-lock)"
            if dep.ecosystem is Ecosystem.NPM and _scope(dep.name) and _scope(dep.name) == _scope(target):
                # Only the scope's owner can publish under it: a typo that
                # breaks the install (or pulls your own org's wrong package),
                # not a stranger's squat.
                where += f"; only the owner of {_scope(dep.name)} can publish there, so this is most likely a typo"
            yield self.finding(
                f"Dependency '{dep.name}' looks like a typosquat of '{target}' ({hit.technique}; "  # type: ignore[attr-defined]
                f"'{target}' is {popular}, '{dep.name}' is not a popular package){where}: a look-alike package can "
                f"read the function's environment and send its secrets away — did you mean '{target}'?",
                dep.location,
                f"{manifest.path}|{dep.ecosystem.value}:{dep.normalized}",
                fix=fix,
            )
