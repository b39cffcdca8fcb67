"""The README shows what the tool really prints: its demo block is the
demo's output, byte for byte (paths as seen from the repository root)."""
from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_readme_demo_output_is_current(run_cli) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    m = re.search(r"you should\s+see:\n\n```text\n(.*?)```", readme, re.DOTALL)
    assert m, "the README lost its demo block"
    result = run_cli("check", "fixtures/demo", "--no-color", cwd=REPO)
    assert result.code == 1
    assert result.out == m.group(1), "regenerate the README demo block from `lambda-secrets-lint check fixtures/demo`"
