#!/usr/bin/env python3
"""Build the bundled popularity snapshot that LSL401 (typosquatted-dependency) reads.

    python scripts/build_popularity_snapshot.py \\
        --pypi /work/.library/env/packages/pypi.tsv \\
        --npm /work/.library/env/packages/npm.tsv \\
        --out-dir lint/data/popularity [--npm-min-downloads 10000] [--date YYYY-MM-DD]

Reads local files only (never the network). Inputs are registry listings of
this shape (first line = header, tab separated, the last column is free text
and may itself hold tabs or quotes, so every row is split with a maxsplit):

    pypi.tsv  name  version  month  rank_among_15000_most_downloaded  summary
    npm.tsv   name  version  downloads_a_month  summary...

Writes into --out-dir:

    pypi.tsv.gz  every ranked PyPI project: "name<TAB>rank", rank 1 = most
                 downloaded, names PEP 503-normalised, sorted by rank.
    npm.tsv.gz   npm packages with >= --npm-min-downloads a month:
                 "name<TAB>downloads", sorted by downloads (desc), then name.
    meta.json    sources, row counts, thresholds, snapshot date, sha256s.

npm "security holding packages" (version ``0.0.x-security``: npm's placeholder
for a package removed as malware) are left out whatever their downloads: bots
keep downloading some of them (crossenv: 10.5k a month), and a snapshot entry
would mark the squat as popular and so never flagged.

Output is deterministic: gzip with mtime 0 and no file name, stable sort keys,
JSON with sorted keys. Same inputs and date -> byte-identical files.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

DEFAULT_NPM_MIN_DOWNLOADS = 10_000
FORMAT_VERSION = 1
_PEP503 = re.compile(r"[-_.]+")


def pep503(name: str) -> str:
    # Same rule as lambda_secrets_lint.typosquat.normalize; duplicated so this
    # script runs without the package installed.
    return _PEP503.sub("-", name).lower()


def _rows(path: Path, maxsplit: int) -> Iterator[list[str]]:
    """Data rows (header skipped), split on tab with a maxsplit so tabs inside
    the trailing summary stay in the last field."""
    with path.open(encoding="utf-8", errors="replace", newline="\n") as fh:
        next(fh, None)
        for line in fh:
            yield line.rstrip("\r\n").split("\t", maxsplit)


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", errors="replace") as fh:
        return fh.readline().rstrip("\r\n").split("\t")


def read_pypi(path: Path) -> tuple[dict[str, int], dict[str, int]]:
    """PEP 503 name -> rank for every ranked project, plus counts for meta."""
    header = _header(path)
    if len(header) < 4 or not header[3].startswith("rank"):
        raise SystemExit(f"{path}: expected columns name, version, month, rank..., summary; got {header[:5]}")
    ranks: dict[str, int] = {}
    rows = malformed = 0
    for parts in _rows(path, 4):
        rows += 1
        if len(parts) < 4:
            malformed += 1
            continue
        rank = parts[3].strip()
        if not rank:
            continue
        if not rank.isdigit():
            malformed += 1
            continue
        key = pep503(parts[0].strip())
        if key and (key not in ranks or int(rank) < ranks[key]):
            ranks[key] = int(rank)
    return ranks, {"source_rows": rows, "malformed_rows": malformed}


def read_npm(path: Path, min_downloads: int) -> tuple[dict[str, int], dict[str, int]]:
    """name -> monthly downloads for packages at or above min_downloads."""
    header = _header(path)
    if len(header) < 3 or not header[2].startswith("downloads"):
        raise SystemExit(f"{path}: expected columns name, version, downloads_a_month, summary; got {header[:4]}")
    downloads: dict[str, int] = {}
    rows = malformed = holding = 0
    for parts in _rows(path, 3):
        rows += 1
        if len(parts) < 3 or not parts[2].strip().isdigit():
            malformed += 1  # e.g. an empty downloads cell
            continue
        name, version, count = parts[0].strip(), parts[1].strip(), int(parts[2])
        if version.endswith("-security"):
            holding += 1
            continue
        if count >= min_downloads and name and count > downloads.get(name, -1):
            downloads[name] = count
    return downloads, {"source_rows": rows, "malformed_rows": malformed, "security_holding_skipped": holding}


def render(entries: dict[str, int], *, ascending: bool) -> bytes:
    """gzip'd "name<TAB>score" lines, most popular first, ties by name."""
    order = sorted(entries.items(), key=lambda kv: (kv[1] if ascending else -kv[1], kv[0]))
    text = "".join(f"{name}\t{score}\n" for name, score in order)
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def snapshot_date(paths: list[Path], override: str | None) -> str:
    if override:
        return dt.date.fromisoformat(override).isoformat()  # validates the format
    newest = max(p.stat().st_mtime for p in paths)
    return dt.datetime.fromtimestamp(newest, tz=dt.timezone.utc).date().isoformat()


def build(pypi: Path, npm: Path, out_dir: Path, *, npm_min_downloads: int, date: str | None) -> dict[str, object]:
    ranks, pypi_counts = read_pypi(pypi)
    downloads, npm_counts = read_npm(npm, npm_min_downloads)
    files = {"pypi": render(ranks, ascending=True), "npm": render(downloads, ascending=False)}
    out_dir.mkdir(parents=True, exist_ok=True)
    for eco, blob in files.items():
        (out_dir / f"{eco}.tsv.gz").write_bytes(blob)
    meta: dict[str, object] = {
        "format": FORMAT_VERSION,
        "snapshot_date": snapshot_date([pypi, npm], date),
        "line": "name<TAB>score, gzip, most popular first",
        "refresh": "python scripts/build_popularity_snapshot.py --pypi PYPI_TSV --npm NPM_TSV "
        f"--out-dir lint/data/popularity --npm-min-downloads {npm_min_downloads}",
        "ecosystems": {
            "pypi": {
                "file": "pypi.tsv.gz",
                "source": pypi.name,
                **pypi_counts,
                "entries": len(ranks),
                "score": "rank among the 15000 most downloaded PyPI projects (1 = most downloaded)",
                "selection": "every ranked project; names PEP 503-normalised",
                "sha256": hashlib.sha256(files["pypi"]).hexdigest(),
            },
            "npm": {
                "file": "npm.tsv.gz",
                "source": npm.name,
                **npm_counts,
                "entries": len(downloads),
                "score": "downloads in a month",
                "min_downloads": npm_min_downloads,
                "selection": f"downloads >= {npm_min_downloads}, npm security holding packages excluded",
                "sha256": hashlib.sha256(files["npm"]).hexdigest(),
            },
        },
    }
    (out_dir / "meta.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return meta


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pypi", type=Path, required=True, help="PyPI listing TSV")
    ap.add_argument("--npm", type=Path, required=True, help="npm listing TSV")
    ap.add_argument("--out-dir", type=Path, required=True, help="e.g. lint/data/popularity")
    ap.add_argument("--npm-min-downloads", type=int, default=DEFAULT_NPM_MIN_DOWNLOADS, metavar="N")
    ap.add_argument("--date", help="snapshot date YYYY-MM-DD (default: newest input file's mtime, UTC)")
    args = ap.parse_args(argv)
    meta = build(args.pypi, args.npm, args.out_dir, npm_min_downloads=args.npm_min_downloads, date=args.date)
    for eco, info in meta["ecosystems"].items():  # type: ignore[union-attr]
        size = (args.out_dir / info["file"]).stat().st_size
        print(f"{eco}: {info['entries']} entries from {info['source_rows']} rows, {size} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
