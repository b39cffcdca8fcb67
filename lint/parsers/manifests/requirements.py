"""requirements*.txt / requirements*.in, read the way pip reads them.

The steps follow pip's req_file.py so that what we see is what pip installs:
physical lines ending in a backslash are joined (a full-line comment never
continues), comments are `#` at the start or after whitespace, and a line is
split into requirement text and options at the first space-separated token
that starts with "-". Unlike pip we do no I/O: a local path or archive is
skipped rather than inspected.

Each logical line keeps a map back to the physical lines it came from, so a
name on a continued line still gets its exact line and column.
"""
from __future__ import annotations

import posixpath
import re

from lambda_secrets_lint.model.dependencies import Ecosystem, Manifest
from lambda_secrets_lint.model.location import Span
from lambda_secrets_lint.parsers.manifests.collector import Collector
from lambda_secrets_lint.parsers.manifests.pep508 import is_valid_name, parse_requirement

__all__ = ["parse_requirements_txt", "resolve_include"]

SECTION = "requirements"

_COMMENT = re.compile(r"(^|\s+)#.*$")  # pip's COMMENT_RE
# pip's is_url(): http/https/file/ftp or a VCS scheme (git+https, hg+ssh, svn, ...).
_URL = re.compile(r"(?:https?|file|ftp|(?:git|hg|svn|bzr)(?:\+[A-Za-z-]+)?):", re.IGNORECASE)
_EGG = re.compile(r"[#&]egg=([^&#\s]*)")
_ARCHIVES = (".whl", ".zip", ".tar.gz", ".tgz", ".tar", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tlz", ".tar.lz", ".tar.lzma")

_INCLUDES = frozenset({"-r", "--requirement", "-c", "--constraint"})
_EDITABLE = frozenset({"-e", "--editable"})
# pip's per-file options that take a value / take none; they say nothing about names.
_WITH_VALUE = frozenset(
    {"-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--no-binary", "--only-binary", "--trusted-host", "--use-feature"}
) | _INCLUDES | _EDITABLE
_FLAGS = frozenset({"--no-index", "--pre", "--prefer-binary", "--require-hashes"})


class _LogicalLine:
    """One line as pip sees it after joining continuations, with the way back."""

    __slots__ = ("text", "segments")

    def __init__(self) -> None:
        self.text = ""
        # (offset in text, physical line number, column offset): a piece of
        # text starting at that offset came from that line, shifted by that.
        self.segments: list[tuple[int, int, int]] = []

    def add(self, piece: str, line: int, shift: int) -> None:
        self.segments.append((len(self.text), line, shift))
        self.text += piece

    def where(self, offset: int) -> tuple[int, int]:
        """(physical line, 0-based column) of ``offset`` in the joined text."""
        for start, line, shift in reversed(self.segments):
            if start <= offset:
                return line, offset - start + shift
        return self.segments[0][1], offset

    def span(self, offset: int, length: int) -> Span | None:
        line, col = self.where(offset)
        end_line, end_col = self.where(offset + length - 1)
        if end_line != line:
            return None
        return Span(line, col + 1, line, end_col + 2)


def _logical_lines(text: str) -> list[_LogicalLine]:
    out: list[_LogicalLine] = []
    current: _LogicalLine | None = None
    for number, line in enumerate(text.split("\n"), 1):
        if line.endswith("\r"):
            line = line[:-1]
        is_comment = _COMMENT.match(line) is not None
        if line.endswith("\\") and not is_comment:
            if current is None:
                current = _LogicalLine()
            piece = line.strip("\\")  # pip strips backslashes at both ends
            current.add(piece, number, len(line) - len(line.lstrip("\\")))
            continue
        if current is not None:
            if is_comment:  # pip prefixes a space so the comment is still recognised
                current.add(" " + line, number, -1)
            else:
                current.add(line, number, 0)
            out.append(current)
            current = None
        else:
            single = _LogicalLine()
            single.add(line, number, 0)
            out.append(single)
    if current is not None:
        out.append(current)
    return out


def resolve_include(manifest_path: str, target: str) -> str:
    """``target`` of a -r/-c line (or setup.cfg `file:`), relative to the project root."""
    target = target.replace("\\", "/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(manifest_path), target))


def parse_requirements_txt(path: str, text: str) -> Manifest:
    out = Collector(path, Ecosystem.PYPI, "requirements")
    for logical in _logical_lines(text):
        _parse_line(out, path, logical)
    return out.manifest()


def _parse_line(out: Collector, path: str, logical: _LogicalLine) -> None:
    text = logical.text
    comment = _COMMENT.search(text)
    if comment is not None:
        text = text[: comment.start()]
    start = len(text) - len(text.lstrip())
    body = text.strip()
    if not body:
        return
    # pip's break_args_options(): the requirement is every space-separated
    # token before the first one that starts with "-"; the rest are options.
    args_end = 0
    for token in body.split(" "):
        if token.startswith("-"):
            break
        args_end += len(token) + 1
    args = body[: max(args_end - 1, 0)].rstrip()
    if args:
        _requirement(out, logical, args, start)
    else:
        _options(out, path, logical, body, start)


def _requirement(out: Collector, logical: _LogicalLine, args: str, start: int) -> None:
    if _URL.match(args):
        _url_requirement(out, logical, args, start)
        return
    # pip: a path is anything with a "/" (or "\\") or a leading "." before any
    # " @ url" and marker; an archive name is a file. Both are local code.
    before_marker = args.split(";", 1)[0].strip()
    before_at = before_marker.split("@", 1)[0]
    if before_at.startswith(".") or "/" in before_at or "\\" in before_at:
        return
    if "@" not in before_marker and before_marker.lower().endswith(_ARCHIVES):
        return
    parsed = parse_requirement(args)
    if parsed is None:
        out.issue("invalid requirement", *_line_col(logical, start))
        return
    span = logical.span(start + parsed.offset, len(parsed.name))
    if span is None:
        out.issue("requirement name is split across lines", *_line_col(logical, start))
        return
    out.add(parsed.name, SECTION, parsed.spec, span, registry=parsed.registry)


def _url_requirement(out: Collector, logical: _LogicalLine, url: str, start: int) -> None:
    """A VCS or archive URL: a dependency only if `#egg=name` names it (never from the registry)."""
    egg = _EGG.search(logical.text, start)
    if egg is None:
        return
    name = egg.group(1).split("[", 1)[0]
    if not is_valid_name(name):
        out.issue("invalid #egg= project name", *_line_col(logical, egg.start(1)))
        return
    span = logical.span(egg.start(1), len(name))
    if span is None:
        out.issue("requirement name is split across lines", *_line_col(logical, start))
        return
    out.add(name, SECTION, url.split("#", 1)[0], span, registry=False)


def _options(out: Collector, path: str, logical: _LogicalLine, body: str, start: int) -> None:
    import shlex

    try:
        tokens = shlex.split(body)  # pip parses option lines with shlex too
    except ValueError:
        out.issue("unbalanced quotes in option line", *_line_col(logical, start))
        return
    editable_seen = False
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if not token.startswith("-"):
            continue  # a stray word after the options: pip ignores it
        if token.startswith("--"):
            option, equals, value = token.partition("=")
            has_value = bool(equals)
        else:
            option, value = token[:2], token[2:]
            has_value = bool(value)
        if option in _FLAGS and not has_value:
            continue
        if option not in _WITH_VALUE:
            out.issue("unsupported option in a requirements file", *_line_col(logical, start))
            return
        if not has_value:
            if i >= len(tokens):
                out.issue("option is missing its value", *_line_col(logical, start))
                return
            value = tokens[i]
            i += 1
        if option in _INCLUDES:
            if not value:
                out.issue("option is missing its value", *_line_col(logical, start))
            elif not _URL.match(value):  # a remote requirements file is never fetched
                out.include(resolve_include(path, value))
        elif option in _EDITABLE and not editable_seen:
            editable_seen = True  # pip installs only the first -e of a line
            if _URL.match(value):
                _url_requirement(out, logical, value, start)
            # else: a local path, the project's own code


def _line_col(logical: _LogicalLine, offset: int) -> tuple[int, int]:
    line, col = logical.where(offset)
    return line, max(col, 0) + 1
