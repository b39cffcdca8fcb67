"""Find the files to lint and say what kind each one is — cheaply, by name.

Content is looked at later, once, when a file is read (see `refine_kind`).
Vendored trees and build output are skipped: in a real serverless corpus
they were most of the bytes and a third of a secret scanner's findings, and
none of them is code the user edits.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path, PurePosixPath

import pathspec


class FileKind(str, Enum):
    TEMPLATE = "cfn"  # YAML/JSON that may be a CloudFormation/SAM template (confirmed on read)
    SERVERLESS = "serverless"
    TERRAFORM = "terraform"
    PYTHON = "python"  # refined to cdk-py or handler-py on read
    JAVASCRIPT = "javascript"  # refined to cdk-ts or handler-js on read
    CDK_PY = "cdk-py"
    CDK_TS = "cdk-ts"
    HANDLER_PY = "handler-py"
    HANDLER_JS = "handler-js"
    PYPI_MANIFEST = "pypi-manifest"
    NPM_MANIFEST = "npm-manifest"
    CDK_CONTEXT = "cdk-context"


# Directories that never hold code the user edits.
SKIP_DIR_NAMES = frozenset(
    {
        ".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv",
        ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache",
        ".aws-sam", ".serverless", ".terraform", "dist", "build", ".cdk.staging",
        "site-packages", ".idea", ".vscode", ".eggs", "bower_components",
    }
)
_SKIP_DIR_SUFFIXES = (".dist-info", ".egg-info")

_TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")
_SERVERLESS_NAMES = frozenset({"serverless.yml", "serverless.yaml", "serverless.json"})
_PY_SUFFIXES = (".py",)
_JS_SUFFIXES = (".js", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".jsx")
_PYPI_NAMES = frozenset({"pyproject.toml", "pipfile", "setup.cfg", "poetry.lock", "uv.lock", "pipfile.lock"})
_NPM_NAMES = frozenset({"package.json", "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "npm-shrinkwrap.json"})
_JSON_NOT_TEMPLATES = frozenset(
    {"tsconfig.json", "tslint.json", ".eslintrc.json", "cdk.json", "manifest.json", "tree.json",
     "composer.json", "launch.json", "settings.json", "jsconfig.json", ".prettierrc.json"}
)


def classify(rel_path: str) -> FileKind | None:
    """Kind by name alone; None for files no parser wants."""
    p = PurePosixPath(rel_path)
    name = p.name.lower()
    if name in _SERVERLESS_NAMES:
        return FileKind.SERVERLESS
    if name == "cdk.context.json":
        return FileKind.CDK_CONTEXT
    if name in _NPM_NAMES:
        return FileKind.NPM_MANIFEST
    if name in _PYPI_NAMES or (name.startswith("requirements") and name.endswith((".txt", ".in"))):
        return FileKind.PYPI_MANIFEST
    if name.endswith(".tf"):
        return FileKind.TERRAFORM
    if name.endswith(_PY_SUFFIXES):
        return FileKind.PYTHON
    if name.endswith(_JS_SUFFIXES) and not name.endswith((".min.js", ".d.ts")):
        return FileKind.JAVASCRIPT
    if name.endswith(_TEMPLATE_SUFFIXES) and name not in _JSON_NOT_TEMPLATES:
        return FileKind.TEMPLATE
    return None


# A template mentions one of these near its top; anything else is some other
# YAML/JSON (CI workflows, Helm charts, OpenAPI) and is not parsed at all.
_TEMPLATE_SNIFF = re.compile(r"AWSTemplateFormatVersion|AWS::[A-Za-z0-9]+::[A-Za-z0-9]+|Transform")
_NAMED_TEMPLATE = re.compile(r"(^|[./_-])template(\.[a-z]+)*\.(ya?ml|json)$|\.template$")
_CDK_PY = re.compile(r"^\s*(from\s+aws_cdk\b|import\s+aws_cdk\b)", re.MULTILINE)
_CDK_TS = re.compile(r"""(from\s+|require\(\s*)['"](aws-cdk-lib|@aws-cdk/|aws-cdk/)""")


def looks_like_template_name(rel_path: str) -> bool:
    """Files named like templates are parsed even when the sniff fails, so a
    broken template.yaml still reports LSL000 instead of vanishing."""
    return bool(_NAMED_TEMPLATE.search(PurePosixPath(rel_path).name.lower()))


def refine_kind(kind: FileKind, rel_path: str, text: str) -> FileKind | None:
    """Decide what a file really is once its text is known (read once)."""
    if kind is FileKind.TEMPLATE:
        if _TEMPLATE_SNIFF.search(text) or looks_like_template_name(rel_path) or is_cdk_out_template(rel_path):
            return FileKind.TEMPLATE
        return None
    if kind is FileKind.PYTHON:
        return FileKind.CDK_PY if _CDK_PY.search(text) else FileKind.HANDLER_PY
    if kind is FileKind.JAVASCRIPT:
        return FileKind.CDK_TS if _CDK_TS.search(text) else FileKind.HANDLER_JS
    return kind


def is_cdk_out_template(rel_path: str) -> bool:
    parts = PurePosixPath(rel_path).parts
    return len(parts) >= 2 and parts[-2] == "cdk.out" and parts[-1].endswith(".template.json")


@dataclass(frozen=True, slots=True)
class Discovered:
    rel_path: str  # POSIX, relative to the root
    abspath: Path
    kind: FileKind


@dataclass(frozen=True, slots=True)
class WalkProblem:
    """Something in the tree that cannot be walked (e.g. a symlink loop)."""

    rel_path: str
    message: str


@dataclass
class _IgnoreScope:
    base: str  # POSIX dir relative to root ("" for the root)
    spec: pathspec.GitIgnoreSpec


def _is_skipped_dir(name: str, path: Path) -> bool:
    if name in SKIP_DIR_NAMES or name.endswith(_SKIP_DIR_SUFFIXES):
        return True
    if name.startswith("asset.") and path.parent.name == "cdk.out":
        return True  # CDK asset staging: bundled copies of handler code
    try:
        # A virtualenv by its marker file; a folder holding *.dist-info is an
        # install target (Lambda layers copy boto3 & co. into python/).
        if (path / "pyvenv.cfg").is_file():
            return True
        with os.scandir(path) as it:
            return any(e.name.endswith(".dist-info") for e in it)
    except OSError:
        return False


class Walker:
    def __init__(self, root: Path, excludes: Iterable[str] = (), respect_gitignore: bool = True) -> None:
        self.root = root
        self.exclude_spec = pathspec.GitIgnoreSpec.from_lines(list(excludes))
        self.respect_gitignore = respect_gitignore
        self.problems: list[WalkProblem] = []

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def is_excluded(self, rel: str) -> bool:
        """--exclude / config `exclude` only: for files reached by reference
        (a requirements file's `-r other.txt`), not by walking."""
        return bool(self.exclude_spec.match_file(rel))

    def _excluded(self, rel: str, is_dir: bool, scopes: list[_IgnoreScope]) -> bool:
        probe = rel + "/" if is_dir else rel
        if self.exclude_spec.match_file(probe):
            return True
        for scope in scopes:
            sub = probe[len(scope.base) + 1 :] if scope.base else probe
            if scope.spec.match_file(sub):
                return True
        return False

    def _load_gitignore(self, directory: Path, rel_dir: str) -> _IgnoreScope | None:
        if not self.respect_gitignore:
            return None
        gi = directory / ".gitignore"
        try:
            if not gi.is_file():
                return None
            lines = gi.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return None
        return _IgnoreScope(rel_dir, pathspec.GitIgnoreSpec.from_lines(lines))

    def walk(self, paths: Iterable[Path]) -> Iterator[Discovered]:
        seen: set[str] = set()
        for start in paths:
            start = Path(os.path.abspath(start))
            if start.is_symlink() and not start.exists():
                self.problems.append(WalkProblem(self.rel(start), _link_problem(start)))
                continue
            if start.is_dir():
                yield from self._walk_dir(start, seen)
            elif start.exists():
                # Explicitly named files are always linted when of a known kind.
                rel = self.rel(start)
                kind = classify(rel)
                if kind and rel not in seen:
                    seen.add(rel)
                    yield Discovered(rel, start, kind)
            else:
                self.problems.append(WalkProblem(self.rel(start), "no such file or directory"))

    def _walk_dir(self, top: Path, seen: set[str]) -> Iterator[Discovered]:
        # Iterative DFS with the chain of real directories on the current path,
        # so a symlink back to an ancestor is reported instead of followed forever.
        scopes: list[_IgnoreScope] = []
        for parent in reversed([top, *top.parents]):
            if parent == self.root or self.root in parent.parents:
                scope = self._load_gitignore(parent, "" if parent == self.root else self.rel(parent))
                if scope:
                    scopes.append(scope)
        stack: list[tuple[Path, list[_IgnoreScope], tuple[str, ...]]] = [
            (top, scopes, (os.path.realpath(top),))
        ]
        while stack:
            directory, dir_scopes, chain = stack.pop()
            try:
                entries = sorted(os.scandir(directory), key=lambda e: e.name)
            except OSError as exc:
                self.problems.append(WalkProblem(self.rel(directory), f"cannot list directory: {exc.strerror or exc}"))
                continue
            children: list[tuple[Path, list[_IgnoreScope], tuple[str, ...]]] = []
            for entry in entries:
                path = Path(entry.path)
                rel = self.rel(path)
                try:
                    is_dir = entry.is_dir()  # follows symlinks
                except OSError:
                    is_dir = False
                if entry.is_symlink() and not path.exists():
                    if classify(rel) is not None or _points_to_loop(path):
                        self.problems.append(WalkProblem(rel, _link_problem(path)))
                    continue
                if is_dir:
                    if _is_skipped_dir(entry.name, path) or self._excluded(rel, True, dir_scopes):
                        continue
                    real = os.path.realpath(path)
                    if real in chain:
                        self.problems.append(
                            WalkProblem(rel, "symbolic link loop: points back to an enclosing directory")
                        )
                        continue
                    scope = self._load_gitignore(path, rel)
                    children.append((path, dir_scopes + [scope] if scope else dir_scopes, chain + (real,)))
                    continue
                kind = classify(rel)
                if kind is None or rel in seen or self._excluded(rel, False, dir_scopes):
                    continue
                seen.add(rel)
                yield Discovered(rel, path, kind)
            stack.extend(reversed(children))


def _points_to_loop(path: Path) -> bool:
    try:
        path.stat()
    except OSError as exc:
        return exc.errno == 40  # ELOOP
    return False


def _link_problem(path: Path) -> str:
    return "symbolic link loop" if _points_to_loop(path) else "broken symbolic link"
