"""Inline and Metadata suppressions, LSL900 for unused/blanket/unknown ones."""
from __future__ import annotations

import json
from pathlib import Path

from lambda_secrets_lint.suppressions import scan

HEAD = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      Environment:
        Variables:
"""


def _run(run_cli, tmp_path: Path, body: str, *extra: str) -> list[tuple[int, str, str | None]]:
    (tmp_path / ".git").mkdir(exist_ok=True)
    (tmp_path / "template.yaml").write_text(HEAD + body)
    r = run_cli("check", str(tmp_path), "--format", "json", "--show-suppressed", *extra)
    return [(f["line"], f["rule"], (f["suppressed"] or {}).get("source")) for f in json.loads(r.out)["findings"]]


def test_same_line_and_line_above(run_cli, tmp_path: Path) -> None:
    body = (
        "          API_TOKEN: tok-8d0f2c4e6a1b3c5d7e9f  # lsl: ignore[LSL101]\n"
        "          # Legacy partner integration, rotated weekly (SEC-991).\n"
        "          # lsl: ignore[literal-secret-in-env]\n"
        "          PARTNER_PASSWORD: Partner-Pass-2024\n"
        "          DB_PASSWORD: Another-Pass-2024\n"
    )
    assert _run(run_cli, tmp_path, body) == [(10, "LSL101", "comment"), (13, "LSL101", "comment"), (14, "LSL101", None)]


def test_file_level_ignore(run_cli, tmp_path: Path) -> None:
    body = "          API_TOKEN: tok-8d0f2c4e6a1b3c5d7e9f\n          DB_PASSWORD: Another-Pass-2024\n"
    out = _run(run_cli, tmp_path, "", "--select", "LSL101")
    assert out == []
    (tmp_path / "template.yaml").write_text("# lsl: file-ignore[LSL101]\n" + HEAD + body)
    r = run_cli("check", str(tmp_path), "--format", "json")
    assert json.loads(r.out)["findings"] == [] and r.code == 0


def test_unused_blanket_and_unknown_are_lsl900(run_cli, tmp_path: Path) -> None:
    body = (
        "          STAGE: prod  # lsl: ignore[LSL101]\n"
        "          API_TOKEN: tok-8d0f2c4e6a1b3c5d7e9f  # lsl: ignore\n"
        "          LOG_LEVEL: info  # lsl: ignore[LSL777]\n"
    )
    out = _run(run_cli, tmp_path, body)
    assert (10, "LSL900", None) in out
    assert (11, "LSL101", None) in out  # a blanket ignore suppresses nothing
    assert (11, "LSL900", None) in out
    assert (12, "LSL900", None) in out


def test_unused_is_not_reported_for_rules_that_did_not_run(run_cli, tmp_path: Path) -> None:
    out = _run(run_cli, tmp_path, "          STAGE: prod  # lsl: ignore[LSL102]\n", "--select", "LSL101,LSL900")
    assert out == []


def test_metadata_ignore_with_reason(run_cli, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Fn": {
                "Type": "AWS::Lambda::Function",
                "Metadata": {"lambda-secrets-lint": {"ignore": [{"id": "LSL101", "reason": "test fixture key"}, {"id": "LSL102", "reason": "nothing"}]}},
                "Properties": {"Environment": {"Variables": {"API_TOKEN": "tok-8d0f2c4e6a1b3c5d7e9f"}}},
            },
            "Other": {"Type": "AWS::Lambda::Function", "Properties": {"Environment": {"Variables": {"DB_PASSWORD": "Another-Pass-2024"}}}},
        },
    }
    (tmp_path / "stack.template.json").write_text(json.dumps(template, indent=2))
    r = run_cli("check", str(tmp_path), "--format", "json", "--show-suppressed")
    findings = json.loads(r.out)["findings"]
    suppressed = [f for f in findings if f["suppressed"]]
    assert [(f["rule"], f["suppressed"]["source"], f["suppressed"]["justification"]) for f in suppressed] == [
        ("LSL101", "metadata", "test fixture key")
    ]
    unused = [f for f in findings if f["rule"] == "LSL900"]
    assert len(unused) == 1 and "LSL102" in unused[0]["message"] and "'Fn'" in unused[0]["message"]
    # The resource 'Other' is not covered by Fn's Metadata.
    assert [f["rule"] for f in findings if not f["suppressed"] and f["rule"] != "LSL900"] == ["LSL101"]


def test_scan_comment_styles() -> None:
    text = "a  # lsl: ignore[LSL101]\n// lsl: ignore[LSL201, logged-secret]\nb\n/* lsl: ignore[LSL202] */ c\n"
    ds = scan("f.ts", text)
    assert [d.rules for d in ds] == [("LSL101",), ("LSL201", "logged-secret"), ("LSL202",)]
    assert ds[0].lines == frozenset({1}) and ds[1].lines == frozenset({2, 3}) and ds[2].lines == frozenset({4})
    assert scan("f.yaml", "no directives here\n") == ()


def test_block_comment_before_code_covers_its_line_only_and_never_keeps_code() -> None:
    text = (
        "/* lsl: ignore[LSL205] */ const key = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';\n"
        "const other = 1;\n"
        "/* lsl: ignore[LSL103] legacy, see SEC-7 */\n"
        "const d = process.env.API_KEY;\n"
    )
    first, second = scan("f.ts", text)
    assert first.lines == frozenset({1}) and first.reason == ""
    assert "sk_live" not in first.reason
    assert second.lines == frozenset({3, 4}) and second.reason == "legacy, see SEC-7"


def test_directives_in_strings_and_docstrings_are_not_comments() -> None:
    py = 'SAMPLE = "KEY: x  # lsl: ignore[LSL101]"\n"""Docs: write # lsl: ignore[...]."""\nA = 1  # lsl: ignore[LSL205]\n'
    assert [d.location.line for d in scan("a.py", py)] == [3]
    ts = "const doc = '// lsl: ignore[LSL101]';\nconst t = `/* lsl: ignore[LSL102] */`;\nconst k = 1; // lsl: ignore[LSL103]\n"
    assert [d.location.line for d in scan("a.ts", ts)] == [3]
    yaml = "A: 'text # lsl: ignore[LSL101]'\nB: \"it's # lsl: ignore[LSL101]\"\nC: y  # lsl: ignore[LSL102]\n"
    assert [d.location.line for d in scan("t.yaml", yaml)] == [3]
