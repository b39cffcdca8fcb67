"""Is a dependency name a near miss of a popular package? (rule LSL401)

``check(name, ecosystem)`` -> ``Suspicion | None``. Full write-up with the
measurements: docs/typosquat.md.

Algorithm
1. Normalise (PEP 503 for PyPI; lower case for npm, keeping scopes).
2. A name in the popularity snapshot is popular and never a suspect (rule
   a). The snapshot (lint/data/popularity, built by
   scripts/build_popularity_snapshot.py) holds every PyPI project ranked in
   the top 15,000 and every npm package with >= 10,000 downloads a month.
3. Generate candidate targets by edits FROM the suspect (candidates.py):
   one edit, multi-character homoglyphs, affixes, npm scope tricks; each is
   a dict lookup, so a check is O(len(name)) lookups. Only if none is
   eligible, distance 2 inside one long word via a lazily built
   symmetric-delete index.
4. Each hit has a tier; the target must be popular enough for it (rule b,
   and "much more popular", rule c, since the suspect is outside the
   snapshot: npm < 10k a month, PyPI outside the top 15,000):

   tier    edits                                   PyPI rank  npm downloads  target word
   CASE    npm case change                         any        any            -
   STRONG  swap, doubled letter, one of a double   <= 15,000  >= 250k        >= 4
           dropped, homoglyph, separator trick,
           look-alike scope
   AFFIX   affix added (python-, -py, node-, .js)  <= 5,000   >= 250k        stem >= 2/4
   WEAK    letter added/dropped, keyboard-adjacent <= 5,000   >= 2M          >= 5
           letter, version digit added/dropped
   RARE    other letter changed, PyPI affix        <= 1,000   >= 20M         >= 5
           dropped, npm scope dropped/as prefix
   FAR     distance 2 inside one word              <= 1,000   >= 20M         name >= 10

   Why: the rarer an edit is between independently named projects, the
   less popularity it needs. Measured on the registry listings, one-letter
   additions/drops/changes are how unrelated names collide (translator /
   translators, accents / accepts), while swaps, doubled letters, homoglyphs
   and separator tricks seldom are. Names of <= 3 (STRONG) or <= 4 (WEAK)
   characters are skipped: every one-edit neighbour of 'six' is another
   real name.
5. Benign siblings are skipped: number changes (es2015/es2017), a letter
   replaced in a final word of <= 3 characters (client-ecs/client-efs).
6. Pick the lowest tier, then the most popular target, unless another
   target is >= 100x more popular ('yaml' -> pyyaml, not pyaml).

Measured (scripts/eval_typosquat.py, top 5,000 per ecosystem): recall on
one-edit mutants PyPI 96.6 %, npm 94.9 % (every technique >= 90 %); 0 of
the top 5,000 and 0 snapshot names flagged; real incident squats PyPI 6/8,
npm 31/37. Costs: snapshot load ~6 ms (PyPI) / ~55 ms (npm) once per
process, distance-2 index ~10 / ~35 ms once, ~0.2-0.7 ms per unpopular name.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .candidates import (
    ALPHABETS,
    DeletionIndex,
    Hit,
    Tier,
    affixes,
    describe_two_edits,
    homoglyph_runs,
    one_edit,
    scope_tricks,
)
from .normalize import normalize, split_scope
from .snapshot import Popularity, load


@dataclass(frozen=True, slots=True)
class Suspicion:
    name: str  # the suspect as given
    target: str  # the intended popular package, as the registry spells it
    technique: str  # short human words: "letters swapped", "homoglyph 'l'→'1'", ...
    target_score: int  # rank (pypi) or monthly downloads (npm) of the target
    suspect_score: int | None  # same for the suspect if it is in the snapshot at all, else None


@dataclass(frozen=True, slots=True)
class Policy:
    """How popular a target must be, per tier (scores as in the snapshot:
    PyPI rank <= N, npm downloads >= N), and how long its bare name must be."""

    strong: int  # STRONG hits
    affix: int  # AFFIX hits
    weak: int  # WEAK hits
    rare: int  # RARE and FAR (distance 2) hits
    case: int  # CASE hits (npm only: PyPI names are case-insensitive)
    min_len_strong: int = 4
    min_len_weak: int = 5
    min_len_far: int = 10


POLICIES = {
    "pypi": Policy(strong=15_000, affix=5_000, weak=5_000, rare=1_000, case=15_000),
    "npm": Policy(strong=250_000, affix=250_000, weak=2_000_000, rare=20_000_000, case=0),
}

_VALID = {
    "pypi": re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"),
    "npm": re.compile(r"(?:@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9._~][a-z0-9._~-]*"),
}


def check(name: str, ecosystem: str, *, popularity: Popularity | None = None) -> Suspicion | None:
    """A Suspicion when ``name`` looks like a squat of a popular package, else None.

    ``popularity`` defaults to the bundled snapshot of ``ecosystem`` ("pypi" or "npm").
    """
    if ecosystem not in POLICIES:
        raise ValueError(f"unknown ecosystem {ecosystem!r}; expected 'pypi' or 'npm'")
    pop = popularity if popularity is not None else load(ecosystem)
    raw = name.strip()
    if not raw or pop.is_popular(raw):
        return None  # (a) a popular package is never a suspect
    key = normalize(raw, ecosystem)
    if not _VALID[ecosystem].fullmatch(key):
        return None  # a URL, a path, a workspace alias: not a registry name
    policy = POLICIES[ecosystem]
    found = list(_eligible(_hits(key, raw, pop, ecosystem, far=False), raw, pop, policy))
    if not found and len(key) >= policy.min_len_far - 2:
        # Distance 2 only when nothing closer matched: it needs an index.
        found = list(_eligible(_hits(key, raw, pop, ecosystem, far=True), raw, pop, policy))
    return _pick(found)


def _hits(key: str, raw: str, pop: Popularity, ecosystem: str, *, far: bool) -> Iterator[Hit]:
    if far:
        for t in pop.derived("far-index", _far_index).near(key):
            yield Hit(t, describe_two_edits(key, t), Tier.FAR)
        return
    if ecosystem == "npm" and key in pop:
        yield Hit(key, "case changed", Tier.CASE)  # 'JQuery' is not 'jquery' on npm
    yield from one_edit(key, pop, ALPHABETS[ecosystem], raw)
    yield from homoglyph_runs(key, pop)
    yield from affixes(key, pop, ecosystem)
    if ecosystem == "npm":
        yield from scope_tricks(key, pop, pop.derived("by-bare", _by_bare))


_Found = tuple[Tier, float, Suspicion]  # tier, popularity weight (higher = more popular), verdict
OVERRIDE_RATIO = 100.0


def _eligible(hits: Iterable[Hit], raw: str, pop: Popularity, policy: Policy) -> Iterator[_Found]:
    """Hits whose target is popular enough for the kind of edit, with the
    registry spelling and score of the target."""
    for hit in hits:
        need, min_len = _need(hit.tier, policy)
        if (hit.stem or len(split_scope(hit.key)[1])) < min_len:
            continue  # short names: every 1-edit neighbour of 'six' is another real name
        for spelling, score in pop.lookup(hit.key):
            if spelling != raw and pop.at_least(score, need):  # (b) + (c)
                weight = 1.0 / score if pop.ecosystem == "pypi" else float(score)
                yield hit.tier, weight, Suspicion(raw, spelling, hit.technique, score, pop.score(raw))


def _pick(found: list[_Found]) -> Suspicion | None:
    """The most convincing edit (lowest tier), then the most popular target;
    but a target at least OVERRIDE_RATIO times more popular explains the name
    better whatever its tier: 'yaml' is pyyaml (rank 15, affix dropped), not
    pyaml (rank 1603, one letter dropped)."""
    if not found:
        return None
    best = min(found, key=lambda f: (f[0], -f[1], f[2].target))
    top = max(found, key=lambda f: (f[1], -f[0], f[2].target))
    return top[2] if top[1] >= OVERRIDE_RATIO * best[1] else best[2]


def _need(tier: Tier, policy: Policy) -> tuple[int, int]:
    """(popularity threshold, minimum bare length) of the target for a tier."""
    return {
        Tier.CASE: (policy.case, 0),
        Tier.STRONG: (policy.strong, policy.min_len_strong),
        Tier.AFFIX: (policy.affix, 0),
        Tier.WEAK: (policy.weak, policy.min_len_weak),
        Tier.RARE: (policy.rare, policy.min_len_weak),
        Tier.FAR: (policy.rare, policy.min_len_far),
    }[tier]


def _far_index(pop: Popularity) -> DeletionIndex:
    policy = POLICIES[pop.ecosystem]
    return DeletionIndex(
        key
        for key, score in pop.items()
        if len(key) >= policy.min_len_far and pop.at_least(score, policy.rare) and key == key.lower()
    )


def _by_bare(pop: Popularity) -> dict[str, str]:
    """Bare name -> most popular scoped key with it, among scoped names
    popular enough to be a target ('client-s3' -> '@aws-sdk/client-s3')."""
    need = POLICIES[pop.ecosystem].rare
    out: dict[str, tuple[int, str]] = {}
    for key, score in pop.items():
        if key.startswith("@") and "/" in key and pop.at_least(score, need):
            bare = key[key.index("/") + 1 :]
            if len(bare) >= 4 and (bare not in out or score > out[bare][0]):
                out[bare] = (score, key)
    return {bare: key for bare, (_, key) in out.items()}
