"""Fixture harness: expected findings are written next to the line.

- YAML / Python / TOML / txt / HCL: `# expect: LSL101` (several: `LSL101, LSL102`);
  near misses: `# ok: LSL101` (asserted silent, and counted).
- JS / TS: `// expect: LSL201`, `// ok: LSL201`.
- JSON (no comments): a sibling `<file>.expect` with `<line> <RULE>` lines and
  `ok <line> <RULE>` lines (`#` starts a comment).
- `future: LSLxxx` marks what a later rule will flag; it is ignored.

`check_project(dir)` lints a directory with every rule and returns
(expected, actual, ok): the harness compares expected and actual exactly, so
a missing finding and an unexpected one both fail.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

_INLINE = re.compile(r"(?:#|//|/\*)\s*(expect|ok):\s*(LSL\d{3}(?:\s*,\s*LSL\d{3})*)")
_EXPECT_LINE = re.compile(r"^\s*(ok\s+)?(\d+)\s+(LSL\d{3}(?:\s*,\s*LSL\d{3})*)\s*$")

Triple = tuple[str, int, str]


@dataclass(frozen=True)
class Annotations:
    expect: frozenset[Triple]
    ok: frozenset[Triple]


def _rules(text: str) -> list[str]:
    return [r.strip() for r in text.split(",") if r.strip()]


def annotations(root: Path) -> Annotations:
    expect: set[Triple] = set()
    ok: set[Triple] = set()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            try:
                text = path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue
            if name.endswith(".expect"):
                target = rel[: -len(".expect")]
                for raw in text.splitlines():
                    line = raw.split("#", 1)[0]
                    m = _EXPECT_LINE.match(line)
                    if m:
                        bucket = ok if m.group(1) else expect
                        bucket.update((target, int(m.group(2)), r) for r in _rules(m.group(3)))
                continue
            for lineno, line in enumerate(text.splitlines(), 1):
                for m in _INLINE.finditer(line):
                    bucket = expect if m.group(1) == "expect" else ok
                    bucket.update((rel, lineno, r) for r in _rules(m.group(2)))
    return Annotations(frozenset(expect), frozenset(ok))


def lint_directory(root: Path, *, config_overrides: dict[str, object] | None = None):  # type: ignore[no-untyped-def]
    """Run every rule over `root` (its own config file, if any, applies)."""
    from lambda_secrets_lint import config as config_mod
    from lambda_secrets_lint import engine
    from lambda_secrets_lint.rules import ALL_RULES

    # Only a config inside the fixture counts: the repo's own pyproject.toml
    # above it must not change what a fixture means.
    cfg = config_mod.Config()
    if (root / config_mod.DOTFILE).is_file():
        cfg = config_mod.load_file(root / config_mod.DOTFILE)
    elif (root / "pyproject.toml").is_file() and "[tool.lambda-secrets-lint]" in (root / "pyproject.toml").read_text("utf-8"):
        cfg = config_mod.load_file(root / "pyproject.toml")
    if config_overrides:
        cfg = cfg.merged(**config_overrides)
    selected = frozenset(r.meta.id for r in ALL_RULES)
    return engine.run(ALL_RULES, engine.RunOptions((root,), cfg, selected, root=root))


def check_project(root: Path) -> tuple[set[Triple], set[Triple], Annotations]:
    result = lint_directory(root)
    actual = {(f.location.path, f.location.line, f.rule_id) for f in result.findings if f.suppression is None}
    ann = annotations(root)
    return set(ann.expect), actual, ann


def describe_mismatch(expected: set[Triple], actual: set[Triple], messages: dict[Triple, str] | None = None) -> str:
    missing = sorted(expected - actual)
    extra = sorted(actual - expected)
    lines = []
    for t in missing:
        lines.append(f"  missing  {t[0]}:{t[1]} {t[2]}")
    for t in extra:
        lines.append(f"  extra    {t[0]}:{t[1]} {t[2]}  {(messages or {}).get(t, '')}")
    return "\n".join(lines)


# Characters that break structured text formats: quotes, brackets, separators,
# comment markers, escapes, odd line ends, NUL and a non-ASCII letter.
FUZZ_ALPHABET = tuple('"\'[]{}:,=#\\\n\t @/;.-_ab1\r\x00\u2028\xe9')


def mutations(text: str, seed: int, count: int, alphabet: tuple[str, ...] = FUZZ_ALPHABET) -> list[str]:
    """`count` seeded variants of `text`, each with 1-6 random deletions,
    insertions (from `alphabet`) or swaps: parser robustness tests feed them
    in and assert only the documented error escapes."""
    import random

    rng = random.Random(seed)
    out = []
    for _ in range(count):
        chars = list(text)
        for _ in range(rng.randint(1, 6)):
            i = rng.randrange(len(chars))
            roll = rng.random()
            if roll < 0.4:
                del chars[i]
            elif roll < 0.8:
                chars.insert(i, rng.choice(alphabet))
            else:
                j = rng.randrange(len(chars))
                chars[i], chars[j] = chars[j], chars[i]
        out.append("".join(chars))
    return out


def assert_manifest_fuzz_safe(name: str, sample: str, count: int = 150) -> None:
    """Mutate a manifest sample `count` times: parsing raises nothing but
    ManifestError, and every dependency's span still sits exactly on its name."""
    from lambda_secrets_lint.parsers.manifests import ManifestError, parse_manifest

    for seed, text in enumerate(mutations(sample, seed=len(sample), count=count)):
        try:
            manifest = parse_manifest(name, text)
        except ManifestError as exc:
            assert exc.line is None or exc.line >= 1
            continue
        # Lines end at "\n" only (a lone "\r" or U+2028 is content), as in the JSON loader.
        lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
        for dep in manifest.dependencies:
            span = dep.location.span
            assert span.line == span.end_line and lines[span.line - 1][span.col - 1 : span.end_col - 1] == dep.name, (seed, dep)
