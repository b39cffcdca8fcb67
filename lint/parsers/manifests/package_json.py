"""package.json: dependencies, devDependencies, optionalDependencies and
peerDependencies. bundle(d)Dependencies only repeats names listed there.

An alias `"my-lodash": "npm:lodash@^4"` installs lodash: the dependency is
lodash, located inside the spec string, with the key kept as ``alias``.
"""
from __future__ import annotations

from lambda_secrets_lint.model.dependencies import Ecosystem, Manifest
from lambda_secrets_lint.model.location import Span
from lambda_secrets_lint.parsers.manifests.collector import Collector
from lambda_secrets_lint.parsers.manifests.json_doc import key_span, load_object, string_span, value_pos
from lambda_secrets_lint.parsers.manifests.npm_specs import is_registry_spec, is_valid_npm_name, split_name_range
from lambda_secrets_lint.parsers.nodes import PosDict

__all__ = ["parse_package_json", "SECTIONS"]

SECTIONS = ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies")
_ALIAS = "npm:"


def parse_package_json(path: str, text: str) -> Manifest:
    doc = load_object(text, "package.json")
    out = Collector(path, Ecosystem.NPM, "package.json")
    for section in SECTIONS:
        if section not in doc:
            continue
        deps = doc[section]
        if type(deps) is not PosDict:
            out.issue(f"{section} is not an object", *value_pos(doc, section))
            continue
        for key, spec in deps.items():
            where = deps.key_spans[key]
            if type(spec) is not str:
                out.issue(f"{section}: a version spec is not a string", where.line, where.col)
                continue
            span = key_span(deps, key)
            if span is None:
                out.issue(f"{section}: a package name is written with escape sequences", where.line, where.col)
                continue
            if not is_valid_npm_name(key):
                out.issue(f"{section}: invalid package name", where.line, where.col)
                continue
            if not spec.startswith(_ALIAS):
                out.add(key, section, spec, span, registry=is_registry_spec(spec))
                continue
            target = split_name_range(spec[len(_ALIAS) :])
            inner = string_span(deps, key)
            if target is None or not is_valid_npm_name(target[0]) or inner is None:
                out.issue(f"{section}: invalid or escaped npm: alias", *value_pos(deps, key))
                continue
            name, version_range = target
            start = inner.col + len(_ALIAS)
            out.add(name, section, version_range, Span(inner.line, start, inner.line, start + len(name)), alias=key)
    return out.manifest()
