"""The local files a handler ships with: its top-level imports, followed
transitively (`from .secrets import db_password`, `import { getKey } from
'./lib/keys'`). Only files in the project count; packages are not followed.

Python resolves like the Lambda runtime's sys.path: relative imports from the
importing file's package, absolute ones from the function's code root (and
the handler's directory). JavaScript resolves relative specifiers like Node
and bundlers: as written, with an extension, or as a directory's index; a
TypeScript source stands in for the `.js` it compiles to.
"""
from __future__ import annotations

from collections.abc import Collection, Mapping
from posixpath import dirname, join, normpath

from lambda_secrets_lint.model.code import CodeFacts, Language

_JS_EXTENSIONS = (".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".jsx")
_MAX_FILES = 200  # a handler's own helpers, not a whole monorepo


def _norm(path: str) -> str:
    out = normpath(path)
    return "" if out == "." else out


def _python_candidates(spec: str, importer: str, roots: tuple[str, ...]) -> list[str]:
    dots = len(spec) - len(spec.lstrip("."))
    rest = spec[dots:].replace(".", "/")
    if dots:
        base = dirname(importer)
        for _ in range(dots - 1):
            base = dirname(base)
        bases: tuple[str, ...] = (base,)
    else:
        bases = roots
    out: list[str] = []
    for base in bases:
        stem = _norm(join(base, rest)) if rest else base
        if not stem or stem.startswith(".."):
            continue
        out.extend((stem + ".py", stem + "/__init__.py"))
    return out


def _js_candidates(spec: str, importer: str) -> list[str]:
    stem = _norm(join(dirname(importer), spec))
    if not stem or stem.startswith(".."):
        return []
    out = [stem]
    for ext in (".js", ".mjs", ".cjs", ".jsx"):
        if stem.endswith(ext):  # `import './x.js'` from TypeScript means x.ts
            out.extend(stem[: -len(ext)] + src for src in (".ts", ".tsx", ".mts", ".cts"))
    out.extend(stem + ext for ext in _JS_EXTENSIONS)
    out.extend(f"{stem}/index{ext}" for ext in _JS_EXTENSIONS)
    return out


def closure(handler: str, root: str, facts: Mapping[str, CodeFacts], files: Collection[str]) -> tuple[str, ...]:
    """Local files reachable from `handler` by imports, in discovery order,
    without the handler itself."""
    roots = tuple(dict.fromkeys((root, dirname(handler))))
    seen = {handler}
    order: list[str] = []
    queue = [handler]
    while queue and len(order) < _MAX_FILES:
        current = queue.pop(0)
        cf = facts.get(current)
        if cf is None:
            continue
        for spec in cf.imports:
            if cf.language is Language.PYTHON:
                candidates = _python_candidates(spec, current, roots)
            else:
                candidates = _js_candidates(spec, current)
            target = next((c for c in candidates if c in files), None)
            if target is not None and target not in seen:
                seen.add(target)
                order.append(target)
                queue.append(target)
    return tuple(order)
