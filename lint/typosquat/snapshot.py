"""The bundled popularity snapshot: who is popular, and how much.

Files (package data, built by scripts/build_popularity_snapshot.py):
``lambda_secrets_lint/data/popularity/{pypi,npm}.tsv.gz`` hold
"name<TAB>score" lines, most popular first; ``meta.json`` says where they came
from. PyPI score = rank among the 15,000 most downloaded projects (1 = most),
npm score = downloads in a month.

Loading is lazy and cached: nothing is read at import time, each ecosystem's
file is read once per process, on first use (~6 ms PyPI, ~55 ms npm).
"""
from __future__ import annotations

import gzip
import json
import os
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from .normalize import normalize

DATA_DIR = "data/popularity"
T = TypeVar("T")


class Popularity:
    """One ecosystem's popular set. Every name in it counts as popular (never
    a suspect); ``score`` tells how popular.

    Keys are normalised names (normalize.py). npm keeps a few legacy mixed-case
    names (``JSONStream``): their registry spelling is remembered, and a
    different spelling of them is not the same package.
    """

    __slots__ = ("ecosystem", "snapshot_date", "_scores", "_folded", "_derived")

    def __init__(self, ecosystem: str, scores: dict[str, int], snapshot_date: str | None = None) -> None:
        """``scores``: PyPI keys already PEP 503-normalised, npm names as the
        registry spells them. Use :meth:`from_pairs` for anything else."""
        self.ecosystem = ecosystem
        self.snapshot_date = snapshot_date
        self._scores = scores
        # Lower-case key -> the most popular mixed-case spelling of it. Only a
        # few dozen legacy npm names have capitals; a comprehension finds them
        # without a Python-level loop over all names.
        self._folded: dict[str, str] = {}
        self._derived: dict[str, Any] = {}
        if ecosystem == "npm":
            for name in [n for n in scores if not n.islower() and n != n.lower()]:
                have = self._folded.get(name.lower())
                if have is None or _more_popular(ecosystem, scores[name], scores[have]):
                    self._folded[name.lower()] = name

    @classmethod
    def from_pairs(
        cls, ecosystem: str, pairs: Iterable[tuple[str, int]], snapshot_date: str | None = None
    ) -> Popularity:
        """Build from (name, score) pairs in any spelling; duplicates keep the best score."""
        scores: dict[str, int] = {}
        for name, score in pairs:
            key = normalize(name, ecosystem) if ecosystem == "pypi" else name.strip()
            if key not in scores or _more_popular(ecosystem, score, scores[key]):
                scores[key] = score
        return cls(ecosystem, scores, snapshot_date)

    def derived(self, name: str, build: Callable[[Popularity], T]) -> T:
        """An index computed from this snapshot once (per process, per object)."""
        if name not in self._derived:
            self._derived[name] = build(self)
        return self._derived[name]  # type: ignore[no-any-return]

    def at_least(self, score: int, threshold: int) -> bool:
        """Score is at least as popular as threshold (rank <= N, downloads >= N)."""
        return score <= threshold if self.ecosystem == "pypi" else score >= threshold

    # -- lookups ----------------------------------------------------------

    def score(self, name: str) -> int | None:
        """Score of ``name`` as written (PyPI: any PEP 503 spelling)."""
        name = name.strip()
        if self.ecosystem == "npm":
            return self._scores.get(name)
        return self._scores.get(normalize(name, "pypi"))

    def is_popular(self, name: str) -> bool:
        return self.score(name) is not None

    def rank(self, name: str) -> int | None:
        return self.score(name) if self.ecosystem == "pypi" else None

    def downloads(self, name: str) -> int | None:
        return self.score(name) if self.ecosystem == "npm" else None

    def lookup(self, key: str) -> Iterator[tuple[str, int]]:
        """(registry spelling, score) of the entries a normalised key denotes:
        the key itself, and on npm a mixed-case name that lower-cases to it."""
        if (score := self._scores.get(key)) is not None:
            yield key, score
        if (mixed := self._folded.get(key)) is not None:
            yield mixed, self._scores[mixed]

    def __contains__(self, key: object) -> bool:
        """Normalised-key membership, for candidate generation."""
        return key in self._scores or key in self._folded

    def __len__(self) -> int:
        return len(self._scores)

    def items(self) -> Iterator[tuple[str, int]]:
        """(name, score) for every entry: PyPI keys, npm registry spellings."""
        return iter(self._scores.items())


def _more_popular(ecosystem: str, a: int, b: int) -> bool:
    return a < b if ecosystem == "pypi" else a > b  # PyPI scores are ranks


@cache
def load(ecosystem: str) -> Popularity:
    """The bundled snapshot of one ecosystem, read once per process."""
    info = meta()["ecosystems"][ecosystem]
    blob = resources.files("lambda_secrets_lint").joinpath(f"{DATA_DIR}/{info['file']}").read_bytes()
    return parse(ecosystem, blob, meta()["snapshot_date"])


@cache
def meta() -> dict[str, Any]:
    text = resources.files("lambda_secrets_lint").joinpath(f"{DATA_DIR}/meta.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def load_dir(directory: str | os.PathLike[str], ecosystem: str) -> Popularity:
    """A snapshot built elsewhere (scripts/eval_typosquat.py --snapshot); not cached."""
    folder = Path(directory)
    info = json.loads((folder / "meta.json").read_text("utf-8"))
    blob = (folder / info["ecosystems"][ecosystem]["file"]).read_bytes()
    return parse(ecosystem, blob, info["snapshot_date"])


def parse(ecosystem: str, blob: bytes, snapshot_date: str | None = None) -> Popularity:
    """gzip'd "name<TAB>score" lines -> Popularity."""
    # Names hold no whitespace, so one split() yields name, score, name, ...
    fields = gzip.decompress(blob).decode("utf-8").split()
    return Popularity(ecosystem, dict(zip(fields[0::2], map(int, fields[1::2]))), snapshot_date)
