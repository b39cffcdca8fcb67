"""Inline suppressions (`# lsl: ignore[LSL101]`, `// lsl: ignore[...]`,
`/* lsl: ignore[...] */`, `# lsl: file-ignore[...]`) and template Metadata
ignores, applied to findings; unused ones become LSL900.

A blanket ignore without rule IDs is refused (reported, suppresses nothing):
a linter for secrets should not let one comment silence every future rule.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lambda_secrets_lint.model.location import Location, Span

_DIRECTIVE = re.compile(r"(#|//|/\*)\s*lsl:\s*(file-ignore|ignore)\b(?:\[([^\]]*)\])?", re.IGNORECASE)
_COMMENT_ONLY = re.compile(r"^\s*(#|//|/\*|\*)")


@dataclass(frozen=True, slots=True)
class InlineDirective:
    location: Location  # the comment
    rules: tuple[str, ...]  # as written (IDs or names); empty for a blanket ignore
    lines: frozenset[int]  # lines it covers; empty for file-level
    file_level: bool
    reason: str = ""


def scan(path: str, text: str) -> tuple[InlineDirective, ...]:
    """Find directives in one file's text. Cheap when there are none."""
    if "lsl:" not in text and "LSL:" not in text:
        return ()
    lines = text.splitlines()
    out: list[InlineDirective] = []
    for index, line in enumerate(lines):
        m = _DIRECTIVE.search(line)
        if not m:
            continue
        lineno = index + 1
        kind, ids = m.group(2).lower(), m.group(3)
        rules = tuple(r.strip() for r in (ids or "").split(",") if r.strip())
        loc = Location(path, Span(lineno, m.start() + 1, lineno, len(line) + 1))
        rest = line[m.end():]
        after = ""
        if m.group(1) == "/*":
            # A block comment ends at */: what follows is code, never part of
            # the reason (it could hold the very secret being suppressed).
            reason, _, after = rest.partition("*/")
        else:
            reason = rest
        reason = reason.strip().lstrip("-—:").strip()
        if kind == "file-ignore":
            out.append(InlineDirective(loc, rules, frozenset(), True, reason))
            continue
        covered = {lineno}
        if not line[: m.start()].strip() and not after.strip():
            # A comment on its own line covers the next line of code.
            for nxt in range(index + 1, len(lines)):
                if lines[nxt].strip() and not _COMMENT_ONLY.match(lines[nxt]):
                    covered.add(nxt + 1)
                    break
        out.append(InlineDirective(loc, rules, frozenset(covered), False, reason))
    return tuple(out)


def matches(token: str, rule_id: str, rule_name: str) -> bool:
    return token.upper() == rule_id or token.lower() == rule_name
