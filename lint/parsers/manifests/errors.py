"""The one exception a manifest parser raises: the whole file is unusable."""
from __future__ import annotations

__all__ = ["ManifestError"]


class ManifestError(ValueError):
    """Invalid JSON/TOML/YAML, a top level of the wrong type, ...

    ``message`` is one line and never quotes the file's content beyond a
    single character; ``line``/``col`` are 1-based when known.
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
