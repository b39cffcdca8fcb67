"""One PEP 508 requirement string -> name, where the name is written, spec.

Parsing is packaging's, the same code pip uses; this module only works out
where the name sits in the text and which part of the text is the spec.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["ParsedRequirement", "parse_requirement", "is_valid_name"]

# PEP 508 names (the same check packaging applies to a project name).
_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")


@dataclass(frozen=True, slots=True)
class ParsedRequirement:
    name: str  # as written
    offset: int  # index of the name in the text given
    spec: str  # version specifier as written ("" if none), or the URL of `name @ url`
    registry: bool  # False for `name @ url`


def is_valid_name(name: str) -> bool:
    return _NAME.fullmatch(name) is not None


def parse_requirement(text: str) -> ParsedRequirement | None:
    """Parse ``text`` as PEP 508; None if packaging rejects it."""
    from packaging.requirements import Requirement

    try:
        req = Requirement(text)
    # InvalidRequirement is a ValueError; a marker nested thousands deep
    # recurses too far; a NUL inside a quoted marker value makes the
    # ast.literal_eval packaging uses raise SyntaxError.
    except (ValueError, RecursionError, SyntaxError):
        return None
    offset = len(text) - len(text.lstrip())
    name = req.name
    if not text.startswith(name, offset):  # packaging keeps the name as written; be sure
        return None
    if req.url:
        return ParsedRequirement(name, offset, req.url, False)
    rest = text[offset + len(name) :].lstrip()
    if rest.startswith("["):  # extras
        close = rest.find("]")
        rest = rest[close + 1 :] if close >= 0 else ""
    # A version specifier never contains ";", so the first one starts the marker.
    spec = rest.split(";", 1)[0].strip()
    if spec.startswith("(") and spec.endswith(")"):  # the legacy `name (>=1.0)` form
        spec = spec[1:-1].strip()
    return ParsedRequirement(name, offset, spec, True)
