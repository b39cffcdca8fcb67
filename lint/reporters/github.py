"""GitHub Actions workflow commands: one annotation per finding."""
from __future__ import annotations

from lambda_secrets_lint.model.results import RunResult

_COMMAND = {"error": "error", "warning": "warning", "note": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(result: RunResult, *, show_suppressed: bool = False) -> str:
    lines = []
    for f in result.visible(show_suppressed):
        if f.suppression is not None:
            continue  # an annotation cannot be marked suppressed; never show one
        s = f.location.span
        props = (
            f"file={_prop(f.location.path)},line={s.line},col={s.col},"
            f"endLine={s.end_line},endColumn={s.end_col},title={_prop(f'{f.rule_id} {f.rule_name}')}"
        )
        lines.append(f"::{_COMMAND[f.level.value]} {props}::{_data(f.message)}")
    return "\n".join(lines) + ("\n" if lines else "")
