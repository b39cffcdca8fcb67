"""What one run produced, handed to the reporters."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lambda_secrets_lint.model.findings import Finding
from lambda_secrets_lint.rule import RuleMeta


@dataclass(frozen=True, slots=True)
class RunResult:
    """root: absolute project root; finding paths are POSIX and relative to it.

    findings: every finding, sorted by (path, line, column, rule); the
    suppressed ones carry `suppression` and reporters show them only when
    asked (`--show-suppressed`).
    notifications: LSL000 findings (files that could not be read or parsed);
    they are findings too, but SARIF also lists them as
    toolExecutionNotifications.
    rules: metadata of every registered rule, in ID order (SARIF rules[]).
    """

    root: Path
    findings: tuple[Finding, ...]
    notifications: tuple[Finding, ...]
    rules: tuple[RuleMeta, ...]
    files_scanned: int
    execution_successful: bool = True
    # What the run could not work out (an unresolvable handler, a role the
    # linter cannot see); printed with --verbose, never findings.
    notes: tuple[str, ...] = ()

    def visible(self, show_suppressed: bool) -> tuple[Finding, ...]:
        if show_suppressed:
            return self.findings
        return tuple(f for f in self.findings if f.suppression is None)
