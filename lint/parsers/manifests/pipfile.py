"""Pipfile (TOML): [packages], [dev-packages] and any custom category table.

Keys are package names; a value is a version string ("*", "==1.0") or a
table whose `version` is the spec and whose git/path/file/VCS keys mean the
code does not come from the index under this name.
"""
from __future__ import annotations

from lambda_secrets_lint.model.dependencies import Ecosystem, Manifest
from lambda_secrets_lint.parsers.manifests.collector import Collector
from lambda_secrets_lint.parsers.manifests.pep508 import is_valid_name
from lambda_secrets_lint.parsers.manifests.toml_doc import load_toml

__all__ = ["parse_pipfile"]

# Top-level tables that are not package categories.
_NOT_CATEGORIES = frozenset({"source", "requires", "pipenv", "scripts"})
_NOT_REGISTRY = ("git", "path", "file", "hg", "svn", "bzr")


def parse_pipfile(path: str, text: str) -> Manifest:
    doc, where = load_toml(text)
    out = Collector(path, Ecosystem.PYPI, "pipfile")
    for category, table in doc.items():
        if category in _NOT_CATEGORIES or not isinstance(table, dict):
            continue
        for name, value in table.items():
            key_path = (category, name)
            if isinstance(value, str):
                spec, registry = value, True
            elif isinstance(value, dict):
                version = value.get("version")
                spec = version if isinstance(version, str) else ""
                registry = not any(key in value for key in _NOT_REGISTRY)
            else:
                out.issue(f"{category}: a package value is neither a string nor a table", where.line_of(key_path))
                continue
            if not is_valid_name(name):
                out.issue(f"{category}: invalid package name", where.line_of(key_path))
                continue
            span = where.key_span(key_path)
            if span is None:
                out.issue(f"{category}: cannot locate a package name (escaped key)", where.line_of(key_path))
                continue
            out.add(name, category, spec, span, registry=registry)
    return out.manifest()
