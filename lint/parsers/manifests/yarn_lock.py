"""yarn.lock, both the classic v1 format and berry's (v2+) YAML.

Both put one entry per resolved package at column 1: a header listing the
descriptors that resolve to it, then an indented body whose `version` is
the locked version:

    "@babel/core@^7.0.0", "@babel/core@^7.1.0":     (v1: quoted, comma-separated)
      version "7.1.0"
    "lodash@npm:^4.17.19, lodash@npm:^4.17.21":     (berry: one quoted list)
      version: 4.17.21

A descriptor is `name@range`; the name ends at the first "@" after its
first character (so "@scope/name" and ranges holding "@", like
`npm:real@^1` aliases or patch: descriptors, come out right). The entry is
named after its first descriptor and located there. Lines are scanned
without a YAML parser: the shape is fixed and a lockfile can be megabytes.
"""
from __future__ import annotations

from lambda_secrets_lint.model.dependencies import Ecosystem, Manifest
from lambda_secrets_lint.model.location import Span
from lambda_secrets_lint.parsers.manifests.collector import Collector
from lambda_secrets_lint.parsers.manifests.npm_specs import is_registry_spec, is_valid_npm_name, split_name_range

__all__ = ["parse_yarn_lock"]

_NPM = "npm:"
_SKIP_HEADERS = frozenset({"__metadata", '"__metadata"'})


def parse_yarn_lock(path: str, text: str) -> Manifest:
    out = Collector(path, Ecosystem.NPM, "yarn.lock", lockfile=True)
    # The entry whose body is being read: (name, span, registry, alias), and its version.
    pending: tuple[str, Span, bool, str] | None = None
    version = ""
    for number, line in enumerate(text.split("\n"), 1):
        if line.endswith("\r"):
            line = line[:-1]
        if not line or line[0] == "#":
            continue
        if line[0] == " ":
            # `version` of the entry: exactly two spaces in (deeper ones are its dependencies).
            if pending is not None and not version and line.startswith("  version"):
                version = _version(line)
            continue
        if pending is not None:
            _flush(out, pending, version)
        pending, version = None, ""
        header = line.rstrip()
        if " #" in header and not header.endswith(":"):
            # `lodash@^4.17.21:  # note`: both yarn formats allow a trailing comment
            header = header.split(" #", 1)[0].rstrip()
        if not header.endswith(":") or header[0] == "\t":
            out.issue("not a yarn.lock entry header", number)
            continue
        header = header[:-1]
        if header in _SKIP_HEADERS:
            continue
        pending = _first_descriptor(out, header, number)
    if pending is not None:
        _flush(out, pending, version)
    return out.manifest()


def _flush(out: Collector, pending: tuple[str, Span, bool, str], version: str) -> None:
    name, span, registry, alias = pending
    out.add(name, "lock", version, span, registry=registry, alias=alias)


def _version(line: str) -> str:
    # v1: `  version "1.2.3"`; berry: `  version: 1.2.3`
    rest = line[len("  version") :]
    if rest[:1] not in (" ", ":"):
        return ""  # a key such as `versionFoo`
    return rest.lstrip(": ").strip().strip("\"'")


def _first_descriptor(out: Collector, header: str, number: int) -> tuple[str, Span, bool, str] | None:
    part = header.split(",", 1)[0]
    start = len(part) - len(part.lstrip(" \"'"))
    descriptor = part[start:].rstrip(" \"'")  # cut once: the span starts exactly where the text does
    if "\\" in descriptor:
        out.issue("escaped yarn.lock descriptor", number, start + 1)
        return None
    split = split_name_range(descriptor)
    if split is None or not is_valid_npm_name(split[0]) or split[0] == descriptor:
        out.issue("invalid yarn.lock descriptor", number, start + 1)
        return None
    name, version_range = split
    if version_range.startswith(_NPM):
        target = version_range[len(_NPM) :]
        if "@" in target[1:]:  # berry/v1 alias: `alias@npm:real@range`
            real = split_name_range(target)
            if real is None or not is_valid_npm_name(real[0]):
                out.issue("invalid npm: alias in yarn.lock", number, start + 1)
                return None
            col = start + len(name) + 1 + len(_NPM) + 1
            return real[0], Span(number, col, number, col + len(real[0])), True, name
        return name, Span(number, start + 1, number, start + 1 + len(name)), True, ""
    registry = is_registry_spec(version_range)
    return name, Span(number, start + 1, number, start + 1 + len(name)), registry, ""
