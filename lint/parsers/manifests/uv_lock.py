"""uv.lock (TOML): one [[package]] per locked distribution.

`source` says where it came from: { registry = ... } is the index; git/url
and path/directory sources are not. { editable = ... } and { virtual = ... }
are the project itself and its workspace members, which are not
dependencies at all, so they are left out.
"""
from __future__ import annotations

from lambda_secrets_lint.model.dependencies import Ecosystem, Manifest
from lambda_secrets_lint.parsers.manifests.collector import Collector
from lambda_secrets_lint.parsers.manifests.lock_packages import add_locked_packages
from lambda_secrets_lint.parsers.manifests.toml_doc import load_toml

__all__ = ["parse_uv_lock"]


def _source(entry: dict[str, object]) -> bool | None:
    source = entry.get("source")
    if not isinstance(source, dict) or "registry" in source:
        return True
    if "editable" in source or "virtual" in source:
        return None
    return False  # git, url, path, directory


def parse_uv_lock(path: str, text: str) -> Manifest:
    doc, where = load_toml(text)
    out = Collector(path, Ecosystem.PYPI, "uv.lock", lockfile=True)
    add_locked_packages(out, doc, where, _source)
    return out.manifest()
