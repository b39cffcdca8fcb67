"""Where a Terraform function's code is (docs/design/iam-linking.md §1,
REFERENCE.md §E.5).

- `filename = data.archive_file.<a>.output_path` (or the `archive_file`
  resource; directly or through a local) with `source_dir = "${path.module}/../src/orders"`: the code root is
  that directory; with `source_file = ".../app.py"`: its directory, and the
  handler's module must be that file (nothing else is in the zip).
- a literal `filename`, `s3_bucket`, `image_uri` / `package_type = "Image"`:
  the code is not in the repository (root None).

`${path.module}` / `path.root` / `path.cwd` and a bare relative path are
taken relative to the .tf file's directory (the module Terraform runs in).
Paths that leave the project are not followed.
"""
from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Any

from lambda_secrets_lint.model.infra import CodeRef
from lambda_secrets_lint.parsers.terraform.hcl import HclFile, attr_expr, attributes, block_body, traversal
from lambda_secrets_lint.parsers.terraform.module import Declared
from lambda_secrets_lint.parsers.terraform.static import WIDE, Static

if TYPE_CHECKING:
    from tree_sitter import Node
else:
    Node = Any

__all__ = ["code_ref", "code_root", "source_file_root"]

_CODE_EXTENSIONS = (".py", ".js", ".mjs", ".cjs", ".ts", ".mts", ".cts")


def _text(static: Static, decl: Declared, name: str) -> str | None:
    value = static.attr(decl, name)
    return value if isinstance(value, str) and WIDE not in value else None


def code_ref(static: Static, f: HclFile, block: Node) -> CodeRef | None:
    fn = Declared(f, block)
    handler = _text(static, fn, "handler") or ""
    runtime = _text(static, fn, "runtime") or ""
    attrs = attributes(block_body(block))
    package_type = _text(static, fn, "package_type")
    if package_type == "Image" or "image_uri" in attrs or "s3_bucket" in attrs:
        return CodeRef(None, handler, runtime)
    filename = attrs.get("filename")
    expr = attr_expr(filename) if filename is not None else None
    if expr is None or not handler:
        return CodeRef(None, handler, runtime)
    f2, node = static.deref(f, expr)
    trav = traversal(f2, node)
    archive = None
    if trav is not None and trav[0] == "data" and len(trav[1]) >= 2 and trav[1][0] == "archive_file" and trav[1][1] is not None:
        archive = static.index.data.get(("archive_file", trav[1][1]))
    elif trav is not None and trav[0] == "archive_file" and trav[1] and trav[1][0] is not None:
        archive = static.index.resources.get(("archive_file", trav[1][0]))  # the resource form (archive >= 2.3)
    if archive is None:
        return CodeRef(None, handler, runtime)  # a prebuilt zip: not in the repository
    return CodeRef(_archive_root(static, archive, handler, runtime), handler, runtime)


def _archive_root(static: Static, archive: Declared, handler: str, runtime: str) -> str | None:
    base = posixpath.dirname(archive.file.path)
    source_dir = _text(static, archive, "source_dir")
    if source_dir is not None:
        return code_root(base, source_dir)
    source_file = _text(static, archive, "source_file")
    if source_file is not None:
        return source_file_root(base, source_file, handler, runtime)
    return None  # `source { content … }` blocks or source_content: not files of the repository


def code_root(base: str, path: str) -> str | None:
    """`path` (relative to the module directory `base`) as a project-root
    relative POSIX directory; None when it leaves the project or is absolute."""
    if not path or path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        return None
    joined = posixpath.normpath(posixpath.join(base, path) if base else path)
    if joined == ".." or joined.startswith("../"):
        return None
    return "" if joined == "." else joined


def source_file_root(base: str, path: str, handler: str, runtime: str) -> str | None:
    """A single-file package: its directory, when the handler's module is that file."""
    full = code_root(base, path)
    if full is None or not full:
        return None
    directory, name = posixpath.split(full)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    if runtime.startswith("python") or name.endswith(".py"):
        module = handler.rpartition(".")[0].replace(".", "/")
    else:
        module = handler.rpartition("/")[2].partition(".")[0]
        if "/" in handler:
            return None  # the zip holds the file at its top level
    return directory if module == stem else None


def looks_like_file(path: str) -> bool:
    return path.endswith(_CODE_EXTENSIONS)
