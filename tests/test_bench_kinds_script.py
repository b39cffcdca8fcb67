"""The per-kind benchmark runs end to end (no timing assertions)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "bench_kinds.py"


def test_bench_kinds_reports_each_kind() -> None:
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--files", "20", "--kinds", "serverless", "terraform", "--json"],
        capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    rows = {r["kind"]: r for r in json.loads(out.stdout)}
    assert set(rows) == {"serverless", "terraform"}
    for r in rows.values():
        assert r["files"] == 20 and r["findings"] > 0 and r["files_per_s"] > 0
