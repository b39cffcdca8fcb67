"""What rules produce: findings, related locations, fixes, suppression marks."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum

from lambda_secrets_lint.model.location import Location


class Level(str, Enum):
    """SARIF levels, ordered by severity for --fail-on."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "note": 1}[self.value]


@dataclass(frozen=True, slots=True)
class Related:
    location: Location
    message: str


@dataclass(frozen=True, slots=True)
class Replacement:
    """Replace the text in location.span with new_text (a SARIF fix)."""

    location: Location
    new_text: str
    expected: str = ""  # the text the span held when linted; --fix refuses to edit a file that changed


@dataclass(frozen=True, slots=True)
class Fix:
    description: str
    replacements: tuple[Replacement, ...]


@dataclass(frozen=True, slots=True)
class Suppression:
    """Why a finding is hidden: an inline comment, a template Metadata ignore,
    a baseline entry or a config per-file-ignore."""

    kind: str  # "inSource" | "external" (SARIF suppression kinds)
    source: str  # "comment" | "metadata" | "baseline" | "config"
    justification: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place.

    `message` must never contain a secret value: rules build it from names and
    masked hints only (lambda_secrets_lint.secrets.masking).

    `fingerprint_key` is the normalised offending text (e.g. the template path
    to the env var, `Resources/Fn/Properties/Environment/Variables/API_KEY`), never
    a line number, so the fingerprint survives unrelated edits; it must not
    contain a secret either (hash it first).
    """

    rule_id: str
    rule_name: str
    level: Level
    message: str
    location: Location
    fingerprint_key: str
    related: tuple[Related, ...] = ()
    fix: Fix | None = None
    suppression: Suppression | None = None
    fingerprint: str = ""  # filled in by the engine from fingerprint_key

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.location.path, self.location.span.line, self.location.span.col, self.rule_id, self.message)

    def with_(self, **changes: object) -> "Finding":
        return replace(self, **changes)  # type: ignore[arg-type]


def dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per spot and rule (a SAM Globals variable inherited by five
    functions is one problem, reported once at the Globals key)."""
    seen: set[tuple[str, Location]] = set()
    out: list[Finding] = []
    for f in findings:
        key = (f.rule_id, f.location)
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out


@dataclass(frozen=True, slots=True)
class RunStats:
    files_seen: int = 0
    files_parsed: int = 0
    by_kind: tuple[tuple[str, int], ...] = field(default_factory=tuple)
