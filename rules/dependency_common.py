"""Shared by LSL401/LSL402: which dependencies to judge, and name lists
written as `pypi:NAME`, `npm:NAME` or a bare `NAME` (both ecosystems)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from posixpath import dirname

from lambda_secrets_lint.model.dependencies import Dependency, Ecosystem, Manifest
from lambda_secrets_lint.model.project import Project
from lambda_secrets_lint.typosquat.normalize import normalize  # PEP 503 / npm keys, as the detector compares


def matches_list(dep: Dependency, entries: Iterable[str]) -> str | None:
    """The list entry naming this dependency, or None."""
    for entry in entries:
        prefix, sep, rest = entry.partition(":")
        if sep and prefix.lower() in ("pypi", "npm"):
            if prefix.lower() != dep.ecosystem.value:
                continue
            name = rest
        else:
            name = entry
        if name and normalize(name, dep.ecosystem.value) == dep.normalized:
            return entry
    return None


def judged(project: Project) -> Iterator[tuple[Manifest, Dependency]]:
    """Registry dependencies worth a finding: every direct one, and a
    lockfile's pins only when no manifest in its directory or below it (a
    workspace) declares the name — then it is transitive, or the manifest is
    not in the repo. One finding per spot, where the user can act on it."""
    declared: dict[tuple[Ecosystem, str], list[str]] = {}
    for m in project.manifests:
        for d in m.dependencies:
            if d.direct:
                declared.setdefault((d.ecosystem, d.normalized), []).append(dirname(m.path))
    seen_lock: set[tuple[str, Ecosystem, str]] = set()
    for m in project.manifests:
        for d in m.dependencies:
            if not d.registry:
                continue
            if not d.direct:
                here = dirname(m.path)
                key = (here, d.ecosystem, d.normalized)
                # A workspace's package.json below the lockfile declares it too.
                if key in seen_lock or any(_within(where, here) for where in declared.get((d.ecosystem, d.normalized), ())):
                    continue
                seen_lock.add(key)
            yield m, d


def _within(path: str, directory: str) -> bool:
    return not directory or path == directory or path.startswith(directory + "/")
