"""poetry.lock (TOML): one [[package]] per locked distribution.

`[package.source] type` says where it came from: git/directory/file/url are
not the index under this name; "legacy" is a private index, still a registry.
"""
from __future__ import annotations

from lambda_secrets_lint.model.dependencies import Ecosystem, Manifest
from lambda_secrets_lint.parsers.manifests.collector import Collector
from lambda_secrets_lint.parsers.manifests.lock_packages import add_locked_packages
from lambda_secrets_lint.parsers.manifests.toml_doc import load_toml

__all__ = ["parse_poetry_lock"]

_NOT_REGISTRY_TYPES = frozenset({"git", "directory", "file", "url"})


def _source(entry: dict[str, object]) -> bool | None:
    source = entry.get("source")
    if isinstance(source, dict) and source.get("type") in _NOT_REGISTRY_TYPES:
        return False
    return True


def parse_poetry_lock(path: str, text: str) -> Manifest:
    doc, where = load_toml(text)
    out = Collector(path, Ecosystem.PYPI, "poetry.lock", lockfile=True)
    add_locked_packages(out, doc, where, _source)
    return out.manifest()
