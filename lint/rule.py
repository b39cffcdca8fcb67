"""The rule contract.

A rule module declares everything about a rule in one RuleMeta: identity,
level, tags, the markdown doc and VALID/INVALID examples. `explain`, the
generated docs/rules/*.md, SARIF's tool.driver.rules[] and one parametrized
test per example all come from that one place.

A rule reads the Project and yields Findings. It does no I/O and no parsing.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from lambda_secrets_lint.model.findings import Finding, Level, Related, Fix
from lambda_secrets_lint.model.location import Location
from lambda_secrets_lint.model.project import Project

DOC_HEADINGS = ("What it does", "Why is this bad", "Example", "Use instead", "References")


@dataclass(frozen=True, slots=True)
class Example:
    """A single file or a small project. Expected findings are written inline
    in the files (`# expect: LSL101`), exactly like fixtures; JSON files carry
    them in `expect` as (path, line, rule) triples."""

    files: Mapping[str, str]
    title: str = ""
    expect: tuple[tuple[str, int, str], ...] = ()


@dataclass(frozen=True, slots=True)
class RuleMeta:
    id: str
    name: str
    level: Level
    summary: str
    doc: str  # markdown with the DOC_HEADINGS as `## ` sections
    tags: tuple[str, ...] = ()
    cwe: tuple[str, ...] = ()  # e.g. ("CWE-798",)
    precision: str = "high"  # SARIF: very-high | high | medium | low
    security_severity: str = "5.0"  # SARIF: a string "0.1".."10.0"
    valid: tuple[Example, ...] = ()
    invalid: tuple[Example, ...] = ()
    options: Mapping[str, object] = field(default_factory=dict)
    tool_level: bool = False  # LSL000/LSL900: produced by the engine, not by check()


@dataclass(frozen=True, slots=True)
class Settings:
    """What rules may read from the configuration."""

    extra_secret_words: tuple[str, ...] = ()
    allowed_env_names: tuple[str, ...] = ()  # exact names or fnmatch globs
    allowed_values: tuple[str, ...] = ()  # sha256 hex of values known not to be secret
    denylist: tuple[str, ...] = ()
    allowed_dependencies: tuple[str, ...] = ()


class Rule(Protocol):
    meta: RuleMeta

    def check(self, project: Project, settings: Settings) -> Iterable[Finding]: ...


class BaseRule:
    """Convenience base: builds findings with the rule's own id, name, level."""

    meta: RuleMeta

    def check(self, project: Project, settings: Settings) -> Iterable[Finding]:  # pragma: no cover
        return ()

    def finding(
        self,
        message: str,
        location: Location,
        fingerprint_key: str,
        related: tuple[Related, ...] = (),
        fix: Fix | None = None,
    ) -> Finding:
        return Finding(
            rule_id=self.meta.id,
            rule_name=self.meta.name,
            level=self.meta.level,
            message=message,
            location=location,
            fingerprint_key=fingerprint_key,
            related=related,
            fix=fix,
        )
