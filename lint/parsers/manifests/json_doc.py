"""JSON manifests through the project's positioned JSON parser (parsers/cfn_json.py).

That parser already gives the span of every key and value (quotes included),
is strict RFC 8259 (as npm and pipenv are), never recurses, and handles
multi-MB files, so lockfiles reuse it rather than a second JSON reader.
"""
from __future__ import annotations

from lambda_secrets_lint.model.location import Span
from lambda_secrets_lint.parsers.manifests.errors import ManifestError
from lambda_secrets_lint.parsers.nodes import ParseError, PosDict

__all__ = ["load_object", "key_span", "string_span", "value_pos"]


def load_object(text: str, what: str) -> PosDict:
    """Parse ``text``; the top level must be an object."""
    from lambda_secrets_lint.parsers.cfn_json import load_json

    try:
        doc = load_json(text)
    except ParseError as exc:
        raise ManifestError(f"invalid JSON: {exc.message}", exc.line, exc.col) from None
    if type(doc) is not PosDict:
        raise ManifestError(f"not a {what}: the top level is not a JSON object", *_first_value_pos(text))
    return doc


def key_span(obj: PosDict, key: str) -> Span | None:
    """The characters of ``key`` inside its quotes; None if it was written with escapes."""
    quoted = obj.key_spans[key]
    return _inner(quoted, key)


def string_span(obj: PosDict, key: str) -> Span | None:
    """The characters of the string value of ``key`` inside its quotes; None if escaped."""
    value = obj.get(key)
    if type(value) is not str:
        return None
    return _inner(obj.value_spans[key], value)


def value_pos(obj: PosDict, key: str) -> tuple[int, int]:
    span = obj.value_spans[key]
    return span.line, span.col


def _inner(quoted: Span, decoded: str) -> Span | None:
    # An escape always takes more characters to write than it decodes to, so
    # equal lengths mean the raw text is exactly the decoded string.
    if quoted.end_col - quoted.col - 2 != len(decoded):
        return None
    return Span(quoted.line, quoted.col + 1, quoted.line, quoted.end_col - 1)


def _first_value_pos(text: str) -> tuple[int, int]:
    line = 1
    col = 1
    for char in text:
        if char == "\n":
            line, col = line + 1, 1
        elif char in " \t\r":
            col += 1
        else:
            break
    return line, col
