"""serverless.yml → env facts: merge, variables, intrinsics."""
from __future__ import annotations

import pytest

from lambda_secrets_lint.model.infra import SourceKind
from lambda_secrets_lint.parsers.cfn_yaml import load_yaml
from lambda_secrets_lint.parsers.serverless import _split_variables, build_serverless

BASE = """\
service: orders
custom:
  dbPassword: Summer2024-orders!
  stage: prod
  nested: ${self:custom.dbPassword}
provider:
  name: aws
  environment:
    SHARED: from-provider
    OVERRIDDEN: provider-value
functions:
  api:
    handler: src/handler.api
    environment:
      OVERRIDDEN: function-value
      VALUE: %s
resources:
  Resources:
    OrdersTable:
      Type: AWS::DynamoDB::Table
"""


def _env(value: str) -> dict[str, object]:
    t = build_serverless("serverless.yml", load_yaml(BASE % value))
    assert t is not None and t.tool == "serverless"
    (fn,) = t.functions
    return {v.name: v for v in fn.env}


def test_provider_merge_function_wins_per_key() -> None:
    env = _env("x")
    assert env["SHARED"].declared_in == "provider" and env["SHARED"].key_location.line == 9
    assert env["OVERRIDDEN"].declared_in == "function" and env["OVERRIDDEN"].value.literal == "function-value"


@pytest.mark.parametrize(
    "value,kind,name,decrypted",
    [
        ("${ssm:/orders/prod/api-key}", SourceKind.SSM, "/orders/prod/api-key", True),
        ("${ssm(raw):/orders/prod/api-key}", SourceKind.SSM, "/orders/prod/api-key", True),
        ("${ssm(eu-west-1, noDecrypt):/orders/prod/flags}", SourceKind.SSM, "/orders/prod/flags", False),
        ("${awsProd:ssm:/orders/prod/api-key}", SourceKind.SSM, "/orders/prod/api-key", True),
        ("${ssm:/orders/prod/api-key~true}", SourceKind.SSM, "/orders/prod/api-key", True),
        ("${ssm:/aws/reference/secretsmanager/prod/db}", SourceKind.SECRETS_MANAGER, "prod/db", False),
        ("\"${ssm:/orders/prod/api-key, 'fallback'}\"", SourceKind.SSM, "/orders/prod/api-key", True),
    ],
)
def test_ssm_variables(value: str, kind: SourceKind, name: str, decrypted: bool) -> None:
    (source,) = _env(value)["VALUE"].value.sources
    assert (source.kind, source.name, source.decrypted) == (kind, name, decrypted)


def test_self_references_resolve_to_literals_and_other_sources_are_unknown() -> None:
    assert _env("${self:custom.dbPassword}")["VALUE"].value.literal == "Summer2024-orders!"
    assert _env("${self:custom.nested}")["VALUE"].value.literal == "Summer2024-orders!"
    mixed = _env("\"postgres://app:hunter22@${self:custom.stage}-db:5432/app\"")["VALUE"].value
    assert mixed.literal == "postgres://app:hunter22@prod-db:5432/app"
    for expr in ("${env:API_KEY}", "${file(./secrets.json):apiKey}", "${opt:stage}", "${self:custom.missing}",
                 "${self:custom.${opt:stage}.key}"):
        value = _env(expr)["VALUE"].value
        assert value.literal is None and [s.kind for s in value.sources] == [SourceKind.UNKNOWN], expr


def test_cloudformation_intrinsics_in_env() -> None:
    (source,) = _env("!Ref OrdersTable")["VALUE"].value.sources
    assert source.kind is SourceKind.RESOURCE


def test_split_variables_handles_nesting_and_unterminated_text() -> None:
    assert _split_variables("a${x:${y}}b") == [(False, "a"), (True, "x:${y}"), (False, "b")]
    assert _split_variables("a${oops") == [(False, "a${oops")]


def test_not_serverless() -> None:
    assert build_serverless("serverless.yml", load_yaml("provider:\n  name: google\nservice: x\n")) is None
    assert build_serverless("serverless.yml", load_yaml("- a\n- b\n")) is None


def test_bad_serverless_files_are_lsl000(run_cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    (tmp_path / ".git").mkdir()
    for name, text in (("a", "service: x\nprovider: {name: aws\n"), ("b", ""), ("c", "service: [\n")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "serverless.yml").write_text(text)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "serverless.json").write_text('{"service": "x", "provider": {"name": "aws"},}')
    r = run_cli("check", str(tmp_path), "--format", "json")
    got = sorted((f["path"], f["rule"], f["message"].split(":")[0]) for f in json.loads(r.out)["findings"])
    assert got == [
        ("a/serverless.yml", "LSL000", "invalid YAML"),
        ("b/serverless.yml", "LSL000", "file is empty; the file was not checked"),
        ("c/serverless.yml", "LSL000", "invalid YAML"),
        ("d/serverless.json", "LSL000", "invalid JSON"),
    ]
