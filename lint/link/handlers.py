"""Which source file a function's Handler points at (REFERENCE.md §E.5).

Python: the Handler splits at the LAST dot into module and function; `/` or
`.` in the module is a directory (`src/app.handler`, `src.app.handler` →
`<root>/src/app.py`). Node.js: the module root is everything up to the last
`/`, the module name is the text up to the FIRST dot after it
(`src/handlers/api.handlers.main` → `<root>/src/handlers/api`), tried as
extensionless, `.js`, `.mjs`, `.cjs` — and, because teams build TypeScript
with esbuild (SAM `BuildMethod: esbuild`, Serverless v4), the `.ts`/`.mts`/
`.cts` source of the same name. SAM esbuild `EntryPoints` are relative to
the code root and win when given. Inline code is the file `index`.

Nothing is guessed: when no candidate file exists in the project, the link
is None (reported with --verbose by the rules that need it).
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from posixpath import join, normpath

from lambda_secrets_lint.model.infra import CodeRef

_NODE_EXTENSIONS = ("", ".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".tsx")
_TS_SOURCE = (".ts", ".mts", ".cts", ".tsx", ".js", ".mjs", ".cjs")


@dataclass(frozen=True, slots=True)
class HandlerLink:
    path: str | None  # the handler file, root-relative POSIX; None when not found
    function_name: str  # the exported function / property path ("handler", "handlers.main")
    tried: tuple[str, ...]  # candidate paths, for --verbose explanations


def _language(runtime: str, handler: str) -> str:
    if runtime.startswith("python"):
        return "python"
    if runtime.startswith("nodejs"):
        return "node"
    return ""


def _join(root: str, rel: str) -> str:
    path = normpath(join(root, rel)) if root else normpath(rel)
    return "" if path == "." else path


def resolve_handler(code: CodeRef, files: Collection[str]) -> HandlerLink:
    """The handler file among `files` (root-relative POSIX paths)."""
    if code.root is None or not code.handler:
        return HandlerLink(None, "", ())
    language = _language(code.runtime, code.handler)
    if code.inline:
        # CloudFormation writes inline code to `index.js` / `index.py`; it is
        # not a file in the repository.
        return HandlerLink(None, code.handler.partition(".")[2], ())
    if language == "python" or (not language and code.handler.count(".") == 1 and _exists_py(code, files)):
        module, _, function = code.handler.rpartition(".")
        candidate = _join(code.root, module.replace(".", "/") + ".py")
        found = candidate if candidate in files else None
        return HandlerLink(found, function, (candidate,))
    return _node(code, files)


def _exists_py(code: CodeRef, files: Collection[str]) -> bool:
    module = code.handler.rpartition(".")[0]
    return _join(code.root or "", module.replace(".", "/") + ".py") in files


def _node(code: CodeRef, files: Collection[str]) -> HandlerLink:
    directory, _, last = code.handler.rpartition("/")
    module, _, function = last.partition(".")
    tried: list[str] = []
    # SAM esbuild: the entry point(s) are the sources; the Handler names the bundle.
    for entry in code.entry_points:
        stem = _join(code.root or "", entry)
        for ext in ("",) if entry.endswith(_TS_SOURCE) else _NODE_EXTENSIONS:
            tried.append(stem + ext)
            if stem + ext in files:
                return HandlerLink(stem + ext, function, tuple(tried))
    if code.entry_points:
        # The entry points ARE the sources; the Handler names the bundle
        # (`index.handler` for CDK), so falling back to it would guess.
        return HandlerLink(None, function, tuple(tried))
    stem = _join(code.root or "", f"{directory}/{module}" if directory else module)
    for ext in _NODE_EXTENSIONS:
        tried.append(stem + ext)
        if stem + ext in files:
            return HandlerLink(stem + ext, function, tuple(tried))
    return HandlerLink(None, function, tuple(tried))
