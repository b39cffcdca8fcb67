"""Fingerprints (SARIF primaryLocationLineHash and the baseline) survive
unrelated edits and tell different findings apart."""
from __future__ import annotations

import json
from pathlib import Path


def _prints(run_cli, root: Path) -> dict[tuple[str, str], str]:  # type: ignore[no-untyped-def]
    doc = json.loads(run_cli("check", str(root), "--format", "sarif").out)
    out = {}
    for r in doc["runs"][0]["results"]:
        out[(r["ruleId"], r["message"]["text"][:60])] = r["partialFingerprints"]["primaryLocationLineHash"]
    return out


def test_fingerprints_survive_moved_lines(run_cli, sample_project: Path) -> None:
    before = _prints(run_cli, sample_project)
    t = sample_project / "template.yaml"
    text = t.read_text()
    text = text.replace("Resources:\n", "# A long comment block\n# added above everything\n\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n", 1)
    text = text.replace("          STAGE: !Ref Stage\n", "          STAGE: !Ref Stage\n          LOG_LEVEL: debug\n")
    t.write_text(text)
    after = _prints(run_cli, sample_project)
    assert before == after and len(before) == 2


def test_fingerprints_differ_per_spot_and_have_github_shape(run_cli, sample_project: Path) -> None:
    prints = list(_prints(run_cli, sample_project).values())
    assert len(set(prints)) == len(prints)
    for p in prints:
        digest, occurrence = p.split(":")
        assert len(digest) == 16 and int(digest, 16) >= 0 and occurrence == "1"
