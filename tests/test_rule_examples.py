"""One test per VALID/INVALID example declared in each rule's metadata."""
from __future__ import annotations

from pathlib import Path

import pytest

from lambda_secrets_lint.rules import ALL_RULES
from lambda_secrets_lint.testing import annotations, describe_mismatch, lint_directory

CASES = [
    pytest.param(rule.meta, kind, i, ex, id=f"{rule.meta.id}-{kind}-{i}")
    for rule in ALL_RULES
    for kind, examples in (("valid", rule.meta.valid), ("invalid", rule.meta.invalid))
    for i, ex in enumerate(examples)
]


@pytest.mark.parametrize("meta,kind,index,example", CASES)
def test_rule_example(tmp_path: Path, meta, kind, index, example) -> None:  # type: ignore[no-untyped-def]
    for rel, text in example.files.items():
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    result = lint_directory(tmp_path)
    actual = {(f.location.path, f.location.line, f.rule_id) for f in result.findings if f.suppression is None}
    expected = set(annotations(tmp_path).expect) | set(example.expect)
    if kind == "valid":
        assert not expected, "a VALID example must not carry expectations"
        assert actual == set(), "a VALID example must be clean:\n" + describe_mismatch(set(), actual)
    else:
        assert any(t[2] == meta.id for t in expected), "an INVALID example must expect its own rule"
        assert actual == expected, "\n" + describe_mismatch(expected, actual)
