"""Where a CDK Python Lambda construct's code is: `CodeRef` (docs/design/iam-linking.md §1).

- `Function` / `SingletonFunction`: `code=Code.from_asset(dir)` + `handler` +
  `runtime`; `Code.from_inline` is inline (the file is `index`); S3 / image /
  Docker-built code is not a repository file (root None).
- `PythonFunction` (REFERENCE.md §D.1): `entry` (a directory), `index`
  (default `index.py`), `handler` (default `handler`) → handler
  `<index minus .py, "/" → ".">.<handler>`.
- `NodejsFunction`: `entry` (a file) → root = its directory, entry_points =
  its name, handler `index.<handler>` (a handler with a dot is kept). With
  no `entry` CDK looks for a file beside the *calling JavaScript* file, which
  does not exist for a Python app: unknown.
- Paths: `os.path.join(os.path.dirname(__file__), …)`, `Path(__file__).parent
  / …` and friends are relative to the stack file; a bare relative string is
  relative to the directory `cdk` runs in (`cwd_relative=True`).

Anything not static gives None — the linker then stays silent, never guesses.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from lambda_secrets_lint.model.infra import CodeRef
from lambda_secrets_lint.parsers.cdk_py import _arg, _is_self_attr, _last

if TYPE_CHECKING:
    from lambda_secrets_lint.parsers.cdk_py import _Builder, _Scope

__all__ = ["code_ref", "runtime_name"]

_MAX_DEPTH = 12
_ASSET = ("from_asset", "asset", "AssetCode")  # `asset` / AssetCode: CDK v1 spellings, still seen
_INLINE = ("from_inline", "inline", "InlineCode")
_NOT_IN_REPO = (
    "from_bucket", "from_bucket_v2", "from_cfn_parameters", "from_ecr_image", "from_asset_image",
    "from_docker_build", "from_custom_command", "bucket", "S3Code", "CfnParametersCode", "EcrImageCode",
)
_RUNTIME_RE = re.compile(r"^([A-Z]+)_(\d.*)$")


@dataclass(frozen=True, slots=True)
class _Path:
    """A path as the stack code builds it. anchor "file": relative to the
    stack file's directory; "cwd": relative to where `cdk` runs."""

    anchor: str
    path: str  # POSIX, normalized; "." is the anchor itself


def code_ref(b: "_Builder", call: cst.Call, class_name: str, scope: "_Scope") -> CodeRef | None:
    if class_name in ("Function", "SingletonFunction"):
        return _function(b, call, scope)
    if class_name == "PythonFunction":
        return _python_function(b, call, scope)
    if class_name == "NodejsFunction":
        return _nodejs_function(b, call, scope)
    if class_name == "CfnFunction" and b.qualify(call.func).startswith("aws_cdk.aws_lambda."):
        handler = b._text(_arg(call, None, "handler"), scope)
        runtime = b._text(_arg(call, None, "runtime"), scope) or ""
        code = _arg(call, None, "code")
        if handler is None or code is None:
            return None
        node, _ = b._resolve(code, scope)
        if _keyword_given(b, node, scope, "zip_file"):
            return CodeRef(root=posixpath.dirname(b.path), handler=handler, runtime=runtime, inline=True)
        return CodeRef(root=None, handler=handler, runtime=runtime)  # S3: not in the repository
    # DockerImageFunction / GoFunction / SAM CfnFunction: the handler is not
    # a file the linker can name.
    return None


def runtime_name(b: "_Builder", node: cst.BaseExpression | None, scope: "_Scope") -> str:
    """`_lambda.Runtime.PYTHON_3_12` → "python3.12", `NODEJS_20_X` →
    "nodejs20.x"; "" when unknown."""
    if node is None:
        return ""
    node, _ = b._resolve(node, scope)
    if not isinstance(node, cst.Attribute) or b.qualify(node.value).rsplit(".", 1)[-1] != "Runtime":
        return ""
    name = node.attr.value
    if name.endswith("_LATEST"):  # NODEJS_LATEST / PYTHON_LATEST: the family is what matters
        return name[: -len("_LATEST")].lower()
    m = _RUNTIME_RE.match(name)
    if m:
        return m.group(1).lower() + m.group(2).lower().replace("_", ".")
    return name.lower().replace("_", ".")


# ----------------------------------------------------------------------------- constructs
def _function(b: "_Builder", call: cst.Call, scope: "_Scope") -> CodeRef | None:
    handler = b._text(_arg(call, None, "handler"), scope)
    code = _arg(call, None, "code")
    if handler is None or code is None:
        return None
    runtime = runtime_name(b, _arg(call, None, "runtime"), scope)
    node, nscope = b._resolve(code, scope)
    if not isinstance(node, cst.Call):
        return None
    last = _last(node.func)
    if last in _INLINE:
        return CodeRef(root=posixpath.dirname(b.path), handler=handler, runtime=runtime, inline=True)
    if last in _NOT_IN_REPO:
        return CodeRef(root=None, handler=handler, runtime=runtime)
    if last not in _ASSET:
        return None
    where = _root(b, _path(b, _arg(node, 0, "path"), nscope, 0))
    if where is None:
        return None
    root, cwd_relative = where
    return CodeRef(root=root, handler=handler, runtime=runtime, cwd_relative=cwd_relative)


def _python_function(b: "_Builder", call: cst.Call, scope: "_Scope") -> CodeRef | None:
    entry = _arg(call, None, "entry")
    where = _root(b, _path(b, entry, scope, 0)) if entry is not None else None
    index_node, handler_node = _arg(call, None, "index"), _arg(call, None, "handler")
    index = "index.py" if index_node is None else b._text(index_node, scope)
    function = "handler" if handler_node is None else b._text(handler_node, scope)
    if where is None or not index or not function:
        return None
    module = (index[: -len(".py")] if index.endswith(".py") else index).replace("/", ".")
    root, cwd_relative = where
    runtime = runtime_name(b, _arg(call, None, "runtime"), scope) or "python"
    return CodeRef(root=root, handler=f"{module}.{function}", runtime=runtime, cwd_relative=cwd_relative)


def _nodejs_function(b: "_Builder", call: cst.Call, scope: "_Scope") -> CodeRef | None:
    entry = _path(b, _arg(call, None, "entry"), scope, 0)
    handler_node = _arg(call, None, "handler")
    handler = "handler" if handler_node is None else b._text(handler_node, scope)
    if entry is None or not handler:
        return None
    name = posixpath.basename(entry.path)
    if name in ("", ".", ".."):
        return None
    where = _root(b, _Path(entry.anchor, _parent(entry.path)))
    if where is None:
        return None
    root, cwd_relative = where
    # The runtime defaults to a recent Node.js: the family is certain.
    runtime = runtime_name(b, _arg(call, None, "runtime"), scope) or "nodejs"
    return CodeRef(
        root=root,
        handler=handler if "." in handler else f"index.{handler}",
        runtime=runtime,
        entry_points=(name,),
        cwd_relative=cwd_relative,
    )


def _keyword_given(b: "_Builder", node: cst.BaseExpression, scope: "_Scope", key: str) -> bool:
    """`CfnFunction.CodeProperty(zip_file=…)` or `{"zip_file": …}`."""

    if isinstance(node, cst.Call):
        return _arg(node, None, key) is not None
    if isinstance(node, cst.Dict):
        return any(
            isinstance(el, cst.DictElement) and b._text(el.key, scope) in (key, "ZipFile", "zipFile")
            for el in node.elements
        )
    return False


# ----------------------------------------------------------------------------- paths
def _root(b: "_Builder", p: _Path | None) -> tuple[str, bool] | None:
    """Project-root-relative POSIX root and cwd_relative; None outside the project."""
    if p is None:
        return None
    if p.anchor == "file":
        full = posixpath.normpath(posixpath.join(posixpath.dirname(b.path), p.path))
        if full == ".." or full.startswith("../"):
            return None
        return ("" if full == "." else full), False
    # relative to the cdk working directory: the linker anchors it at each
    # ancestor of the stack file, so it is kept as written (normalized).
    return ("" if p.path == "." else p.path), True


def _parent(path: str) -> str:
    path = posixpath.normpath(path)
    if path in (".", ""):
        return ".."
    if posixpath.basename(path) == "..":
        return path + "/.."
    return posixpath.dirname(path) or "."


def _join(base: _Path, rel: str) -> _Path | None:
    if rel.startswith("/"):
        return None  # absolute: outside the project as far as we can tell
    return _Path(base.anchor, posixpath.normpath(posixpath.join(base.path, rel)))


_IDENTITY_CALLS = frozenset(
    {
        "os.path.abspath", "os.path.realpath", "os.path.normpath", "os.fspath", "str",
        "posixpath.normpath", "posixpath.abspath",
    }
)
_PATH_CLASSES = frozenset({"pathlib.Path", "pathlib.PurePath", "pathlib.PurePosixPath", "pathlib.PosixPath"})
_PATH_METHODS = frozenset({"resolve", "absolute", "as_posix", "expanduser", "__str__"})


def _path(b: "_Builder", node: cst.BaseExpression | None, scope: "_Scope", depth: int) -> _Path | None:
    """Evaluate a path expression of the stack code, or None."""
    if node is None or depth > _MAX_DEPTH:
        return None
    if isinstance(node, cst.Name) and node.value == "__file__":
        return _Path("file", posixpath.basename(b.path))
    if isinstance(node, cst.Name) or _is_self_attr(node, cst):
        resolved, rscope = b._resolve(node, scope)
        return None if resolved is node else _path(b, resolved, rscope, depth + 1)
    if isinstance(node, cst.Call):
        return _call_path(b, node, scope, depth)
    if isinstance(node, cst.Attribute) and node.attr.value == "parent":
        inner = _path(b, node.value, scope, depth + 1)
        return _Path(inner.anchor, _parent(inner.path)) if inner else None
    if isinstance(node, cst.Subscript) and isinstance(node.value, cst.Attribute) and node.value.attr.value == "parents":
        # Path(__file__).parents[1] is two levels up
        index = node.slice[0].slice if len(node.slice) == 1 else None
        inner = _path(b, node.value.value, scope, depth + 1)
        if inner is None or not isinstance(index, cst.Index) or not isinstance(index.value, cst.Integer):
            return None
        path = inner.path
        for _ in range(int(index.value.value) + 1):
            path = _parent(path)
        return _Path(inner.anchor, path)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.Divide, cst.Add)):
        left = _path(b, node.left, scope, depth + 1)
        right = b._text(node.right, scope)
        if left is None or right is None:
            return None
        if isinstance(node.operator, cst.Add):  # dirname + "/lambda": plain string concatenation
            if not right.startswith("/"):
                return None if left.anchor == "file" else _literal(b._text(node, scope))
            right = right[1:]
        return _join(left, right)
    if isinstance(node, cst.FormattedString):
        return _fstring_path(b, node, scope, depth)
    return _literal(b._text(node, scope))


def _literal(text: str | None) -> _Path | None:
    if not text or text.startswith("/") or "://" in text:
        return None
    return _Path("cwd", posixpath.normpath(text))


def _fstring_path(b: "_Builder", node: cst.FormattedString, scope: "_Scope", depth: int) -> _Path | None:
    """f"{HERE}/lambda/orders": a path expression first, then plain text."""

    parts = list(node.parts)
    if parts and isinstance(parts[0], cst.FormattedStringExpression):
        base = _path(b, parts[0].expression, scope, depth + 1)
        rest = "".join(p.value for p in parts[1:] if isinstance(p, cst.FormattedStringText))
        if base is not None and all(isinstance(p, cst.FormattedStringText) for p in parts[1:]):
            if rest and not rest.startswith("/"):
                return None
            return _join(base, rest.lstrip("/")) if rest else base
    return _literal(b._text(node, scope))


def _call_path(b: "_Builder", node: cst.Call, scope: "_Scope", depth: int) -> _Path | None:
    qual = b.qualify(node.func)
    args = [a for a in node.args if a.keyword is None]
    if any(a.star for a in node.args):
        return None
    if qual in ("os.path.dirname", "posixpath.dirname") and len(args) == 1:
        inner = _path(b, args[0].value, scope, depth + 1)
        return _Path(inner.anchor, _parent(inner.path)) if inner else None
    if qual in _IDENTITY_CALLS and len(args) == 1:
        return _path(b, args[0].value, scope, depth + 1)
    if qual in ("os.getcwd", "pathlib.Path.cwd") and not args:
        return _Path("cwd", ".")
    if qual in ("os.path.join", "posixpath.join") or qual in _PATH_CLASSES:
        if not args:
            return _Path("cwd", ".") if qual in _PATH_CLASSES else None
        base = _path(b, args[0].value, scope, depth + 1)
        return _join_texts(b, base, args[1:], scope)
    if isinstance(node.func, cst.Attribute):
        method = node.func.attr.value
        if method in _PATH_METHODS and not args:
            return _path(b, node.func.value, scope, depth + 1)
        if method == "joinpath":
            return _join_texts(b, _path(b, node.func.value, scope, depth + 1), args, scope)
    return None


def _join_texts(b: "_Builder", base: _Path | None, args: list, scope: "_Scope") -> _Path | None:
    for arg in args:
        if base is None:
            return None
        text = b._text(arg.value, scope)
        if text is None:
            return None
        base = _join(base, text)
    return base
