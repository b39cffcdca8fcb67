"""Source positions: 1-based lines and columns, as editors and SARIF count them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class Span(NamedTuple):
    """A region inside one file. end_col is exclusive (SARIF's endColumn).

    A NamedTuple rather than a frozen dataclass: the template loaders build
    one per key and value (~700k per 1,000 templates), and a tuple is about
    twice as cheap to create while staying immutable, typed and ordered.
    """

    line: int
    col: int
    end_line: int
    end_col: int

    @staticmethod
    def point(line: int, col: int = 1) -> "Span":
        return Span(line, col, line, col + 1)


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A span in a file; path is POSIX and relative to the project root."""

    path: str
    span: Span

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def col(self) -> int:
        return self.span.col
