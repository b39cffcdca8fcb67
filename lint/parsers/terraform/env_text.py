"""Env values that also say what they evaluate to (`ValueSource.text`,
`EnvValue.pattern`), so the IAM linker can follow an env var carrying a
parameter name or secret ARN to the grant that must allow it.

values.Evaluator decides what a value is MADE OF (the LSL1xx facts); this
subclass only adds the runtime text of each ingredient, computed by
static.Static, and the pattern, computed from the very same pieces by
intrinsics.value_pattern (the CloudFormation rule: `*` for unknown parts,
None for alternatives).
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from lambda_secrets_lint.model.infra import EnvValue, ValueSource
from lambda_secrets_lint.parsers.intrinsics import BREAK, value_pattern
from lambda_secrets_lint.parsers.terraform import values as _values
from lambda_secrets_lint.parsers.terraform.hcl import HclFile
from lambda_secrets_lint.parsers.terraform.static import WIDE, Static, TfIndex

if TYPE_CHECKING:
    from tree_sitter import Node
else:
    Node = Any


class TextEvaluator(_values.Evaluator):
    def __init__(self, index: TfIndex, static: Static) -> None:
        super().__init__(index)
        self.static = static

    def value(self, f: HclFile, expr: Node) -> EnvValue:
        pieces: list[object] = []
        self._collect(f, expr, pieces, 0)
        base = _values._finish(pieces)
        pattern = value_pattern([BREAK if p is _values._BREAK else p for p in pieces])
        return replace(base, pattern=pattern)

    def _variable(self, name: str) -> ValueSource:
        source = super()._variable(name)
        if source.no_echo:
            return source  # a sensitive default is never echoed, not even as a name
        return replace(source, text=_text(self.static.variable(name)))

    def _data_source(self, dtype: str, name: str, attr: str) -> ValueSource:
        source = super()._data_source(dtype, name, attr)
        return replace(source, text=_text(self.static.data_attr(dtype, name, attr)))

    def _resource(self, rtype: str, name: str, attr: str) -> ValueSource:
        source = super()._resource(rtype, name, attr)
        return replace(source, text=_text(self.static.resource_attr(rtype, name, attr)))


def _text(value: object) -> str | None:
    """A value's runtime text as a glob; None unless it is text with at
    least one known character."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, str):
        return None
    if not value.replace(WIDE, ""):
        return None
    return value.replace(WIDE, "*")
