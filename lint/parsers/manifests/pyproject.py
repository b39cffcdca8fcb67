"""pyproject.toml: PEP 621 [project], PEP 735 [dependency-groups],
[build-system] requires, and Poetry's [tool.poetry] dependency tables.

Values come from tomllib; each name's position from toml_doc's scanner, so
a name is located wherever TOML lets it be written (multi-line arrays,
inline tables, quoted or dotted keys, per-dependency sub-tables).
"""
from __future__ import annotations

from typing import Any

from lambda_secrets_lint.model.dependencies import Ecosystem, Manifest
from lambda_secrets_lint.parsers.manifests.collector import Collector
from lambda_secrets_lint.parsers.manifests.pep508 import is_valid_name, parse_requirement
from lambda_secrets_lint.parsers.manifests.toml_doc import TomlPositions, load_toml

__all__ = ["parse_pyproject"]

# Poetry sources that are not the package index under this name.
_POETRY_NOT_REGISTRY = ("git", "path", "url", "file")


def parse_pyproject(path: str, text: str) -> Manifest:
    doc, where = load_toml(text)
    out = Collector(path, Ecosystem.PYPI, "pyproject")

    build = doc.get("build-system")
    if isinstance(build, dict) and "requires" in build:
        add_pep508_array(out, where, ("build-system", "requires"), build["requires"])

    project = doc.get("project")
    if isinstance(project, dict):
        if "dependencies" in project:
            add_pep508_array(out, where, ("project", "dependencies"), project["dependencies"])
        optional = project.get("optional-dependencies")
        if isinstance(optional, dict):
            for extra, items in optional.items():
                add_pep508_array(out, where, ("project", "optional-dependencies", extra), items)
        elif optional is not None:
            out.issue("project.optional-dependencies is not a table", where.line_of(("project", "optional-dependencies")))

    groups = doc.get("dependency-groups")
    if isinstance(groups, dict):
        for group, items in groups.items():
            add_pep508_array(out, where, ("dependency-groups", group), items, allow_tables=True)

    poetry = _table(doc, "tool", "poetry")
    if poetry is not None:
        for key in ("dependencies", "dev-dependencies"):
            if key in poetry:
                add_poetry_table(out, where, ("tool", "poetry", key), poetry[key])
        poetry_groups = poetry.get("group")
        if isinstance(poetry_groups, dict):
            for group, body in poetry_groups.items():
                if isinstance(body, dict) and "dependencies" in body:
                    add_poetry_table(out, where, ("tool", "poetry", "group", group, "dependencies"), body["dependencies"])
    return out.manifest()


def add_pep508_array(out: Collector, where: TomlPositions, path: tuple[Any, ...], items: object, *, allow_tables: bool = False) -> None:
    """An array of PEP 508 strings; its section name is the path joined with dots."""
    section = ".".join(str(p) for p in path)
    if not isinstance(items, list):
        out.issue(f"{section} is not an array", where.line_of(path))
        return
    for i, item in enumerate(items):
        item_path = path + (i,)
        if not isinstance(item, str):
            if allow_tables and isinstance(item, dict) and "include-group" in item:
                continue  # PEP 735: names another group, which is read on its own
            out.issue(f"{section}: an entry is not a string", where.line_of(item_path))
            continue
        parsed = parse_requirement(item)
        if parsed is None:
            out.issue(f"{section}: invalid requirement", where.line_of(item_path))
            continue
        span = where.string_span(item_path, item, parsed.offset, len(parsed.name))
        if span is None:
            out.issue(f"{section}: cannot locate a requirement name (escaped or multi-line string)", where.line_of(item_path))
            continue
        out.add(parsed.name, section, parsed.spec, span, registry=parsed.registry)


def add_poetry_table(out: Collector, where: TomlPositions, path: tuple[str, ...], table: object) -> None:
    """Poetry's `name = "^1.2"` / `name = {version=..., git=...}` / `name = [{...}, ...]`."""
    section = ".".join(path)
    if not isinstance(table, dict):
        out.issue(f"{section} is not a table", where.line_of(path))
        return
    for name, value in table.items():
        if name == "python":  # the interpreter constraint, not a package
            continue
        key_path = path + (name,)
        if not is_valid_name(name):
            out.issue(f"{section}: invalid package name", where.line_of(key_path))
            continue
        spec_registry = _poetry_spec(value)
        if spec_registry is None:
            out.issue(f"{section}: a dependency value is neither a string, a table nor an array of tables", where.line_of(key_path))
            continue
        span = where.key_span(key_path)
        if span is None:
            out.issue(f"{section}: cannot locate a package name (escaped key)", where.line_of(key_path))
            continue
        spec, registry = spec_registry
        out.add(name, section, spec, span, registry=registry)


def _poetry_spec(value: object) -> tuple[str, bool] | None:
    """(spec, registry) of a Poetry dependency value; None if it is not one."""
    if isinstance(value, str):
        return value, True
    if isinstance(value, dict):
        return _poetry_table_spec(value)
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        # Multiple constraints, one per Python version or platform: any of them may apply.
        parts = [_poetry_table_spec(v) for v in value]
        return " || ".join(spec for spec, _ in parts if spec), all(registry for _, registry in parts)
    return None


def _poetry_table_spec(table: dict[str, Any]) -> tuple[str, bool]:
    version = table.get("version")
    registry = not any(key in table for key in _POETRY_NOT_REGISTRY)
    return (version if isinstance(version, str) else ""), registry


def _table(doc: dict[str, Any], *keys: str) -> dict[str, Any] | None:
    node: Any = doc
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else None
