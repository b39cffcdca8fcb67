#!/usr/bin/env python3
"""Regenerate docs/rules/*.md and the README rules table from rule metadata.

    python scripts/gen_docs.py          # write
    python scripts/gen_docs.py --check  # exit 1 if anything is stale (CI)
"""
from __future__ import annotations

import sys
from pathlib import Path

from lambda_secrets_lint.docs import render_rule_doc, rules_table
from lambda_secrets_lint.rules import ALL_RULES

REPO = Path(__file__).resolve().parent.parent
START, END = "<!-- rules-table:start -->", "<!-- rules-table:end -->"


def expected_files() -> dict[Path, str]:
    files = {REPO / "docs" / "rules" / f"{r.meta.id}.md": render_rule_doc(r.meta) for r in ALL_RULES}
    readme = REPO / "README.md"
    text = readme.read_text("utf-8")
    if START in text and END in text:
        head, rest = text.split(START, 1)
        _, tail = rest.split(END, 1)
        files[readme] = f"{head}{START}\n{rules_table(r.meta for r in ALL_RULES)}{END}{tail}"
    return files


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for path, text in expected_files().items():
        current = path.read_text("utf-8") if path.exists() else None
        if current != text:
            stale.append(path)
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, "utf-8")
    for path in stale:
        print(f"{'stale' if check else 'wrote'}: {path.relative_to(REPO)}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
