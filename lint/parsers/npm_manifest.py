"""package.json → NpmManifest (built from the parsed Manifest, not a second
parse): each dependency's declared version spec, and
the resolved version from a package-lock.json / npm-shrinkwrap.json beside
it when there is one (LSL104 needs the middy major version)."""
from __future__ import annotations

import json
from pathlib import Path

from lambda_secrets_lint.model.dependencies import Manifest
from lambda_secrets_lint.model.project import NpmManifest
from lambda_secrets_lint.parsers.textio import SourceError, read_text

__all__ = ["build_npm_manifest", "lock_versions"]

_LOCKFILES = ("npm-shrinkwrap.json", "package-lock.json")


def lock_versions(lock: object, names: set[str]) -> tuple[tuple[str, str], ...]:
    """Resolved versions of `names` from a parsed lockfile: v2/v3
    `packages["node_modules/<name>"].version`, else v1 `dependencies[name].version`."""
    if not isinstance(lock, dict):
        return ()
    out: dict[str, str] = {}
    packages = lock.get("packages")
    if isinstance(packages, dict):
        for name in names:
            entry = packages.get(f"node_modules/{name}")
            if isinstance(entry, dict) and isinstance(entry.get("version"), str):
                out[name] = entry["version"]
    deps = lock.get("dependencies")
    if isinstance(deps, dict):
        for name in names - out.keys():
            entry = deps.get(name)
            if isinstance(entry, dict) and isinstance(entry.get("version"), str):
                out[name] = entry["version"]
    return tuple(sorted(out.items()))


def _read_lock(abspath: Path, names: set[str], max_size: int) -> tuple[tuple[str, str], ...]:
    for lockname in _LOCKFILES:
        lockpath = abspath.with_name(lockname)
        if not lockpath.is_file():
            continue
        try:
            return lock_versions(json.loads(read_text(lockpath, max_size)), names)
        except (SourceError, ValueError, RecursionError):
            return ()  # a broken or huge lockfile: the specs in package.json still count
    return ()


def build_npm_manifest(manifest: Manifest, abspath: Path | None = None, max_size: int = 0) -> NpmManifest:
    """The declared versions of a parsed package.json (lint/parsers/manifests:
    all four sections, first declaration wins, an `npm:` alias under its real
    name), plus the resolved versions from the lockfile beside it when
    abspath is given."""
    seen: dict[str, str] = {}
    for dep in manifest.dependencies:
        if dep.direct and dep.name not in seen:
            seen[dep.name] = dep.spec
    deps = tuple(seen.items())
    locked: tuple[tuple[str, str], ...] = ()
    if abspath is not None and deps:
        locked = _read_lock(abspath, set(seen), max_size or 50 * 1024 * 1024)
    return NpmManifest(path=manifest.path, dependencies=deps, lock_versions=locked)
