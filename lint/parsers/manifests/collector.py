"""Accumulates one manifest's dependencies, includes and issues, then freezes them."""
from __future__ import annotations

from collections.abc import Callable

from lambda_secrets_lint.model.dependencies import Dependency, Ecosystem, Manifest, ManifestIssue
from lambda_secrets_lint.model.location import Location, Span

__all__ = ["Collector", "MAX_ISSUES"]

# A garbage file (a binary decoded as text, the wrong file under a manifest's
# name) would otherwise yield one issue per line: keep the first ones and
# say how many more there were.
MAX_ISSUES = 50


class Collector:
    __slots__ = ("path", "ecosystem", "kind", "lockfile", "_deps", "_issues", "_includes", "_seen", "_extra_issues", "_canonical")

    def __init__(self, path: str, ecosystem: Ecosystem, kind: str, *, lockfile: bool = False) -> None:
        self.path = path
        self.ecosystem = ecosystem
        self.kind = kind
        # Lockfiles: every dependency is direct=False and listed once (the
        # first occurrence), however many versions or paths the lock holds.
        self.lockfile = lockfile
        self._deps: list[Dependency] = []
        self._issues: list[ManifestIssue] = []
        self._includes: list[str] = []
        self._seen: set[str] = set()
        self._extra_issues: list[int] = []
        self._canonical: Callable[[str], str]
        if ecosystem is Ecosystem.PYPI:
            from packaging.utils import canonicalize_name

            self._canonical = canonicalize_name
        else:
            self._canonical = str.lower

    def add(self, name: str, section: str, spec: str, span: Span, *, registry: bool = True, alias: str = "") -> None:
        normalized = str(self._canonical(name))
        if self.lockfile:
            key = normalized if self.ecosystem is Ecosystem.PYPI else name
            if key in self._seen:
                return
            self._seen.add(key)
        self._deps.append(
            Dependency(
                name=name,
                normalized=normalized,
                ecosystem=self.ecosystem,
                section=section,
                spec=spec,
                location=Location(self.path, span),
                direct=not self.lockfile,
                registry=registry,
                alias=alias,
            )
        )

    def issue(self, message: str, line: int, col: int = 1) -> None:
        if len(self._issues) < MAX_ISSUES:
            self._issues.append(ManifestIssue(message, line, col))
        else:
            self._extra_issues.append(line)

    def include(self, target: str) -> None:
        self._includes.append(target)

    def manifest(self) -> Manifest:
        issues = self._issues
        if self._extra_issues:
            more = len(self._extra_issues)
            issues = issues + [ManifestIssue(f"{more} more problem(s) not listed", self._extra_issues[0])]
        return Manifest(
            path=self.path,
            ecosystem=self.ecosystem,
            kind=self.kind,
            dependencies=tuple(self._deps),
            includes=tuple(self._includes),
            issues=tuple(issues),
        )
