#!/usr/bin/env python3
"""Per-kind throughput: replicate the realistic fixture projects of one
infrastructure kind into a temporary corpus, lint it in a fresh process, and
report files/s, MB/s and peak memory per kind.

    python scripts/bench_kinds.py                 # ~2,000 files of each kind
    python scripts/bench_kinds.py --files 5000 --json

The fixtures are real-shaped projects (several files, comments, unrelated
resources), so this measures the parsers on the code they are written for.
Only the files of the kind being measured are copied (a Terraform corpus holds
.tf files, a Serverless corpus serverless.yml files, and so on).
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    # kind: (fixture group, file suffixes/names that belong to it)
    "cloudformation": ("lsl101", ("template.yaml", "template.yml", ".template.json", "template.json")),
    "serverless": ("serverless", ("serverless.yml", "serverless.yaml", "serverless.json")),
    "terraform": ("terraform", (".tf",)),
    "cdk-ts": ("cdk-ts", (".ts",)),
    "cdk-py": ("cdk-py", (".py",)),
    "handler-py": ("handlers-python", (".py",)),
    "handler-js": ("handlers-js", (".ts", ".js", ".mjs", ".cjs")),
    # Whole projects (templates, stacks, handlers): measures IAM linking and
    # the LSL3xx rules on top of the parsers.
    "iam-projects": ("lsl3xx", ("",)),
    # Manifests and lockfiles of every kind, and the typosquat check.
    "dependencies": ("lsl4xx", ("",)),
}


def _sources(group: str, suffixes: tuple[str, ...]) -> list[Path]:
    base = REPO / "fixtures" / group
    return sorted(
        p for p in base.rglob("*")
        if p.is_file() and "cdk.out" not in p.parts and p.name.endswith(suffixes) and not p.name.endswith(".expect")
    ) if base.is_dir() else []


def _build(dest: Path, sources: list[Path], group: str, target: int) -> tuple[int, int]:
    files = size = copy = 0
    base = REPO / "fixtures" / group
    while files < target:
        for src in sources:
            out = dest / f"copy{copy:04d}" / src.relative_to(base)
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, out)
            files += 1
            size += src.stat().st_size
            if files >= target:
                break
        copy += 1
    return files, size


# A fresh, small interpreter starts the lint and reports its rusage: on Linux
# a child inherits its parent's RSS high-water mark across fork/exec, so
# measuring directly from this (growing) process would overstate peaks.
_PROBE = """
import json, os, subprocess, sys, time
cmd = json.loads(sys.argv[1])
t0 = time.perf_counter()
p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
err = p.stderr.read()
_, status, ru = os.wait4(p.pid, 0)
print(json.dumps({"wall": time.perf_counter() - t0, "maxrss": ru.ru_maxrss,
                  "rc": os.waitstatus_to_exitcode(status), "err": err.decode("utf-8", "replace")[-500:]}))
"""


def _lint(corpus: Path) -> dict[str, float]:
    report = corpus.parent / "report.json"
    cmd = [sys.executable, "-m", "lambda_secrets_lint", "check", str(corpus), "--format", "json",
           "-o", str(report), "--fail-on", "never", "--no-respect-gitignore"]
    probe = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(cmd)], capture_output=True, text=True, check=True)
    result = json.loads(probe.stdout)
    if result["rc"] != 0:
        raise SystemExit(f"lint failed: {result['err']}")
    findings = len(json.loads(report.read_text())["findings"])
    return {"seconds": result["wall"], "peak_rss_mb": result["maxrss"] / 1024, "findings": findings}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000, help="files per kind")
    parser.add_argument("--kinds", nargs="*", default=list(KINDS))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rows = []
    for kind in args.kinds:
        group, suffixes = KINDS[kind]
        sources = _sources(group, suffixes)
        if not sources:
            print(f"bench_kinds: no fixtures for {kind} (fixtures/{group}); skipped", file=sys.stderr)
            continue
        with tempfile.TemporaryDirectory(prefix=f"lsl-kind-{kind}-") as tmp:
            corpus = Path(tmp) / "corpus"
            (corpus / ".git").mkdir(parents=True)  # the project root
            files, size = _build(corpus, sources, group, args.files)
            result = _lint(corpus)
        mb = size / 1e6
        rows.append({"kind": kind, "files": files, "mb": round(mb, 2), **{k: round(v, 2) for k, v in result.items()},
                     "files_per_s": round(files / result["seconds"]), "mb_per_s": round(mb / result["seconds"], 2)})
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(f"{'kind':<15}{'files':>7}{'MB':>8}{'seconds':>9}{'files/s':>9}{'MB/s':>7}{'peak RSS MB':>13}{'findings':>10}")
    for r in rows:
        print(f"{r['kind']:<15}{r['files']:>7}{r['mb']:>8}{r['seconds']:>9}{r['files_per_s']:>9}{r['mb_per_s']:>7}"
              f"{r['peak_rss_mb']:>13}{r['findings']:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
