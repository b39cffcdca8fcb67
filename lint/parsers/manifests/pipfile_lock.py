"""Pipfile.lock (JSON): every category object ("default", "develop", custom
ones) maps package names to their pins; "_meta" is not a category."""
from __future__ import annotations

from lambda_secrets_lint.model.dependencies import Ecosystem, Manifest
from lambda_secrets_lint.parsers.manifests.collector import Collector
from lambda_secrets_lint.parsers.manifests.json_doc import key_span, load_object, value_pos
from lambda_secrets_lint.parsers.manifests.pep508 import is_valid_name
from lambda_secrets_lint.parsers.nodes import PosDict

__all__ = ["parse_pipfile_lock"]

_NOT_REGISTRY = ("git", "path", "file", "hg", "svn", "bzr", "editable")


def parse_pipfile_lock(path: str, text: str) -> Manifest:
    doc = load_object(text, "Pipfile.lock")
    out = Collector(path, Ecosystem.PYPI, "pipfile.lock", lockfile=True)
    for category, packages in doc.items():
        if category == "_meta" or type(packages) is not PosDict:
            continue
        for name, entry in packages.items():
            if type(entry) is not PosDict:
                out.issue(f"{category}: a package entry is not an object", *value_pos(packages, name))
                continue
            span = key_span(packages, name)
            if span is None or not is_valid_name(name):
                out.issue(f"{category}: invalid or escaped package name", *value_pos(packages, name))
                continue
            version = entry.get("version")
            registry = not any(entry.get(key) for key in _NOT_REGISTRY)
            out.add(name, "lock", version if isinstance(version, str) else "", span, registry=registry)
    return out.manifest()
