"""Rule documentation rendered from RuleMeta: `explain`, docs/rules/*.md and
the README's rules table all come from here."""
from __future__ import annotations

import re
from collections.abc import Iterable

from lambda_secrets_lint.rule import Example, RuleMeta

_EXPECT = re.compile(r"\s*(#|//)\s*expect:\s*[A-Z0-9, ]+$")


def _strip_annotations(text: str) -> str:
    return "\n".join(_EXPECT.sub("", line) for line in text.splitlines())


def _lang(path: str) -> str:
    return {"yaml": "yaml", "yml": "yaml", "json": "json", "py": "python", "ts": "typescript", "js": "javascript",
            "tf": "hcl", "toml": "toml", "txt": "text"}.get(path.rsplit(".", 1)[-1], "")


def _examples(title: str, examples: Iterable[Example]) -> list[str]:
    out: list[str] = []
    for ex in examples:
        out.append(f"### {title}: {ex.title}" if ex.title else f"### {title}")
        for path, text in ex.files.items():
            out += ["", f"`{path}`", "", f"```{_lang(path)}", _strip_annotations(text).rstrip("\n"), "```", ""]
    return out


def render_rule_doc(meta: RuleMeta) -> str:
    lines = [
        f"# {meta.id} {meta.name}",
        "",
        f"**Level:** {meta.level.value} · **Precision:** {meta.precision} · "
        f"**Security severity:** {meta.security_severity}"
        + (f" · **CWE:** {', '.join(meta.cwe)}" if meta.cwe else ""),
        "",
        meta.summary + ".",
        "",
        meta.doc.rstrip("\n"),
        "",
    ]
    if meta.invalid or meta.valid:
        lines += ["## Test cases", ""]
        lines += _examples("Flagged", meta.invalid)
        lines += _examples("Not flagged", meta.valid)
    return "\n".join(lines).rstrip("\n") + "\n"


def rules_table(metas: Iterable[RuleMeta]) -> str:
    rows = ["| ID | Name | Level | What it flags |", "|---|---|---|---|"]
    for m in sorted(metas, key=lambda m: m.id):
        rows.append(f"| [{m.id}](docs/rules/{m.id}.md) | `{m.name}` | {m.level.value} | {m.summary} |")
    return "\n".join(rows) + "\n"


def plain_text(markdown: str) -> str:
    """Markdown → readable plain text (SARIF help.text)."""
    text = re.sub(r"^#+\s*", "", markdown, flags=re.MULTILINE)
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1 (\2)", text)
    return text.replace("```", "").replace("`", "")
