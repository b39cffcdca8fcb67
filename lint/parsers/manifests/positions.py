"""Offsets to 1-based line/column spans, the way lambda_secrets_lint counts them.

Lines end at "\\n" (a "\\r" before it is not part of any span we build);
columns count code points. This matches the JSON and YAML template loaders.
"""
from __future__ import annotations

from bisect import bisect_right

from lambda_secrets_lint.model.location import Span

__all__ = ["LineIndex"]


class LineIndex:
    """Maps an offset in a text to its line and column (binary search over line starts)."""

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        append = starts.append
        pos = find("\n")
        while pos >= 0:
            append(pos + 1)
            pos = find("\n", pos + 1)
        self._starts = starts

    def line_col(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        """The span of text[start:end], which must not contain a newline."""
        line, col = self.line_col(start)
        return Span(line, col, line, col + (end - start))

