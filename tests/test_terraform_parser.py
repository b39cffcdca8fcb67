"""Terraform (.tf) -> Template facts: env values, sources, variables, positions."""
from __future__ import annotations

from pathlib import Path

import pytest

from lambda_secrets_lint.model.infra import EnvVar, SourceKind, Template
from lambda_secrets_lint.model.location import Span
from lambda_secrets_lint.model.project import Project
from lambda_secrets_lint.parsers.nodes import ParseError
from lambda_secrets_lint.parsers.terraform import build_terraform, read_module_files
from lambda_secrets_lint.rule import Settings
from lambda_secrets_lint.rules.lsl101_literal_secret_in_env import LiteralSecretInEnv
from lambda_secrets_lint.rules.lsl102_resolved_secret_in_env import ResolvedSecretInEnv

K = SourceKind


def _lambda(entries: str, extra: str = "") -> str:
    return (
        f"{extra}"
        'resource "aws_lambda_function" "api" {\n'
        '  function_name = "api"\n'
        "  environment {\n"
        "    variables = {\n"
        f"{entries}"
        "    }\n"
        "  }\n"
        "}\n"
    )


def _build(text: str, module_files: dict[str, str] | None = None, path: str = "main.tf") -> Template:
    t = build_terraform(path, text, module_files)
    assert t is not None
    return t


def _env(text: str, module_files: dict[str, str] | None = None) -> dict[str, EnvVar]:
    t = _build(text, module_files)
    assert len(t.functions) == 1
    return {v.name: v for v in t.functions[0].env}


def _one(entry: str, extra: str = "") -> EnvVar:
    env = _env(_lambda(f"      X = {entry}\n", extra))
    return env["X"]


def _kinds(var: EnvVar) -> list[tuple[SourceKind, str]]:
    return [(s.kind, s.name) for s in var.value.sources]


# -- literals and templates -------------------------------------------------

@pytest.mark.parametrize(
    "expr,literal,parts",
    [
        ('"INFO"', "INFO", ("INFO",)),
        ('""', "", ()),
        ("5", "5", ("5",)),
        ("true", "true", ("true",)),
        (r'"a\nb\"c\\d"', 'a\nb"c\\d', ('a\nb"c\\d',)),
        (r'"\u00e9t\u00e9"', "été", ("été",)),
        ('"cost $${amount}"', "cost ${amount}", ("cost ${amount}",)),
        ('tostring("x1")', "x1", ("x1",)),
        ('("paren")', "paren", ("paren",)),
    ],
)
def test_literal_values(expr: str, literal: str, parts: tuple[str, ...]) -> None:
    v = _one(expr)
    assert v.value.literal == literal
    assert v.value.literal_parts == parts
    assert v.value.sources == ()


def test_null_value_is_empty() -> None:
    v = _one("null")
    assert v.value.literal is None and v.value.literal_parts == () and v.value.sources == ()


def test_template_with_interpolation() -> None:
    v = _one('"postgres://app:hunter2@${aws_db_instance.main.address}:5432/app"')
    assert v.value.literal is None
    assert v.value.literal_parts == ("postgres://app:hunter2@", ":5432/app")
    assert _kinds(v) == [(K.RESOURCE, "aws_db_instance.main")]
    assert v.value.sources[0].detail == "aws_db_instance.address"


def test_heredoc_is_dedented_and_interpolated() -> None:
    text = _lambda(
        "      PEM = <<-EOT\n"
        "        -----BEGIN KEY-----\n"
        "          ${var.body}\n"
        "        -----END KEY-----\n"
        "      EOT\n"
    )
    v = _env(text)["PEM"]
    assert v.value.literal_parts == ("-----BEGIN KEY-----\n  ", "\n-----END KEY-----\n")
    assert _kinds(v) == [(K.TEMPLATE_PARAMETER, "body")]


def test_plain_heredoc_is_a_literal() -> None:
    v = _env(_lambda("      MOTD = <<EOT\nhello\n  world\nEOT\n"))["MOTD"]
    assert v.value.literal == "hello\n  world\n"


def test_template_directive_is_unknown() -> None:
    v = _one('"%{ if var.on }yes%{ endif }"')
    assert _kinds(v) == [(K.UNKNOWN, "")]


def test_format_splits_text_and_arguments() -> None:
    v = _one('format("%s:%d%%", var.user, 5)')
    assert v.value.literal_parts == (":5%",)
    assert _kinds(v) == [(K.TEMPLATE_PARAMETER, "user")]


def test_conditional_is_the_union_of_both_branches() -> None:
    v = _one('var.prod ? var.api_key : "sk_test_local"')
    assert v.value.literal is None
    assert v.value.literal_parts == ("sk_test_local",)
    assert _kinds(v) == [(K.TEMPLATE_PARAMETER, "api_key")]


@pytest.mark.parametrize(
    "expr,kinds",
    [
        ("[1, 2]", [(K.UNKNOWN, "")]),
        ('{ a = "b" }', [(K.UNKNOWN, "")]),
        ("1 + 2", [(K.UNKNOWN, "")]),
        ("[for s in var.l : s]", [(K.UNKNOWN, "")]),
        ('file("key.pem")', [(K.UNKNOWN, "")]),
        ("sha256(var.db_password)", [(K.UNKNOWN, "")]),
        ("base64encode(var.db_password)", [(K.TEMPLATE_PARAMETER, "db_password")]),
        ("lookup(var.m, \"k\", \"d\")", [(K.TEMPLATE_PARAMETER, "m")]),
        ("each.value", [(K.UNKNOWN, "each")]),
        ('try(var.a, "fallback")', [(K.TEMPLATE_PARAMETER, "a")]),
    ],
)
def test_unknowns_and_functions(expr: str, kinds: list[tuple[SourceKind, str]]) -> None:
    assert _kinds(_one(expr)) == kinds


# -- references --------------------------------------------------------------

_VARS = (
    'variable "db_password" {\n  type      = string\n  sensitive = true\n}\n'
    'variable "stage" {\n  default = "dev"\n}\n'
)


def test_sensitive_variable_is_no_echo_with_its_location() -> None:
    v = _one("var.db_password", _VARS)
    (src,) = v.value.sources
    assert (src.kind, src.name, src.template_parameter, src.no_echo) == (K.TEMPLATE_PARAMETER, "db_password", "db_password", True)
    assert src.location is not None and src.location.line == 1 and src.location.path == "main.tf"


def test_plain_and_undeclared_variables() -> None:
    env = _env(_lambda("      STAGE = var.stage\n      OTHER = var.nowhere\n", _VARS))
    assert env["STAGE"].value.sources[0].no_echo is False
    assert env["STAGE"].value.sources[0].location is not None
    assert env["OTHER"].value.sources[0].location is None
    assert _kinds(env["OTHER"]) == [(K.TEMPLATE_PARAMETER, "nowhere")]


def test_locals_resolve_recursively_and_through_objects() -> None:
    extra = (
        "locals {\n"
        '  prefix = "acme"\n'
        '  name   = "${local.prefix}-orders"\n'
        '  db     = { user = "app", password = var.db_password }\n'
        "  a      = local.b\n"
        "  b      = local.a\n"
        "}\n"
    ) + _VARS
    env = _env(_lambda(
        "      NAME = local.name\n      DB_USER = local.db.user\n      DB_PW = local.db[\"password\"]\n"
        "      LOOP = local.a\n      MISSING = local.nope\n",
        extra,
    ))
    assert env["NAME"].value.literal == "acme-orders"
    assert env["DB_USER"].value.literal == "app"
    assert _kinds(env["DB_PW"]) == [(K.TEMPLATE_PARAMETER, "db_password")]
    assert env["DB_PW"].value.sources[0].no_echo is True
    assert _kinds(env["LOOP"]) == [(K.UNKNOWN, "")]  # a cycle ends in "nested too deeply", not a crash
    assert _kinds(env["MISSING"]) == [(K.UNKNOWN, "local.nope")]


_DATA = (
    'data "aws_secretsmanager_secret_version" "db" {\n  secret_id = "prod/orders/db"\n}\n'
    'data "aws_secretsmanager_secret_version" "dyn" {\n  secret_id = "prod/${var.svc}/db"\n}\n'
    'data "aws_secretsmanager_secret_version" "byref" {\n  secret_id = aws_secretsmanager_secret.x.id\n}\n'
    'data "aws_ssm_parameter" "pw" {\n  name = "/prod/db/password"\n}\n'
    'data "aws_ssm_parameter" "flags" {\n  name            = "/prod/flags"\n  with_decryption = false\n}\n'
    'resource "aws_ssm_parameter" "secure" {\n  name = "/prod/api-key"\n  type = "SecureString"\n  value = "x"\n}\n'
    'resource "aws_ssm_parameter" "plain" {\n  name = "/prod/color"\n  type = "String"\n  value = "blue"\n}\n'
)


@pytest.mark.parametrize(
    "expr,kind,name,decrypted",
    [
        ("data.aws_secretsmanager_secret_version.db.secret_string", K.SECRETS_MANAGER, "prod/orders/db", False),
        ('jsondecode(data.aws_secretsmanager_secret_version.db.secret_string)["password"]', K.SECRETS_MANAGER, "prod/orders/db", False),
        ("jsondecode(data.aws_secretsmanager_secret_version.db.secret_string).password", K.SECRETS_MANAGER, "prod/orders/db", False),
        ("data.aws_secretsmanager_secret_version.dyn.secret_string", K.SECRETS_MANAGER, "prod/*/db", False),
        ("data.aws_secretsmanager_secret_version.byref.secret_string", K.SECRETS_MANAGER, "data.aws_secretsmanager_secret_version.byref", False),
        ("data.aws_secretsmanager_secret_version.undeclared.secret_string", K.SECRETS_MANAGER, "data.aws_secretsmanager_secret_version.undeclared", False),
        ("data.aws_secretsmanager_secret_version.db.arn", K.RESOURCE, "data.aws_secretsmanager_secret_version.db", False),
        ("data.aws_ssm_parameter.pw.value", K.SSM, "/prod/db/password", True),
        ("data.aws_ssm_parameter.flags.value", K.SSM, "/prod/flags", False),
        ("data.aws_ssm_parameter.pw.insecure_value", K.SSM, "/prod/db/password", False),
        ("data.aws_ssm_parameter.undeclared.value", K.SSM, "data.aws_ssm_parameter.undeclared", True),
        ("aws_ssm_parameter.secure.value", K.SSM, "/prod/api-key", True),
        ("aws_ssm_parameter.plain.value", K.SSM, "/prod/color", False),
        ("aws_ssm_parameter.secure.name", K.RESOURCE, "aws_ssm_parameter.secure", False),
        ("aws_iam_access_key.deploy.secret", K.SECRET_ATTRIBUTE, "aws_iam_access_key.deploy", False),
        ("aws_iam_access_key.deploy.ses_smtp_password_v4", K.SECRET_ATTRIBUTE, "aws_iam_access_key.deploy", False),
        ("aws_iam_access_key.deploy.id", K.RESOURCE, "aws_iam_access_key.deploy", False),
        ("aws_cognito_user_pool_client.web.client_secret", K.SECRET_ATTRIBUTE, "aws_cognito_user_pool_client.web", False),
        ("random_password.db.result", K.SECRET_ATTRIBUTE, "random_password.db", False),
        ("aws_secretsmanager_secret_version.v.secret_string", K.SECRETS_MANAGER, "aws_secretsmanager_secret_version.v", False),
        ("aws_dynamodb_table.orders.name", K.RESOURCE, "aws_dynamodb_table.orders", False),
        ("aws_sqs_queue.jobs[0].url", K.RESOURCE, "aws_sqs_queue.jobs", False),
        ("aws_sqs_queue.jobs[*].url", K.RESOURCE, "aws_sqs_queue.jobs", False),
        ("data.aws_region.current.name", K.RESOURCE, "data.aws_region.current", False),
        ("module.db.password", K.RESOURCE, "module.db", False),
        ("path.module", K.PSEUDO, "path.module", False),
    ],
)
def test_reference_sources(expr: str, kind: SourceKind, name: str, decrypted: bool) -> None:
    (src,) = _one(expr, _DATA).value.sources
    assert (src.kind, src.name, src.decrypted) == (kind, name, decrypted)


def test_secret_sources_point_at_their_declaration() -> None:
    src = _one("data.aws_ssm_parameter.pw.value", _DATA).value.sources[0]
    assert src.location is not None and src.location.line == 10
    assert src.template_parameter == "pw"
    assert src.detail == "data.aws_ssm_parameter.pw.value"
    attr = _one("aws_iam_access_key.deploy.secret").value.sources[0]
    assert attr.detail == "aws_iam_access_key.secret"


# -- env maps ------------------------------------------------------------------

def test_env_map_from_locals_and_merge_later_wins() -> None:
    text = (
        "locals {\n"
        "  common = {\n"
        '    LOG_LEVEL = "INFO"\n'
        '    REGION    = "eu-west-1"\n'
        "  }\n"
        "}\n"
        'resource "aws_lambda_function" "api" {\n'
        "  environment {\n"
        "    variables = merge(local.common, var.extra, {\n"
        '      "LOG_LEVEL" = "DEBUG"\n'
        "      STAGE       = var.stage\n"
        "    })\n"
        "  }\n"
        "}\n"
    )
    env = _env(text)
    assert list(env) == ["LOG_LEVEL", "REGION", "STAGE"]
    assert env["LOG_LEVEL"].value.literal == "DEBUG"
    assert env["LOG_LEVEL"].key_location.line == 10
    assert env["REGION"].key_location.line == 4  # written in the locals block
    assert env["STAGE"].pointer == "aws_lambda_function.api/environment/variables/STAGE"


def test_env_map_local_alone_and_conditional() -> None:
    text = (
        'locals {\n  prod = { A = "1" }\n  dev = { B = "2" }\n}\n'
        'resource "aws_lambda_function" "one" {\n  environment {\n    variables = local.prod\n  }\n}\n'
        'resource "aws_lambda_function" "two" {\n  environment {\n    variables = var.p ? local.prod : local.dev\n  }\n}\n'
    )
    t = _build(text)
    assert [v.name for v in t.functions[0].env] == ["A"]
    assert [v.name for v in t.functions[1].env] == ["A", "B"]


@pytest.mark.parametrize(
    "body",
    [
        "",
        "  environment {}\n",
        "  environment {\n    variables = var.env\n  }\n",
        "  environment {\n    variables = { (var.k) = \"v\", \"${var.p}_X\" = \"v\" }\n  }\n",
        '  dynamic "environment" {\n    for_each = [1]\n    content {\n      variables = { A = "b" }\n    }\n  }\n',
    ],
)
def test_env_shapes_we_cannot_see_are_skipped(body: str) -> None:
    t = _build('resource "aws_lambda_function" "f" {\n' + body + "}\n")
    assert len(t.functions) == 1 and t.functions[0].env == ()


# -- functions, variables, positions -------------------------------------------

def test_function_facts_and_positions() -> None:
    text = _lambda('      "DB_PASSWORD" = "hunter2"\n      é_KEY = "x"\n      NEXT = "ü${var.a}"\n')
    t = _build(text)
    assert (t.tool, t.is_sam, t.synthesized, t.resources) == ("terraform", False, False, ())
    fn = t.functions[0]
    assert (fn.logical_id, fn.resource_type) == ("api", "aws_lambda_function")
    assert fn.location.span == Span(1, 1, 1, 37)
    pw, e, nxt = fn.env
    assert (pw.name, pw.function, pw.declared_in) == ("DB_PASSWORD", "api", "function")
    assert pw.key_location.span == Span(5, 7, 5, 20)
    assert pw.value_location.span == Span(5, 23, 5, 32)
    assert e.name == "é_KEY" and e.key_location.span == Span(6, 7, 6, 12)
    # code-point columns after a non-ASCII character
    assert nxt.value_location.span == Span(7, 14, 7, 25)


def test_variables_become_parameters() -> None:
    text = (
        'variable "api_token" {\n'
        "  type      = string\n"
        "  sensitive = true\n"
        '  default   = "tok_9fQ2"\n'
        "}\n"
        'variable "tags" {\n  type = map(string)\n  default = { a = "b" }\n}\n'
        'variable "count_n" {\n  default = 3\n}\n'
        'variable "nothing" {\n  default = null\n}\n'
        'variable "bare" {}\n'
    )
    t = _build(text)
    assert t.functions == ()
    p = {x.name: x for x in t.parameters}
    assert list(p) == ["api_token", "tags", "count_n", "nothing", "bare"]
    tok = p["api_token"]
    assert (tok.type, tok.default, tok.no_echo) == ("string", "tok_9fQ2", True)
    assert tok.location.span == Span(1, 1, 1, 21)
    assert tok.default_location is not None and tok.default_location.line == 4
    assert (p["tags"].type, p["tags"].default, p["tags"].no_echo) == ("map(string)", None, False)
    assert p["tags"].default_location is not None
    assert p["count_n"].default == "3"
    assert (p["nothing"].default, p["nothing"].default_location) == (None, None)
    assert (p["bare"].type, p["bare"].default) == ("string", None)


def test_no_lambda_and_no_variable_is_none() -> None:
    assert build_terraform("versions.tf", 'terraform {\n  required_version = ">= 1.5"\n}\n') is None
    assert build_terraform("empty.tf", "") is None
    assert build_terraform("s3.tf", 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n') is None


@pytest.mark.parametrize(
    "text,line",
    [
        ('resource "aws_lambda_function" "f" {\n  environment {\n    variables = {\n      A = \n    }\n  }\n}\n', 5),
        # the grammar lets a quoted string run on, so the error shows at the end of the file
        ('variable "x" {\n  default = "unterminated\n}\n', 4),
        ('resource "aws_lambda_function" "f" {\n', 2),
    ],
)
def test_syntax_error_raises_parse_error_with_a_line(text: str, line: int) -> None:
    with pytest.raises(ParseError) as err:
        build_terraform("bad.tf", text)
    assert err.value.line is not None and 1 <= err.value.line <= line
    assert err.value.message.startswith("invalid HCL")
    assert "unterminated" not in str(err.value) and "variables" not in str(err.value)


# -- modules (several files) ---------------------------------------------------

def test_module_files_resolve_variables_locals_and_data() -> None:
    siblings = {
        "svc/variables.tf": 'variable "db_password" {\n  sensitive = true\n  default   = "Pa55-w0rd-Lake"\n}\n',
        "svc/locals.tf": 'locals {\n  env = {\n    API_TOKEN = "tok-live-4f9a"\n  }\n}\n',
        "svc/data.tf": 'data "aws_ssm_parameter" "k" {\n  name            = "/svc/k"\n  with_decryption = false\n}\n',
        "svc/broken.tf": 'variable "x" {\n',
    }
    text = (
        'resource "aws_lambda_function" "f" {\n  environment {\n    variables = merge(local.env, {\n'
        "      DB_PASSWORD = var.db_password\n      K = data.aws_ssm_parameter.k.value\n    })\n  }\n}\n"
    )
    t = _build(text, siblings, path="svc/lambda.tf")
    env = {v.name: v for v in t.functions[0].env}
    assert env["API_TOKEN"].key_location.path == "svc/locals.tf"
    assert env["API_TOKEN"].key_location.line == 3
    src = env["DB_PASSWORD"].value.sources[0]
    assert src.no_echo is True and src.location is not None and src.location.path == "svc/variables.tf"
    assert env["K"].value.sources[0].decrypted is False
    assert [p.name for p in t.parameters] == ["db_password"]  # the broken sibling is ignored
    assert t.parameters[0].default_location is not None and t.parameters[0].default_location.path == "svc/variables.tf"


def test_own_variables_come_first() -> None:
    t = _build('variable "b" {}\n', {"a.tf": 'variable "a" {}\n'}, path="b.tf")
    assert [p.name for p in t.parameters] == ["b", "a"]


def test_read_module_files(tmp_path: Path) -> None:
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text('variable "a" {}\n', "utf-8")
    (tmp_path / "infra" / "vars.tf").write_text('variable "b" {}\n', "utf-8")
    (tmp_path / "infra" / "terraform.tfvars").write_text('b = "x"\n', "utf-8")
    (tmp_path / "infra" / "sub").mkdir()
    (tmp_path / "infra" / "sub" / "x.tf").write_text("", "utf-8")
    files = read_module_files("infra/main.tf", tmp_path / "infra" / "main.tf", 1 << 20)
    assert files == {"infra/vars.tf": 'variable "b" {}\n'}


# -- what the rules make of it -------------------------------------------------

def _findings(t: Template) -> set[tuple[str, int, str]]:
    project = Project(root=Path("."), files=(), templates=(t,), notifications=())
    found = list(LiteralSecretInEnv().check(project, Settings())) + list(ResolvedSecretInEnv().check(project, Settings()))
    return {(f.location.path, f.location.line, f.rule_id) for f in found}


def test_rules_read_the_facts() -> None:
    text = (
        'variable "stripe_key" {\n'  # 1
        "  sensitive = true\n"
        '  default   = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"\n'  # 3
        "}\n"
        'data "aws_ssm_parameter" "flags" {\n'
        '  name            = "/app/flags"\n'
        "  with_decryption = false\n"
        "}\n"
        'resource "aws_lambda_function" "api" {\n'  # 9
        "  environment {\n"
        "    variables = {\n"
        "      STRIPE_KEY  = var.stripe_key\n"  # 12
        '      DB_URL      = "postgres://app:hunter2@${aws_db_instance.db.address}/app"\n'  # 13
        "      FLAGS       = data.aws_ssm_parameter.flags.value\n"  # 14
        "      ACCESS      = aws_iam_access_key.ci.secret\n"  # 15
        "      TABLE_NAME  = aws_dynamodb_table.t.name\n"
        '      LOG_LEVEL   = "INFO"\n'
        "    }\n"
        "  }\n"
        "}\n"
    )
    assert _findings(_build(text)) == {
        ("main.tf", 3, "LSL101"),
        ("main.tf", 12, "LSL102"),
        ("main.tf", 13, "LSL101"),
        ("main.tf", 15, "LSL102"),
    }


def test_malformed_terraform_is_lsl000_and_the_run_goes_on(run_cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    (tmp_path / ".git").mkdir()
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "main.tf").write_text('resource "aws_lambda_function" "fn" {\n  environment {\n    variables = {\n')
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "main.tf").write_text(
        'resource "aws_lambda_function" "fn" {\n  environment {\n    variables = {\n'
        '      DB_PASSWORD = "Winter-Is-Coming-2024"\n    }\n  }\n}\n'
    )
    (tmp_path / "binary.tf").write_bytes(b"\x00\x01resource\x00")
    r = run_cli("check", str(tmp_path), "--format", "json")
    got = sorted((f["path"], f["rule"], f["line"]) for f in json.loads(r.out)["findings"])
    assert [g[:2] for g in got] == [("binary.tf", "LSL000"), ("broken/main.tf", "LSL000"), ("ok/main.tf", "LSL101")]
    assert "Traceback" not in r.err
