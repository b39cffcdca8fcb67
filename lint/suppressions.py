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


def _python_comment_lines(text: str) -> dict[int, int] | None:
    """{line: column of the comment} from Python's own tokenizer, so that
    `# lsl: ignore[…]` inside a string or docstring is not a directive.
    None when the file does not tokenize (the heuristic below applies)."""
    import io
    import tokenize

    found: dict[int, int] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT:
                found[tok.start[0]] = tok.start[1]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None
    return found


def _inside_quotes(prefix: str) -> bool:
    """Is the end of `prefix` inside a '…', "…" or `…` string on that line?"""
    quote = ""
    escaped = False
    for ch in prefix:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"`":
            quote = ch
    return bool(quote)


def scan(path: str, text: str) -> tuple[InlineDirective, ...]:
    """Find directives in one file's text. Cheap when there are none."""
    if "lsl:" not in text and "LSL:" not in text:
        return ()
    lines = text.splitlines()
    comments = _python_comment_lines(text) if path.endswith(".py") else None
    out: list[InlineDirective] = []
    for index, line in enumerate(lines):
        m = _DIRECTIVE.search(line)
        if not m:
            continue
        if comments is not None:
            col = comments.get(index + 1)
            if col is None or col > m.start():
                continue  # text in a string or docstring, not a comment
        elif _inside_quotes(line[: m.start()]):
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
