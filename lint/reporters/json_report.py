"""Machine output: a documented, versioned JSON document.

The shape is described by lint/data/report.schema.json; `version` changes
only when a field is removed or changes meaning (additions keep it).
"""
from __future__ import annotations

import json

from lambda_secrets_lint.model.findings import Finding
from lambda_secrets_lint.model.results import RunResult

REPORT_VERSION = "1"


def _finding(f: Finding) -> dict[str, object]:
    span = f.location.span
    return {
        "rule": f.rule_id,
        "name": f.rule_name,
        "level": f.level.value,
        "message": f.message,
        "path": f.location.path,
        "line": span.line,
        "column": span.col,
        "end_line": span.end_line,
        "end_column": span.end_col,
        "fingerprint": f.fingerprint,
        "related": [
            {"path": r.location.path, "line": r.location.line, "column": r.location.col, "message": r.message}
            for r in f.related
        ],
        "fix": None
        if f.fix is None
        else {
            "description": f.fix.description,
            "replacements": [
                {
                    "path": r.location.path,
                    "line": r.location.span.line,
                    "column": r.location.span.col,
                    "end_line": r.location.span.end_line,
                    "end_column": r.location.span.end_col,
                    "text": r.new_text,
                }
                for r in f.fix.replacements
            ],
        },
        "suppressed": None
        if f.suppression is None
        else {"kind": f.suppression.kind, "source": f.suppression.source, "justification": f.suppression.justification},
    }


def render_json(result: RunResult, *, show_suppressed: bool = False, tool_version: str) -> str:
    shown = result.visible(show_suppressed)
    active = [f for f in shown if f.suppression is None]
    doc = {
        "version": REPORT_VERSION,
        "tool": {"name": "lambda-secrets-lint", "version": tool_version},
        "root": str(result.root),
        "summary": {
            "files": result.files_scanned,
            "findings": len(active),
            "errors": sum(1 for f in active if f.level.value == "error"),
            "warnings": sum(1 for f in active if f.level.value == "warning"),
            "notes": sum(1 for f in active if f.level.value == "note"),
            "suppressed": sum(1 for f in result.findings if f.suppression is not None),
            "execution_successful": result.execution_successful,
        },
        "findings": [_finding(f) for f in shown],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
