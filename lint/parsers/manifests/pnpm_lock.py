"""pnpm-lock.yaml, lockfile versions 5, 6 and 9, by scanning lines.

pnpm writes a fixed block-style YAML subset (two-space indents, one key per
line), so a line scanner with a stack of open keys finds everything with
exact columns, in one linear pass, without loading megabytes into a YAML
tree that keeps no positions. Names come from:

- importer dependencies: ``dependencies:`` / ``devDependencies:`` /
  ``optionalDependencies:`` at the top (single project) or under
  ``importers.<path>``; the key is the name. The version (inline in v5, a
  ``version:`` sub-key in v6/v9) says whether it is an alias
  (``/lodash/4.17.21``, ``/lodash@4.17.21``, ``lodash@4.17.21``) or not
  from the registry (``link:``, ``file:``, a git host or URL);
- ``packages:`` / ``snapshots:`` keys: ``/lodash/4.17.21`` (v5),
  ``/lodash@4.17.21`` (v6), ``lodash@4.17.21`` (v9), scoped, with peer
  suffixes ``_react@18.2.0`` (v5) or ``(react@18.2.0)`` (v6+). A key with
  no name in it (``github.com/user/repo/sha``) takes its ``name:`` sub-key.
"""
from __future__ import annotations

from lambda_secrets_lint.model.dependencies import Ecosystem, Manifest
from lambda_secrets_lint.model.location import Span
from lambda_secrets_lint.parsers.manifests.collector import Collector
from lambda_secrets_lint.parsers.manifests.errors import ManifestError
from lambda_secrets_lint.parsers.manifests.npm_specs import is_valid_npm_name, split_name_range

__all__ = ["parse_pnpm_lock"]

_SECTIONS = frozenset({"dependencies", "devDependencies", "optionalDependencies"})
_PACKAGES = frozenset({"packages", "snapshots"})
_BLOCK_SCALARS = frozenset({"|", ">", "|-", ">-", "|+", ">+"})


class _Record:
    """A dependency whose version (or, for a package without a name in its key, name) may come on a later line."""

    __slots__ = ("name", "span", "registry", "alias", "spec")

    def __init__(self, name: str, span: Span | None, registry: bool = True, alias: str = "", spec: str = "") -> None:
        self.name = name
        self.span = span
        self.registry = registry
        self.alias = alias
        self.spec = spec


class _Line:
    """One `key: value` line: the key, where key and value start (0-based columns), the value."""

    __slots__ = ("key", "key_col", "value", "value_col", "escaped")

    def __init__(self, key: str, key_col: int, value: str, value_col: int, escaped: bool) -> None:
        self.key = key
        self.key_col = key_col
        self.value = value
        self.value_col = value_col
        self.escaped = escaped


def parse_pnpm_lock(path: str, text: str) -> Manifest:
    out = Collector(path, Ecosystem.NPM, "pnpm-lock.yaml", lockfile=True)
    scanner = _Scanner(out)
    for number, line in enumerate(text.split("\n"), 1):
        scanner.line(number, line[:-1] if line.endswith("\r") else line)
    for record in scanner.records:
        if record.name and record.span is not None:
            out.add(record.name, "lock", record.spec, record.span, registry=record.registry, alias=record.alias)
    return out.manifest()


class _Scanner:
    def __init__(self, out: Collector) -> None:
        self.out = out
        self.records: list[_Record] = []
        self.indents: list[int] = []  # open block keys: their indents...
        self.keys: list[str] = []  # ...and names
        self.major = 9  # lockfile major version; pnpm always writes lockfileVersion first
        self.skip_deeper = -1  # indent of a block scalar / unclosed flow value being skipped
        self.dependency: _Record | None = None  # importer dependency awaiting `version:` (v6+)
        self.package: _Record | None = None  # package awaiting `name:`
        self.seen_key = False

    def line(self, number: int, line: str) -> None:
        body = line.lstrip(" ")
        if not body or body[0] == "#":
            return
        indent = len(line) - len(body)
        if body[0] == "\t":
            raise ManifestError("invalid YAML: tab character in indentation", number, indent + 1)
        if self.skip_deeper >= 0:
            if indent > self.skip_deeper:
                return
            self.skip_deeper = -1
        if indent == 0 and body.rstrip() in ("---", "..."):  # document markers (pnpm 10 writes two documents)
            self.indents.clear()
            self.keys.clear()
            return
        if body[0] == "-" and body[1:2] in ("", " "):
            if not self.seen_key:
                raise ManifestError("not a pnpm lockfile: the top level is not a mapping", number, indent + 1)
            return  # a sequence item, e.g. transitivePeerDependencies
        parsed = _parse_line(body, indent)
        if parsed is None:
            if indent == 0:
                raise ManifestError("not a pnpm lockfile: a top-level line is not a `key:` line", number, 1)
            return  # the continuation of a multi-line scalar
        self.seen_key = True
        while self.indents and self.indents[-1] >= indent:
            self.indents.pop()
            self.keys.pop()
        self.dispatch(number, parsed)
        value = parsed.value
        if not value:
            self.indents.append(indent)
            self.keys.append(parsed.key)
        elif value in _BLOCK_SCALARS or value.count("{") > value.count("}") or value.count("[") > value.count("]"):
            self.skip_deeper = indent

    def dispatch(self, number: int, parsed: _Line) -> None:
        keys = self.keys
        depth = len(keys)
        if depth == 0:
            if parsed.key == "lockfileVersion":
                self.major = _major(parsed.value, self.major)
            return
        first = keys[0]
        # An importer's dependency: top-level section (single project) or importers.<path>.<section>.
        if (depth == 1 and first in _SECTIONS) or (depth == 3 and first == "importers" and keys[2] in _SECTIONS):
            self.importer_dependency(number, parsed)
        elif (depth == 2 and first in _SECTIONS) or (depth == 4 and first == "importers" and keys[2] in _SECTIONS):
            if parsed.key == "version" and self.dependency is not None:
                self.resolve(self.dependency, number, parsed.value, parsed.value_col)
                self.dependency = None
        elif depth == 1 and first in _PACKAGES:
            self.package_key(number, parsed)
        elif depth == 2 and first == "packages" and parsed.key == "name" and self.package is not None:
            record, self.package = self.package, None
            name = _unquote(parsed.value)
            if is_valid_npm_name(name):
                col = parsed.value_col + (len(parsed.value) - len(name)) // 2
                record.name, record.span = name, Span(number, col + 1, number, col + 1 + len(name))

    def importer_dependency(self, number: int, parsed: _Line) -> None:
        self.dependency = None
        if parsed.escaped or not is_valid_npm_name(parsed.key):
            self.out.issue("invalid or escaped package name", number, parsed.key_col + 1)
            return
        name = parsed.key
        record = _Record(name, Span(number, parsed.key_col + 1, number, parsed.key_col + 1 + len(name)))
        self.records.append(record)
        if parsed.value:  # v5: `name: version`
            self.resolve(record, number, parsed.value, parsed.value_col)
        else:  # v6/v9: `specifier:` and `version:` follow
            self.dependency = record

    def resolve(self, record: _Record, number: int, raw: str, col: int) -> None:
        """Apply an importer dependency's version: a plain version, an alias path, or not the registry."""
        value = _unquote(raw)
        col += (len(raw) - len(value)) // 2
        base = value.split("(", 1)[0]
        if base[:1].isdigit():
            record.spec = base.split("_", 1)[0]  # v5 peer suffix: 18.2.0_react@18.2.0
            return
        offset = 1 if base.startswith("/") else 0
        target = _package_path(base[offset:], self.major) if (offset or "@" in base[1:]) else None
        if target is None:  # link:, file:, a git host, a URL
            record.registry, record.spec = False, value
            return
        name, version = target
        record.alias, record.name, record.spec = record.name, name, version
        record.registry = version[:1].isdigit()
        record.span = Span(number, col + offset + 1, number, col + offset + 1 + len(name))

    def package_key(self, number: int, parsed: _Line) -> None:
        self.package = None
        key = parsed.key
        if parsed.escaped:
            self.out.issue("escaped package key", number, parsed.key_col + 1)
            return
        offset = 1 if key.startswith("/") else 0
        target = _package_path(key[offset:], self.major) if (offset or self.major >= 6) else None
        if target is None:  # e.g. github.com/user/repo/sha: the name is in a `name:` sub-key
            record = _Record("", None, registry=False)
            self.records.append(record)
            self.package = record
            return
        name, version = target
        col = parsed.key_col + offset + 1
        self.records.append(_Record(name, Span(number, col, number, col + len(name)), version[:1].isdigit(), "", version))


def _package_path(path: str, major: int) -> tuple[str, str] | None:
    """"lodash/4.17.21" (v5) or "lodash@4.17.21" (v6+), scoped too -> (name, version without peer suffix)."""
    if major < 6:
        parts = path.split("/")
        scoped = path.startswith("@")
        if len(parts) < (3 if scoped else 2):
            return None
        name = "/".join(parts[:2]) if scoped else parts[0]
        version = parts[2 if scoped else 1].split("_", 1)[0]
    else:
        split = split_name_range(path)
        if split is None or split[0] == path:
            return None
        name, version = split[0], split[1].split("(", 1)[0]
    return (name, version) if is_valid_npm_name(name) else None


def _parse_line(body: str, indent: int) -> _Line | None:
    """``key: value`` with a plain, 'single' or "double" quoted key; None if not a key line."""
    first = body[0]
    if first == "'" or first == '"':
        end = 1
        while True:
            end = body.find(first, end)
            if end < 0:
                return None
            if first == "'" and body.startswith("''", end):  # YAML's escaped single quote
                end += 2
                continue
            break
        raw = body[1:end]
        escaped = ("''" in raw) if first == "'" else ("\\" in raw)
        rest = body[end + 1 :]
        if not rest.startswith(":") or rest[1:2] not in ("", " "):
            return None
        value = rest[1:].strip()
        value_col = indent + len(body) - len(rest[1:].lstrip())
        return _Line(raw, indent + 1, _drop_comment(value), value_col, escaped)
    colon = body.find(": ")
    if colon < 0:
        stripped = body.rstrip()
        if not stripped.endswith(":") or len(stripped) == 1:
            return None
        return _Line(stripped[:-1], indent, "", indent + len(stripped), False)
    rest = body[colon + 1 :]
    value_col = indent + colon + 1 + len(rest) - len(rest.lstrip())
    return _Line(body[:colon], indent, _drop_comment(rest.strip()), value_col, False)


def _drop_comment(value: str) -> str:
    if value.startswith("#"):
        return ""  # `name:  # note` is a key with no inline value, as in YAML
    return value.split(" #", 1)[0].rstrip() if " #" in value else value


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _major(value: str, default: int) -> int:
    digits = _unquote(value).split(".", 1)[0]
    return int(digits) if digits.isdigit() and len(digits) < 4 else default
