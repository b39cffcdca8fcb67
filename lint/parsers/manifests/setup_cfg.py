"""setup.cfg: [options] install_requires / setup_requires / tests_require
and every key of [options.extras_require].

configparser keeps no line numbers, so the INI structure is scanned here
with configparser's own rules (a value continues on lines indented deeper
than its key, `#`/`;` full-line comments are dropped even inside a value,
keys end at the first `=` or `:`), and the value is split into requirements
the way setuptools does: one per line when it spans several lines, split at
";" when it is a single line. A single-line value that is as a whole a valid
requirement with a marker (`foo; python_version<"3.8"`) is kept whole: that
is what its author meant, where setuptools would split off the marker.
"""
from __future__ import annotations

import re

from lambda_secrets_lint.model.dependencies import Ecosystem, Manifest
from lambda_secrets_lint.model.location import Span
from lambda_secrets_lint.parsers.manifests.collector import Collector
from lambda_secrets_lint.parsers.manifests.pep508 import parse_requirement
from lambda_secrets_lint.parsers.manifests.requirements import resolve_include

__all__ = ["parse_setup_cfg"]

_SECTION = re.compile(r"\[(?P<header>.+)\]")  # configparser.SECTCRE
_OPTION = re.compile(r"(?P<option>.*?)\s*[=:]\s*(?P<value>.*)$")  # configparser.OPTCRE
_OPTIONS_KEYS = frozenset({"install_requires", "setup_requires", "tests_require"})

# A piece of a value: (line number, 0-based column of the text in that line, text).
_Piece = tuple[int, int, str]


def parse_setup_cfg(path: str, text: str) -> Manifest:
    out = Collector(path, Ecosystem.PYPI, "setup.cfg")
    section: str | None = None
    key: str | None = None
    key_indent = 0
    pieces: list[_Piece] = []
    continued = False
    for number, line in enumerate(text.split("\n"), 1):
        if line.endswith("\r"):
            line = line[:-1]
        stripped = line.strip()
        if not stripped or stripped[0] in "#;":
            continue  # blank lines do not end a value; comment lines are dropped
        indent = len(line) - len(line.lstrip())
        if key is not None and indent > key_indent:
            pieces.append((number, indent, stripped))
            continued = True
            continue
        if key is not None:
            _value(out, path, section, key, pieces, continued)
            key = None
        header = _SECTION.match(stripped)
        if header is not None:
            section = header.group("header")
            continue
        option = _OPTION.match(stripped)
        if section is None or option is None or not option.group("option"):
            out.issue("not an INI section header, key or comment", number, indent + 1)
            continue
        key, key_indent, continued = option.group("option"), indent, False
        value = option.group("value")
        pieces = [(number, indent + option.start("value"), value)] if value else []
    if key is not None:
        _value(out, path, section, key, pieces, continued)
    return out.manifest()


def _value(out: Collector, path: str, section: str | None, key: str, pieces: list[_Piece], continued: bool) -> None:
    normalized = key.lower().replace("-", "_")  # setuptools accepts dashes and capitals (with a warning)
    if section == "options" and normalized in _OPTIONS_KEYS:
        where = f"options.{normalized}"
    elif section == "options.extras_require":
        where = f"options.extras_require.{key}"
    else:
        return
    if not pieces:
        return
    if pieces[0][2].startswith("file:"):  # setuptools reads the requirements from these files
        joined = " ".join(p[2] for p in pieces)[len("file:") :]
        for target in joined.split(","):
            if target.strip():
                out.include(resolve_include(path, target.strip()))
        return
    if continued:
        for number, col, text in pieces:
            _requirement(out, where, number, col, _drop_comment(text))
        return
    number, col, text = pieces[0]
    text = _drop_comment(text)
    if parse_requirement(text) is not None:
        _requirement(out, where, number, col, text)
        return
    offset = 0
    for part in text.split(";"):
        _requirement(out, where, number, col + offset, part)
        offset += len(part) + 1


def _drop_comment(text: str) -> str:
    # setuptools/pkg_resources drop_comment(): everything from " #" on.
    return "" if text.startswith("#") else text.partition(" #")[0]


def _requirement(out: Collector, section: str, number: int, col: int, text: str) -> None:
    if not text.strip():
        return
    parsed = parse_requirement(text)
    if parsed is None:
        out.issue(f"{section}: invalid requirement", number, col + 1 + len(text) - len(text.lstrip()))
        return
    start = col + parsed.offset
    out.add(parsed.name, section, parsed.spec, Span(number, start + 1, number, start + 1 + len(parsed.name)), registry=parsed.registry)
