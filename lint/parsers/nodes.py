"""A positioned value tree, shared by the YAML and JSON template loaders.

Templates are read into ordinary dicts, lists and scalars so that rules can use
plain Python idioms (``props.get("Environment")``). The containers are
subclasses that also remember where things are written, because every finding
must point at a line and column. Scalars stay plain Python values
(str, int, float, bool, None); their positions live in the parent container,
which is the only place that knows them without wrapping every string.
"""
from __future__ import annotations

from typing import Any

from lambda_secrets_lint.model.location import Span

__all__ = ["PosDict", "PosList", "ParseError", "is_container"]


class PosDict(dict):  # type: ignore[type-arg]  # dict[str, Any]; dict subclass for plain-dict ergonomics
    """A mapping with the span of itself, of each key and of each value.

    Compares equal to a plain dict with the same items, so tests and rules can
    ignore positions when they do not care about them.
    """

    __slots__ = ("span", "key_spans", "value_spans")

    span: Span
    key_spans: dict[str, Span]
    value_spans: dict[str, Span]

    def __init__(self, span: Span) -> None:
        super().__init__()
        self.span = span
        self.key_spans = {}
        self.value_spans = {}

    def put(self, key: str, value: Any, key_span: Span, value_span: Span) -> None:
        """Set ``key`` with its positions; a repeated key replaces the old one (last wins)."""
        self[key] = value
        self.key_spans[key] = key_span
        self.value_spans[key] = value_span

    def copy(self) -> "PosDict":  # dict.copy() would silently drop the positions
        new = PosDict(self.span)
        new.update(self)
        new.key_spans = dict(self.key_spans)
        new.value_spans = dict(self.value_spans)
        return new


class PosList(list):  # type: ignore[type-arg]  # list[Any]
    """A sequence with its own span and the span of each item (``item_spans[i]``)."""

    __slots__ = ("span", "item_spans")

    span: Span
    item_spans: list[Span]

    def __init__(self, span: Span) -> None:
        super().__init__()
        self.span = span
        self.item_spans = []

    def add(self, value: Any, span: Span) -> None:
        self.append(value)
        self.item_spans.append(span)

    def copy(self) -> "PosList":  # list.copy() would silently drop the positions
        new = PosList(self.span)
        new.extend(self)
        new.item_spans = list(self.item_spans)
        return new


def is_container(value: object) -> bool:
    return type(value) is PosDict or type(value) is PosList


class ParseError(Exception):
    """A file that is not a well-formed document; becomes an LSL000 notification.

    ``message`` is one line and never quotes the document's content (it may
    hold secrets); ``line``/``col`` are 1-based when known.
    """

    def __init__(self, message: str, line: int | None = None, col: int | None = None) -> None:
        super().__init__(message, line, col)
        self.message = message
        self.line = line
        self.col = col

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        if self.col is None:
            return f"line {self.line}: {self.message}"
        return f"line {self.line}, column {self.col}: {self.message}"
