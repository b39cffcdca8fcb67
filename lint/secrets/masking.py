"""Masked hints for secret values: the only form in which a value may appear
in any output (RULES.md: a secret's value never appears in text, JSON, SARIF,
logs or errors).

What a mask may show, and why:
- the length, as `…(32 chars)`: it tells the reader which literal is meant
  and leaks almost nothing;
- for a value that HAS a recognised credential format, its public format
  prefix, cut to at most 4 characters (`sk_l…`, `ghp_…`, `AKIA…`, `xoxb…`,
  `sk-…`, `SG.…`): it names the kind of key and holds no key material. Values
  shorter than 16 characters show no prefix at all;
- for a URL, only its scheme (`postgres://…(58 chars)`): user, host and
  database are not secrets, but they help an attacker aim, and a partial
  mask of the password is easy to get wrong;
- for a PEM block, its `-----BEGIN … PRIVATE KEY-----` header.

Never the leading characters of a value without a known format: for a
human-chosen password ("Winter-Is-Coming-2024") those are a real part of it.
A mask is always a single line.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable

from lambda_secrets_lint.secrets.values import credential_shape

__all__ = ["mask", "redact_text"]

_ELLIPSIS = "\u2026"
_MIN_PREFIX_LEN = 16  # below this, even a format prefix is a big share of the value
_MAX_PREFIX = 4

_PEM_HEADER = re.compile(r"-----BEGIN [A-Z0-9 ]{1,40}-----")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,20}://")

# Public format prefixes (longest first). Only shown when the value also
# passes credential_shape, so a password that merely starts with "AC" or
# "sk-" shows nothing.
_FORMAT_PREFIXES: tuple[str, ...] = (
    "github_pat_",
    "sk-svcacct-",
    "sk-admin-",
    "sk-proj-",
    "sk-ant-",
    "sk_live_",
    "sk_test_",
    "rk_live_",
    "rk_test_",
    "xoxa-",
    "xoxb-",
    "xoxp-",
    "xoxr-",
    "xoxs-",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "AKIA",
    "ASIA",
    "AIza",
    "sk-",
    "SG.",
    "eyJ",  # base64 of '{"': every JWT starts with it
    "SK",  # Twilio
    "AC",  # Twilio
)

# Secrets shorter than this are not searched for by redact_text: replacing
# every "abc" in a report would mangle it, and such a value is no credential.
_MIN_REDACT_LEN = 4
# Lines of a multi-line secret (PEM body lines) are redacted on their own,
# because reporters show single source lines.
_MIN_REDACT_LINE_LEN = 16


def _length(n: int) -> str:
    return f"({n} char)" if n == 1 else f"({n} chars)"


def _format_prefix(value: str) -> str:
    if len(value) < _MIN_PREFIX_LEN:
        return ""
    for prefix in _FORMAT_PREFIXES:
        if value.startswith(prefix):
            return prefix[:_MAX_PREFIX] if credential_shape(value) is not None else ""
    return ""


def mask(value: str) -> str:
    """A one-line hint for value that never contains the secret itself."""
    hint = _length(len(value))
    head = value.lstrip()
    pem = _PEM_HEADER.match(head)
    if pem is not None:
        return f"{pem.group(0)}{_ELLIPSIS}{hint}"
    scheme = _SCHEME.match(head)
    if scheme is not None:
        return f"{scheme.group(0)}{_ELLIPSIS}{hint}"
    return f"{_format_prefix(value)}{_ELLIPSIS}{hint}"


def _forms(secret: str) -> Iterable[tuple[str, str]]:
    """(text to find, replacement): the raw value, its JSON-escaped forms
    (JSON and SARIF reporters escape newlines and quotes), and the long lines
    of a multi-line value."""
    masked = mask(secret)
    yield secret, masked
    yield json.dumps(secret, ensure_ascii=False)[1:-1], masked
    yield json.dumps(secret)[1:-1], masked
    if "\n" in secret:
        for line in secret.splitlines():
            line = line.strip()
            if len(line) >= _MIN_REDACT_LINE_LEN and not _PEM_HEADER.fullmatch(line) and "-----END" not in line:
                yield line, mask(line)


def redact_text(text: str, secrets: Iterable[str]) -> str:
    """Replace every occurrence of each secret in text with its mask: a
    last-line defence reporters run over their final output. One pass,
    longest match first, so a secret that contains another is masked whole
    and a mask is never masked again."""
    replacements: dict[str, str] = {}
    for secret in secrets:
        if len(secret) < _MIN_REDACT_LEN:
            continue
        for found, replacement in _forms(secret):
            if len(found) >= _MIN_REDACT_LEN:
                replacements.setdefault(found, replacement)
    if not replacements:
        return text
    alternatives = sorted(replacements, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(a) for a in alternatives))
    return pattern.sub(lambda m: replacements[m.group(0)], text)
