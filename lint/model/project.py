"""The one Project model every rule reads."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lambda_secrets_lint.model.code import CodeFacts
from lambda_secrets_lint.model.dependencies import Manifest
from lambda_secrets_lint.model.findings import Finding
from lambda_secrets_lint.model.infra import ContextEntry, LambdaFunction, Template


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
    cdk_contexts: tuple["CdkContextFile", ...] = ()  # cdk.context.json files
    npm_manifests: tuple["NpmManifest", ...] = ()  # package.json files (dependency versions)
    manifests: tuple[Manifest, ...] = ()  # dependency manifests and lockfiles (LSL4xx)

    def functions(self) -> tuple[tuple[Template, LambdaFunction], ...]:
        return tuple((t, f) for t in self.templates for f in t.functions)


@dataclass(frozen=True, slots=True)
class CdkContextFile:
    path: str
    entries: tuple[ContextEntry, ...]


@dataclass(frozen=True, slots=True)
class NpmManifest:
    """A package.json: the declared version spec of each dependency (all
    dependency sections merged; a fuller manifest model comes with LSL401)."""

    path: str
    dependencies: tuple[tuple[str, str], ...]  # (name, version spec)
    lock_versions: tuple[tuple[str, str], ...] = ()  # (name, resolved version) from a lockfile beside it

    def version_of(self, name: str) -> str | None:
        for n, v in self.lock_versions:
            if n == name:
                return v
        for n, v in self.dependencies:
            if n == name:
                return v
        return None
