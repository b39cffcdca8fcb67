"""Load a JSON template into a positioned tree (PosDict/PosList), strictly per RFC 8259.

The stdlib ``json`` module reports no positions, so this is a small parser of
its own: one precompiled regex finds the next token (whitespace skipped in the
same match), an explicit stack holds the open containers (no recursion, so a
deeply nested file cannot overflow anything), and strings with escapes are
decoded by ``json``'s own C ``scanstring`` so escapes mean exactly what they
mean to ``json.loads``.

Positions are 1-based lines and columns counted in code points, the same as
the YAML loader. Lines end at "\n" (so CRLF files count right; CR-only files
would not). A leading byte-order mark is skipped and not counted.
Duplicate keys: the last one wins, with its own key/value spans.
NaN, Infinity, comments, single quotes and trailing commas are rejected.
"""
from __future__ import annotations

import re
from json import JSONDecodeError
from json.decoder import scanstring
from typing import Any, NoReturn

from lambda_secrets_lint.model.location import Span
from lambda_secrets_lint.parsers.nodes import ParseError, PosDict, PosList

__all__ = ["load_json", "ParseError"]

_TOKEN = re.compile(
    r"""[ \t\n\r]*(?:
      ("[^"\\\x00-\x1f]*(?:\\.[^"\\\x00-\x1f]*)*")         # 1: string (escapes checked later)
    | ([{}\[\],:])                                          # 2: punctuation
    | (-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)(?![0-9A-Za-z_.+-])  # 3: number
    | (true|false|null)(?![0-9A-Za-z_])                     # 4: literal
    )""",
    re.VERBOSE,
)
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_LITERALS = {"true": True, "false": False, "null": None}

_STRING, _PUNCT, _NUMBER, _LITERAL = 1, 2, 3, 4

# What the parser expects next.
_VALUE = 0  # any value (top level, after ':', after ',' in an array)
_FIRST_ITEM = 1  # after '[': a value or ']'
_FIRST_KEY = 2  # after '{': a key or '}'
_KEY = 3  # after ',' in an object
_COLON = 4  # after a key
_AFTER_VALUE = 5  # after a value inside a container: ',' or the closer
_DONE = 6  # the top-level value is complete

_EXPECTED = {
    _VALUE: "expected a value",
    _FIRST_ITEM: "expected a value or ']'",
    _FIRST_KEY: "expected a double-quoted key or '}'",
    _KEY: "expected a double-quoted key after ','",
    _COLON: "expected ':' after object key",
    _DONE: "extra data after the top-level value",
}


def load_json(text: str, *, max_depth: int = 400) -> object:
    """Parse ``text`` as one JSON value; raise ParseError (1-based line/col) if it is not."""
    return _Parser(text, max_depth).parse()


class _Frame:
    """An open object or array."""

    __slots__ = ("value", "is_object", "line", "col", "key", "key_span")

    def __init__(self, value: PosDict | PosList, line: int, col: int) -> None:
        self.value = value
        self.is_object = type(value) is PosDict
        self.line = line
        self.col = col
        self.key = ""
        self.key_span: Span | None = None


class _Parser:
    def __init__(self, text: str, max_depth: int) -> None:
        self.text = text
        self.max_depth = max_depth
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.state = _VALUE
        # Line bookkeeping: tokens never contain a newline (JSON forbids raw
        # control characters in strings), so only the whitespace between tokens
        # moves the line, and it is counted once, as the scan passes it.
        self.line = 1
        self.line_start = 1 if text.startswith("\ufeff") else 0
        self.last_comma: tuple[int, int] = (0, 0)

    def parse(self) -> object:
        # The per-token path is written out flat on purpose: on multi-MB
        # `cdk synth` output, a method call per token costs more than the
        # regex match itself. Rarer tokens go through the helper methods.
        text = self.text
        pos = self.line_start  # skips the BOM, if any
        match = _TOKEN.match
        count_newlines = text.count
        last_newline = text.rfind
        while True:
            m = match(text, pos)
            if m is None:
                self.fail_at(_WHITESPACE.match(text, pos).end())
            group = m.lastindex
            start, pos = m.span(group)
            skipped = m.start()
            if skipped != start:
                newlines = count_newlines("\n", skipped, start)
                if newlines:
                    self.line += newlines
                    self.line_start = last_newline("\n", skipped, start) + 1
            col = start - self.line_start + 1
            if group != _PUNCT:
                value = self.scalar(group, start, pos)
                self.add_value(value, Span(self.line, col, self.line, col + pos - start))
            else:
                char = text[start]
                state = self.state
                if char == ":" and state == _COLON:
                    self.state = _VALUE
                    continue
                if char == "," and state == _AFTER_VALUE:
                    self.last_comma = (self.line, col)
                    self.state = _KEY if self.stack[-1].is_object else _VALUE
                    continue
                self.punctuation(char, col, start)
            if self.state == _DONE:
                rest = _WHITESPACE.match(text, pos).end()
                if rest != len(text):
                    raise self.error(_EXPECTED[_DONE], rest)
                return self.root

    # -- tokens -----------------------------------------------------------------

    def scalar(self, group: int, start: int, end: int) -> Any:
        if self.state == _COLON or self.state == _AFTER_VALUE:
            raise self.error(self.expected_after(), start)
        text = self.text
        if group == _STRING:
            if text.find("\\", start, end) < 0:
                return text[start + 1 : end - 1]
            return self.decode_string(start)
        if group == _NUMBER:
            token = text[start:end]
            if "." in token or "e" in token or "E" in token:
                return float(token)
            try:
                return int(token)
            except ValueError:  # CPython's int() digit limit
                raise self.error("number has too many digits", start) from None
        return _LITERALS[text[start:end]]

    def punctuation(self, char: str, col: int, offset: int) -> None:
        state = self.state
        if char == "," or char == ":":  # the valid cases are handled in parse()
            raise self.error(self.unexpected(char), offset)
        if char == "{" or char == "[":
            if state != _VALUE and state != _FIRST_ITEM:
                raise self.error(self.expected_after() if state == _AFTER_VALUE else _EXPECTED[state], offset)
            if len(self.stack) >= self.max_depth:
                raise self.error(f"nesting deeper than {self.max_depth} levels", offset)
            placeholder = Span(self.line, col, self.line, col + 1)  # final span set at the closer
            if char == "{":
                self.stack.append(_Frame(PosDict(placeholder), self.line, col))
                self.state = _FIRST_KEY
            else:
                self.stack.append(_Frame(PosList(placeholder), self.line, col))
                self.state = _FIRST_ITEM
        else:
            self.close(char, col, offset)

    def close(self, char: str, col: int, offset: int) -> None:
        state = self.state
        top = self.stack[-1] if self.stack else None
        closes_top = top is not None and top.is_object == (char == "}")
        if closes_top and (state == _AFTER_VALUE or state == (_FIRST_KEY if char == "}" else _FIRST_ITEM)):
            self.stack.pop()
            self.state = _VALUE  # the parent was expecting a value when this container opened
            value = top.value  # type: ignore[union-attr]
            value.span = Span(top.line, top.col, self.line, col + 1)  # type: ignore[union-attr]
            self.add_value(value, value.span)
            return
        if closes_top and state == (_KEY if char == "}" else _VALUE):
            line, comma_col = self.last_comma
            raise ParseError(f"trailing comma before '{char}'", line, comma_col)
        raise self.error(self.unexpected(char), offset)

    def add_value(self, value: Any, span: Span) -> None:
        """Attach a finished value (scalar or closed container) to its parent."""
        state = self.state
        if state == _FIRST_KEY or state == _KEY:
            if type(value) is not str:
                raise ParseError(_EXPECTED[state], span.line, span.col)
            top = self.stack[-1]
            top.key, top.key_span = value, span
            self.state = _COLON
            return
        if not self.stack:
            self.root = value
            self.state = _DONE
            return
        top = self.stack[-1]
        container = top.value
        if top.is_object:
            key = top.key
            container[key] = value  # a repeated key replaces the earlier one: last wins
            container.key_spans[key] = top.key_span  # type: ignore[union-attr]
            container.value_spans[key] = span  # type: ignore[union-attr]
        else:
            container.append(value)
            container.item_spans.append(span)  # type: ignore[union-attr]
        self.state = _AFTER_VALUE

    def decode_string(self, start: int) -> str:
        try:
            value, _ = scanstring(self.text, start + 1, True)
        except JSONDecodeError as exc:
            raise self.error(_string_problem(exc.msg), exc.pos) from None
        return value

    # -- errors -------------------------------------------------------------------

    def advance_lines(self, start: int, end: int) -> None:
        newlines = self.text.count("\n", start, end)
        if newlines:
            self.line += newlines
            self.line_start = self.text.rfind("\n", start, end) + 1

    def expected_after(self) -> str:
        if self.state == _COLON:
            return _EXPECTED[_COLON]
        if self.stack[-1].is_object:
            return "expected ',' or '}' after object value"
        return "expected ',' or ']' after array element"

    def unexpected(self, char: str) -> str:
        if self.state == _AFTER_VALUE:
            return self.expected_after()
        return f"{_EXPECTED[self.state]}, found '{char}'"

    def fail_at(self, offset: int) -> NoReturn:
        """No token matches at ``offset`` (whitespace already skipped): say why."""
        text = self.text
        if offset >= len(text):
            raise self.error(self.end_of_input(), offset)
        char = text[offset]
        if char == '"':
            self.decode_string(offset)  # raises with the precise reason
            raise self.error("invalid string", offset)
        if text.startswith(("NaN", "Infinity", "-Infinity"), offset):
            raise self.error("NaN and Infinity are not valid JSON", offset)
        if char in "-0123456789":
            raise self.error("invalid number", offset)
        if char == "'":
            raise self.error("strings must use double quotes", offset)
        if char == "/":
            raise self.error("comments are not allowed in JSON", offset)
        if self.state in (_FIRST_KEY, _KEY):
            raise self.error(_EXPECTED[self.state], offset)
        if self.state in (_COLON, _AFTER_VALUE):
            raise self.error(self.expected_after(), offset)
        raise self.error(f"{_EXPECTED[self.state]}, found {_describe(char)}", offset)

    def end_of_input(self) -> str:
        if not self.stack and self.state == _VALUE:
            return "empty document: expected a JSON value"
        if self.stack:
            top = self.stack[-1]
            kind = "object" if top.is_object else "array"
            return f"unexpected end of input: {kind} opened at line {top.line}, column {top.col} is not closed"
        return "unexpected end of input"

    def error(self, message: str, offset: int) -> ParseError:
        """A ParseError at ``offset``, which must be on the current line or later."""
        line, line_start = self.line, self.line_start
        if offset > line_start:
            newlines = self.text.count("\n", line_start, offset)
            if newlines:
                line += newlines
                line_start = self.text.rfind("\n", line_start, offset) + 1
        return ParseError(message, line, offset - line_start + 1)


def _string_problem(msg: str) -> str:
    if msg.startswith("Unterminated string"):
        return "unterminated string"
    if msg.startswith("Invalid control character"):
        return "raw control character inside a string (escape it, e.g. \\n)"
    if msg.startswith("Invalid \\uXXXX"):
        return "invalid \\u escape in string"
    if msg.startswith("Invalid \\escape"):
        return "invalid escape sequence in string"
    return "invalid string"


def _describe(char: str) -> str:
    if char.isprintable() and not char.isspace():
        return f"'{char}'"
    return f"character U+{ord(char):04X}"
