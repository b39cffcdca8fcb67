"""Structure of the SARIF report: what GitHub code scanning requires (REFERENCE.md
§H.1) and what the VS Code SARIF viewer needs (§H.2).

The RunResult is built by hand from the model so the reporter is tested on
its own; `sample_result` is also used by test_sarif_schema.py.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from lambda_secrets_lint import fingerprints
from lambda_secrets_lint.model.findings import Finding, Fix, Level, Related, Replacement, Suppression
from lambda_secrets_lint.model.location import Location, Span
from lambda_secrets_lint.model.results import RunResult
from lambda_secrets_lint.reporters.sarif import render_sarif
from lambda_secrets_lint.rule import RuleMeta

VERSION = "1.2.3"
INFO_URI = "https://github.com/lambda-secrets-lint/lambda-secrets-lint"

LSL101_DOC = """\
## What it does
Flags a secret written as a literal into a Lambda function's `Environment`
(CloudFormation, SAM, CDK, Serverless, Terraform).

Anyone who can read the function configuration can read it.

## Why is this bad
Environment variables are visible in the console and in **every** `GetFunctionConfiguration`
response. See [the AWS docs](https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html).

## Example
```yaml
Environment:
  Variables:
    API_KEY: sk_live_xxx
```

## Use instead
Store it in Secrets Manager and read it at runtime.

## References
- <https://cwe.mitre.org/data/definitions/798.html>
"""

LSL201_DOC = """\
## What it does
Flags a secret value that reaches a log call.

## Why is this bad
Logs are widely readable.

## Example
```python
print(secret)
```

## Use instead
Log the name, not the value.

## References
- CWE-532
"""

LSL000_DOC = """\
## What it does
Reports a file that could not be read or parsed; the run goes on.

## Why is this bad
Nothing in that file was checked.

## Example
A template with a YAML syntax error.

## Use instead
Fix the syntax error.

## References
- none
"""


def rule(
    rule_id: str,
    name: str,
    level: Level,
    doc: str,
    *,
    cwe: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    tool_level: bool = False,
    security_severity: str = "5.0",
    summary: str | None = None,
) -> RuleMeta:
    return RuleMeta(
        id=rule_id,
        name=name,
        level=level,
        summary=summary if summary is not None else f"Summary of {name}.",
        doc=doc,
        tags=tags,
        cwe=cwe,
        security_severity=security_severity,
        tool_level=tool_level,
    )


RULES = (
    rule("LSL000", "parse-error", Level.WARNING, LSL000_DOC, tool_level=True, tags=("tool",)),
    rule(
        "LSL101", "secret-in-env-literal", Level.ERROR, LSL101_DOC,
        cwe=("CWE-798",), tags=("iac",), security_severity="8.5",
    ),
    rule(
        "LSL201", "secret-logged", Level.WARNING, LSL201_DOC,
        cwe=("CWE-532",), tags=("logging",), security_severity="6.5",
    ),
    rule("LSL502", "secret-cached-forever", Level.NOTE, LSL201_DOC, cwe=("CWE-324",), security_severity="3.0"),
)


def loc(path: str, line: int, col: int = 1, end_line: int | None = None, end_col: int | None = None) -> Location:
    return Location(path, Span(line, col, end_line or line, end_col or col + 5))


def finding(rule_id: str, path: str, line: int, **kw: Any) -> Finding:
    meta = next(m for m in RULES if m.id == rule_id)
    defaults: dict[str, Any] = {
        "rule_id": rule_id,
        "rule_name": meta.name,
        "level": meta.level,
        "message": f"{meta.name} at {path}.",
        "location": loc(path, line),
        "fingerprint_key": f"{path}#{rule_id}",
        "fingerprint": hashlib.sha256(f"{rule_id}|{path}".encode()).hexdigest()[:16] + ":1",
    }
    defaults.update(kw)
    return Finding(**defaults)


def sample_result(root: Path, *, findings_include_notifications: bool = True) -> RunResult:
    """A run with a fix, related locations, a suppressed finding, a finding
    without an engine fingerprint, an LSL000 notification and paths with a
    space, a '#' and non-ASCII characters."""
    env_literal = finding(
        "LSL101",
        "template.yaml",
        12,
        message="Environment variable API_KEY holds a literal secret (sk_l…(32 chars)).",
        location=loc("template.yaml", 12, 9, 12, 41),
        fingerprint="0123456789abcdef:1",
        related=(
            Related(loc("src/handler file.py", 3, 11, 3, 38), "The handler reads API_KEY here."),
            Related(loc("src/handler file.py", 9, 5), "And logs it here."),
        ),
        fix=Fix(
            description="Read API_KEY from Secrets Manager with a dynamic reference.",
            replacements=(
                Replacement(
                    loc("template.yaml", 12, 18, 12, 41),
                    "'{{resolve:secretsmanager:prod/api:SecretString:API_KEY}}'",
                ),
            ),
        ),
    )
    logged = finding("LSL201", "src/handler file.py", 9, location=loc("src/handler file.py", 9, 5, 9, 30))
    suppressed = finding(
        "LSL201",
        "src/legacy#1.py",
        4,
        suppression=Suppression(kind="inSource", source="comment", justification="Test fixture, not a real key."),
    )
    baselined = finding(
        "LSL502",
        "src/cache.py",
        2,
        suppression=Suppression(kind="external", source="baseline"),
    )
    unfingerprinted = finding("LSL502", "src/über.py", 7, fingerprint="", fingerprint_key="cache:DB_PASSWORD")
    parse_error = finding(
        "LSL000",
        "broken dir/bad.yaml",
        5,
        message="Could not parse broken dir/bad.yaml: mapping values are not allowed here.",
        location=loc("broken dir/bad.yaml", 5, 3, 5, 4),
    )
    findings = [env_literal, logged, suppressed, baselined, unfingerprinted]
    if findings_include_notifications:
        findings.append(parse_error)
    return RunResult(
        root=root,
        findings=tuple(sorted(findings, key=Finding.sort_key)),
        notifications=(parse_error,),
        rules=RULES,
        files_scanned=6,
        execution_successful=True,
    )


def render(result: RunResult, **kw: Any) -> dict[str, Any]:
    kw.setdefault("tool_version", VERSION)
    log: dict[str, Any] = json.loads(render_sarif(result, **kw))
    return log


@pytest.fixture
def root(tmp_path: Path) -> Path:
    # A space and a non-ASCII letter in the root prove originalUriBaseIds is encoded.
    r = tmp_path / "my project é"
    r.mkdir()
    return r


@pytest.fixture
def log(root: Path) -> dict[str, Any]:
    return render(sample_result(root))


def only_run(log: dict[str, Any]) -> dict[str, Any]:
    assert len(log["runs"]) == 1
    run: dict[str, Any] = log["runs"][0]
    return run


def results_by(run: dict[str, Any], rule_id: str) -> list[dict[str, Any]]:
    return [r for r in run["results"] if r["ruleId"] == rule_id]


def assert_text(obj: dict[str, Any], key: str) -> str:
    value = obj[key]["text"] if isinstance(obj[key], dict) else obj[key]
    assert isinstance(value, str) and value.strip(), f"{key} must be a non-empty string"
    return value


# RFC 3986 URI-reference characters: unreserved, sub-delims, ":", "@", "/", "?", "#" and %XX.
URI_REF_CHARS = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#]|%[0-9A-F]{2})*$")


# --- log and tool --------------------------------------------------------------


def test_top_level_is_one_sarif_2_1_0_run(log: dict[str, Any]) -> None:
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    run = only_run(log)
    assert run["columnKind"] == "unicodeCodePoints"
    assert "automationDetails" not in run  # upload-sarif's category: input must still apply


def test_driver_identity(log: dict[str, Any]) -> None:
    driver = only_run(log)["tool"]["driver"]
    assert driver["name"] == "lambda-secrets-lint"
    assert driver["version"] == VERSION
    assert driver["semanticVersion"] == VERSION
    assert driver["informationUri"] == INFO_URI


def test_rules_are_all_registered_rules_in_order(log: dict[str, Any]) -> None:
    rules = only_run(log)["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [m.id for m in RULES]


def test_rule_fields_github_requires(log: dict[str, Any]) -> None:
    for r in only_run(log)["tool"]["driver"]["rules"]:
        assert_text(r, "id")
        assert_text(r, "name")
        assert len(assert_text(r, "shortDescription")) <= 1024
        assert len(assert_text(r, "fullDescription")) <= 1024
        assert_text(r, "help")
        assert r["help"]["markdown"].strip()
        assert r["helpUri"] == f"{INFO_URI}/blob/main/docs/rules/{r['id']}.md"
        assert r["defaultConfiguration"]["level"] in {"error", "warning", "note"}
        assert len(r["properties"]["tags"]) <= 20
        assert r["properties"]["precision"] in {"very-high", "high", "medium", "low"}


def test_rule_descriptions_come_from_the_doc(log: dict[str, Any]) -> None:
    lsl101 = only_run(log)["tool"]["driver"]["rules"][1]
    assert lsl101["shortDescription"]["text"] == "Summary of secret-in-env-literal."
    # First paragraph of "What it does", plain text, joined into one line.
    assert lsl101["fullDescription"]["text"] == (
        "Flags a secret written as a literal into a Lambda function's Environment "
        "(CloudFormation, SAM, CDK, Serverless, Terraform)."
    )
    assert lsl101["help"]["markdown"] == LSL101_DOC.strip()
    text = lsl101["help"]["text"]
    assert "##" not in text and "**" not in text and "```" not in text and "`" not in text
    assert "What it does" in text
    assert "API_KEY: sk_live_xxx" in text  # code blocks are kept
    assert "the AWS docs (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html)" in text


def test_rule_properties_for_github_security_view(log: dict[str, Any]) -> None:
    rules = {r["id"]: r for r in only_run(log)["tool"]["driver"]["rules"]}
    props = rules["LSL101"]["properties"]
    assert props["security-severity"] == "8.5" and isinstance(props["security-severity"], str)
    assert props["tags"][:2] == ["security", "external/cwe/cwe-798"]
    assert "iac" in props["tags"]
    assert props["problem.severity"] == "error"
    assert rules["LSL201"]["properties"]["problem.severity"] == "warning"
    assert rules["LSL502"]["properties"]["problem.severity"] == "recommendation"
    assert rules["LSL502"]["defaultConfiguration"]["level"] == "note"
    for r in rules.values():
        sev = r["properties"].get("security-severity")
        if sev is not None:
            assert isinstance(sev, str) and 0.1 <= float(sev) <= 10.0


def test_tool_level_rules_are_not_security_rules(log: dict[str, Any]) -> None:
    lsl000 = only_run(log)["tool"]["driver"]["rules"][0]
    assert "security-severity" not in lsl000["properties"]
    assert "security" not in lsl000["properties"]["tags"]


def test_tags_are_capped_and_deduplicated(root: Path) -> None:
    many = rule(
        "LSL301", "wide-grant", Level.WARNING, LSL201_DOC,
        cwe=("CWE-732", "cwe-732", "269"), tags=tuple(f"t{i}" for i in range(30)) + ("security",),
    )
    result = RunResult(root=root, findings=(), notifications=(), rules=(many,), files_scanned=0)
    tags = render(result)["runs"][0]["tool"]["driver"]["rules"][0]["properties"]["tags"]
    assert len(tags) == 20
    assert tags[:3] == ["security", "external/cwe/cwe-732", "external/cwe/cwe-269"]
    assert len(set(tags)) == len(tags)


def test_descriptions_fall_back_and_are_limited(root: Path) -> None:
    long_doc = "## What it does\n" + ("word " * 400) + "\n\n## Why is this bad\nx\n"
    meta = rule("LSL900", "unused-suppression", Level.WARNING, long_doc, summary="", tool_level=True)
    bare = rule("LSL901", "bare", Level.WARNING, "", summary="")
    result = RunResult(root=root, findings=(), notifications=(), rules=(meta, bare), files_scanned=0)
    long_rule, bare_rule = render(result)["runs"][0]["tool"]["driver"]["rules"]
    assert long_rule["shortDescription"]["text"] == "unused-suppression"
    full = long_rule["fullDescription"]["text"]
    assert len(full) <= 1024 and full.endswith("…")
    for key in ("shortDescription", "fullDescription", "help"):
        assert_text(bare_rule, key)
    assert bare_rule["help"]["markdown"].strip()


def test_full_description_flattens_a_leading_list(root: Path) -> None:
    doc = (
        "# LSL102 resolved-secret-in-env\n\n"
        "## What it does\n"
        "Flags values fetched at deploy time:\n"
        "- `{{resolve:secretsmanager:…}}`;\n"
        "- a `NoEcho` parameter.\n\n"
        "More detail.\n\n"
        "## Why is this bad C#\n"
        "x\n"
    )
    meta = rule("LSL102", "resolved-secret-in-env", Level.ERROR, doc)
    result = RunResult(root=root, findings=(), notifications=(), rules=(meta,), files_scanned=0)
    (r,) = render(result)["runs"][0]["tool"]["driver"]["rules"]
    assert r["fullDescription"]["text"] == (
        "Flags values fetched at deploy time: {{resolve:secretsmanager:…}}; a NoEcho parameter."
    )
    assert "Why is this bad C#" in r["help"]["text"]


# --- results -------------------------------------------------------------------


def test_every_result_has_what_github_requires(log: dict[str, Any]) -> None:
    run = only_run(log)
    rules = run["tool"]["driver"]["rules"]
    assert run["results"]
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] in {"error", "warning", "note"}
        assert_text(res, "message")
        assert 1 <= len(res["locations"]) <= 10
        phys = res["locations"][0]["physicalLocation"]
        assert_text(phys["artifactLocation"], "uri")
        assert phys["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert set(phys["region"]) == {"startLine", "startColumn", "endLine", "endColumn"}
        assert all(isinstance(v, int) and v >= 1 for v in phys["region"].values())
        assert re.fullmatch(r"[0-9a-f]+:\d+", res["partialFingerprints"]["primaryLocationLineHash"])


def test_result_levels_and_region(log: dict[str, Any]) -> None:
    (env,) = results_by(only_run(log), "LSL101")
    assert env["level"] == "error"
    assert env["message"]["text"] == "Environment variable API_KEY holds a literal secret (sk_l…(32 chars))."
    assert env["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "template.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 12, "startColumn": 9, "endLine": 12, "endColumn": 41},
    }


def test_uris_are_percent_encoded_relative_references(log: dict[str, Any]) -> None:
    run = only_run(log)
    uris = [
        loc_["physicalLocation"]["artifactLocation"]["uri"]
        for res in run["results"]
        for loc_ in res["locations"] + res.get("relatedLocations", [])
    ]
    assert "src/handler%20file.py" in uris
    assert "broken%20dir/bad.yaml" in uris
    assert "src/%C3%BCber.py" in uris
    for uri in uris:
        assert URI_REF_CHARS.match(uri), uri
        assert not uri.startswith("/") and "://" not in uri
    # GitHub decodes with decodeURIComponent: the original path comes back.
    assert unquote("src/%C3%BCber.py") == "src/über.py"


def test_related_locations_have_ids_and_messages(log: dict[str, Any]) -> None:
    (env,) = results_by(only_run(log), "LSL101")
    related = env["relatedLocations"]
    assert [r["id"] for r in related] == [1, 2]
    assert related[0]["message"]["text"] == "The handler reads API_KEY here."
    assert related[0]["physicalLocation"]["artifactLocation"]["uri"] == "src/handler%20file.py"
    assert related[0]["physicalLocation"]["region"]["startLine"] == 3


def test_fix_is_on_the_result_with_artifact_changes(log: dict[str, Any]) -> None:
    (env,) = results_by(only_run(log), "LSL101")
    (fix,) = env["fixes"]
    assert fix["description"]["text"].startswith("Read API_KEY from Secrets Manager")
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"] == {"uri": "template.yaml", "uriBaseId": "%SRCROOT%"}
    (rep,) = change["replacements"]
    assert rep["deletedRegion"] == {"startLine": 12, "startColumn": 18, "endLine": 12, "endColumn": 41}
    assert rep["insertedContent"]["text"].startswith("'{{resolve:secretsmanager:")


def test_engine_fingerprint_is_used_verbatim(log: dict[str, Any]) -> None:
    (env,) = results_by(only_run(log), "LSL101")
    assert env["partialFingerprints"] == {"primaryLocationLineHash": "0123456789abcdef:1"}


def test_fallback_fingerprint_is_stable_and_line_independent(root: Path) -> None:
    def unnumbered(line: int) -> Finding:
        return finding("LSL502", "src/über.py", line, fingerprint="", fingerprint_key="cache:  DB_PASSWORD")

    def fp(line: int) -> str:
        result = RunResult(root=root, findings=(unnumbered(line),), notifications=(), rules=RULES, files_scanned=1)
        (res,) = render(result)["runs"][0]["results"]
        return str(res["partialFingerprints"]["primaryLocationLineHash"])

    assert fp(7) == fp(7) == fp(70)
    expected = hashlib.sha256("LSL502\x00src/über.py\x00cache: DB_PASSWORD".encode()).hexdigest()[:16] + ":1"
    assert fp(7) == expected
    # The same value the engine assigns, so baselines and SARIF agree.
    (numbered,) = fingerprints.assign([unnumbered(7)])
    assert fp(7) == numbered.fingerprint


def test_suppressed_findings_are_left_out_by_default(log: dict[str, Any]) -> None:
    run = only_run(log)
    paths = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert "src/legacy%231.py" not in paths and "src/cache.py" not in paths
    assert all("suppressions" not in r for r in run["results"])


def test_suppressed_findings_on_request_carry_suppressions(root: Path) -> None:
    run = render(sample_result(root), show_suppressed=True)["runs"][0]
    by_uri = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r for r in run["results"]}
    assert by_uri["src/legacy%231.py"]["suppressions"] == [
        {
            "kind": "inSource",
            "status": "accepted",
            "justification": "Test fixture, not a real key.",
            "properties": {"source": "comment"},
        }
    ]
    baselined = by_uri["src/cache.py"]["suppressions"]
    assert baselined == [{"kind": "external", "status": "accepted", "properties": {"source": "baseline"}}]
    assert "suppressions" not in by_uri["template.yaml"]


def test_results_follow_finding_order(root: Path) -> None:
    run = render(sample_result(root), show_suppressed=True)["runs"][0]
    primaries = [r["locations"][0]["physicalLocation"] for r in run["results"]]
    keys = [(p["artifactLocation"]["uri"], p["region"]["startLine"]) for p in primaries]
    expected = [(f.location.path, f.location.line) for f in sample_result(root).findings]
    assert [(unquote(u), line) for u, line in keys] == expected


def test_empty_run_still_has_a_results_array(root: Path) -> None:
    result = RunResult(root=root, findings=(), notifications=(), rules=RULES, files_scanned=0)
    run = render(result)["runs"][0]
    assert run["results"] == []
    assert run["invocations"][0]["toolExecutionNotifications"] == []
    assert "notifications" not in run["tool"]["driver"]


def test_reversed_region_is_clamped(root: Path) -> None:
    f = finding("LSL201", "a.py", 4, location=Location("a.py", Span(4, 9, 4, 3)))
    result = RunResult(root=root, findings=(f,), notifications=(), rules=RULES, files_scanned=1)
    (res,) = render(result)["runs"][0]["results"]
    assert res["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 4, "startColumn": 9, "endLine": 4, "endColumn": 9,
    }


# --- run-level: uri base, invocation, notifications ----------------------------


def test_original_uri_base_is_absolute_encoded_with_trailing_slash(log: dict[str, Any], root: Path) -> None:
    base = only_run(log)["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base.startswith("file:///") and base.endswith("/")
    assert base == root.as_uri() + "/"
    assert "%20" in base and " " not in base and "%C3%A9" in base
    assert Path(unquote(base.removeprefix("file://"))) == root


def test_invocation_and_notifications(log: dict[str, Any]) -> None:
    run = only_run(log)
    driver = run["tool"]["driver"]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is True
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "warning"
    assert note["message"]["text"].startswith("Could not parse broken dir/bad.yaml")
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken%20dir/bad.yaml"
    # descriptor indexes driver.notifications; associatedRule indexes driver.rules.
    assert driver["notifications"][note["descriptor"]["index"]]["id"] == "LSL000"
    assert note["descriptor"]["id"] == "LSL000"
    assert driver["rules"][note["associatedRule"]["index"]]["id"] == "LSL000"
    assert "suppressions" not in note


@pytest.mark.parametrize("included", [True, False])
def test_parse_errors_are_also_results_exactly_once(root: Path, included: bool) -> None:
    run = render(sample_result(root, findings_include_notifications=included))["runs"][0]
    (res,) = results_by(run, "LSL000")
    assert res["level"] == "warning"
    assert res["ruleIndex"] == 0


def test_execution_failure_is_reported(root: Path) -> None:
    result = RunResult(
        root=root, findings=(), notifications=(), rules=RULES, files_scanned=0, execution_successful=False
    )
    assert render(result)["runs"][0]["invocations"][0]["executionSuccessful"] is False


@pytest.mark.parametrize(
    ("category", "expected"),
    [("lambda-secrets-lint", "lambda-secrets-lint/"), ("lsl/services/", "lsl/services/")],
)
def test_optional_category(root: Path, category: str, expected: str) -> None:
    run = render(sample_result(root), category=category)["runs"][0]
    assert run["automationDetails"] == {"id": expected}


def test_output_is_deterministic_and_keeps_unicode(root: Path) -> None:
    a = render_sarif(sample_result(root), tool_version=VERSION, show_suppressed=True)
    b = render_sarif(sample_result(root), tool_version=VERSION, show_suppressed=True)
    assert a == b
    assert "sk_l…(32 chars)" in a  # ensure_ascii=False
    assert a.startswith('{\n  "$schema"')


def test_custom_information_uri(root: Path) -> None:
    driver = render(sample_result(root), information_uri="https://example.com/lsl/")["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == "https://example.com/lsl/"
    assert driver["rules"][1]["helpUri"] == "https://example.com/lsl/blob/main/docs/rules/LSL101.md"
