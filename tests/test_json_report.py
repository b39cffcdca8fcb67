"""The JSON report matches its published schema, including suppressed findings."""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema


def _schema() -> dict:
    return json.loads(resources.files("lambda_secrets_lint").joinpath("data/report.schema.json").read_text("utf-8"))


def test_report_validates(run_cli, sample_project: Path) -> None:
    t = sample_project / "template.yaml"
    t.write_text(t.read_text().replace("STAGE: !Ref Stage", "STAGE: !Ref Stage  # lsl: ignore[LSL101]"))
    for extra in ((), ("--show-suppressed",)):
        doc = json.loads(run_cli("check", str(sample_project), "--format", "json", *extra).out)
        jsonschema.Draft202012Validator(_schema()).validate(doc)
        assert doc["findings"]


def test_schema_rejects_a_broken_report() -> None:
    bad = {"version": "1", "tool": {"name": "lambda-secrets-lint", "version": "x"}, "root": "/", "summary": {}, "findings": []}
    assert list(jsonschema.Draft202012Validator(_schema()).iter_errors(bad))
