"""Every fixture project: the exact set of (file, line, rule) findings must
equal its inline annotations — a missing finding and an extra one both fail."""
from __future__ import annotations

from pathlib import Path

import pytest

from lambda_secrets_lint.testing import annotations, check_project, describe_mismatch, lint_directory

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# Fixture groups whose projects are exercised elsewhere (bad input is generated
# in tests/test_bad_input.py because binary files and loops don't commit well).
_PROJECT_GROUPS = sorted(p for p in FIXTURES.iterdir() if p.is_dir() and p.name != "demo")


def _projects() -> list[Path]:
    projects = [FIXTURES / "demo"]
    for group in _PROJECT_GROUPS:
        projects.extend(sorted(p for p in group.iterdir() if p.is_dir()))
    return projects


@pytest.mark.parametrize("project", _projects(), ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_fixture_findings_match_annotations(project: Path) -> None:
    result = lint_directory(project)
    actual = {(f.location.path, f.location.line, f.rule_id) for f in result.findings if f.suppression is None}
    messages = {(f.location.path, f.location.line, f.rule_id): f.message for f in result.findings}
    expected = set(annotations(project).expect)
    assert actual == expected, "\n" + describe_mismatch(expected, actual, messages)


def test_near_misses_are_silent_for_their_rule() -> None:
    # Implied by the exact comparison, but stated: an `ok:` line must not fire.
    for project in _projects():
        expected, actual, ann = check_project(project)
        assert not (set(ann.ok) & actual), project


@pytest.mark.parametrize(
    "rule,floor",
    [("LSL101", 15), ("LSL102", 15)]
    + [(r, 10) for r in ("LSL103", "LSL201", "LSL202", "LSL203", "LSL204", "LSL205", "LSL501", "LSL502", "LSL503")]
    + [(r, 10) for r in ("LSL301", "LSL302", "LSL303")] + [("LSL402", 5)],
)
def test_each_rule_has_enough_fixtures(rule: str, floor: int) -> None:
    fire = ok = 0
    for project in _projects():
        ann = annotations(project)
        fire += sum(1 for t in ann.expect if t[2] == rule)
        ok += sum(1 for t in ann.ok if t[2] == rule)
    assert fire >= floor, f"{rule}: only {fire} firing fixtures"
    assert ok >= floor, f"{rule}: only {ok} near-miss fixtures"


@pytest.mark.parametrize("rule", ["LSL103", "LSL201", "LSL202", "LSL203", "LSL204", "LSL205", "LSL501", "LSL502", "LSL503"])
def test_handler_rules_have_fixtures_in_both_languages(rule: str) -> None:
    languages = set()
    for project in _projects():
        for path, _, r in annotations(project).expect:
            if r == rule:
                languages.add("python" if path.endswith(".py") else "js" if path.endswith((".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".tsx")) else "other")
    assert {"python", "js"} <= languages, f"{rule}: firing fixtures only in {sorted(languages)}"


def test_demo_shows_cloudformation_findings() -> None:
    result = lint_directory(FIXTURES / "demo")
    rules = {f.rule_id for f in result.findings}
    assert {"LSL101", "LSL102"} <= rules


@pytest.mark.parametrize("group", ["serverless", "terraform", "cdk-ts", "cdk-py"])
def test_each_infrastructure_tool_has_enough_fixtures(group: str) -> None:
    base = FIXTURES / group
    if not base.is_dir():
        pytest.skip(f"no fixtures/{group} yet")
    for rule in ("LSL101", "LSL102"):
        fire = ok = 0
        for project in (p for p in base.iterdir() if p.is_dir()):
            ann = annotations(project)
            fire += sum(1 for t in ann.expect if t[2] == rule)
            ok += sum(1 for t in ann.ok if t[2] == rule)
        assert fire >= 10 and ok >= 10, f"{group} {rule}: {fire} firing, {ok} near misses"


_TOOL_PREFIXES = {"sam-": "sam", "cfn-": "cloudformation", "cdk-ts-": "cdk-ts", "cdk-py-": "cdk-py", "sls-": "serverless",
                  "tf-": "terraform"}


@pytest.mark.parametrize("rule", ["LSL301", "LSL302", "LSL303"])
def test_iam_rules_fire_and_stay_silent_in_every_tool(rule: str) -> None:
    fire: dict[str, int] = {}
    ok: dict[str, int] = {}
    for project in sorted(p for p in (FIXTURES / "lsl3xx").iterdir() if p.is_dir()):
        tool = next(t for prefix, t in _TOOL_PREFIXES.items() if project.name.startswith(prefix))
        ann = annotations(project)
        fire[tool] = fire.get(tool, 0) + sum(1 for t in ann.expect if t[2] == rule)
        ok[tool] = ok.get(tool, 0) + sum(1 for t in ann.ok if t[2] == rule)
    # plain CloudFormation is covered together with SAM (same parser and role reader)
    for tool in ("sam", "cdk-ts", "cdk-py", "serverless", "terraform"):
        assert fire.get(tool, 0) >= 1, f"{rule}: no firing fixture for {tool}"
        assert ok.get(tool, 0) >= 1, f"{rule}: no near miss for {tool}"
    assert ok.get("cloudformation", 0) >= 1


_ECOSYSTEM_FILES = {
    "pypi": ("requirements", "pyproject.toml", "Pipfile", "setup.cfg", "poetry.lock", "uv.lock", "Pipfile.lock", ".in"),
    "npm": ("package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml"),
}


@pytest.mark.parametrize("ecosystem", ["pypi", "npm"])
def test_typosquat_fixtures_per_ecosystem(ecosystem: str) -> None:
    fire = ok = 0
    kinds_firing: set[str] = set()
    for project in _projects():
        ann = annotations(project)
        for bucket, triples in (("fire", ann.expect), ("ok", ann.ok)):
            for path, _, rule in triples:
                name = path.rsplit("/", 1)[-1]
                if rule != "LSL401" or not any(name.startswith(k) or name.endswith(k) for k in _ECOSYSTEM_FILES[ecosystem]):
                    continue
                if bucket == "fire":
                    fire += 1
                    kinds_firing.add(name)
                else:
                    ok += 1
    assert fire >= 20 and ok >= 20, (ecosystem, fire, ok)
