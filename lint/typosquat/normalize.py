"""Name normalisation per ecosystem: the key the snapshot and the detector compare.

PyPI: PEP 503 — lower case, every run of ``-``, ``_``, ``.`` becomes one ``-``
(pip and the index treat ``Python_Dateutil`` and ``python-dateutil`` as the same
project, so that is never a squat). Removing a separator is NOT folded:
``pythondateutil`` is a different project.

npm: lower case (new names must be lower case; a few legacy packages are not,
e.g. ``JSONStream``, and a case variant of a popular name is a trick of its
own). ``-``, ``.`` and ``_`` are distinct characters on npm. A scoped name
``@scope/name`` keeps its scope.
"""
from __future__ import annotations

import re

ECOSYSTEMS = ("pypi", "npm")
_PEP503 = re.compile(r"[-_.]+")


def pep503(name: str) -> str:
    return _PEP503.sub("-", name.strip()).lower()


def npm_key(name: str) -> str:
    return name.strip().lower()


def normalize(name: str, ecosystem: str) -> str:
    if ecosystem == "pypi":
        return pep503(name)
    if ecosystem == "npm":
        return npm_key(name)
    raise ValueError(f"unknown ecosystem {ecosystem!r}; expected one of {ECOSYSTEMS}")


def split_scope(key: str) -> tuple[str | None, str]:
    """``@scope/name`` -> (``scope``, ``name``); an unscoped name -> (None, name)."""
    if key.startswith("@") and "/" in key:
        scope, _, bare = key[1:].partition("/")
        return scope, bare
    return None, key
