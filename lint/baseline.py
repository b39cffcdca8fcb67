"""Baseline files: the fingerprints of findings a team has accepted for now.

Stores rule, path and fingerprint — hashes, never messages or values, so a
committed baseline cannot leak a secret. Written atomically.
"""
from __future__ import annotations

import json
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from lambda_secrets_lint.model.findings import Finding

FORMAT_VERSION = 1


class BaselineError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class Baseline:
    entries: frozenset[tuple[str, str, str]]  # (rule, path, fingerprint)

    def contains(self, f: Finding) -> bool:
        return (f.rule_id, f.location.path, f.fingerprint) in self.entries


def load(path: Path) -> Baseline:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found (create it with 'lambda-secrets-lint baseline write {path}')") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc}") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}") from None
    if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not a lambda-secrets-lint baseline (version {FORMAT_VERSION})")
    entries = set()
    for item in data["findings"]:
        if isinstance(item, dict) and all(isinstance(item.get(k), str) for k in ("rule", "path", "fingerprint")):
            entries.add((item["rule"], item["path"], item["fingerprint"]))
    return Baseline(frozenset(entries))


def render(findings: list[Finding], tool_version: str) -> str:
    items = sorted(
        {(f.rule_id, f.location.path, f.fingerprint) for f in findings if f.rule_id not in ("LSL000", "LSL900")}
    )
    return json.dumps(
        {
            "version": FORMAT_VERSION,
            "tool": "lambda-secrets-lint",
            "tool_version": tool_version,
            "findings": [{"rule": r, "path": p, "fingerprint": fp} for r, p, fp in items],
        },
        indent=2,
    ) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """A report or baseline, written atomically (lint/atomic.py)."""
    from lambda_secrets_lint.atomic import write_atomic as write_bytes

    write_bytes(path, text.encode("utf-8"))


