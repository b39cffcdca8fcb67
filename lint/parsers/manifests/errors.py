"""The one exception a manifest parser raises: the whole file is unusable."""
from __future__ import annotations

from lambda_secrets_lint.parsers.nodes import ParseError

__all__ = ["ManifestError"]


class ManifestError(ParseError, ValueError):
    """Invalid JSON/TOML/YAML, a top level of the wrong type, ...

    Same shape as the template loaders' ParseError: ``message`` is one line
    and never quotes the file's content beyond a single character;
    ``line``/``col`` are 1-based when known.
    """
