"""The [[package]] array shared by poetry.lock and uv.lock."""
from __future__ import annotations

from typing import Any, Callable

from lambda_secrets_lint.parsers.manifests.collector import Collector
from lambda_secrets_lint.parsers.manifests.pep508 import is_valid_name
from lambda_secrets_lint.parsers.manifests.toml_doc import TomlPositions

__all__ = ["add_locked_packages"]


def add_locked_packages(
    out: Collector,
    doc: dict[str, Any],
    where: TomlPositions,
    registry_of: Callable[[dict[str, Any]], bool | None],
) -> None:
    """Add each [[package]]'s `name`; ``registry_of`` says registry or not, or None to skip it."""
    packages = doc.get("package", [])
    if not isinstance(packages, list):
        out.issue("`package` is not an array of tables", where.line_of(("package",)))
        return
    for i, entry in enumerate(packages):
        if not isinstance(entry, dict):
            out.issue("a `package` entry is not a table", where.line_of(("package",)))
            continue
        name = entry.get("name")
        path = ("package", i, "name")
        if not isinstance(name, str) or not is_valid_name(name):
            out.issue("a [[package]] has no valid name", where.line_of(("package", i)))
            continue
        registry = registry_of(entry)
        if registry is None:
            continue
        span = where.string_span(path, name, 0, len(name))
        if span is None:
            out.issue("cannot locate a package name (escaped or multi-line string)", where.line_of(path))
            continue
        version = entry.get("version")
        out.add(name, "lock", version if isinstance(version, str) else "", span, registry=registry)
