"""CDK TS/JS: where a Lambda construct's code is (`CodeRef`, docs/design/iam-linking.md §1).

Part of the CDK TypeScript builder (lint/parsers/cdk_ts.py): it reads the
construct's props through the builder's same-file resolution and never
guesses — a path, handler or runtime that is not a literal (or a same-file
constant) gives no CodeRef.

- `NodejsFunction`: `entry` → root = the entry's directory, entry_points =
  (its file name,), handler `index.<handler prop or "handler">` (a handler
  with a dot is kept as written, REFERENCE §D.1). No `entry`: CDK looks for
  `<defining file stem>.<construct id>.ts`, then `.js`, then `.mjs` (and
  `.mts`, `.cts`, `.cjs`), beside the defining file.
- `Function` / `SingletonFunction`: `code: Code.fromAsset(dir)` (or
  `new AssetCode(dir)`) + literal `handler` + `runtime`; `Code.fromInline`
  → inline.
- `PythonFunction`: `entry` (a directory), `index` (default `index.py`),
  `handler` (default `handler`) → handler `<index minus .py>.<handler>`.
- `CfnFunction`: `code: { zipFile }` → inline; anything else (S3) → None.
- Paths: `path.join(__dirname, …)`, `path.resolve(__dirname, …)`,
  `` `${__dirname}/…` ``, `__dirname + '/…'` are relative to the defining
  file; a bare relative string (or `path.join('lambda', …)`,
  `process.cwd()`) is relative to the directory `cdk` runs in →
  `cwd_relative=True` and the root is kept relative to it.
"""
from __future__ import annotations

import re
from posixpath import basename, dirname, join, normpath, splitext
from typing import TYPE_CHECKING

from lambda_secrets_lint.model.infra import CodeRef
from lambda_secrets_lint.parsers.js.text import key_text, unwrap

if TYPE_CHECKING:  # pragma: no cover
    from tree_sitter import Node

    from lambda_secrets_lint.parsers.cdk_ts import _Builder, _Fn

__all__ = ["code_ref", "runtime_text"]

_MAX_DEPTH = 12  # path expressions nested deeper are not followed
_PATH_MODULES = frozenset({"path", "node:path", "path/posix", "node:path/posix"})
# aws-lambda-nodejs findEntry: the entry must be a JS/TS source file.
_ENTRY_EXT = re.compile(r"\.(jsx?|tsx?|cjs|cts|mjs|mts)$")
_NODE_RUNTIME = re.compile(r"^NODEJS_(\d+)_X$")
_PYTHON_RUNTIME = re.compile(r"^PYTHON_(\d+)_(\d+)$")
# findEntry's order (REFERENCE §D.1: .ts, then .js, then .mjs, …); only a file that exists is linked.
_DEFAULT_ENTRY_EXTENSIONS = (".ts", ".js", ".mjs", ".mts", ".cts", ".cjs")
_DIR = "\x00dir"  # marker: __dirname (the defining file's directory)
_CWD = "\x00cwd"  # marker: process.cwd() (where `cdk` runs)


def code_ref(b: "_Builder", fn: "_Fn") -> CodeRef | None:
    args = b._args(fn.node)
    props = b._object(args[2], 0) if len(args) > 2 else None
    if fn.cls == "NodejsFunction":
        return _nodejs(b, fn, args, props)
    if props is None:
        return None
    if fn.cls in ("Function", "SingletonFunction"):
        return _function(b, props)
    if fn.cls == "PythonFunction":
        return _python(b, props)
    if fn.cls == "CfnFunction":
        return _cfn(b, props)
    return None  # DockerImageFunction: an image, not files in the repository


def runtime_text(b: "_Builder", node: "Node | None") -> str | None:
    """`lambda.Runtime.NODEJS_20_X` → "nodejs20.x", `PYTHON_3_12` → "python3.12",
    `'nodejs20.x'`, `new Runtime('nodejs22.x', …)`; None when not known."""
    if node is None:
        return None
    node = unwrap(node)
    literal = b._literal(node)
    if literal is not None:
        return literal
    if node.type == "member_expression":
        prop = key_text(b.src, node.child_by_field_name("property")) or ""
        m = _NODE_RUNTIME.match(prop)
        if m:
            return f"nodejs{m.group(1)}.x"
        m = _PYTHON_RUNTIME.match(prop)
        if m:
            return f"python{m.group(1)}.{m.group(2)}"
        if prop == "NODEJS_LATEST":
            return "nodejs"
        return None
    if node.type == "new_expression":
        ctor = node.child_by_field_name("constructor")
        found = b._class_of(ctor) if ctor is not None else None
        args = b._args(node)
        if found is not None and found[1] == "Runtime" and args:
            return b._literal(args[0])
    return None


def _prop(b: "_Builder", props: "Node | None", name: str) -> "Node | None":
    return b._property(props, name, 0) if props is not None else None


def _nodejs(b: "_Builder", fn: "_Fn", args: list["Node"], props: "Node | None") -> CodeRef | None:
    handler_node = _prop(b, props, "handler")
    handler = "handler" if handler_node is None else b._literal(handler_node)
    if not handler:
        return None
    # aws-lambda-nodejs: a handler without a dot is an export of the bundle `index.js`.
    handler = handler if "." in handler else f"index.{handler}"
    runtime_node = _prop(b, props, "runtime")
    runtime = "nodejs" if runtime_node is None else (runtime_text(b, runtime_node) or "nodejs")
    entry_node = _prop(b, props, "entry")
    if entry_node is not None:
        found = _path(b, entry_node)
        if found is None or not _ENTRY_EXT.search(found[0]):
            return None
        entry, cwd_relative = found
        return CodeRef(root=dirname(entry), handler=handler, runtime=runtime, entry_points=(basename(entry),),
                       cwd_relative=cwd_relative)
    construct_id = b._literal(args[1]) if len(args) > 1 else None
    if not construct_id:
        return None
    stem = splitext(basename(b.src.path))[0]
    return CodeRef(
        root=dirname(b.src.path),
        handler=handler,
        runtime=runtime,
        entry_points=tuple(f"{stem}.{construct_id}{ext}" for ext in _DEFAULT_ENTRY_EXTENSIONS),
    )


def _function(b: "_Builder", props: "Node") -> CodeRef | None:
    handler_node = _prop(b, props, "handler")
    handler = b._literal(handler_node) if handler_node is not None else None
    code = _prop(b, props, "code")
    if not handler or code is None:
        return None
    runtime = runtime_text(b, _prop(b, props, "runtime")) or ""
    code = b._follow(code)
    kind, arg = _code_kind(b, code)
    if kind == "inline":
        return CodeRef(root=dirname(b.src.path), handler=handler, runtime=runtime, inline=True)
    if kind != "asset" or arg is None:
        return None
    found = _path(b, arg)
    if found is None:
        return None
    root, cwd_relative = found
    return CodeRef(root=root, handler=handler, runtime=runtime, cwd_relative=cwd_relative)


def _code_kind(b: "_Builder", code: "Node") -> tuple[str, "Node | None"]:
    """("asset", path node) / ("inline", None) / ("", None) for `Code.fromAsset(p)`,
    `new AssetCode(p)`, `Code.fromInline(…)`, `new InlineCode(…)`."""
    args = b._args(code)
    if code.type == "call_expression":
        callee = unwrap(code.child_by_field_name("function"))  # type: ignore[arg-type]
        if callee.type != "member_expression":
            return "", None
        method = key_text(b.src, callee.child_by_field_name("property"))
        owner = b._class_of(callee.child_by_field_name("object"))  # type: ignore[arg-type]
        if owner is None or owner[1] not in ("Code", "AssetCode", "InlineCode"):
            return "", None
        if method in ("fromAsset", "asset"):
            return "asset", args[0] if args else None
        if method in ("fromInline", "inline"):
            return "inline", None
        return "", None
    if code.type == "new_expression":
        ctor = code.child_by_field_name("constructor")
        found = b._class_of(ctor) if ctor is not None else None
        if found is not None and found[1] == "AssetCode":
            return "asset", args[0] if args else None
        if found is not None and found[1] == "InlineCode":
            return "inline", None
    return "", None


def _python(b: "_Builder", props: "Node") -> CodeRef | None:
    entry_node = _prop(b, props, "entry")
    found = _path(b, entry_node) if entry_node is not None else None
    if found is None:
        return None
    index_node = _prop(b, props, "index")
    handler_node = _prop(b, props, "handler")
    index = "index.py" if index_node is None else b._literal(index_node)
    handler = "handler" if handler_node is None else b._literal(handler_node)
    if not index or not handler:
        return None
    # aws-lambda-python-alpha: `${index minus .py}.${handler}` with `/` → `.`.
    module = (index[:-3] if index.endswith(".py") else index).replace("/", ".")
    runtime_node = _prop(b, props, "runtime")
    runtime = "python" if runtime_node is None else (runtime_text(b, runtime_node) or "python")
    root, cwd_relative = found
    return CodeRef(root=root, handler=f"{module}.{handler}", runtime=runtime, cwd_relative=cwd_relative)


def _cfn(b: "_Builder", props: "Node") -> CodeRef | None:
    handler_node = _prop(b, props, "handler")
    handler = b._literal(handler_node) if handler_node is not None else None
    code = _prop(b, props, "code")
    code_obj = b._object(code, 0) if code is not None else None
    if not handler or code_obj is None or b._property(code_obj, "zipFile", 0) is None:
        return None  # S3 / image code is not in the repository
    runtime = runtime_text(b, _prop(b, props, "runtime")) or ""
    return CodeRef(root=dirname(b.src.path), handler=handler, runtime=runtime, inline=True)


# -- paths ----------------------------------------------------------------


def _path(b: "_Builder", node: "Node") -> tuple[str, bool] | None:
    """(path, cwd_relative): root-relative POSIX when the expression is anchored
    at `__dirname`; relative to the `cdk` working directory otherwise."""
    parts = _parts(b, node, 0)
    if not parts:
        return None
    anchored = parts[0] in (_DIR, _CWD)
    anchor = parts[0] if anchored else _CWD
    rest = parts[1:] if anchored else parts
    if any(p in (_DIR, _CWD) for p in rest):
        return None
    rel = "".join(rest)
    if rel.startswith("/"):
        if not anchored:
            return None  # an absolute path: not inside the project
        rel = rel.lstrip("/")  # the separator after `${__dirname}` / join()
    if anchor == _DIR:
        path = normpath(join(dirname(b.src.path), rel)) if rel else normpath(dirname(b.src.path) or ".")
        if path == ".":
            path = ""
        if path == ".." or path.startswith("../"):
            return None  # outside the linted tree
        return path, False
    path = normpath(rel) if rel else "."
    return ("" if path == "." else path), True


def _parts(b: "_Builder", node: "Node", depth: int) -> list[str] | None:
    """The path expression as pieces: literal text, with `_DIR` / `_CWD` markers
    (only meaningful first). Path separators between join() arguments are
    inserted here; None when any piece is not statically known."""
    node = unwrap(node)
    if depth > _MAX_DEPTH:
        return None
    t = node.type
    src = b.src
    if t == "string":
        return [src.string_value(node)]
    if t == "identifier" and src.text(node) == "__dirname":
        return [_DIR]
    if t == "template_string":
        out: list[str] = []
        pos = node.start_byte + 1
        for child in node.named_children:
            if child.type != "template_substitution":
                continue
            if child.start_byte > pos:
                out.append(src.data[pos : child.start_byte].decode("utf-8", errors="replace"))
            inner = [c for c in child.named_children if c.type != "comment"]
            sub = _parts(b, inner[0], depth + 1) if inner else None
            if sub is None:
                return None
            out.extend(sub)
            pos = child.end_byte
        if node.end_byte - 1 > pos:
            out.append(src.data[pos : node.end_byte - 1].decode("utf-8", errors="replace"))
        return out
    if t == "binary_expression":
        op = node.child_by_field_name("operator")
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if op is None or src.text(op) != "+" or left is None or right is None:
            return None
        lp, rp = _parts(b, left, depth + 1), _parts(b, right, depth + 1)
        return lp + rp if lp is not None and rp is not None else None
    if t == "call_expression":
        return _call_parts(b, node, depth)
    key = b._var_key(node)
    if key is not None:
        value = b._resolve(key, node.start_byte)
        if value is not None and unwrap(value).start_byte != node.start_byte:
            return _parts(b, value, depth + 1)
    return None


def _call_parts(b: "_Builder", node: "Node", depth: int) -> list[str] | None:
    callee = unwrap(node.child_by_field_name("function"))  # type: ignore[arg-type]
    if b.src.text(callee).replace(" ", "") == "process.cwd":
        return [_CWD]
    method = _path_method(b, callee)
    if method is None:
        return None
    joined: list[str] = []
    for arg in b._args(node):
        parts = _parts(b, arg, depth + 1)
        if parts is None:
            return None
        if method == "resolve" and parts and parts[0] not in (_DIR, _CWD) and parts[0].startswith("/"):
            return None  # an absolute path: not inside the project
        if method == "resolve" and parts and parts[0] in (_DIR, _CWD):
            joined = []  # path.resolve restarts at an absolute segment
        elif joined and parts:
            joined.append("/")
        joined.extend(parts)
    if method == "resolve" and (not joined or joined[0] not in (_DIR, _CWD)):
        joined.insert(0, _CWD)  # path.resolve('lambda') is relative to process.cwd()
    return joined


def _path_method(b: "_Builder", callee: "Node") -> str | None:
    """"join" / "resolve" for `path.join`, `path.posix.join`, a named
    `import { join } from 'path'`; None otherwise."""
    if callee.type == "identifier":
        module, exported = b.named.get(b.src.text(callee), ("", ""))
        return exported if module in _PATH_MODULES and exported in ("join", "resolve") else None
    if callee.type != "member_expression":
        return None
    method = key_text(b.src, callee.child_by_field_name("property"))
    if method not in ("join", "resolve"):
        return None
    obj = unwrap(callee.child_by_field_name("object"))  # type: ignore[arg-type]
    if obj.type == "member_expression" and key_text(b.src, obj.child_by_field_name("property")) == "posix":
        obj = unwrap(obj.child_by_field_name("object"))  # type: ignore[arg-type]
    if obj.type != "identifier":
        return None
    name = b.src.text(obj)
    module = b.namespaces.get(name)
    if module is None and name in b.named:
        module = b.named[name][0]
    if module in _PATH_MODULES or (module is None and name == "path"):
        return method
    return None
