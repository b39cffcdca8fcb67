"""Declared and locked dependencies read from manifests (requirements files,
pyproject.toml, package.json, lockfiles...), for the dependency rules
(LSL401 typosquatting, LSL402 denylist).

Each dependency keeps the exact span of its name in the file, so a finding
points at the name and a fix can replace precisely those characters.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from lambda_secrets_lint.model.location import Location

__all__ = ["Ecosystem", "Dependency", "ManifestIssue", "Manifest"]


class Ecosystem(str, Enum):
    PYPI = "pypi"
    NPM = "npm"


@dataclass(frozen=True, slots=True)
class Dependency:
    # The package name exactly as the registry knows it (for an npm alias
    # "x": "npm:lodash@^4" this is "lodash").
    name: str
    # PyPI: PEP 503 (packaging.utils.canonicalize_name); npm: lower-cased.
    normalized: str
    ecosystem: Ecosystem
    # Where it was declared: "requirements", "project.dependencies",
    # "project.optional-dependencies.dev", "tool.poetry.dependencies",
    # "packages", "options.install_requires", "devDependencies", "lock", ...
    section: str
    # Version specifier as written ("==2.31.0", "^4.17.21", "" when none);
    # never includes the name. Lockfiles: the locked version as written there.
    spec: str
    # Exactly the name's characters (one line, end column exclusive); for an
    # npm alias, the real name inside the spec string.
    location: Location
    # False for a pin found only in a lockfile.
    direct: bool
    # False when the code does not come from the registry under this name:
    # VCS/URL/path/file:/link:/workspace: specs, `name @ url`, editables.
    registry: bool
    # The npm alias key ("my-lodash" for "my-lodash": "npm:lodash@^4"), else "".
    alias: str = ""


@dataclass(frozen=True, slots=True)
class ManifestIssue:
    """A part of a manifest that could not be used; the rest still is.

    ``message`` never quotes the file's content (it may hold a secret).
    """

    message: str
    line: int
    col: int = 1


@dataclass(frozen=True, slots=True)
class Manifest:
    path: str  # root-relative POSIX path as given
    ecosystem: Ecosystem
    # "requirements" | "pyproject" | "pipfile" | "setup.cfg" | "pipfile.lock"
    # | "poetry.lock" | "uv.lock" | "package.json" | "package-lock.json"
    # | "npm-shrinkwrap.json" | "yarn.lock" | "pnpm-lock.yaml"
    kind: str
    dependencies: tuple[Dependency, ...]
    # Other files this one pulls in (requirements -r/-c, setup.cfg `file:`),
    # relative to the project root, POSIX, normalised, in order. May start
    # with "../" or "/" when the manifest points outside the root.
    includes: tuple[str, ...] = ()
    issues: tuple[ManifestIssue, ...] = ()
