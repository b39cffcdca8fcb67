"""--select / --ignore: rule IDs, names, or ID prefixes (LSL1, LSL10)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from lambda_secrets_lint.config import ConfigError
from lambda_secrets_lint.rule import RuleMeta


def _matches(token: str, meta: RuleMeta) -> bool:
    t = token.strip()
    return meta.id.startswith(t.upper()) if t.upper().startswith("LSL") else t.lower() == meta.name


def resolve(metas: Sequence[RuleMeta], select: Iterable[str], ignore: Iterable[str]) -> frozenset[str]:
    """IDs of the rules to run. An unknown selector is a usage error: a typo
    in `--ignore` must not silently leave a rule on (or off)."""
    select, ignore = list(select), list(ignore)
    for token in [*select, *ignore]:
        if not any(_matches(token, m) for m in metas):
            raise ConfigError(f"unknown rule selector {token!r} (see 'lambda-secrets-lint rules')")
    chosen = {m.id for m in metas if not select or any(_matches(t, m) for t in select)}
    return frozenset(i for i in chosen if not any(_matches(t, m) for t in ignore for m in metas if m.id == i))


def find(metas: Sequence[RuleMeta], token: str) -> RuleMeta | None:
    for m in metas:
        if token.upper() == m.id or token.lower() == m.name:
            return m
    return None
