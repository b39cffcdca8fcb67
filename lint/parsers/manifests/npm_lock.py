"""package-lock.json / npm-shrinkwrap.json.

v2/v3 list every installed folder under "packages": the name is what
follows the last "node_modules/" of the key (an aliased folder also has a
"name" field holding the real name). v1 has a nested "dependencies" tree
keyed by name. v2 carries both; "packages" is the complete one.
One Dependency per name, at its first occurrence in the file.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lambda_secrets_lint.model.dependencies import Ecosystem, Manifest
from lambda_secrets_lint.model.location import Span
from lambda_secrets_lint.parsers.manifests.collector import Collector
from lambda_secrets_lint.parsers.manifests.json_doc import key_span, load_object, string_span, value_pos
from lambda_secrets_lint.parsers.manifests.npm_specs import (
    is_registry_spec,
    is_registry_tarball,
    is_valid_npm_name,
    split_name_range,
)
from lambda_secrets_lint.parsers.nodes import PosDict

__all__ = ["parse_npm_lock"]

_NODE_MODULES = "node_modules/"
_ALIAS = "npm:"


def parse_npm_lock(path: str, text: str, kind: str) -> Manifest:
    doc = load_object(text, kind)
    out = Collector(path, Ecosystem.NPM, kind, lockfile=True)
    packages = doc.get("packages")
    dependencies = doc.get("dependencies")
    if type(packages) is PosDict:
        _packages(out, packages)
        return out.manifest()
    if packages is not None:
        out.issue("packages is not an object", *value_pos(doc, "packages"))
    if type(dependencies) is PosDict:
        _dependency_tree(out, dependencies)
    elif dependencies is not None:
        out.issue("dependencies is not an object", *value_pos(doc, "dependencies"))
    return out.manifest()


def _packages(out: Collector, packages: PosDict) -> None:
    for key, entry in packages.items():
        cut = key.rfind(_NODE_MODULES)
        if cut < 0:
            continue  # "" is the root project; "packages/x" a workspace's own folder
        name = key[cut + len(_NODE_MODULES) :]
        where = packages.key_spans[key]
        if type(entry) is not PosDict:
            out.issue("a packages entry is not an object", where.line, where.col)
            continue
        quoted = key_span(packages, key)
        if quoted is None or not is_valid_npm_name(name):
            out.issue("invalid or escaped package path", where.line, where.col)
            continue
        alias = ""
        span = Span(quoted.line, quoted.end_col - len(name), quoted.line, quoted.end_col)
        real = entry.get("name")
        if isinstance(real, str) and real != name:  # an aliased folder
            real_span = string_span(entry, "name")
            if real_span is None or not is_valid_npm_name(real):
                out.issue("invalid or escaped package name", *value_pos(entry, "name"))
                continue
            alias, name, span = name, real, real_span
        version = entry.get("version")
        version = version if isinstance(version, str) else ""
        registry = (
            entry.get("link") is not True
            and is_registry_tarball(entry.get("resolved"))
            and (not version or is_registry_spec(version))
        )
        out.add(name, "lock", version, span, registry=registry, alias=alias)


def _dependency_tree(out: Collector, dependencies: PosDict) -> None:
    # Depth-first in document order, with an explicit stack (no recursion).
    stack: list[Iterator[tuple[str, Any]]] = [iter(dependencies.items())]
    owners: list[PosDict] = [dependencies]
    while stack:
        for key, entry in stack[-1]:
            _tree_entry(out, owners[-1], key, entry)
            nested = entry.get("dependencies") if type(entry) is PosDict else None
            if type(nested) is PosDict:
                stack.append(iter(nested.items()))
                owners.append(nested)
                break
        else:
            stack.pop()
            owners.pop()


def _tree_entry(out: Collector, owner: PosDict, key: str, entry: object) -> None:
    where = owner.key_spans[key]
    if type(entry) is not PosDict:
        out.issue("a dependencies entry is not an object", where.line, where.col)
        return
    span = key_span(owner, key)
    if span is None or not is_valid_npm_name(key):
        out.issue("invalid or escaped package name", where.line, where.col)
        return
    version = entry.get("version")
    version = version if isinstance(version, str) else ""
    if version.startswith(_ALIAS):  # "version": "npm:lodash@4.17.21" under an alias key
        target = split_name_range(version[len(_ALIAS) :])
        inner = string_span(entry, "version")
        if target is None or not is_valid_npm_name(target[0]) or inner is None:
            out.issue("invalid or escaped npm: alias", *value_pos(entry, "version"))
            return
        start = inner.col + len(_ALIAS)
        alias_span = Span(inner.line, start, inner.line, start + len(target[0]))
        out.add(target[0], "lock", target[1], alias_span, registry=True, alias=key)
        return
    registry = is_registry_tarball(entry.get("resolved")) and (not version or is_registry_spec(version))
    out.add(key, "lock", version, span, registry=registry)
