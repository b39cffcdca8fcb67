"""Terraform variables in a grant (docs/design/iam-linking.md, "Template
parameters (and Terraform variables) in a grant"): `Statement.resources`
keeps a variable at its `default`, `Statement.any_resources` has it as `*`
(tfvars and `-var` override defaults at apply time), like CloudFormation
parameters (parsers/cfn_roles.py)."""
from __future__ import annotations

from pathlib import Path

from lambda_secrets_lint.iam.policy import Statement, evaluate
from lambda_secrets_lint.model.infra import RoleFacts
from lambda_secrets_lint.parsers.terraform import build_terraform
from lambda_secrets_lint.testing import lint_directory

PROVIDER = 'provider "aws" {\n  region = "eu-west-1"\n}\n\n'

LAMBDA = """\
variable "stage" {
  type    = string
  default = "dev"
}

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
}

resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = "{}"
}
"""

APP_PY = """\
from aws_lambda_powertools.utilities import parameters


def handler(event, context):
    return parameters.get_parameter("/orders/prod/db", decrypt=True, max_age=300)
"""


def _role_policy(resource: str, effect: str = "Allow") -> str:
    return (
        'resource "aws_iam_role_policy" "app" {\n'
        "  role = aws_iam_role.app.id\n"
        "  policy = jsonencode({\n"
        '    Version = "2012-10-17"\n'
        "    Statement = [\n"
        f'      {{ Effect = "{effect}", Action = "ssm:GetParameter", Resource = "{resource}" }},\n'
        "    ]\n"
        "  })\n"
        "}\n"
    )


def _main(resource: str) -> str:
    return PROVIDER + LAMBDA + _role_policy(resource)


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def _lsl3(tmp_path: Path, main_tf: str) -> set[tuple[str, int, str]]:
    (tmp_path / "main.tf").write_text(main_tf, "utf-8")
    (tmp_path / "src").mkdir(exist_ok=True)
    (tmp_path / "src" / "app.py").write_text(APP_PY, "utf-8")
    result = lint_directory(tmp_path)
    return {(f.location.path, f.location.line, f.rule_id) for f in result.findings if f.rule_id.startswith("LSL3")}


def _role(text: str) -> RoleFacts:
    t = build_terraform("main.tf", text)
    assert t is not None
    role = t.functions[0].role
    assert role is not None and role.known and not role.partial, role
    return role


def _statements(text: str) -> list[Statement]:
    return [g.statement for g in _role(text).grants]


# -- end to end ---------------------------------------------------------------------

def test_grant_with_a_variable_allows_the_deployed_read(tmp_path: Path) -> None:
    main = _main("arn:aws:ssm:*:*:parameter/orders/${var.stage}/db")
    assert _lsl3(tmp_path, main) == set()


def test_grant_with_a_variable_elsewhere_is_still_missing_and_unused(tmp_path: Path) -> None:
    main = _main("arn:aws:ssm:*:*:parameter/billing/${var.stage}/db")
    assert _lsl3(tmp_path, main) == {
        ("src/app.py", 5, "LSL301"),
        ("main.tf", _line(main, 'Resource = "arn:aws:ssm:*:*:parameter/billing/'), "LSL303"),
    }


def test_inline_policy_through_a_local_built_from_the_variable(tmp_path: Path) -> None:
    main = PROVIDER + LAMBDA.replace(
        '  assume_role_policy = "{}"\n',
        '  assume_role_policy = "{}"\n'
        "  inline_policy {\n"
        '    name = "read"\n'
        "    policy = jsonencode({\n"
        '      Statement = [{ Effect = "Allow", Action = "ssm:GetParameter", Resource = local.db_arn }]\n'
        "    })\n"
        "  }\n",
    ) + 'locals {\n  prefix = "/orders/${var.stage}"\n  db_arn = "arn:aws:ssm:*:*:parameter${local.prefix}/db"\n}\n'
    assert _lsl3(tmp_path, main) == set()
    assert _lsl3(tmp_path, main.replace("/orders/${var.stage}", "/billing/${var.stage}")) == {
        ("src/app.py", 5, "LSL301"),
        ("main.tf", _line(main, 'Statement = [{ Effect = "Allow"'), "LSL303"),
    }


# -- the statements -------------------------------------------------------------------

def test_literal_resource_has_no_any_resources() -> None:
    (st,) = _statements(_main("arn:aws:ssm:*:*:parameter/orders/prod/db"))
    assert st.resources == ("arn:aws:ssm:*:*:parameter/orders/prod/db",)
    assert st.any_resources == ()


def test_resources_keep_the_default_and_any_resources_widen_the_variable() -> None:
    (st,) = _statements(_main("arn:aws:ssm:*:*:parameter/orders/${var.stage}/db"))
    assert st.resources == ("arn:aws:ssm:*:*:parameter/orders/dev/db",)
    assert st.any_resources == ("arn:aws:ssm:*:*:parameter/orders/*/db",)
    assert not st.unresolved
    assert evaluate((st,), "ssm:GetParameter", "arn:aws:ssm:eu-west-1:1:parameter/orders/prod/db").allowed


def test_a_variable_without_default_is_unknown_either_way() -> None:
    text = _main("arn:aws:ssm:*:*:parameter/orders/${var.region_name}/db") + 'variable "region_name" {\n  type = string\n}\n'
    (st,) = _statements(text)
    assert st.resources == ("arn:aws:ssm:*:*:parameter/orders/*/db",) and st.unresolved
    assert st.any_resources == ()


def test_deny_with_a_variable_is_judged_at_the_default() -> None:
    # The read's name usually comes from the same variable, so a Deny at the default
    # stage still denies the default stage's read; another stage is not denied.
    text = PROVIDER + LAMBDA + (
        'resource "aws_iam_role_policy" "app" {\n'
        "  role = aws_iam_role.app.id\n"
        "  policy = jsonencode({\n"
        "    Statement = [\n"
        '      { Effect = "Allow", Action = "ssm:GetParameter", Resource = "arn:aws:ssm:*:*:parameter/orders/*" },\n'
        '      { Effect = "Deny", Action = "ssm:GetParameter", Resource = "arn:aws:ssm:*:*:parameter/orders/${var.stage}/db" },\n'
        "    ]\n"
        "  })\n"
        "}\n"
    )
    allow, deny = _statements(text)
    assert allow.any_resources == ()
    assert deny.any_resources == ("arn:aws:ssm:*:*:parameter/orders/*/db",)
    decision = evaluate((allow, deny), "ssm:GetParameter", "arn:aws:ssm:eu-west-1:1:parameter/orders/dev/db")
    assert not decision.allowed and decision.denying == (deny,)
    other = evaluate((allow, deny), "ssm:GetParameter", "arn:aws:ssm:eu-west-1:1:parameter/orders/prod/db")
    assert other.allowed and other.conditional  # a deployment with stage=prod would deny it: may-deny


def test_heredoc_and_policy_document_and_list_variables() -> None:
    text = PROVIDER + LAMBDA + (
        'variable "extra" {\n  default = ["arn:aws:secretsmanager:*:*:secret:orders/dev/api-??????"]\n}\n'
        'resource "aws_iam_role_policy" "app" {\n'
        "  role   = aws_iam_role.app.id\n"
        "  policy = <<-EOT\n"
        "    {\n"
        '      "Statement": [{"Effect": "Allow", "Action": "ssm:GetParameter",\n'
        '                     "Resource": ["arn:aws:ssm:*:*:parameter/orders/${var.stage}/db", "arn:aws:ssm:*:*:parameter/x"]}]\n'
        "    }\n"
        "  EOT\n"
        "}\n"
        'data "aws_iam_policy_document" "docs" {\n'
        "  statement {\n"
        '    actions   = ["secretsmanager:GetSecretValue"]\n'
        '    resources = concat(["arn:aws:secretsmanager:*:*:secret:fixed-??????"], var.extra)\n'
        "  }\n"
        "}\n"
        'resource "aws_iam_policy" "docs" {\n  policy = data.aws_iam_policy_document.docs.json\n}\n'
        'resource "aws_iam_role_policy_attachment" "docs" {\n'
        "  role       = aws_iam_role.app.name\n"
        "  policy_arn = aws_iam_policy.docs.arn\n"
        "}\n"
    )
    heredoc, doc = _statements(text)
    assert heredoc.resources == ("arn:aws:ssm:*:*:parameter/orders/dev/db", "arn:aws:ssm:*:*:parameter/x")
    assert heredoc.any_resources == ("arn:aws:ssm:*:*:parameter/orders/*/db", "arn:aws:ssm:*:*:parameter/x")
    assert doc.resources == ("arn:aws:secretsmanager:*:*:secret:fixed-??????", "arn:aws:secretsmanager:*:*:secret:orders/dev/api-??????")
    assert doc.any_resources == ("arn:aws:secretsmanager:*:*:secret:fixed-??????", "*")


def test_for_each_over_a_variable() -> None:
    text = PROVIDER + LAMBDA + (
        'variable "names" {\n  default = ["orders/dev/db"]\n}\n'
        'resource "aws_iam_role_policy" "app" {\n'
        "  for_each = toset(var.names)\n"
        "  role     = aws_iam_role.app.id\n"
        "  policy = jsonencode({\n"
        '    Statement = [{ Effect = "Allow", Action = "ssm:GetParameter", Resource = "arn:aws:ssm:*:*:parameter/${each.value}" }]\n'
        "  })\n"
        "}\n"
    )
    (st,) = _statements(text)
    assert st.resources == ("arn:aws:ssm:*:*:parameter/orders/dev/db",)
    assert st.any_resources == ("arn:aws:ssm:*:*:parameter/*",)


def test_registry_module_policy_statements() -> None:
    text = PROVIDER + (
        'variable "stage" {\n  default = "dev"\n}\n'
        'module "app" {\n'
        '  source        = "terraform-aws-modules/lambda/aws"\n'
        '  function_name = "app"\n'
        '  handler       = "app.handler"\n'
        '  runtime       = "python3.12"\n'
        '  source_path   = "${path.module}/src"\n'
        "  attach_policy_statements = true\n"
        "  policy_statements = {\n"
        "    db = {\n"
        '      actions   = ["ssm:GetParameter"]\n'
        '      resources = ["arn:aws:ssm:*:*:parameter/orders/${var.stage}/db"]\n'
        "    }\n"
        "    fixed = {\n"
        '      actions   = ["ssm:GetParameter"]\n'
        '      resources = ["arn:aws:ssm:*:*:parameter/fixed"]\n'
        "    }\n"
        "  }\n"
        "}\n"
    )
    db, fixed = _statements(text)
    assert db.resources == ("arn:aws:ssm:*:*:parameter/orders/dev/db",)
    assert db.any_resources == ("arn:aws:ssm:*:*:parameter/orders/*/db",)
    assert fixed.any_resources == ()


def test_env_patterns_keep_the_default() -> None:
    text = _main("arn:aws:ssm:*:*:parameter/orders/${var.stage}/db").replace(
        "  filename      = data.archive_file.app.output_path\n",
        "  filename      = data.archive_file.app.output_path\n"
        '  environment {\n    variables = {\n      DB = "/orders/${var.stage}/db"\n    }\n  }\n',
    )
    t = build_terraform("main.tf", text)
    assert t is not None
    (env,) = t.functions[0].env
    assert env.value.pattern == "/orders/dev/db"


def test_module_resources_keep_their_default_name() -> None:
    """A grant on a parameter the module declares names what the env value
    naming it names: both follow the variable (cfn_roles.iam_context keeps
    Ref of a template's own resources the same way)."""
    text = _main("${aws_ssm_parameter.db.arn}") + (
        'resource "aws_ssm_parameter" "db" {\n  name  = "/orders/${var.stage}/db"\n  type  = "SecureString"\n  value = "x"\n}\n'
    )
    (st,) = _statements(text)
    assert st.resources == ("arn:*:ssm:*:*:parameter/orders/dev/db",)
    assert st.any_resources == ()
