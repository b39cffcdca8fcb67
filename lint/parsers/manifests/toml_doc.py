"""TOML manifests: values from tomllib, positions from a small scanner.

tomllib reports no positions, so after it has accepted a document, one
linear pass over the text records where every key and every single-line
string value is written, under the same path tomllib's result uses:
``("project", "dependencies", 0)`` for the first item of that array,
``("package", 3, "name")`` for the name of the fourth ``[[package]]``,
``("tool", "poetry", "dependencies", "requests")`` for that key whether it
was written under a table header, as a dotted key, in an inline table or as
a ``[tool.poetry.dependencies.requests]`` header.

The scanner only ever sees valid TOML (tomllib checked it first), so it can
stay small; should it still trip on something, it stops and the names it
did not reach are reported as issues by the callers, never guessed.
"""
from __future__ import annotations

import re
from typing import Any

from lambda_secrets_lint.model.location import Span
from lambda_secrets_lint.parsers.manifests.errors import ManifestError
from lambda_secrets_lint.parsers.manifests.positions import LineIndex

__all__ = ["load_toml", "TomlPositions"]

Path = tuple[Any, ...]  # str keys and int array indexes

_WS = re.compile(r"[ \t]*")
_BLANKS = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")  # whitespace, newlines and comments
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# Unrolled loops (no nested quantifiers): linear even on a long string.
_BASIC = re.compile(r'"([^"\\\n]*(?:\\.[^"\\\n]*)*)"')
_LITERAL = re.compile(r"'([^'\n]*)'")
_ML_BASIC = re.compile(r'"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*""""{0,2}', re.S)
_ML_LITERAL = re.compile(r"'''[^']*(?:'(?!'')[^']*)*''''{0,2}")
# Numbers, booleans, dates; a date may be followed by " HH:MM..." (RFC 3339 with a space).
_SCALAR = re.compile(r"[^\s,\]}#]+(?: (?=\d\d:)[^\s,\]}#]+)?")
_TOML_ERROR_POS = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$|\s*\(at end of document\)\s*$")


def load_toml(text: str) -> tuple[dict[str, Any], "TomlPositions"]:
    """Parse ``text`` with tomllib (ManifestError if invalid) and locate its keys and strings."""
    try:
        doc = _tomllib().loads(text)
    except RecursionError:
        raise ManifestError("invalid TOML: nesting too deep") from None
    except ValueError as exc:  # TOMLDecodeError, and invalid dates/times
        message = str(exc)
        match = _TOML_ERROR_POS.search(message)
        line = col = None
        if match is not None:
            message = message[: match.start()]
            if match.group(1):
                line, col = int(match.group(1)), int(match.group(2))
        # tomllib's messages name what was expected and at most one offending character.
        raise ManifestError(f"invalid TOML: {message[:120]}", line, col) from None
    return doc, TomlPositions(text)


class _Stop(Exception):
    """The scanner met something it does not understand: keep what it found so far."""


class TomlPositions:
    __slots__ = ("_text", "_index", "_keys", "_strings", "_values")

    def __init__(self, text: str) -> None:
        self._text = text
        self._index = LineIndex(text)
        self._keys: dict[Path, tuple[int, int]] = {}  # path -> raw key content [start, end)
        self._strings: dict[Path, tuple[int, int]] = {}  # path -> raw string content [start, end)
        self._values: dict[Path, int] = {}  # path -> where its value starts (any type), for issue lines
        try:
            _Scanner(text, self._keys, self._strings, self._values).run()
        except (_Stop, IndexError, AttributeError, ValueError):
            pass

    def key_span(self, path: Path) -> Span | None:
        """The span of the last key of ``path`` without its quotes; None if unknown or escaped."""
        found = self._keys.get(path)
        if found is None:
            return None
        start, end = found
        if self._text[start:end] != path[-1]:
            return None
        return self._index.span(start, end)

    def string_span(self, path: Path, value: str, offset: int, length: int) -> Span | None:
        """The span of ``value[offset:offset+length]`` in the string at ``path``.

        None when that string was not found or when its raw text up to the end
        of the wanted part differs from the decoded value (escapes, multi-line).
        """
        found = self._strings.get(path)
        if found is None:
            return None
        start, end = found
        stop = offset + length
        if stop > end - start or self._text[start : start + stop] != value[:stop]:
            return None
        return self._index.span(start + offset, start + stop)

    def line_of(self, path: Path) -> int:
        """The line where the value (else the key) at ``path`` starts, else its nearest located ancestor's."""
        while path:
            start = self._values.get(path)
            if start is None:
                key = self._keys.get(path)
                start = key[0] if key is not None else None
            if start is not None:
                line: int = self._index.line_col(start)[0]
                return line
            path = path[:-1]
        return 1


class _Scanner:
    """One pass over valid TOML, recording key and string positions by path."""

    def __init__(
        self, text: str, keys: dict[Path, tuple[int, int]], strings: dict[Path, tuple[int, int]], values: dict[Path, int]
    ) -> None:
        self.text = text
        self.keys = keys
        self.strings = strings
        self.values = values
        self.array_tables: dict[Path, int] = {}  # [[x]] path -> index of its latest element

    def run(self) -> None:
        text = self.text
        n = len(text)
        table: Path = ()
        pos = 0
        while True:
            pos = _skip(_BLANKS, text, pos)
            if pos >= n:
                return
            if text[pos] == "[":
                is_array = text.startswith("[[", pos)
                segments, pos = self.key(pos + (2 if is_array else 1))
                pos = _skip(_WS, text, pos)
                closer = "]]" if is_array else "]"
                if not text.startswith(closer, pos):
                    raise _Stop
                pos += len(closer)
                table = self.header(segments, is_array)
            else:
                segments, pos = self.key(pos)
                pos = _skip(_WS, text, pos)
                if not text.startswith("=", pos):
                    raise _Stop
                path = self.record_keys(table, segments)
                pos = self.value(_skip(_WS, text, pos + 1), path)

    def header(self, segments: list[tuple[str, int, int]], is_array: bool) -> Path:
        path: Path = ()
        last = len(segments) - 1
        for i, (name, start, end) in enumerate(segments):
            path += (name,)
            self.keys.setdefault(path, (start, end))
            if i == last and is_array:
                index = self.array_tables.get(path, -1) + 1
                self.array_tables[path] = index
                path += (index,)
                self.keys[path] = (start, end)  # the element's header: a line for its issues
            elif path in self.array_tables:
                path += (self.array_tables[path],)  # [a.b] after [[a]]: inside a's latest element
        return path

    def record_keys(self, base: Path, segments: list[tuple[str, int, int]]) -> Path:
        for name, start, end in segments:
            base += (name,)
            self.keys.setdefault(base, (start, end))
        return base

    def key(self, pos: int) -> tuple[list[tuple[str, int, int]], int]:
        """A dotted key at ``pos``: [(decoded name, raw start, raw end)], and the offset after it."""
        text = self.text
        segments: list[tuple[str, int, int]] = []
        while True:
            pos = _skip(_WS, text, pos)
            char = text[pos]
            if char == '"':
                m = _BASIC.match(text, pos)
                if m is None:
                    raise _Stop
                raw = m.group(1)
                segments.append((_decode_basic(raw) if "\\" in raw else raw, pos + 1, m.end() - 1))
            elif char == "'":
                m = _LITERAL.match(text, pos)
                if m is None:
                    raise _Stop
                segments.append((m.group(1), pos + 1, m.end() - 1))
            else:
                m = _BARE_KEY.match(text, pos)
                if m is None:
                    raise _Stop
                segments.append((m.group(), pos, m.end()))
            pos = _skip(_WS, text, m.end())
            if not text.startswith(".", pos):
                return segments, pos
            pos += 1

    def value(self, pos: int, path: Path) -> int:
        """Scan the value at ``pos`` (nested arrays and inline tables without recursion)."""
        text = self.text
        # Open containers: [is_array, path of the container, index of the current item].
        stack: list[list[Any]] = []
        while True:
            char = text[pos]
            self.values[path] = pos
            if char == "[":
                pos = _skip(_BLANKS, text, pos + 1)
                if text[pos] == "]":
                    pos += 1
                else:
                    stack.append([True, path, 0])
                    path += (0,)
                    continue
            elif char == "{":
                pos = _skip(_WS, text, pos + 1)
                if text[pos] == "}":
                    pos += 1
                else:
                    stack.append([False, path, 0])
                    path, pos = self.inline_key(pos, path)
                    continue
            elif char == '"':
                if text.startswith('"""', pos):
                    # Recorded too: exact when the raw text equals the value (no
                    # escapes, no newline trimmed), which string_span checks.
                    end = self.must(_ML_BASIC, pos)
                    self.strings[path] = (pos + 3, end - 3)
                    pos = end
                else:
                    end = self.must(_BASIC, pos)
                    self.strings[path] = (pos + 1, end - 1)
                    pos = end
            elif char == "'":
                if text.startswith("'''", pos):
                    end = self.must(_ML_LITERAL, pos)
                    self.strings[path] = (pos + 3, end - 3)
                    pos = end
                else:
                    end = self.must(_LITERAL, pos)
                    self.strings[path] = (pos + 1, end - 1)
                    pos = end
            else:
                pos = self.must(_SCALAR, pos)
            # A value is complete: close every container that ends here, or
            # move to the next item of the innermost one.
            while stack:
                frame = stack[-1]
                if frame[0]:  # array: items may span lines and carry comments
                    pos = _skip(_BLANKS, text, pos)
                    char = text[pos]
                    if char == ",":
                        pos = _skip(_BLANKS, text, pos + 1)
                        if text[pos] != "]":
                            frame[2] += 1
                            path = frame[1] + (frame[2],)
                            break
                        char = "]"
                    if char != "]":
                        raise _Stop
                    pos += 1
                    stack.pop()
                else:  # inline table: one line
                    pos = _skip(_WS, text, pos)
                    char = text[pos]
                    if char == ",":
                        path, pos = self.inline_key(_skip(_WS, text, pos + 1), frame[1])
                        break
                    if char != "}":
                        raise _Stop
                    pos += 1
                    stack.pop()
            else:
                return pos

    def inline_key(self, pos: int, base: Path) -> tuple[Path, int]:
        segments, pos = self.key(pos)
        pos = _skip(_WS, self.text, pos)
        if not self.text.startswith("=", pos):
            raise _Stop
        return self.record_keys(base, segments), _skip(_WS, self.text, pos + 1)

    def must(self, pattern: re.Pattern[str], pos: int) -> int:
        m = pattern.match(self.text, pos)
        if m is None or m.end() == pos:
            raise _Stop
        return m.end()


def _skip(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """Where ``pattern`` (whitespace or blanks: it may match nothing) stops matching from ``pos``."""
    match = pattern.match(text, pos)
    return pos if match is None else match.end()


def _tomllib() -> Any:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef,import-not-found,unused-ignore]
    return tomllib


def _decode_basic(raw: str) -> str:
    """A basic-string key with escapes, decoded by tomllib itself (rare: only then)."""
    try:
        return str(_tomllib().loads(f'k = "{raw}"')["k"])
    except ValueError:
        raise _Stop from None
