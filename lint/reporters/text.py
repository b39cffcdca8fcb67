"""Human output in the ruff style: `path:line:col: LSL101 message`."""
from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from lambda_secrets_lint.model.findings import Finding
from lambda_secrets_lint.model.results import RunResult

_LEVEL_COLOR = {"error": "\x1b[31m", "warning": "\x1b[33m", "note": "\x1b[36m"}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def display_path(result: RunResult, path: str, cwd: Path | None = None) -> str:
    """Relative to the current directory when possible, so terminals and
    editors can open it; otherwise root-relative."""
    cwd = cwd or Path.cwd()
    absolute = result.root / path
    try:
        return os.path.relpath(absolute, cwd) if absolute.is_relative_to(cwd) else path
    except ValueError:
        return path


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def render_text(result: RunResult, *, show_suppressed: bool = False, color: bool = False, quiet: bool = False) -> str:
    lines: list[str] = []
    shown = result.visible(show_suppressed)
    for f in shown:
        lines.append(_line(result, f, color))
    if quiet:
        return "\n".join(lines) + ("\n" if lines else "")
    active = [f for f in shown if f.suppression is None]
    hidden = sum(1 for f in result.findings if f.suppression is not None)
    counts = Counter(f.level.value for f in active)
    if active:
        parts = ", ".join(_plural(counts[lvl], lvl) for lvl in ("error", "warning", "note") if counts[lvl])
        summary = f"Found {_plural(len(active), 'problem')} ({parts}) in {_plural(result.files_scanned, 'file')}."
    else:
        summary = f"No problems found in {_plural(result.files_scanned, 'file')}."
    if hidden:
        summary += f" {hidden} suppressed" + ("" if show_suppressed else " (show with --show-suppressed)") + "."
    if lines:
        lines.append("")
    lines.append(f"{_BOLD}{summary}{_RESET}" if color else summary)
    return "\n".join(lines) + "\n"


def _line(result: RunResult, f: Finding, color: bool) -> str:
    loc = f"{display_path(result, f.location.path)}:{f.location.line}:{f.location.col}:"
    tag = f" [suppressed: {f.suppression.source}]" if f.suppression else ""
    if not color:
        return f"{loc} {f.rule_id} {f.message}{tag}"
    c = _LEVEL_COLOR.get(f.level.value, "")
    return f"{_BOLD}{loc}{_RESET} {c}{_BOLD}{f.rule_id}{_RESET} {f.message}{_DIM}{tag}{_RESET}"
