"""Reject source the native libcst parser cannot survive, before parsing.

libcst 1.x parses with a native (Rust) parser that converts the tree into
Python objects recursively. Deep enough input does not raise: it overflows
the C stack and kills the whole process (measured with libcst 1.0.1: ~1,600
nested brackets, or a single expression of ~6,000-10,000 chained operators
/ attribute accesses). Shallower but still deep input raises RecursionError
in libcst's Python passes; the extractor turns that into a ParseError.

This module bounds both cheaply, on the text with string literals and
comments blanked out:
- bracket nesting deeper than 200 (CPython's own tokenizer limit, so no valid
  Python file is rejected);
- a logical line (a statement, brackets joined) longer than 8,000 characters
  is split at `,` `;` `:` and every piece must hold fewer than 3,000
  chain-forming tokens (operators, dots, adjacent strings, and/or/not/if/
  await/lambda). Long but flat literals (big dicts and lists) pass.
Both raise ParseError with the line where the offending region starts.
"""
from __future__ import annotations

import re

from lambda_secrets_lint.parsers.nodes import ParseError

MAX_BRACKET_DEPTH = 200
_LONG_LOGICAL_LINE = 8_000
MAX_CHAIN_TOKENS = 3_000

DEPTH_MESSAGE = "nesting too deep to analyse"
CHAIN_MESSAGE = "expression too long to analyse"

_STRING_OR_COMMENT = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|#[^\n]*",
    re.DOTALL,
)
_BRACKET = re.compile(r"[()\[\]{}]")
_SEPARATOR = re.compile(r"[,;:]")
_CHAIN_TOKEN = re.compile(r"[-+*/%@&|^~<>!=.]+|\bS\b|\b(?:and|or|not|if|else|await|lambda|in|is)\b")


def _blank(match: re.Match[str]) -> str:
    text = match.group(0)
    if text[0] == "#":
        return ""
    return "S" + "\n" * text.count("\n")  # keep line numbers


def check_nesting(text: str) -> None:
    """Raise ParseError when text is too deep for the native parser."""
    openers = text.count("(") + text.count("[") + text.count("{")
    if openers <= MAX_BRACKET_DEPTH and len(text) <= _LONG_LOGICAL_LINE:
        return
    code = _STRING_OR_COMMENT.sub(_blank, text)
    depth = 0
    logical_start = 1
    logical: list[str] = []
    logical_len = 0
    for number, line in enumerate(code.split("\n"), 1):
        opens = line.count("(") + line.count("[") + line.count("{")
        closes = line.count(")") + line.count("]") + line.count("}")
        if depth + opens > MAX_BRACKET_DEPTH:
            running = depth
            for bracket in _BRACKET.findall(line):
                running = running + 1 if bracket in "([{" else max(0, running - 1)
                if running > MAX_BRACKET_DEPTH:
                    raise ParseError(DEPTH_MESSAGE, number, 1)
        depth = max(0, depth + opens - closes)
        if not logical:
            logical_start = number
        logical.append(line)
        logical_len += len(line)
        if depth == 0 and not line.rstrip().endswith("\\"):
            if logical_len > _LONG_LOGICAL_LINE:
                _check_chains(" ".join(logical), logical_start)
            logical = []
            logical_len = 0
    if logical_len > _LONG_LOGICAL_LINE:
        _check_chains(" ".join(logical), logical_start)


def _check_chains(statement: str, line: int) -> None:
    for piece in _SEPARATOR.split(statement):
        if len(piece) > MAX_CHAIN_TOKENS and len(_CHAIN_TOKEN.findall(piece)) >= MAX_CHAIN_TOKENS:
            raise ParseError(CHAIN_MESSAGE, line, 1)
