"""Terraform -> IAM facts: code refs, env patterns, roles and grants, stores,
the terraform-aws-modules/lambda/aws module, and what the LSL3xx rules make
of them (docs/design/iam-linking.md)."""
from __future__ import annotations

from pathlib import Path

import pytest

from lambda_secrets_lint.iam.policy import evaluate, is_overbroad, is_specific
from lambda_secrets_lint.model.infra import LambdaFunction, RoleFacts, Template
from lambda_secrets_lint.parsers.nodes import ParseError
from lambda_secrets_lint.parsers.terraform import build_terraform
from lambda_secrets_lint.parsers.terraform.lambda_module import is_lambda_module
from lambda_secrets_lint.testing import lint_directory, mutations


def _build(text: str, module_files: dict[str, str] | None = None, path: str = "main.tf") -> Template:
    t = build_terraform(path, text, module_files)
    assert t is not None
    return t


def _fn(text: str, name: str | None = None, module_files: dict[str, str] | None = None, path: str = "main.tf") -> LambdaFunction:
    fns = _build(text, module_files, path).functions
    return fns[0] if name is None else next(f for f in fns if f.logical_id == name)


def _role(text: str, module_files: dict[str, str] | None = None, path: str = "main.tf") -> RoleFacts:
    role = _fn(text, module_files=module_files, path=path).role
    assert role is not None
    return role


def _line(text: str, needle: str, nth: int = 0) -> int:
    return [i for i, line in enumerate(text.splitlines(), 1) if needle in line][nth]


def _lambda(body: str = "", *, name: str = "api", role: str = "aws_iam_role.api.arn", env: str = "") -> str:
    env_block = f"  environment {{\n    variables = {{\n{env}    }}\n  }}\n" if env else ""
    role_line = f"  role     = {role}\n" if role else ""
    return (
        f'resource "aws_lambda_function" "{name}" {{\n'
        f'  function_name = "{name}"\n'
        f"{role_line}"
        '  handler  = "app.handler"\n'
        '  runtime  = "python3.12"\n'
        f"{body}"
        f"{env_block}"
        "}\n"
    )


ROLE = 'resource "aws_iam_role" "api" {\n  name = "api-role"\n  assume_role_policy = "{}"\n}\n'


# -- code -------------------------------------------------------------------------

ARCHIVE = """\
data "archive_file" "api" {
  type        = "zip"
  source_dir  = "${path.module}/../src/orders"
  output_path = "${path.module}/build/orders.zip"
}
"""


def test_archive_source_dir_is_relative_to_the_module() -> None:
    fn = _fn(_lambda("  filename = data.archive_file.api.output_path\n") + ARCHIVE, path="infra/main.tf")
    assert fn.code is not None
    assert (fn.code.root, fn.code.handler, fn.code.runtime) == ("src/orders", "app.handler", "python3.12")


def test_archive_in_another_file_and_through_a_local() -> None:
    text = _lambda("  filename = local.zip\n")
    fn = _fn(text, module_files={"infra/archive.tf": ARCHIVE, "infra/locals.tf": "locals {\n  zip = data.archive_file.api.output_path\n}\n"},
             path="infra/main.tf")
    assert fn.code is not None and fn.code.root == "src/orders"


@pytest.mark.parametrize(
    "source,root",
    [
        ('source_dir = "src"', "src"),
        ('source_dir = "${path.root}/src/x/"', "src/x"),
        ('source_dir = path.module', ""),
        ('source_dir = "../../elsewhere"', None),  # leaves the project
        ('source_dir = "/abs/src"', None),
        ('source_dir = var.code_dir', None),  # no default
        ('source_file = "${path.module}/src/app.py"', "src"),
        ('source_file = "src/other.py"', None),  # the handler's module is not in the zip
    ],
)
def test_archive_roots(source: str, root: str | None) -> None:
    text = _lambda("  filename = data.archive_file.a.output_path\n") + f'data "archive_file" "a" {{\n  type = "zip"\n  {source}\n  output_path = "x.zip"\n}}\n'
    fn = _fn(text)
    assert fn.code is not None and fn.code.root == root


def test_archive_file_resource() -> None:
    text = _lambda("  filename = archive_file.a.output_path\n") + 'resource "archive_file" "a" {\n  type = "zip"\n  source_dir = "lambda"\n  output_path = "a.zip"\n}\n'
    fn = _fn(text, path="infra/main.tf")
    assert fn.code is not None and fn.code.root == "infra/lambda"


@pytest.mark.parametrize(
    "body",
    [
        '  filename = "build/orders.zip"\n',
        '  s3_bucket = "artifacts"\n  s3_key = "orders.zip"\n',
        '  package_type = "Image"\n  image_uri = "123.dkr.ecr.eu-west-1.amazonaws.com/orders:1"\n',
        "  filename = var.zip\n",
    ],
)
def test_code_not_in_the_repository(body: str) -> None:
    fn = _fn(_lambda(body))
    assert fn.code is not None and fn.code.root is None


def test_node_source_file_and_runtime_from_a_variable() -> None:
    text = (
        'variable "runtime" {\n  default = "nodejs20.x"\n}\n'
        'resource "aws_lambda_function" "f" {\n  handler = "index.handler"\n  runtime = var.runtime\n'
        "  filename = data.archive_file.f.output_path\n}\n"
        'data "archive_file" "f" {\n  type = "zip"\n  source_file = "dist/index.mjs"\n  output_path = "f.zip"\n}\n'
    )
    fn = _fn(text)
    assert fn.code is not None and (fn.code.root, fn.code.runtime) == ("dist", "nodejs20.x")


# -- env patterns -----------------------------------------------------------------

STORES = """\
variable "stage" {
  default = "prod"
}
variable "secret_token" {
  default   = "hunter2-hunter2"
  sensitive = true
}
variable "no_default" {}
locals {
  prefix = "/orders/${var.stage}"
}
resource "aws_ssm_parameter" "db" {
  name  = "${local.prefix}/db-password"
  type  = "SecureString"
  value = "x"
}
resource "aws_secretsmanager_secret" "stripe" {
  name = "orders/${var.stage}/stripe"
}
resource "aws_secretsmanager_secret" "pre" {
  name_prefix = "orders-"
}
data "aws_secretsmanager_secret" "shared" {
  name = "shared/api"
}
data "aws_ssm_parameter" "ext" {
  name = "/ext/key"
}
"""


@pytest.mark.parametrize(
    "expr,pattern",
    [
        ("aws_ssm_parameter.db.name", "/orders/prod/db-password"),
        ("aws_ssm_parameter.db.id", "/orders/prod/db-password"),
        ("aws_ssm_parameter.db.arn", "arn:*:ssm:*:*:parameter/orders/prod/db-password"),
        ("aws_secretsmanager_secret.stripe.arn", "arn:*:secretsmanager:*:*:secret:orders/prod/stripe-??????"),
        ("aws_secretsmanager_secret.stripe.id", "arn:*:secretsmanager:*:*:secret:orders/prod/stripe-??????"),
        ("aws_secretsmanager_secret.stripe.name", "orders/prod/stripe"),
        ("aws_secretsmanager_secret.pre.arn", "arn:*:secretsmanager:*:*:secret:orders-*-??????"),
        ("data.aws_secretsmanager_secret.shared.arn", "arn:*:secretsmanager:*:*:secret:shared/api-??????"),
        ("data.aws_ssm_parameter.ext.arn", "arn:*:ssm:*:*:parameter/ext/key"),
        ("var.stage", "prod"),
        ("local.prefix", "/orders/prod"),
        ('"/${var.stage}/db"', "/prod/db"),
        ('"/${var.no_default}/db"', "/*/db"),
        ('"${local.prefix}/${data.aws_caller_identity.me.account_id}/x"', "/orders/prod/*/x"),
        ('format("/%s/api-key", var.stage)', "/prod/api-key"),
        ("var.no_default", None),
        ("var.secret_token", None),  # a sensitive default is never used as text
        ('var.stage == "prod" ? "/a" : "/b"', None),  # alternatives
        ("aws_sqs_queue.q.url", None),
    ],
)
def test_env_patterns(expr: str, pattern: str | None) -> None:
    fn = _fn(_lambda(env=f"      X = {expr}\n") + STORES)
    var = fn.env_var("X")
    assert var is not None and var.value.pattern == pattern


def test_source_text_is_set_on_the_ingredient() -> None:
    fn = _fn(_lambda(env="      X = aws_ssm_parameter.db.name\n") + STORES)
    var = fn.env_var("X")
    assert var is not None and [s.text for s in var.value.sources] == ["/orders/prod/db-password"]


# -- roles and grants ---------------------------------------------------------------

INLINE = """\
resource "aws_iam_role" "api" {
  name = "api"
  assume_role_policy = data.aws_iam_policy_document.assume.json

  inline_policy {
    name = "secrets"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        {
          Effect   = "Allow"
          Action   = ["ssm:GetParameter"]
          Resource = aws_ssm_parameter.db.arn
        },
        {
          Effect    = "Allow"
          Action    = "secretsmanager:GetSecretValue"
          Resource  = "*"
          Condition = { StringEquals = { "aws:ResourceTag/team" = "orders" } }
        },
        {
          Effect   = "Allow"
          Action   = "ssm:GetParameter"
          Resource = "arn:aws:ssm:${var.region}:${data.aws_caller_identity.current.account_id}:parameter/orders/*"
        },
        {
          Effect   = "Allow"
          Action   = "ssm:GetParameter"
          Resource = "arn:aws:ssm:*:*:parameter/${var.no_default}/db"
        },
      ]
    })
  }
}
"""


def test_inline_policy_jsonencode() -> None:
    text = _lambda() + INLINE + STORES + 'variable "region" {}\n'
    role = _role(text)
    assert role.known and not role.partial
    assert role.name == "aws_iam_role.api"
    assert role.location is not None and role.location.line == _line(text, 'resource "aws_iam_role" "api"')
    g = role.grants
    assert [x.location.line for x in g] == [i + _line(text, "Statement = [") for i in (1, 6, 12, 17)]
    assert all(x.origin == "inline_policy secrets of aws_iam_role.api" for x in g)
    assert g[0].statement.resources == ("arn:*:ssm:*:*:parameter/orders/prod/db-password",)
    assert is_specific(g[0].statement) and not g[0].statement.unresolved
    assert g[1].statement.has_condition and is_overbroad(g[1].statement) is None
    # region / account unknown: `*` there never narrows a grant, so it is not "unresolved"
    assert g[2].statement.resources == ("arn:aws:ssm:*:*:parameter/orders/*",) and not g[2].statement.unresolved
    # an unknown part of the NAME widens the resource and marks the statement
    assert g[3].statement.resources == ("arn:aws:ssm:*:*:parameter/*/db",) and g[3].statement.unresolved
    assert is_overbroad(g[3].statement) is None


def test_role_in_another_file_is_found_and_grants_stay_there() -> None:
    iam = ROLE + (
        'resource "aws_iam_role_policy" "read" {\n'
        "  role = aws_iam_role.api.id\n"
        "  policy = jsonencode({\n"
        '    Statement = [{ Effect = "Allow", Action = "ssm:GetParameter", Resource = "*" }]\n'
        "  })\n"
        "}\n"
    )
    lam = _lambda()
    t = _build(lam, {"iam.tf": iam}, path="lambda.tf")
    assert len(t.functions) == 1
    role = t.functions[0].role
    assert role is not None and role.location is not None and role.location.path == "iam.tf"
    assert [(g.location.path, g.location.line, g.origin) for g in role.grants] == [("iam.tf", _line(iam, "Statement = ["), "aws_iam_role_policy.read")]
    # the file declaring the role has no function of its own: reported once, from lambda.tf
    assert build_terraform("iam.tf", iam, {"lambda.tf": lam}) is None


def test_role_policy_by_literal_name_and_policy_attachment_roles() -> None:
    text = _lambda() + ROLE + (
        'resource "aws_iam_role_policy" "by_name" {\n'
        '  role   = "api-role"\n'
        '  policy = jsonencode({ Statement = { Effect = "Allow", Action = "ssm:GetParameters", Resource = "*" } })\n'
        "}\n"
        'resource "aws_iam_policy_attachment" "shared" {\n'
        '  name       = "shared"\n'
        "  roles      = [aws_iam_role.other.name, aws_iam_role.api.name]\n"
        '  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess"\n'
        "}\n"
    )
    role = _role(text)
    assert [g.origin for g in role.grants] == ["aws_iam_role_policy.by_name", "managed policy AmazonSSMReadOnlyAccess"]
    assert role.grants[1].managed == "AmazonSSMReadOnlyAccess"
    assert role.grants[1].location.line == _line(text, "policy_arn")


def test_attachments_managed_and_customer_policies() -> None:
    text = _lambda() + ROLE + (
        'resource "aws_iam_role_policy_attachment" "logs" {\n'
        "  role       = aws_iam_role.api.name\n"
        '  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"\n'
        "}\n"
        'resource "aws_iam_role_policy_attachment" "read" {\n'
        "  role       = aws_iam_role.api.name\n"
        "  policy_arn = aws_iam_policy.read.arn\n"
        "}\n"
        'resource "aws_iam_policy" "read" {\n'
        "  policy = data.aws_iam_policy_document.read.json\n"
        "}\n"
        'data "aws_iam_policy_document" "read" {\n'
        "  statement {\n"
        '    actions   = ["secretsmanager:GetSecretValue"]\n'
        '    resources = ["*"]\n'
        "  }\n"
        "  statement {\n"
        '    effect        = "Deny"\n'
        '    not_actions   = ["ssm:GetParameter"]\n'
        '    not_resources = ["arn:aws:ssm:*:*:parameter/ok/*"]\n'
        "    condition {\n"
        '      test     = "Bool"\n'
        '      variable = "aws:SecureTransport"\n'
        '      values   = ["false"]\n'
        "    }\n"
        "  }\n"
        "}\n"
    )
    role = _role(text)
    assert not role.partial
    managed, first, second = role.grants
    assert managed.managed == "AWSLambdaBasicExecutionRole" and managed.location.line == _line(text, "policy_arn = \"arn:")
    assert first.origin == "aws_iam_policy.read" and first.location.line == _line(text, "statement {")
    assert first.statement.effect == "Allow" and is_overbroad(first.statement)
    st = second.statement
    assert (st.effect, st.not_actions, st.not_resources, st.has_condition) == ("Deny", ("ssm:GetParameter",), ("arn:aws:ssm:*:*:parameter/ok/*",), True)


@pytest.mark.parametrize(
    "policy_arn,reason",
    [
        ('"arn:aws:iam::123456789012:policy/orders-read"', "not modelled"),
        ('"arn:aws:iam::aws:policy/AmazonRDSFullAccess"', "not modelled"),
        ("var.extra_policy", "not static"),
        ("aws_iam_policy.missing.arn", "not declared"),
    ],
)
def test_unreadable_attachments_make_the_role_partial(policy_arn: str, reason: str) -> None:
    text = _lambda() + ROLE + f'resource "aws_iam_role_policy_attachment" "x" {{\n  role = aws_iam_role.api.name\n  policy_arn = {policy_arn}\n}}\n'
    role = _role(text)
    assert role.known and reason in role.partial


def test_count_zero_and_for_each_attachments() -> None:
    text = _lambda() + ROLE + (
        'resource "aws_iam_role_policy_attachment" "never" {\n'
        "  count      = 0\n"
        "  role       = aws_iam_role.api.name\n"
        '  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"\n'
        "}\n"
        'resource "aws_iam_role_policy_attachment" "each" {\n'
        "  for_each = {\n"
        '    logs = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"\n'
        '    ssm  = "arn:aws:iam::aws:policy/AmazonSSMFullAccess"\n'
        "  }\n"
        "  role       = aws_iam_role.api.name\n"
        "  policy_arn = each.value\n"
        "}\n"
    )
    role = _role(text)
    assert not role.partial
    assert [(g.managed, g.location.line) for g in role.grants] == [
        ("AWSLambdaBasicExecutionRole", _line(text, "    logs = ")),
        ("AmazonSSMFullAccess", _line(text, "    ssm  = ")),
    ]


def test_attachment_for_each_over_roles() -> None:
    text = _lambda() + ROLE + (
        'resource "aws_iam_role" "other" {\n  name = "other-role"\n}\n'
        'resource "aws_iam_role_policy_attachment" "ssm" {\n'
        "  for_each   = toset([aws_iam_role.api.name, aws_iam_role.other.name])\n"
        "  role       = each.value\n"
        '  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess"\n'
        "}\n"
    )
    role = _role(text)
    assert not role.partial and [g.managed for g in role.grants] == ["AmazonSSMReadOnlyAccess"]


@pytest.mark.parametrize(
    "extra,reason",
    [
        ('resource "aws_iam_role_policy_attachment" "x" {\n  role = var.role_name\n  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess"\n}\n',
         "aws_iam_role_policy_attachment.x attaches a policy to a role the linter cannot determine"),
        ('module "policies" {\n  source = "./modules/policies"\n  role_name = aws_iam_role.api.name\n}\n',
         "aws_iam_role.api is passed to module.policies, which may attach policies to it"),
    ],
)
def test_policies_that_may_attach_elsewhere_make_the_role_partial(extra: str, reason: str) -> None:
    role = _role(_lambda() + ROLE + extra)
    assert role.known and reason in role.partial


def test_attachment_to_another_role_is_not_ours() -> None:
    text = _lambda() + ROLE + (
        'resource "aws_iam_role_policy_attachment" "x" {\n  role = "someone-else"\n'
        '  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"\n}\n'
        'module "fn" {\n  source = "terraform-aws-modules/lambda/aws"\n  create_role = false\n  lambda_role = aws_iam_role.api.arn\n}\n'
    )
    role = _fn(text, "api").role
    assert role is not None and role.grants == () and not role.partial


def test_managed_policy_arns_on_the_role() -> None:
    text = _lambda() + (
        'resource "aws_iam_role" "api" {\n'
        "  managed_policy_arns = [\n"
        '    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",\n'
        '    "arn:aws:iam::aws:policy/SecretsManagerReadWrite",\n'
        "  ]\n"
        "}\n"
    )
    role = _role(text)
    assert [(g.managed, g.location.line) for g in role.grants] == [
        ("AWSLambdaBasicExecutionRole", _line(text, "AWSLambdaBasicExecutionRole")),
        ("SecretsManagerReadWrite", _line(text, "SecretsManagerReadWrite")),
    ]


HEREDOC = '''\
resource "aws_iam_role_policy" "read" {
  role   = aws_iam_role.api.id
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": ["ssm:GetParameter"],
          "Resource": "${aws_ssm_parameter.db.arn}"
        },
        {
          "Effect": "Allow",
          "Action": "secretsmanager:GetSecretValue",
          "Resource": ${jsonencode([aws_secretsmanager_secret.stripe.arn])}
        }
      ]
    }
  EOT
}
'''


def test_heredoc_json_policy() -> None:
    text = _lambda() + ROLE + HEREDOC + STORES
    role = _role(text)
    assert not role.partial
    first, second = role.grants
    assert first.location.line == _line(text, '"Statement": [') + 1
    assert second.location.line == _line(text, '"Resource": "${aws_ssm') + 2
    assert first.statement.resources == ("arn:*:ssm:*:*:parameter/orders/prod/db-password",)
    assert second.statement.resources == ("arn:*:secretsmanager:*:*:secret:orders/prod/stripe-??????",)


def test_data_document_sources_and_overrides() -> None:
    text = _lambda() + ROLE + (
        'resource "aws_iam_role_policy" "p" {\n'
        "  role   = aws_iam_role.api.id\n"
        "  policy = data.aws_iam_policy_document.main.json\n"
        "}\n"
        'data "aws_iam_policy_document" "base" {\n'
        "  statement {\n"
        '    sid       = "Read"\n'
        '    actions   = ["ssm:GetParameter"]\n'
        '    resources = ["*"]\n'
        "  }\n"
        "}\n"
        'data "aws_iam_policy_document" "narrow" {\n'
        "  statement {\n"
        '    sid       = "Read"\n'
        '    actions   = ["ssm:GetParameter"]\n'
        '    resources = ["arn:aws:ssm:*:*:parameter/app/*"]\n'
        "  }\n"
        "}\n"
        'data "aws_iam_policy_document" "main" {\n'
        "  source_policy_documents   = [data.aws_iam_policy_document.base.json]\n"
        "  override_policy_documents = [data.aws_iam_policy_document.narrow.json]\n"
        "  statement {\n"
        '    actions   = ["kms:Decrypt"]\n'
        '    resources = ["*"]\n'
        "  }\n"
        "}\n"
    )
    role = _role(text)
    assert [g.statement.resources for g in role.grants] == [("*",), ("arn:aws:ssm:*:*:parameter/app/*",)]
    assert {g.origin for g in role.grants} == {"aws_iam_role_policy.p"}


@pytest.mark.parametrize(
    "policy,reason",
    [
        ('file("${path.module}/policy.json")', "file() reads a file"),
        ('templatefile("p.tftpl", {})', "not static"),
        ("var.policy_json", "not static"),
        ('jsonencode({ Statement = [{ Effect = "Allow", Action = var.actions, Resource = "*" }] })', "actions that are not static"),
        ('jsonencode({ Statement = [for a in ["x"] : { Effect = "Allow", Action = a, Resource = "*" }] })', "not static"),
        ('jsonencode({ Statement = [{ Effect = var.effect, Action = "ssm:GetParameter", Resource = "*" }] })', "no static Effect"),
        ('"not json"', "not JSON"),
        ("data.aws_iam_policy_document.dyn.json", 'dynamic "statement"'),
    ],
)
def test_unreadable_policies_make_the_role_partial(policy: str, reason: str) -> None:
    dyn = 'data "aws_iam_policy_document" "dyn" {\n  dynamic "statement" {\n    for_each = var.s\n    content {}\n  }\n}\n'
    text = _lambda() + ROLE + dyn + f'resource "aws_iam_role_policy" "p" {{\n  role = aws_iam_role.api.id\n  policy = {policy}\n}}\n'
    role = _role(text)
    assert role.known and reason in role.partial, role.partial


@pytest.mark.parametrize(
    "role_expr,name",
    [
        ('"arn:aws:iam::123456789012:role/orders"', ""),
        ("data.aws_iam_role.platform.arn", "data.aws_iam_role.platform"),
        ("var.role_arn", ""),
        ("module.iam.role_arn", ""),
        ("aws_iam_role.elsewhere.arn", "aws_iam_role.elsewhere"),
        ('var.create ? aws_iam_role.api.arn : var.role_arn', ""),
    ],
)
def test_roles_the_linter_cannot_see(role_expr: str, name: str) -> None:
    role = _role(_lambda(role=role_expr) + ROLE)
    assert not role.known and role.name == name and role.partial


def test_no_role_attribute_means_no_role_facts() -> None:
    assert _fn(_lambda(role="")).role is None


def test_role_through_a_local() -> None:
    text = _lambda(role="local.role_arn") + ROLE + "locals {\n  role_arn = aws_iam_role.api.arn\n}\n"
    assert _role(text).name == "aws_iam_role.api"


def test_statement_as_one_object_and_var_list_default() -> None:
    text = _lambda() + ROLE + (
        'variable "params" {\n  default = ["arn:aws:ssm:*:*:parameter/a", "arn:aws:ssm:*:*:parameter/b"]\n}\n'
        'resource "aws_iam_role_policy" "p" {\n  role = aws_iam_role.api.name\n'
        '  policy = jsonencode({ Statement = { Effect = "Allow", Action = "ssm:GetParameter", Resource = concat(var.params, ["arn:aws:ssm:*:*:parameter/c"]) } })\n}\n'
    )
    (grant,) = _role(text).grants
    assert grant.statement.resources == tuple(f"arn:aws:ssm:*:*:parameter/{x}" for x in "abc")
    assert evaluate((grant.statement,), "ssm:GetParameter", "arn:aws:ssm:eu-west-1:1:parameter/b").allowed


# -- stores -------------------------------------------------------------------------

def test_stores_and_customer_managed_keys() -> None:
    text = (
        'resource "aws_kms_key" "k" {}\n'
        'resource "aws_ssm_parameter" "cmk" {\n  name = "/a/cmk"\n  type = "SecureString"\n  key_id = aws_kms_key.k.arn\n  value = "x"\n}\n'
        'resource "aws_ssm_parameter" "aws" {\n  name = "/a/aws"\n  type = "SecureString"\n  key_id = "alias/aws/ssm"\n  value = "x"\n}\n'
        'resource "aws_ssm_parameter" "plain" {\n  name = "/a/plain"\n  type = "String"\n  key_id = aws_kms_key.k.arn\n  value = "x"\n}\n'
        'resource "aws_ssm_parameter" "nameless" {\n  name = var.n\n  type = "SecureString"\n  key_id = aws_kms_key.k.arn\n  value = "x"\n}\n'
        'resource "aws_secretsmanager_secret" "s" {\n  name = "svc/db"\n  kms_key_id = "arn:aws:kms:eu-west-1:123456789012:key/abcd"\n}\n'
        'resource "aws_secretsmanager_secret" "t" {\n  name = "svc/t"\n  kms_key_id = "alias/aws/secretsmanager"\n}\n'
        'resource "aws_secretsmanager_secret" "unnamed" {}\n'
    )
    t = _build(text)  # a file with stores and no function still yields a Template
    assert t.functions == ()
    assert [(s.service, s.name, s.kms_key, s.ref) for s in t.stores] == [
        ("ssm", "/a/cmk", "arn:*:kms:*:*:key/*", "aws_ssm_parameter.cmk"),
        ("ssm", "/a/aws", "", "aws_ssm_parameter.aws"),
        ("ssm", "/a/plain", "", "aws_ssm_parameter.plain"),
        ("secretsmanager", "arn:*:secretsmanager:*:*:secret:svc/db-??????", "arn:aws:kms:eu-west-1:123456789012:key/abcd", "aws_secretsmanager_secret.s"),
        ("secretsmanager", "arn:*:secretsmanager:*:*:secret:svc/t-??????", "", "aws_secretsmanager_secret.t"),
    ]
    assert t.stores[0].location.line == 2


def test_stores_are_only_those_of_the_file() -> None:
    t = _build(_lambda(), {"ssm.tf": 'resource "aws_ssm_parameter" "p" {\n  name = "/x"\n  type = "String"\n  value = "v"\n}\n'})
    assert t.stores == ()


# -- terraform-aws-modules/lambda/aws -------------------------------------------------

@pytest.mark.parametrize(
    "source,expected",
    [
        ("terraform-aws-modules/lambda/aws", True),
        ("registry.terraform.io/terraform-aws-modules/lambda/aws", True),
        ("git::https://github.com/terraform-aws-modules/terraform-aws-lambda.git?ref=v7.2.0", True),
        ("github.com/terraform-aws-modules/terraform-aws-lambda", True),
        ("terraform-aws-modules/lambda/aws//modules/alias", False),
        ("git::https://github.com/terraform-aws-modules/terraform-aws-lambda.git//modules/deploy?ref=v7.2.0", False),
        ("./modules/lambda", False),
        ("terraform-aws-modules/s3-bucket/aws", False),
    ],
)
def test_is_lambda_module(source: str, expected: bool) -> None:
    assert is_lambda_module(source) is expected


MODULE = """\
module "worker" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "~> 7.0"

  function_name = "worker"
  handler       = "worker.handler"
  runtime       = "python3.12"
  source_path   = "${path.module}/../src/worker"

  environment_variables = {
    DB_PARAM = aws_ssm_parameter.db.name
  }

  attach_policy_statements = true
  policy_statements = {
    db = {
      actions   = ["ssm:GetParameter"]
      resources = [aws_ssm_parameter.db.arn]
    }
    any = {
      effect    = "Allow"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = ["*"]
      condition = {
        tagged = { test = "StringEquals", variable = "aws:ResourceTag/team", values = ["a"] }
      }
    }
  }

  attach_policy_json = true
  policy_json        = data.aws_iam_policy_document.extra.json

  attach_policies    = true
  number_of_policies = 1
  policies           = ["arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess"]

  attach_policy = false
  policy        = "arn:aws:iam::aws:policy/AdministratorAccess"
}

data "aws_iam_policy_document" "extra" {
  statement {
    actions   = ["kms:Decrypt"]
    resources = ["*"]
  }
}
"""


def test_registry_module_function() -> None:
    text = MODULE + STORES
    fn = _fn(text, path="infra/main.tf")
    assert (fn.logical_id, fn.resource_type) == ("worker", "terraform-aws-modules/lambda/aws")
    assert fn.code is not None and (fn.code.root, fn.code.handler) == ("src/worker", "worker.handler")
    var = fn.env_var("DB_PARAM")
    assert var is not None and var.value.pattern == "/orders/prod/db-password"
    assert var.pointer == "module.worker/environment_variables/DB_PARAM"
    role = fn.role
    assert role is not None and role.known and not role.partial and role.name == "module.worker"
    origins = [g.origin for g in role.grants]
    assert origins == [
        "policy_statements.db of module.worker",
        "policy_statements.any of module.worker",
        "policy_json of module.worker",
        "managed policy AmazonSSMReadOnlyAccess",
    ]  # attach_policy = false: its ARN is not attached
    db, anyone, kms, managed = role.grants
    assert db.location.line == _line(text, "    db = {") and db.statement.effect == "Allow"
    assert anyone.statement.has_condition
    assert kms.location.line == _line(text, "  statement {")
    assert managed.location.line == _line(text, "policies           = [")


@pytest.mark.parametrize(
    "extra,root",
    [
        ('  source_path = [{ path = "src/w", pip_requirements = true }]\n', "src/w"),
        ('  source_path = "src/w/worker.py"\n', "src/w"),
        ('  source_path = ["src/a", "src/b"]\n', None),
        ('  source_path = [{ path = "src/w", prefix_in_zip = "vendor" }]\n', None),
        ('  source_path = "src/w"\n  create_package = false\n  local_existing_package = "w.zip"\n', None),
        ('  package_type = "Image"\n  image_uri = "x"\n', None),
    ],
)
def test_registry_module_code(extra: str, root: str | None) -> None:
    text = 'module "w" {\n  source = "terraform-aws-modules/lambda/aws"\n  handler = "worker.handler"\n  runtime = "python3.12"\n' + extra + "}\n"
    fn = _fn(text)
    assert fn.code is not None and fn.code.root == root


def test_registry_module_roles() -> None:
    base = 'module "w" {\n  source = "terraform-aws-modules/lambda/aws"\n  handler = "w.handler"\n  runtime = "python3.12"\n'
    existing = _fn(base + '  create_role = false\n  lambda_role = "arn:aws:iam::1:role/x"\n}\n').role
    assert existing is not None and not existing.known
    unknown_flag = _fn(base + "  attach_policy_statements = var.attach\n  policy_statements = {}\n}\n").role
    assert unknown_flag is not None and "attach_policy_statements of module.w is not static" in unknown_flag.partial
    assert _build(base + "  create_function = false\n}\n").functions == ()
    assert _build(base + "  create_function = false\n}\n" + _lambda()).functions[0].logical_id == "api"


# -- what the rules make of it -------------------------------------------------------

def _project(tmp_path: Path, files: dict[str, str]) -> set[tuple[str, int, str]]:
    for rel, text in files.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, "utf-8")
    result = lint_directory(tmp_path)
    return {(f.location.path, f.location.line, f.rule_id) for f in result.findings if f.rule_id.startswith("LSL3")}


LAMBDA_TF = """\
data "archive_file" "app" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/app.zip"
}

resource "aws_lambda_function" "app" {
  function_name = "app"
  role          = aws_iam_role.app.arn
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = data.archive_file.app.output_path

  environment {
    variables = {
      DB_PARAM = aws_ssm_parameter.db.name
    }
  }
}

resource "aws_ssm_parameter" "db" {
  name  = "/app/db"
  type  = "SecureString"
  value = "x"
}

resource "aws_secretsmanager_secret" "legacy" {
  name = "app/legacy"
}
"""

APP_PY = """\
import os

from aws_lambda_powertools.utilities import parameters


def handler(event, context):
    return parameters.get_parameter(os.environ["DB_PARAM"], decrypt=True, max_age=300)
"""


def _iam(statements: str) -> str:
    return (
        'resource "aws_iam_role" "app" {\n'
        '  name = "app"\n'
        "}\n"
        'resource "aws_iam_role_policy" "app" {\n'
        "  role = aws_iam_role.app.id\n"
        "  policy = jsonencode({\n"
        "    Statement = [\n"
        f"{statements}"
        "    ]\n"
        "  })\n"
        "}\n"
    )


def test_rules_end_to_end(tmp_path: Path) -> None:
    iam = _iam(
        '      { Effect = "Allow", Action = "ssm:GetParameters", Resource = aws_ssm_parameter.db.arn },\n'
        '      { Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = "*" },\n'
        '      { Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = aws_secretsmanager_secret.legacy.arn },\n'
    )
    found = _project(tmp_path, {"lambda.tf": LAMBDA_TF, "iam.tf": iam, "src/app.py": APP_PY})
    assert found == {
        ("src/app.py", 7, "LSL301"),  # GetParameter is not GetParameters
        ("iam.tf", 9, "LSL302"),
        ("iam.tf", 10, "LSL303"),
    }


def test_rules_silent_when_granted(tmp_path: Path) -> None:
    iam = _iam('      { Effect = "Allow", Action = "ssm:GetParameter", Resource = aws_ssm_parameter.db.arn },\n')
    assert _project(tmp_path, {"lambda.tf": LAMBDA_TF, "iam.tf": iam, "src/app.py": APP_PY}) == set()


def test_cmk_needs_kms_decrypt(tmp_path: Path) -> None:
    lam = LAMBDA_TF.replace('  type  = "SecureString"\n', '  type  = "SecureString"\n  key_id = aws_kms_key.app.arn\n') + 'resource "aws_kms_key" "app" {}\n'
    iam = _iam('      { Effect = "Allow", Action = "ssm:GetParameter", Resource = aws_ssm_parameter.db.arn },\n')
    assert _project(tmp_path, {"lambda.tf": lam, "iam.tf": iam, "src/app.py": APP_PY}) == {("src/app.py", 7, "LSL301")}
    iam2 = _iam(
        '      { Effect = "Allow", Action = "ssm:GetParameter", Resource = aws_ssm_parameter.db.arn },\n'
        '      { Effect = "Allow", Action = "kms:Decrypt", Resource = aws_kms_key.app.arn },\n'
    )
    (tmp_path / "iam.tf").write_text(iam2, "utf-8")
    assert {(p, r) for p, _, r in _project(tmp_path, {})} == set()


def test_unseen_role_is_silent(tmp_path: Path) -> None:
    lam = LAMBDA_TF.replace("aws_iam_role.app.arn", "data.aws_iam_role.platform.arn") + 'data "aws_iam_role" "platform" {\n  name = "p"\n}\n'
    assert _project(tmp_path, {"lambda.tf": lam, "src/app.py": APP_PY}) == set()


def test_role_shared_across_files_is_judged_once(tmp_path: Path) -> None:
    iam = _iam(
        '      { Effect = "Allow", Action = "ssm:GetParameter", Resource = "arn:aws:ssm:*:*:parameter/app/db" },\n'
        '      { Effect = "Allow", Action = "ssm:GetParameter", Resource = "arn:aws:ssm:*:*:parameter/app/other" },\n'
    )
    other = LAMBDA_TF.replace('"app"', '"other"').replace("archive_file.app", "archive_file.other").replace("/src", "/src2")
    other = other[: other.index('resource "aws_ssm_parameter"')].replace("aws_ssm_parameter.db.name", '"/app/other"')
    files = {"lambda.tf": LAMBDA_TF, "other.tf": other, "iam.tf": iam, "src/app.py": APP_PY,
             "src2/app.py": APP_PY}
    assert _project(tmp_path, files) == set()


# -- robustness ----------------------------------------------------------------------

def test_mutated_modules_only_raise_parse_errors() -> None:
    text = _lambda() + INLINE + STORES + HEREDOC + MODULE
    for variant in mutations(text, seed=7, count=150):
        try:
            build_terraform("main.tf", variant, {"other.tf": INLINE})
        except ParseError:
            pass


def test_self_referencing_locals_terminate() -> None:
    text = _lambda(role="local.a") + "locals {\n  a = local.b\n  b = local.a\n  c = [local.c, local.c]\n}\n" + (
        'resource "aws_iam_role_policy" "p" {\n  role = "x"\n  policy = jsonencode({ Statement = local.c })\n}\n'
    )
    fn = _fn(text)
    assert fn.role is not None and not fn.role.known
