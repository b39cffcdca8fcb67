"""Broken handler source: one LSL000 naming the file and the problem (or a
quiet skip for files with nothing to analyse); the run goes on."""
from __future__ import annotations

import json
from pathlib import Path

GOOD_PY = 'import os\n\nAPI_KEY = os.environ["API_KEY"]\n'


def _findings(run_cli, root: Path) -> dict[str, list[dict]]:  # type: ignore[no-untyped-def]
    r = run_cli("check", str(root), "--format", "json")
    assert "Traceback" not in r.err, r.err
    out: dict[str, list[dict]] = {}
    for f in json.loads(r.out)["findings"]:
        out.setdefault(f["path"], []).append(f)
    return out


def test_syntax_errors_and_bundles(run_cli, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "good.py").write_text(GOOD_PY)
    (tmp_path / "broken.py").write_text('import os\n\ndef handler(event, context:\n    token = os.environ["API_TOKEN"]\n')
    (tmp_path / "broken.ts").write_text("import { SSMClient } from '@aws-sdk/client-ssm';\nexport const handler = async (event: { = {\n")
    (tmp_path / "partial.mjs").write_text("const key = process.env.API_KEY;\nexport const handler = async () => {\n  console.log(key\n")
    bundle = "const a=process.env.API_KEY;" + ";".join(f"var v{i}={i}" for i in range(2000)) + "\n"
    (tmp_path / "bundle.js").write_text(bundle)
    (tmp_path / "binary.py").write_bytes(b"\x00\x01import os\x00" * 20)
    (tmp_path / "latin1.py").write_bytes("# caf\xe9\nimport os\nX = os.environ['API_KEY']\n".encode("latin-1"))
    got = _findings(run_cli, tmp_path)
    assert [f["rule"] for f in got["good.py"]] == ["LSL103"]
    expectations = {
        "broken.py": "invalid python",
        "broken.ts": "invalid javascript/typescript",
        "partial.mjs": "invalid javascript/typescript",
        "bundle.js": "minified",
        "binary.py": "binary file",
        "latin1.py": "not valid utf-8",
    }
    for name, needle in expectations.items():
        notes = [f for f in got.get(name, []) if f["rule"] == "LSL000"]
        assert len(notes) == 1, (name, got.get(name))
        assert needle in notes[0]["message"].lower(), (name, notes[0]["message"])
    assert got["broken.py"][0]["line"] == 3


def test_files_without_anything_to_analyse_are_skipped_quietly(run_cli, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "models.py").write_text("from dataclasses import dataclass\n\n@dataclass\nclass Order:\n    id: str\n    total: int\n")
    (tmp_path / "broken_but_boring.py").write_text("def f(:\n    return 1\n")  # no secret words: never parsed
    got = _findings(run_cli, tmp_path)
    assert got == {}


def test_huge_source_file(run_cli, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".lambda-secrets-lint.toml").write_text("max-file-size = 10000\n")
    (tmp_path / "big.py").write_text(GOOD_PY + "\n".join(f"X{i} = {i}" for i in range(3000)) + "\n")
    notes = _findings(run_cli, tmp_path)["big.py"]
    assert [f["rule"] for f in notes] == ["LSL000"] and "limit" in notes[0]["message"]


def test_deeply_nested_expression_does_not_crash(run_cli, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "deep.py").write_text("import os\nTOKEN = os.environ['API_TOKEN']\nX = " + "(" * 3000 + "1" + ")" * 3000 + "\n")
    (tmp_path / "deep.js").write_text("const t = process.env.API_TOKEN;\nconst x = " + "[" * 3000 + "]" * 3000 + ";\n")
    got = _findings(run_cli, tmp_path)
    for name in ("deep.py", "deep.js"):
        rules = [f["rule"] for f in got.get(name, [])]
        assert rules in (["LSL103"], ["LSL000"]), (name, got.get(name))
