"""scripts/bench.py runs end to end and reports what it promises (never timing)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "scripts" / "bench.py"
FIELDS = {"n", "files", "mb", "seconds", "files_per_s", "mb_per_s", "peak_rss_mb", "findings", "expected_findings"}


def test_bench_json_small_corpus() -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--sizes", "20", "--json"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["seed"] == 1
    [result] = doc["results"]
    assert FIELDS <= result.keys()
    assert result["n"] == 20
    assert result["templates"] == 20
    assert result["files"] >= 20
    assert result["findings"] > 0
    assert result["peak_rss_mb"] > 0
    assert result["corpus"] is None  # the temp corpus was removed
