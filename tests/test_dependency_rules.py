"""LSL401/LSL402 over whole projects: which manifests and lockfile pins are
judged, config lists, messages and fixes."""
from __future__ import annotations

import json
from pathlib import Path

from lambda_secrets_lint.parsers.manifests import parse_manifest
from lambda_secrets_lint.testing import lint_directory


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _dep_findings(root: Path, **config: object) -> list[tuple[str, str, int]]:
    result = lint_directory(root, config_overrides=config or None)
    return sorted((f.rule_id, f.location.path, f.location.line) for f in result.findings if f.rule_id.startswith("LSL4"))


def test_a_workspace_squat_is_reported_on_its_manifest_not_again_on_the_root_lockfile(tmp_path: Path) -> None:
    lock = {
        "name": "shop", "lockfileVersion": 3, "requires": True,
        "packages": {
            "": {"name": "shop", "workspaces": ["packages/*"]},
            "packages/api": {"name": "api", "dependencies": {"expresss": "^4.18.2"}},
            "node_modules/expresss": {"version": "4.18.2", "resolved": "https://registry.npmjs.org/expresss/-/expresss-4.18.2.tgz"},
            "node_modules/lodahs": {"version": "4.17.21", "resolved": "https://registry.npmjs.org/lodahs/-/lodahs-4.17.21.tgz"},
        },
    }
    root = _write(tmp_path, {
        "package.json": json.dumps({"name": "shop", "private": True, "workspaces": ["packages/*"]}, indent=2),
        "packages/api/package.json": json.dumps({"name": "api", "dependencies": {"expresss": "^4.18.2"}}, indent=2),
        "package-lock.json": json.dumps(lock, indent=2),
    })
    found = _dep_findings(root)
    # expresss: once, on the workspace manifest; lodahs: only the lockfile knows it
    assert found == [("LSL401", "package-lock.json", 22), ("LSL401", "packages/api/package.json", 4)]
    result = lint_directory(root)
    lock_finding = next(f for f in result.findings if f.location.path == "package-lock.json")
    assert "re-lock" in lock_finding.message and lock_finding.fix is None


def test_allowed_and_denied_names_follow_each_ecosystems_rules(tmp_path: Path) -> None:
    root = _write(tmp_path, {
        "requirements.txt": "reqeusts==2.31.0\nPyCrypto==2.6.1\nuuid==1.30\n",
        "package.json": json.dumps({"dependencies": {"uuid": "^9.0.0", "lodahs": "^4.17.21"}}, indent=2),
    })
    found = _dep_findings(root, allowed_dependencies=("pypi:Reqeusts",), denylist=("pypi:pycrypto", "pypi:uuid", "lodahs"))
    # reqeusts allowed (PEP 503 folding), pycrypto and PyPI uuid denied, npm uuid not (pypi: prefix),
    # lodahs denied by the bare entry and therefore not ALSO reported as a typosquat
    assert found == [
        ("LSL402", "package.json", 4),
        ("LSL402", "requirements.txt", 2),
        ("LSL402", "requirements.txt", 3),
    ]


def test_a_typosquat_finding_carries_a_fix_for_exactly_the_name(tmp_path: Path) -> None:
    root = _write(tmp_path, {"pyproject.toml": '[project]\nname = "svc"\ndependencies = [\n  "reqeusts[socks]>=2.31; python_version >= \'3.9\'",\n]\n'})
    [finding] = [f for f in lint_directory(root).findings if f.rule_id == "LSL401"]
    assert finding.fix is not None
    [rep] = finding.fix.replacements
    assert (rep.location.line, rep.location.col, rep.location.span.end_col) == (4, 4, 12)
    assert (rep.new_text, rep.expected) == ("requests", "reqeusts")
    assert "did you mean 'requests'" in finding.message and "#6 on PyPI" in finding.message


def test_lockfile_entries_with_trailing_comments_are_still_read() -> None:
    yarn = 'lodahs@^4.17.21:  # pinned for the legacy build\n  version "4.17.21"\n  resolved "https://registry.yarnpkg.com/lodahs/-/lodahs-4.17.21.tgz"\n'
    [dep] = parse_manifest("yarn.lock", yarn).dependencies
    assert (dep.name, dep.registry, dep.location.line) == ("lodahs", True, 1)
    pnpm = (
        "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n"
        "      lodahs:  # pinned for the legacy build\n        specifier: ^4.17.21\n        version: 4.17.21\n"
    )
    deps = parse_manifest("pnpm-lock.yaml", pnpm).dependencies
    assert [(d.name, d.registry) for d in deps] == [("lodahs", True)]


def test_a_same_scope_typo_says_only_the_owner_can_publish_there(tmp_path: Path) -> None:
    root = _write(tmp_path, {"package.json": json.dumps({"devDependencies": {"@types/lodahs": "^4.14.0"}}, indent=2)})
    [finding] = [f for f in lint_directory(root).findings if f.rule_id == "LSL401"]
    assert "'@types/lodash'" in finding.message and "only the owner of @types can publish there" in finding.message


def test_lockfiles_are_read_past_the_source_file_size_limit(tmp_path: Path) -> None:
    packages = {"": {"name": "svc"}}
    packages.update({f"node_modules/pkg-{i:03d}": {"version": "1.0.0"} for i in range(60)})
    packages["node_modules/lodahs"] = {"version": "4.17.21"}
    root = _write(tmp_path, {
        "package-lock.json": json.dumps({"name": "svc", "lockfileVersion": 3, "packages": packages}, indent=2),
        "requirements.txt": "reqeusts==2.31.0\n" + "# padding\n" * 400,
    })
    result = lint_directory(root, config_overrides={"max_file_size": 2048})
    by_rule = sorted((f.rule_id, f.location.path) for f in result.findings)
    # the lockfile (≈5 KB) is still checked; the hand-written requirements file obeys the limit
    assert by_rule == [("LSL000", "requirements.txt"), ("LSL401", "package-lock.json")]
