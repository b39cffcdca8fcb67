"""cdk.context.json → CdkContextFile (LSL105).

The CDK CLI caches synth-time lookups in cdk.context.json, keyed like
`ssm:account=123456789012:parameterName=/prod/api-key:region=eu-west-1`.
Each top-level key becomes one ContextEntry: where the key is, the SSM
parameter name it caches (for `ssm:` keys), and facts about its value — its
credential shape, a mask, whether it is trivial. The value itself is never
stored.
"""
from __future__ import annotations

import re

from lambda_secrets_lint.model.infra import ContextEntry
from lambda_secrets_lint.model.location import Location, Span
from lambda_secrets_lint.model.project import CdkContextFile
from lambda_secrets_lint.parsers.nodes import PosDict
from lambda_secrets_lint.secrets.masking import mask
from lambda_secrets_lint.secrets.values import credential_shape, is_reference_value, is_trivial_value

__all__ = ["build_cdk_context", "parameter_name_of", "NotAContextFile"]

_PARAMETER_NAME = re.compile(r"(?:^|:)parameterName=([^:]*)")
# What the CLI writes before a lookup has run (or when it failed).
_DUMMY_PREFIX = "dummy-value-for-"
_PROVIDER_ERROR = "$providerError"
# Leaves looked at inside a structured value (VPC / AZ lookups are big and harmless).
_MAX_LEAVES = 200


class NotAContextFile(ValueError):
    """The JSON parsed but its top level is not an object."""


def parameter_name_of(key: str) -> str:
    """`ssm:account=1:parameterName=/prod/x:region=eu-west-1` → `/prod/x`; "" for other keys."""
    if not key.startswith("ssm:"):
        return ""
    m = _PARAMETER_NAME.search(key)
    return m.group(1) if m else ""


def _leaves(value: object, out: list[str]) -> None:
    stack = [value]
    while stack and len(out) < _MAX_LEAVES:
        v = stack.pop()
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, dict):
            if _PROVIDER_ERROR in v:
                continue  # a failed lookup: no value was cached
            stack.extend(reversed(list(v.values())))
        elif isinstance(v, list):
            stack.extend(reversed(v))


def _trivial(text: str) -> bool:
    return text.startswith(_DUMMY_PREFIX) or is_trivial_value(text) or is_reference_value(text)


def _entry(path: str, key: str, value: object, span: Span) -> ContextEntry:
    strings: list[str] = []
    _leaves(value, strings)
    kind = ""
    shown = ""
    for s in strings:
        match = credential_shape(s)
        if match is not None:
            kind, shown = match.kind, s
            break
    trivial = all(_trivial(s) for s in strings)
    if not shown:
        shown = next((s for s in strings if not _trivial(s)), "")
    return ContextEntry(
        key=key,
        parameter_name=parameter_name_of(key),
        credential_kind=kind,
        masked=mask(shown) if shown else "",
        trivial=trivial,
        location=Location(path, span),
    )


def build_cdk_context(path: str, text: str) -> CdkContextFile:
    """Parse cdk.context.json text; ParseError for bad JSON, NotAContextFile
    when the top level is not an object."""
    from lambda_secrets_lint.parsers.cfn_json import load_json

    doc = load_json(text)
    if not isinstance(doc, PosDict):
        raise NotAContextFile("not a cdk.context.json: the top level is not an object")
    entries = tuple(_entry(path, key, value, doc.key_spans[key]) for key, value in doc.items())
    return CdkContextFile(path=path, entries=entries)

