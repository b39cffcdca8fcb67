"""Suppressions in Python and JS/TS comment styles."""
from __future__ import annotations

import json
from pathlib import Path


def test_comment_styles_in_code(run_cli, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "app.py").write_text(
        "import os\n\n"
        "A = os.environ['API_KEY']  # lsl: ignore[LSL103] legacy partner, SEC-12\n"
        "# lsl: ignore[secret-read-from-env]\n"
        "B = os.environ['DB_PASSWORD']\n"
        "C = os.environ['JWT_SECRET']\n"
    )
    (tmp_path / "handler.mjs").write_text(
        "const a = process.env.API_KEY; // lsl: ignore[LSL103]\n"
        "/* lsl: ignore[LSL103] */ const b = process.env.DB_PASSWORD;\n"
        "// lsl: ignore[LSL103]\n"
        "const c = process.env.JWT_SECRET;\n"
        "const d = process.env.SIGNING_KEY;\n"
        "export const handler = async () => ({ statusCode: 200 });\n"
    )
    (tmp_path / "lib.ts").write_text("// lsl: file-ignore[LSL103]\nexport const k = process.env.API_KEY;\n")
    r = run_cli("check", str(tmp_path), "--format", "json", "--show-suppressed")
    got = sorted((f["path"], f["line"], f["rule"], bool(f["suppressed"])) for f in json.loads(r.out)["findings"])
    assert got == [
        ("app.py", 3, "LSL103", True),
        ("app.py", 5, "LSL103", True),
        ("app.py", 6, "LSL103", False),
        ("handler.mjs", 1, "LSL103", True),
        ("handler.mjs", 2, "LSL103", True),
        ("handler.mjs", 4, "LSL103", True),
        ("handler.mjs", 5, "LSL103", False),
        ("lib.ts", 2, "LSL103", True),
    ]
