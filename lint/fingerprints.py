"""Stable fingerprints: rule + path + normalised offending text, never line
numbers, so they survive unrelated edits. The same value feeds SARIF
partialFingerprints.primaryLocationLineHash (`<hex>:<occurrence>`) and the
baseline file."""
from __future__ import annotations

import hashlib
from collections import Counter

from lambda_secrets_lint.model.findings import Finding


def digest(rule_id: str, path: str, key: str) -> str:
    return hashlib.sha256(f"{rule_id}\x00{path}\x00{key}".encode("utf-8", "surrogatepass")).hexdigest()[:16]


def assign(findings: list[Finding]) -> list[Finding]:
    """Number identical digests in (sorted) order: `abc…:1`, `abc…:2`."""
    seen: Counter[str] = Counter()
    out: list[Finding] = []
    for f in findings:
        h = digest(f.rule_id, f.location.path, " ".join(f.fingerprint_key.split()))
        seen[h] += 1
        out.append(f.with_(fingerprint=f"{h}:{seen[h]}"))
    return out
