"""The one Project model every rule reads."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lambda_secrets_lint.model.code import CodeFacts
from lambda_secrets_lint.model.findings import Finding
from lambda_secrets_lint.model.infra import LambdaFunction, Template


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A discovered file: its root-relative POSIX path and its kind."""

    path: str
    kind: str  # one of lambda_secrets_lint.discovery.FileKind values
    abspath: Path


@dataclass(frozen=True, slots=True)
class Project:
    root: Path
    files: tuple[SourceFile, ...]
    templates: tuple[Template, ...]
    notifications: tuple[Finding, ...]  # LSL000 for files that could not be used
    code: tuple[CodeFacts, ...] = ()  # handler and CDK source files

    def functions(self) -> tuple[tuple[Template, LambdaFunction], ...]:
        return tuple((t, f) for t in self.templates for f in t.functions)
