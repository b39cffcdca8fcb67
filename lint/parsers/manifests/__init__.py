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
    return _parse(rel_path, text, kind)


# kind -> (module, function): each format's parser is imported only when a
# file of that kind is parsed, so importing this package stays cheap.
_PARSERS: dict[str, tuple[str, str]] = {
    "requirements": ("requirements", "parse_requirements_txt"),
    "pyproject": ("pyproject", "parse_pyproject"),
    "pipfile": ("pipfile", "parse_pipfile"),
    "setup.cfg": ("setup_cfg", "parse_setup_cfg"),
    "pipfile.lock": ("pipfile_lock", "parse_pipfile_lock"),
    "poetry.lock": ("poetry_lock", "parse_poetry_lock"),
    "uv.lock": ("uv_lock", "parse_uv_lock"),
    "package.json": ("package_json", "parse_package_json"),
    "package-lock.json": ("npm_lock", "parse_npm_lock"),
    "npm-shrinkwrap.json": ("npm_lock", "parse_npm_lock"),
    "yarn.lock": ("yarn_lock", "parse_yarn_lock"),
    "pnpm-lock.yaml": ("pnpm_lock", "parse_pnpm_lock"),
}
_NEEDS_KIND = frozenset({"package-lock.json", "npm-shrinkwrap.json"})  # v1 vs shrinkwrap naming


def _parse(path: str, text: str, kind: str) -> Manifest:
    from importlib import import_module

    module, function = _PARSERS[kind]
    parser = getattr(import_module(f"{__name__}.{module}"), function)
    return parser(path, text, kind) if kind in _NEEDS_KIND else parser(path, text)
