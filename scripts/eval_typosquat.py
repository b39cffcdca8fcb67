#!/usr/bin/env python3
"""Evaluate the LSL401 typosquat detector offline, from registry listings.

    python scripts/eval_typosquat.py                       # Markdown on stdout
    python scripts/eval_typosquat.py --json out.json       # plus machine-readable
    python scripts/eval_typosquat.py --pypi P --npm N --snapshot DIR --top 5000 --sample 3000

Per ecosystem (PyPI, npm):

1. Recall on clear one-edit typosquats of the top --top packages (PyPI by
   rank, npm by downloads): for each name one mutant per technique (drop a
   letter, double a letter, swap adjacent letters, keyboard-adjacent letter,
   separator trick, homoglyph; npm also a look-alike scope), positions drawn
   from an RNG seeded with (--seed, ecosystem, name, technique), so runs are
   identical. Mutants that are themselves popular (in the snapshot) or equal
   to the name after normalisation are skipped. "right target" = flagged
   with the name it was made from.
2. Recall on real typosquats from public incident reports
   (scripts/data/known_typosquats.tsv), misses listed with a reason.
3. False positives: (i) every top name checked as a dependency (must be 0);
   (ii) a seeded sample of real, non-popular packages from the listing that
   are one edit, an affix or a scope trick away from a target-grade popular
   name: how many are flagged, with 20 examples to judge (many are junk or
   squats, so this is an upper bound on false positives); (iii) popular-vs-
   popular near-neighbour pairs of the snapshot (boto/boto3, lodash/lodash-es):
   all must be clean.
4. Timings: snapshot load, index builds, checks per second.

Offline: reads the listings and the snapshot only.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lambda_secrets_lint.typosquat import candidates as cand
from lambda_secrets_lint.typosquat import detect, snapshot
from lambda_secrets_lint.typosquat.normalize import normalize

LIBRARY = Path("/work/.library/env/packages")
KNOWN = Path(__file__).resolve().parent / "data" / "known_typosquats.tsv"
TECHNIQUES = ("drop", "double", "swap", "keyboard", "separator", "homoglyph", "scope")
NAMED_PAIRS = {
    "pypi": [("boto", "boto3"), ("requests", "requests-oauthlib"), ("jwt", "pyjwt"),
             ("crypto", "pycrypto"), ("pytest", "pytest-cov"), ("typing", "typing-extensions")],
    "npm": [("lodash", "lodash-es"), ("react", "preact"), ("babel-core", "@babel/core"), ("JSONStream", "jsonstream"),
            ("jstat", "jStat"), ("js-yaml", "yaml"), ("node-fetch", "fetch"), ("ws", "ms"), ("chalk", "chai")],
}


@dataclass
class Listing:
    """One registry listing: normalised key -> score for the ranked/downloaded
    ones, and every name (the raw universe of real packages)."""

    ecosystem: str
    scores: dict[str, int]
    names: list[str]
    top: list[str]
    holding: list[str] = field(default_factory=list)  # npm security holding packages = removed malware


def read_listing(ecosystem: str, path: Path, top_n: int) -> Listing:
    scores: dict[str, int] = {}
    names: list[str] = []
    holding: list[str] = []
    with path.open(encoding="utf-8", errors="replace") as fh:
        next(fh, None)
        for line in fh:
            parts = line.rstrip("\r\n").split("\t", 4 if ecosystem == "pypi" else 3)
            if ecosystem == "pypi":
                key = normalize(parts[0], "pypi")
                names.append(key)
                if len(parts) > 3 and parts[3].strip().isdigit():
                    scores[key] = min(int(parts[3]), scores.get(key, 1 << 62))
            else:
                name = parts[0].strip()
                names.append(name)
                if len(parts) > 1 and parts[1].strip().endswith("-security"):
                    holding.append(name)
                if len(parts) > 2 and parts[2].strip().isdigit():
                    scores[name] = max(int(parts[2]), scores.get(name, -1))
    if ecosystem == "pypi":
        order = sorted(scores, key=lambda k: (scores[k], k))
    else:
        order = sorted(scores, key=lambda k: (-scores[k], k))
    return Listing(ecosystem, scores, sorted(set(names)), order[:top_n], sorted(set(holding)))


# --- 1. synthetic one-edit mutants ------------------------------------------


def _split(name: str) -> tuple[str, str]:
    if name.startswith("@") and "/" in name:
        cut = name.index("/") + 1
        return name[:cut], name[cut:]
    return "", name


def _edit(word: str, technique: str, rng: random.Random, ecosystem: str) -> str | None:
    alpha = [i for i, ch in enumerate(word) if ch.isalpha()]
    if technique == "drop":
        spots = [i for i, ch in enumerate(word) if ch.isalnum()]
        return None if len(word) < 2 or not spots else _at(word, rng.choice(spots), "")
    if technique == "double":
        return None if not alpha else _at(word, (i := rng.choice(alpha)), word[i] * 2)
    if technique == "swap":
        spots = [i for i in range(len(word) - 1) if word[i] != word[i + 1] and word[i : i + 2].isalnum()]
        return None if not spots else _at(word, (i := rng.choice(spots)), word[i + 1] + word[i], 2)
    if technique == "keyboard":
        if not alpha:
            return None
        i = rng.choice(alpha)
        near = sorted(c for c in "abcdefghijklmnopqrstuvwxyz" if cand.keyboard_adjacent(word[i], c))
        return _at(word, i, rng.choice(near)) if near else None
    if technique == "separator":
        seps = [i for i, ch in enumerate(word) if ch in cand.SEPARATORS]
        if seps:
            i = rng.choice(seps)
            options = [""] + ([s for s in "-._" if s != word[i]] if ecosystem == "npm" else [])
            return _at(word, i, rng.choice(options))
        spots = [i for i in range(1, len(word)) if word[i - 1].isalnum() and word[i].isalnum()]
        return None if not spots else word[: (i := rng.choice(spots))] + "-" + word[i:]
    if technique == "homoglyph":
        swaps = [("l", "1"), ("o", "0"), ("i", "1"), ("m", "rn"), ("w", "vv"), ("d", "cl")]
        if ecosystem == "pypi":
            swaps.append(("l", "I"))  # npm names must be lower case: no capital I there
        spots = [(i, new) for old, new in swaps for i in range(len(word)) if word.startswith(old, i)]
        return None if not spots else _at(word, *(rng.choice(spots)))
    raise ValueError(technique)


def _at(word: str, i: int, new: str, width: int = 1) -> str:
    return word[:i] + new + word[i + width :]


def mutate(name: str, technique: str, rng: random.Random, ecosystem: str) -> str | None:
    scope, bare = _split(name)
    if technique == "scope":
        if not scope:
            return None
        inner = _edit(scope[1:-1], rng.choice(("drop", "double", "swap", "keyboard")), rng, ecosystem)
        return None if not inner else f"@{inner}/{bare}"
    out = _edit(bare, technique, rng, ecosystem)
    return None if out is None else scope + out


@dataclass
class Tally:
    total: int = 0
    flagged: int = 0
    right_target: int = 0

    def add(self, flagged: bool, right: bool) -> None:
        self.total += 1
        self.flagged += flagged
        self.right_target += right

    def row(self) -> dict[str, Any]:
        pct = (lambda n: round(100.0 * n / self.total, 2) if self.total else None)
        return {"mutants": self.total, "flagged": self.flagged, "recall_pct": pct(self.flagged),
                "right_target_pct": pct(self.right_target)}


def synthetic_recall(listing: Listing, pop: snapshot.Popularity, seed: int) -> tuple[dict[str, Any], list[str], float]:
    eco = listing.ecosystem
    tallies: dict[str, Tally] = defaultdict(Tally)
    misses: list[str] = []
    checks, spent = 0, 0.0
    for name in listing.top:
        spelled = next((s for s, _ in pop.lookup(name)), name)
        for technique in TECHNIQUES:
            rng = random.Random(f"{seed}|{eco}|{name}|{technique}")
            mutant = mutate(spelled, technique, rng, eco)
            if not mutant or not detect._VALID[eco].fullmatch(normalize(mutant, eco)):
                continue
            if normalize(mutant, eco) == normalize(spelled, eco) or pop.is_popular(mutant):
                continue
            t0 = time.perf_counter()
            hit = detect.check(mutant, eco, popularity=pop)
            spent += time.perf_counter() - t0
            checks += 1
            right = hit is not None and normalize(hit.target, eco) == normalize(spelled, eco)
            tallies[technique].add(hit is not None, right)
            tallies["all"].add(hit is not None, right)
            if hit is None and len(misses) < 400:
                misses.append(f"{mutant} ({technique} of {spelled})")
    rows = {t: tallies[t].row() for t in ("all", *TECHNIQUES) if tallies[t].total}
    return rows, misses, checks / spent if spent else 0.0


# --- 2. known typosquats ----------------------------------------------------


def known_recall(path: Path, ecosystem: str, pop: snapshot.Popularity) -> dict[str, Any]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("ecosystem\t"):
            continue
        eco, name, intended, source = (line.split("\t", 3) + ["", "", "", ""])[:4]
        if eco != ecosystem:
            continue
        hit = detect.check(name, eco, popularity=pop)
        row: dict[str, Any] = {"name": name, "intended": intended, "source": source}
        if hit is not None:
            row.update(flagged=True, target=hit.target, technique=hit.technique,
                       right_target=normalize(hit.target, eco) == normalize(intended, eco))
        else:
            row.update(flagged=False, reason=_miss_reason(name, intended, pop))
        rows.append(row)
    flagged = sum(r["flagged"] for r in rows)
    return {"total": len(rows), "flagged": flagged,
            "recall_pct": round(100.0 * flagged / len(rows), 1) if rows else None, "rows": rows}


def holding_recall(listing: Listing, pop: snapshot.Popularity) -> dict[str, Any]:
    """npm replaces removed malware with a 'security holding package' (version
    0.0.x-security); the listing still has them. How many do we flag?"""
    rows = []
    for name in listing.holding:
        hit = detect.check(name, listing.ecosystem, popularity=pop)
        rows.append(f"{name} → {hit.target} ({hit.technique})" if hit else f"{name}: not flagged")
    flagged = sum("→" in r for r in rows)
    return {"total": len(rows), "flagged": flagged, "rows": rows}


def _miss_reason(name: str, intended: str, pop: snapshot.Popularity) -> str:
    eco = pop.ecosystem
    if (own := pop.score(name)) is not None:
        return f"the suspect is popular itself now (score {own}), so it is never flagged"
    score = pop.score(intended)
    if score is None:
        return "the intended package is not in the popular snapshot"
    key, want = normalize(name, eco), normalize(intended, eco)
    unit = "rank" if eco == "pypi" else "downloads/month"
    for far in (False, True):
        for hit in detect._hits(key, name, pop, eco, far=far):
            if normalize(hit.key, eco) != want:
                continue
            need, min_len = detect._need(hit.tier, detect.POLICIES[eco])
            if not pop.at_least(score, need):
                return (f"{hit.technique} ({hit.tier.name} edit) needs the target at {unit} {need} or better; "
                        f"{intended} has {score}")
            return f"{hit.technique} ({hit.tier.name} edit) needs a target name of {min_len}+ characters"
    d = cand.osa_distance(key, want, 3)
    return f"not a near miss the detector models (edit distance {'>3' if d > 3 else d}, no affix/scope trick)"


# --- 3. false positives -----------------------------------------------------


def _deletion_index(keys: Iterable[str]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        for d in {k} | {k[:i] + k[i + 1 :] for i in range(len(k))}:
            index[d].append(k)
    return index


def _neighbours(key: str, index: dict[str, list[str]], targets: set[str], eco: str) -> bool:
    for d in {key} | {key[:i] + key[i + 1 :] for i in range(len(key))}:
        for t in index.get(d, ()):
            if t != key and cand.osa_distance(key, t, 1) <= 1:
                return True
    return any(cand.affixes(key, targets, eco)) or (eco == "npm" and any(cand.scope_tricks(key, targets, {})))


def near_neighbour_sample(listing: Listing, pop: snapshot.Popularity, size: int, seed: int) -> dict[str, Any]:
    eco = listing.ecosystem
    need = detect.POLICIES[eco].strong
    targets = {k for k, s in pop.items() if pop.at_least(s, need) and k == k.lower()}
    index = _deletion_index(targets)
    pool = [n for n in listing.names if not pop.is_popular(n)
            and detect._VALID[eco].fullmatch(k := normalize(n, eco)) and _neighbours(k, index, targets, eco)]
    rng = random.Random(f"{seed}|{eco}|near")
    sample = sorted(rng.sample(pool, min(size, len(pool))))
    flagged = [(n, h) for n in sample if (h := detect.check(n, eco, popularity=pop)) is not None]
    rng.shuffle(flagged)
    by_kind = Counter(_kind(h.technique) for _, h in flagged)
    return {
        "neighbours_in_listing": len(pool), "sampled": len(sample), "flagged": len(flagged),
        "flagged_pct": round(100.0 * len(flagged) / len(sample), 1) if sample else None,
        "by_technique": dict(by_kind.most_common()),
        "examples": [f"{n} → {h.target} ({h.technique})" + (f", {listing.scores[n]}/month" if n in listing.scores
                                                          and eco == "npm" else "") for n, h in flagged[:20]],
    }


def _kind(technique: str) -> str:
    return re.sub(r" ?['(].*", "", technique)


def popular_pairs(pop: snapshot.Popularity) -> dict[str, Any]:
    keys = [k for k, _ in pop.items()]
    index = _deletion_index(keys)
    pairs = set()
    for k in keys:
        for d in {k} | {k[:i] + k[i + 1 :] for i in range(len(k))}:
            for t in index.get(d, ()):
                if t != k and cand.osa_distance(k, t, 1) <= 1:
                    pairs.add((min(k, t), max(k, t)))
    flagged = [p for p in sorted(pairs) if any(detect.check(x, pop.ecosystem, popularity=pop) for x in p)]
    named = []
    for a, b in NAMED_PAIRS[pop.ecosystem]:
        verdicts = {x: (None if not pop.is_popular(x) else detect.check(x, pop.ecosystem, popularity=pop))
                    for x in (a, b)}
        named.append({"pair": f"{a} / {b}", "both_popular": pop.is_popular(a) and pop.is_popular(b),
                      "flagged": [x for x, v in verdicts.items() if v is not None]})
    return {"pairs": len(pairs), "flagged": len(flagged), "named": named}


# --- 4. timings -------------------------------------------------------------


def timings(pop_dir: Path | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for eco in ("pypi", "npm"):
        t0 = time.perf_counter()
        pop = snapshot.load_dir(pop_dir, eco) if pop_dir else _fresh_bundled(eco)
        out[f"{eco}_load_ms"] = round(1000 * (time.perf_counter() - t0), 1)
        t0 = time.perf_counter()
        far = pop.derived("far-index", detect._far_index)
        out[f"{eco}_far_index_ms"] = round(1000 * (time.perf_counter() - t0), 1)
        out[f"{eco}_far_index_keys"] = len(far)
        if eco == "npm":
            t0 = time.perf_counter()
            pop.derived("by-bare", detect._by_bare)
            out["npm_by_bare_ms"] = round(1000 * (time.perf_counter() - t0), 1)
    if pop_dir is None:
        code = "from lambda_secrets_lint.typosquat import load; load('pypi'); load('npm')"
        base = _wall([sys.executable, "-c", "import lambda_secrets_lint"])
        out["subprocess_import_and_load_ms"] = round(1000 * (_wall([sys.executable, "-c", code]) - base), 1)
    return out


def _fresh_bundled(eco: str) -> snapshot.Popularity:
    snapshot.load.cache_clear()
    return snapshot.load(eco)


def _wall(cmd: list[str], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        best = min(best, time.perf_counter() - t0)
    return best


def check_rate(names: list[str], pop: snapshot.Popularity) -> float:
    t0 = time.perf_counter()
    for n in names:
        detect.check(n, pop.ecosystem, popularity=pop)
    spent = time.perf_counter() - t0
    return len(names) / spent if spent else 0.0


# --- driver -----------------------------------------------------------------


def evaluate(args: argparse.Namespace) -> dict[str, Any]:
    report: dict[str, Any] = {"seed": args.seed, "top": args.top, "timings": timings(args.snapshot)}
    for eco, path in (("pypi", args.pypi), ("npm", args.npm)):
        pop = snapshot.load_dir(args.snapshot, eco) if args.snapshot else snapshot.load(eco)
        listing = read_listing(eco, path, args.top)
        recall, misses, rate = synthetic_recall(listing, pop, args.seed)
        top_flagged = [n for n in listing.top if detect.check(n, eco, popularity=pop)]
        unknown = [n for n in listing.names[:: max(1, len(listing.names) // 3000)] if not pop.is_popular(n)]
        report[eco] = {
            "snapshot_entries": len(pop),
            "synthetic": recall,
            "synthetic_misses_sample": misses[:25],
            "known": known_recall(args.known, eco, pop),
            "holding": holding_recall(listing, pop),
            "fp_top": {"checked": len(listing.top), "flagged": len(top_flagged), "names": top_flagged[:20]},
            "fp_snapshot": sum(1 for k, _ in pop.items() if detect.check(k, eco, popularity=pop)),
            "near_neighbours": near_neighbour_sample(listing, pop, args.sample, args.seed),
            "popular_pairs": popular_pairs(pop),
            "checks_per_s": {"mutants": round(rate), "popular": round(check_rate(listing.top, pop)),
                             "unpopular_names": round(check_rate(unknown, pop))},
        }
    return report


def markdown(r: dict[str, Any]) -> str:
    out = [f"# LSL401 typosquat evaluation (top {r['top']}, seed {r['seed']})", ""]
    out += ["## Recall on one-edit mutants of the top names", "",
            "| ecosystem | technique | mutants | flagged | recall % | right target % |", "|---|---|---:|---:|---:|---:|"]
    for eco in ("pypi", "npm"):
        for tech, row in r[eco]["synthetic"].items():
            out.append(f"| {eco} | {tech} | {row['mutants']} | {row['flagged']} | {row['recall_pct']} | "
                       f"{row['right_target_pct']} |")
    out += ["", "## Recall on real typosquats (scripts/data/known_typosquats.tsv)", "",
            "| ecosystem | known | flagged | recall % |", "|---|---:|---:|---:|"]
    for eco in ("pypi", "npm"):
        k = r[eco]["known"]
        out.append(f"| {eco} | {k['total']} | {k['flagged']} | {k['recall_pct']} |")
    for eco in ("pypi", "npm"):
        h = r[eco]["holding"]
        if h["total"]:
            out += ["", f"{eco} security holding packages in the listing (removed malware, any name): "
                    f"{h['flagged']}/{h['total']} flagged: " + "; ".join(h["rows"])]
    out += ["", "| ecosystem | name | intended | result |", "|---|---|---|---|"]
    for eco in ("pypi", "npm"):
        for row in r[eco]["known"]["rows"]:
            res = (f"→ {row['target']} ({row['technique']})" + ("" if row["right_target"] else " **other target**")
                   if row["flagged"] else f"MISS: {row['reason']}")
            out.append(f"| {eco} | {row['name']} | {row['intended']} | {res} |")
    out += ["", "## False positives", "",
            "| ecosystem | (i) top names flagged | snapshot names flagged | (ii) near neighbours in listing | sampled "
            "| flagged | flagged % | (iii) popular pairs | pairs flagged |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for eco in ("pypi", "npm"):
        e = r[eco]
        nn, pp = e["near_neighbours"], e["popular_pairs"]
        out.append(f"| {eco} | {e['fp_top']['flagged']}/{e['fp_top']['checked']} | {e['fp_snapshot']}/"
                   f"{e['snapshot_entries']} | {nn['neighbours_in_listing']} | {nn['sampled']} | {nn['flagged']} | "
                   f"{nn['flagged_pct']} | {pp['pairs']} | {pp['flagged']} |")
    for eco in ("pypi", "npm"):
        nn = r[eco]["near_neighbours"]
        out += ["", f"(ii) {eco}: flagged near neighbours by technique: "
                + ", ".join(f"{k} {v}" for k, v in nn["by_technique"].items()), "",
                f"(ii) {eco}: 20 flagged examples, for a human to judge:", ""]
        out += [f"- {x}" for x in nn["examples"]]
        named = r[eco]["popular_pairs"]["named"]
        out += ["", f"(iii) {eco} named pairs: " + "; ".join(
            f"{n['pair']}: {'flagged ' + ','.join(n['flagged']) if n['flagged'] else 'clean'}"
            + ("" if n["both_popular"] else " (not both in the popular set)") for n in named)]
    t = r["timings"]
    out += ["", "## Timings", "", "| what | value |", "|---|---:|"]
    out += [f"| {k} | {v} |" for k, v in t.items()]
    for eco in ("pypi", "npm"):
        out += [f"| {eco} checks/s ({k}) | {v} |" for k, v in r[eco]["checks_per_s"].items()]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pypi", type=Path, default=LIBRARY / "pypi.tsv")
    ap.add_argument("--npm", type=Path, default=LIBRARY / "npm.tsv")
    ap.add_argument("--snapshot", type=Path, default=None, help="snapshot dir (default: the bundled one)")
    ap.add_argument("--known", type=Path, default=KNOWN)
    ap.add_argument("--top", type=int, default=5000)
    ap.add_argument("--sample", type=int, default=3000, help="near-neighbour sample size per ecosystem")
    ap.add_argument("--seed", type=int, default=401)
    ap.add_argument("--json", type=Path, help="also write the full report as JSON here")
    args = ap.parse_args(argv)
    report = evaluate(args)
    sys.stdout.write(markdown(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
