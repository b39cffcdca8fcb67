"""`check --fix`: apply the fixes findings carry, safely.

Safety rules (a fixer edits the user's files):
- each file is re-read and each replacement's span must still hold the text
  the finding saw (`Replacement.expected`); if anything differs, the file is
  left untouched and reported, never half-edited;
- replacements in one file must not overlap; they are applied bottom-up so
  earlier spans keep their positions;
- bytes outside the spans are kept exactly: line endings, encoding
  (UTF-8 only, BOM preserved), trailing newline;
- the new content is written to a temporary file in the same directory,
  fsynced and renamed over the original (through a symlink to its target),
  keeping the file mode: a crash leaves the old file or the new one.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lambda_secrets_lint.atomic import write_atomic
from lambda_secrets_lint.model.findings import Finding, Replacement

_BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class FixReport:
    fixed: tuple[tuple[str, int], ...]  # (path, number of replacements) per changed file
    skipped: tuple[tuple[str, str], ...]  # (path, why) for files left untouched
    applied: frozenset[int]  # ids of the findings whose fix was applied


def fixable(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.fix is not None and f.suppression is None and f.fix.replacements]


def apply_fixes(root: Path, findings: Iterable[Finding]) -> FixReport:
    by_file: dict[str, list[tuple[Finding, Replacement]]] = {}
    for finding in fixable(findings):
        assert finding.fix is not None
        for rep in finding.fix.replacements:
            by_file.setdefault(rep.location.path, []).append((finding, rep))
    fixed: list[tuple[str, int]] = []
    skipped: list[tuple[str, str]] = []
    applied: set[int] = set()
    for rel, items in sorted(by_file.items()):
        why = _fix_file(root / rel, [rep for _, rep in items])
        if why is None:
            fixed.append((rel, len(items)))
            applied.update(id(f) for f, _ in items)
        else:
            skipped.append((rel, why))
    return FixReport(tuple(fixed), tuple(skipped), frozenset(applied))


def _offsets(lines: list[str], line: int, col: int) -> int | None:
    """Character offset of 1-based (line, col) in the joined text."""
    if line < 1 or line > len(lines):
        return None
    text = lines[line - 1]
    body = text.rstrip("\r\n")
    if col < 1 or col - 1 > len(body):
        return None
    return sum(len(x) for x in lines[: line - 1]) + col - 1


def _fix_file(path: Path, reps: list[Replacement]) -> str | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return f"cannot read the file ({exc.strerror or type(exc).__name__})"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "the file is not UTF-8"
    bom = text.startswith(_BOM)
    body = text[1:] if bom else text
    lines = body.splitlines(keepends=True)
    spans: list[tuple[int, int, str]] = []
    for rep in reps:
        s = rep.location.span
        start = _offsets(lines, s.line, s.col)
        end = _offsets(lines, s.end_line, s.end_col)
        if start is None or end is None or end < start:
            return "a fix points outside the file; it changed since it was linted"
        if rep.expected and body[start:end] != rep.expected:
            return "the file changed since it was linted"
        spans.append((start, end, rep.new_text))
    spans.sort()
    for (s1, e1, _), (s2, _, _) in zip(spans, spans[1:]):
        if s2 < e1:
            return "two fixes overlap"
    new = body
    for start, end, new_text in reversed(spans):
        new = new[:start] + new_text + new[end:]
    if new == body:
        return None
    try:
        if not path.resolve().is_file():
            return "not a regular file"
        write_atomic(path, ((_BOM if bom else "") + new).encode("utf-8"))
    except OSError as exc:
        return f"cannot write the file ({exc.strerror or type(exc).__name__}); it was left unchanged"
    return None
