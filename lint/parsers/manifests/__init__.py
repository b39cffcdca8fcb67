"""Dependency manifests -> Manifest (lambda_secrets_lint.model.dependencies).

``manifest_kind`` recognises a manifest by its file name; ``parse_manifest``
turns its text into dependencies with the exact span of each name. Parsing
is pure (no I/O, no network). A file that cannot be used at all raises
ManifestError; a part that cannot be used becomes a ManifestIssue and the
rest of the file still counts.

Each format lives in its own module, imported only when a file of that kind
is parsed, so importing this package stays cheap (no packaging, tomllib or
JSON parser until needed).
"""
from __future__ import annotations

from lambda_secrets_lint.model.dependencies import Ecosystem, Manifest
from lambda_secrets_lint.parsers.manifests.errors import ManifestError

__all__ = ["ManifestError", "manifest_kind", "parse_manifest", "KINDS"]

# Exact file names -> kind.
_BY_NAME = {
    "pyproject.toml": "pyproject",
    "Pipfile": "pipfile",
    "setup.cfg": "setup.cfg",
    "Pipfile.lock": "pipfile.lock",
    "poetry.lock": "poetry.lock",
    "uv.lock": "uv.lock",
    "package.json": "package.json",
    "package-lock.json": "package-lock.json",
    "npm-shrinkwrap.json": "npm-shrinkwrap.json",
    "yarn.lock": "yarn.lock",
    "pnpm-lock.yaml": "pnpm-lock.yaml",
}
KINDS = frozenset(_BY_NAME.values()) | {"requirements"}
_PYPI_KINDS = frozenset({"requirements", "pyproject", "pipfile", "setup.cfg", "pipfile.lock", "poetry.lock", "uv.lock"})


def manifest_kind(rel_path: str) -> str | None:
    """The manifest kind of a file, by its name; None if it is not a manifest."""
    name = rel_path.rsplit("/", 1)[-1]
    kind = _BY_NAME.get(name)
    if kind is not None:
        return kind
    if name.startswith("requirements") and name.endswith((".txt", ".in")):
        return "requirements"
    return None


def parse_manifest(rel_path: str, text: str, kind: str | None = None) -> Manifest:
    """Parse ``text`` (the content of ``rel_path``) as a manifest of ``kind`` (default: by name).

    Raises ManifestError only when the whole file is unusable (or the kind is unknown).
    """
    if kind is None:
        kind = manifest_kind(rel_path)
        if kind is None:
            raise ManifestError("not a dependency manifest (unknown file name)")
    if kind not in KINDS:
        raise ManifestError(f"unknown manifest kind {kind[:40]!r}")
    if text.startswith("\ufeff"):  # a BOM is not content; columns count from after it, as in the JSON loader
        text = text[1:]
    ecosystem = Ecosystem.PYPI if kind in _PYPI_KINDS else Ecosystem.NPM
    if not text.strip():
        return Manifest(path=rel_path, ecosystem=ecosystem, kind=kind, dependencies=())
    return _PARSERS[kind](rel_path, text, kind)


def _requirements(path: str, text: str, kind: str) -> Manifest:
    from lambda_secrets_lint.parsers.manifests.requirements import parse_requirements_txt

    return parse_requirements_txt(path, text)


def _pyproject(path: str, text: str, kind: str) -> Manifest:
    from lambda_secrets_lint.parsers.manifests.pyproject import parse_pyproject

    return parse_pyproject(path, text)


def _pipfile(path: str, text: str, kind: str) -> Manifest:
    from lambda_secrets_lint.parsers.manifests.pipfile import parse_pipfile

    return parse_pipfile(path, text)


def _setup_cfg(path: str, text: str, kind: str) -> Manifest:
    from lambda_secrets_lint.parsers.manifests.setup_cfg import parse_setup_cfg

    return parse_setup_cfg(path, text)


def _pipfile_lock(path: str, text: str, kind: str) -> Manifest:
    from lambda_secrets_lint.parsers.manifests.pipfile_lock import parse_pipfile_lock

    return parse_pipfile_lock(path, text)


def _poetry_lock(path: str, text: str, kind: str) -> Manifest:
    from lambda_secrets_lint.parsers.manifests.poetry_lock import parse_poetry_lock

    return parse_poetry_lock(path, text)


def _uv_lock(path: str, text: str, kind: str) -> Manifest:
    from lambda_secrets_lint.parsers.manifests.uv_lock import parse_uv_lock

    return parse_uv_lock(path, text)


def _package_json(path: str, text: str, kind: str) -> Manifest:
    from lambda_secrets_lint.parsers.manifests.package_json import parse_package_json

    return parse_package_json(path, text)


def _npm_lock(path: str, text: str, kind: str) -> Manifest:
    from lambda_secrets_lint.parsers.manifests.npm_lock import parse_npm_lock

    return parse_npm_lock(path, text, kind)


def _yarn_lock(path: str, text: str, kind: str) -> Manifest:
    from lambda_secrets_lint.parsers.manifests.yarn_lock import parse_yarn_lock

    return parse_yarn_lock(path, text)


def _pnpm_lock(path: str, text: str, kind: str) -> Manifest:
    from lambda_secrets_lint.parsers.manifests.pnpm_lock import parse_pnpm_lock

    return parse_pnpm_lock(path, text)


_PARSERS = {
    "requirements": _requirements,
    "pyproject": _pyproject,
    "pipfile": _pipfile,
    "setup.cfg": _setup_cfg,
    "pipfile.lock": _pipfile_lock,
    "poetry.lock": _poetry_lock,
    "uv.lock": _uv_lock,
    "package.json": _package_json,
    "package-lock.json": _npm_lock,
    "npm-shrinkwrap.json": _npm_lock,
    "yarn.lock": _yarn_lock,
    "pnpm-lock.yaml": _pnpm_lock,
}
