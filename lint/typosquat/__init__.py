"""Typosquatted-dependency detection (rule LSL401).

``check(name, ecosystem)`` says whether a dependency name is a near miss of a
popular PyPI / npm package; see detect.py for the algorithm and thresholds and
docs/typosquat.md for the measurements. Importing this package reads nothing:
the bundled snapshot is loaded on the first check.
"""
from __future__ import annotations

from .detect import Suspicion, check
from .snapshot import Popularity, load

__all__ = ["Popularity", "Suspicion", "check", "load"]
