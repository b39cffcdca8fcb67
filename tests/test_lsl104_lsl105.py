"""LSL104 (middy writes secrets to process.env) and LSL105 (secrets cached in
cdk.context.json): version resolution, the cdk.context.json and package.json
parsers, bad input, and fixture counts."""
from __future__ import annotations

from pathlib import Path

import pytest

from lambda_secrets_lint.model.infra import ContextLookup, Template
from lambda_secrets_lint.model.location import Location, Span
from lambda_secrets_lint.model.project import Project
from lambda_secrets_lint.parsers.cdk_context import build_cdk_context, parameter_name_of
from lambda_secrets_lint.parsers.manifests import parse_manifest
from lambda_secrets_lint.parsers.npm_manifest import build_npm_manifest
from lambda_secrets_lint.rule import Settings
from lambda_secrets_lint.rules.lsl104_middleware_secret_to_env import spec_major
from lambda_secrets_lint.rules.lsl105_secret_in_cdk_context import SecretInCdkContext
from lambda_secrets_lint.testing import annotations, lint_directory

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")


def _found(root: Path, rule: str | None = None) -> list[tuple[str, int, str, str]]:
    result = lint_directory(root)
    return [(f.location.path, f.location.line, f.rule_id, f.message) for f in result.findings
            if rule is None or f.rule_id == rule]


@pytest.mark.parametrize(
    "spec,major",
    [("^1.5.2", 1), ("~2.5.7", 2), ("2.x", 2), ("4.7.0", 4), ("^0.36.0", 0), ("1.0.0-beta.3", 1),
     ("npm:@middy/ssm@^2.0.0", 2), ("latest", None), ("*", None), (">=1.0.0", None), ("1.x || 2.x", None),
     ("workspace:*", None), ("github:middyjs/middy", None)],
)
def test_spec_major(spec: str, major: int | None) -> None:
    assert spec_major(spec) == major


_HANDLER_ENV_SSM = """\
const middy = require('@middy/core');
const ssm = require('@middy/ssm');

const base = async (event) => ({ statusCode: 200, body: String(Boolean(event)) });

module.exports.handler = middy(base).use(ssm({
  cache: true,
  cacheExpiryInMillis: 300000,
  cacheExpiry: 300000,
  names: { PARTNER_TOKEN: '/prod/partner-token' },
}));
"""


def _pkg(deps: dict[str, str]) -> str:
    import json

    return json.dumps({"name": "svc", "dependencies": deps})


@pytest.mark.parametrize(
    "deps,fires",
    [({"@middy/core": "^1.5.2", "@middy/ssm": "^1.5.2"}, True),
     ({"middy": "^0.36.0"}, True),
     ({"@middy/core": "^4.7.0", "@middy/ssm": "^4.7.0"}, False),
     ({"@middy/ssm": "~2.5.7"}, False)],  # v2 without setToEnv: values stay internal
)
def test_version_comes_from_package_json(tmp_path: Path, deps: dict[str, str], fires: bool) -> None:
    _write(tmp_path, {"package.json": _pkg(deps), "src/handler.js": _HANDLER_ENV_SSM})
    assert bool(_found(tmp_path, "LSL104")) is fires


def test_lockfile_version_wins_over_the_spec(tmp_path: Path) -> None:
    import json

    lock = {"lockfileVersion": 3, "packages": {"": {}, "node_modules/@middy/ssm": {"version": "1.5.2"}}}
    _write(tmp_path, {"package.json": _pkg({"@middy/ssm": "^4.0.0"}), "package-lock.json": json.dumps(lock),
                      "src/handler.js": _HANDLER_ENV_SSM})
    hits = _found(tmp_path, "LSL104")
    assert [(h[0], h[1]) for h in hits] == [("src/handler.js", 6)]
    assert "1.5.2" in hits[0][3] and "setToContext: true" in hits[0][3]


def test_nearest_manifest_declaring_middy_is_used(tmp_path: Path) -> None:
    _write(tmp_path, {"package.json": _pkg({"@middy/ssm": "^4.7.0"}),
                      "svc/package.json": _pkg({"@middy/ssm": "^1.5.2"}),
                      "svc/src/handler.js": _HANDLER_ENV_SSM})
    assert [h[:3] for h in _found(tmp_path, "LSL104")] == [("svc/src/handler.js", 6, "LSL104")]


def test_without_manifest_the_options_decide(tmp_path: Path) -> None:
    legacy = _HANDLER_ENV_SSM.replace("  cacheExpiry: 300000,\n", "")
    modern = ("const middy = require('@middy/core');\nconst ssm = require('@middy/ssm');\n"
              "const base = async () => ({ statusCode: 200 });\n"
              "module.exports.handler = middy(base).use(ssm({ fetchData: { k: '/prod/k' }, cacheExpiry: 1000 }));\n")
    to_env = modern.replace("cacheExpiry: 1000", "cacheExpiry: 1000, setToEnv: true")
    # names without any cache option: the v0/v1 option model (cache off by default)
    bare_names = ("const middy = require('@middy/core');\nconst ssm = require('@middy/ssm');\n"
                  "const base = async () => ({ statusCode: 200 });\n"
                  "module.exports.handler = middy(base).use(ssm({ names: { K: '/prod/k' } })); // LSL501 too\n")
    _write(tmp_path, {"legacy.js": legacy, "modern.js": modern, "to_env.js": to_env, "bare.js": bare_names})
    hits = {h[0]: h[3] for h in _found(tmp_path, "LSL104")}
    assert set(hits) == {"legacy.js", "to_env.js", "bare.js"}
    assert "0.x/1.x" in hits["legacy.js"]
    assert "setToEnv" in hits["to_env.js"] and "getInternal" in hits["to_env.js"]


def test_secrets_manager_v1_never_fires_and_v3_set_to_env_is_ignored(tmp_path: Path) -> None:
    sm = ("const middy = require('@middy/core');\nconst secretsManager = require('@middy/secrets-manager');\n"
          "const base = async () => ({ statusCode: 200 });\n"
          "module.exports.handler = middy(base).use(secretsManager({ cache: true, cacheExpiryInMillis: 1000,"
          " secrets: { db: 'prod/db' }, setToEnv: true }));\n")
    _write(tmp_path / "v1", {"package.json": _pkg({"@middy/secrets-manager": "1.4.0"}), "h.js": sm})
    _write(tmp_path / "v3", {"package.json": _pkg({"@middy/secrets-manager": "3.6.2"}),
                             "h.js": sm.replace("cache: true, cacheExpiryInMillis: 1000", "cacheExpiry: 1000")
                                       .replace("secrets:", "fetchData:")})
    assert _found(tmp_path / "v1", "LSL104") == []
    assert _found(tmp_path / "v3", "LSL104") == []


# ---- parsers ----------------------------------------------------------------

def test_parameter_name_of() -> None:
    assert parameter_name_of("ssm:account=1:parameterName=/prod/x:region=eu-west-1") == "/prod/x"
    assert parameter_name_of("availability-zones:account=1:region=eu-west-1") == ""


def test_cdk_context_entries_carry_facts_not_values() -> None:
    secret = "sk_live_51Hx7QeKq2mZ8vB4nR6tY0pLw"
    text = ('{\n  "ssm:account=1:parameterName=/prod/stripe-key:region=eu-west-1": "%s",\n'
            '  "ssm:account=1:parameterName=/prod/x:region=eu-west-1": "dummy-value-for-/prod/x"\n}\n' % secret)
    ctx = build_cdk_context("cdk.context.json", text)
    first, second = ctx.entries
    assert (first.parameter_name, first.location.line, first.trivial) == ("/prod/stripe-key", 2, False)
    assert first.credential_kind and secret not in repr(ctx) and first.masked
    assert (second.location.line, second.trivial, second.credential_kind) == (3, True, "")


def test_npm_manifest_merges_sections_and_reads_v1_and_v3_lockfiles(tmp_path: Path) -> None:
    import json

    pkg = {"dependencies": {"@middy/core": "^1.5.2"}, "devDependencies": {"jest": "^29"},
           "peerDependencies": {"@middy/ssm": "^1.0.0"}, "optionalDependencies": {"fsevents": "*"}}
    (tmp_path / "package.json").write_text(json.dumps(pkg))
    (tmp_path / "package-lock.json").write_text(json.dumps({"lockfileVersion": 1, "dependencies": {"@middy/ssm": {"version": "1.5.2"}}}))
    m = build_npm_manifest(parse_manifest("package.json", json.dumps(pkg)), tmp_path / "package.json")
    assert dict(m.dependencies) == {"@middy/core": "^1.5.2", "jest": "^29", "@middy/ssm": "^1.0.0", "fsevents": "*"}
    assert m.version_of("@middy/ssm") == "1.5.2" and m.version_of("@middy/core") == "^1.5.2"


@pytest.mark.parametrize("name", ["package.json", "cdk.context.json"])
@pytest.mark.parametrize("text,line", [('{\n  "a": 1,\n}\n', 2), ("[1, 2]\n", 1), ('{"a": \n', 2)])
def test_malformed_json_is_a_parse_notice(tmp_path: Path, name: str, text: str, line: int) -> None:
    _write(tmp_path, {name: text})
    hits = _found(tmp_path)
    assert [(h[0], h[2]) for h in hits] == [(name, "LSL000")]
    assert hits[0][1] == line


def test_lookups_from_cdk_templates() -> None:
    def lookup(name: str, line: int) -> ContextLookup:
        return ContextLookup(name, Location("lib/stack.ts", Span(line, 5, line, 40)))

    t = Template("lib/stack.ts", False, False, (), (), (), tool="cdk",
                 lookups=(lookup("/prod/db/password", 10), lookup("/prod/vpc-id", 11), lookup("", 12),
                          lookup("/prod/partner/api-key", 13)))
    cfn = Template("template.yaml", False, False, (), (), (), lookups=(lookup("/prod/db/password", 3),))
    project = Project(Path("."), (), (t, cfn), ())
    hits = list(SecretInCdkContext().check(project, Settings()))
    assert [h.location.line for h in hits] == [10, 13]
    assert all("cdk.context.json" in h.message and "valueForStringParameter" in h.message for h in hits)


@pytest.mark.parametrize("rule,group", [("LSL104", "lsl104"), ("LSL105", "lsl105")])
def test_enough_fixtures(rule: str, group: str) -> None:
    fire = ok = 0
    for project in (FIXTURES / group).iterdir():
        ann = annotations(project)
        fire += sum(1 for t in ann.expect if t[2] == rule)
        ok += sum(1 for t in ann.ok if t[2] == rule)
    assert fire >= 6 and ok >= 6, (fire, ok)
