"""serverless.yml → IAM facts: roles and grants, stores, env patterns, code refs."""
from __future__ import annotations

import pytest

from lambda_secrets_lint.iam.policy import evaluate, is_overbroad, is_specific
from lambda_secrets_lint.model.infra import LambdaFunction, RoleFacts, Template
from lambda_secrets_lint.parsers.cfn_json import load_json
from lambda_secrets_lint.parsers.cfn_yaml import load_yaml
from lambda_secrets_lint.parsers.serverless import build_serverless
from lambda_secrets_lint.parsers.serverless_iam import arn_fields_only


def _template(text: str, path: str = "serverless.yml") -> Template:
    t = build_serverless(path, load_yaml(text))
    assert t is not None
    return t


def _fn(text: str, name: str = "api") -> LambdaFunction:
    return next(f for f in _template(text).functions if f.logical_id == name)


def _role(text: str, name: str = "api") -> RoleFacts:
    role = _fn(text, name).role
    assert role is not None
    return role


def _line(text: str, needle: str, nth: int = 0) -> int:
    lines = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return lines[nth]


PROVIDER = """\
service: checkout
custom:
  prefix: /checkout/${sls:stage}
  paramPath: /checkout/shared/db-password
provider:
  name: aws
  runtime: python3.12
  environment:
    DB_PASSWORD_PARAM: ${self:custom.prefix}/db-password
  iam:
    role:
      statements:
        - Effect: Allow
          Action: dynamodb:GetItem
          Resource: !GetAtt OrdersTable.Arn
        - Effect: Allow
          Action:
            - ssm:GetParameter
          Resource: arn:aws:ssm:${aws:region}:${aws:accountId}:parameter/checkout/*
        - Effect: Allow
          Action: secretsmanager:GetSecretValue
          Resource: !Ref StripeSecret
        - Effect: Allow
          Action: ssm:GetParameter
          Resource: !Sub 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${self:custom.paramPath}'
        - Effect: Allow
          Action: ssm:GetParameter
          Resource: arn:aws:ssm:*:*:parameter/checkout/${sls:stage}/*
        - Effect: Allow
          Action: secretsmanager:GetSecretValue
          Resource: '*'
          Condition:
            StringEquals:
              aws:ResourceTag/team: checkout
functions:
  api:
    handler: src/handlers/orders.main
resources:
  Resources:
    OrdersTable:
      Type: AWS::DynamoDB::Table
    StripeSecret:
      Type: AWS::SecretsManager::Secret
      Properties:
        Name: checkout/${sls:stage}/stripe
"""


def test_provider_statements_become_grants_at_their_list_items() -> None:
    role = _role(PROVIDER)
    assert role.name == "provider.iam.role" and role.known and not role.partial
    assert role.location is not None and role.location.line == _line(PROVIDER, "  iam:")
    lines = [g.location.line for g in role.grants]
    assert lines == [i for i, line in enumerate(PROVIDER.splitlines(), 1) if "- Effect: Allow" in line]
    assert role.grants[1].origin == "statement 2 of provider.iam.role.statements"


def test_region_and_account_variables_widen_without_making_the_statement_unresolved() -> None:
    st = _role(PROVIDER).grants[1].statement
    assert st.resources == ("arn:aws:ssm:*:*:parameter/checkout/*",)
    assert not st.unresolved
    assert is_overbroad(st) is None  # a path is not "every parameter"


def test_ref_to_a_declared_secret_is_its_arn_glob_with_variables_resolved() -> None:
    st = _role(PROVIDER).grants[2].statement
    assert st.resources == ("arn:*:secretsmanager:*:*:secret:checkout/*/stripe-??????",)
    assert not st.unresolved


def test_sub_keeps_cloudformation_pseudo_parameters_and_resolves_serverless_variables() -> None:
    st = _role(PROVIDER).grants[3].statement
    assert st.resources == ("arn:*:ssm:*:*:parameter/checkout/shared/db-password",)
    assert not st.unresolved and is_specific(st)


def test_a_stage_hole_in_the_name_is_unresolved() -> None:
    st = _role(PROVIDER).grants[4].statement
    assert st.resources == ("arn:aws:ssm:*:*:parameter/checkout/*/*",)
    assert st.unresolved


def test_a_getatt_the_linter_cannot_evaluate_is_unresolved_and_conditions_are_kept() -> None:
    grants = _role(PROVIDER).grants
    assert grants[0].statement.unresolved
    assert grants[5].statement.has_condition
    decision = evaluate([grants[5].statement], "secretsmanager:GetSecretValue", "arn:aws:secretsmanager:*:*:secret:x-??????")
    assert decision.allowed and decision.conditional  # "may allow": LSL301 stays silent


@pytest.mark.parametrize(
    "text,expected",
    [
        ("arn:aws:ssm:\x02:\x02:parameter/a", True),
        ("arn:\x02:ssm:eu-west-1:1:parameter/a", True),
        ("arn:aws:ssm:*:*:parameter/\x02/a", False),
        ("/a/\x02", False),
        ("plain", True),
    ],
)
def test_arn_fields_only(text: str, expected: bool) -> None:
    assert arn_fields_only(text) is expected


LEGACY = """\
service: reports
provider:
  name: aws
  runtime: python3.11
  iamManagedPolicies:
    - arn:aws:iam::aws:policy/SecretsManagerReadWrite
    - arn:aws:iam::123456789012:policy/shared-read
  iamRoleStatements:
    - Effect: Allow
      Action: ssm:GetParameter
      Resource: arn:aws:ssm:*:*:parameter/reports/db
functions:
  api:
    handler: handler.main
"""


def test_legacy_keys_and_managed_policies() -> None:
    role = _role(LEGACY)
    assert role.location is not None and role.location.line == _line(LEGACY, "iamRoleStatements:")
    managed = [g for g in role.grants if g.managed]
    assert {g.managed for g in managed} == {"SecretsManagerReadWrite"}
    assert managed[0].location.line == _line(LEGACY, "SecretsManagerReadWrite")
    assert managed[0].origin == "managed policy SecretsManagerReadWrite"
    assert "shared-read" in role.partial  # a customer-managed policy: LSL301 must stay silent
    statements = [g for g in role.grants if not g.managed]
    assert [g.location.line for g in statements] == [_line(LEGACY, "- Effect: Allow")]
    assert statements[0].origin == "statement 1 of provider.iamRoleStatements"


def test_new_keys_win_over_legacy_ones_not_a_union() -> None:
    text = LEGACY.replace("  iamManagedPolicies:", """\
  iam:
    role:
      statements:
        - Effect: Allow
          Action: s3:GetObject
          Resource: arn:aws:s3:::reports/*
      managedPolicies:
        - arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole
  iamManagedPolicies:""")
    role = _role(text)
    assert [g.statement.actions for g in role.grants if not g.managed] == [("s3:GetObject",)]
    assert {g.managed for g in role.grants if g.managed} == {"AWSLambdaBasicExecutionRole"}
    assert role.partial == ""


def test_unknown_managed_policy_and_unreadable_statements_are_partial() -> None:
    text = """\
service: s
provider:
  name: aws
  iam:
    role:
      managedPolicies:
        - arn:aws:iam::aws:policy/AmazonRDSDataFullAccess
      statements: ${file(./iam/statements.yml)}
functions:
  api:
    handler: h.main
"""
    role = _role(text)
    assert role.known and not role.grants
    assert "AmazonRDSDataFullAccess" in role.partial and "not written in this file" in role.partial


def test_statements_from_self_references_keep_their_own_positions() -> None:
    text = """\
service: s
custom:
  readSecrets:
    - Effect: Allow
      Action: secretsmanager:GetSecretValue
      Resource: arn:aws:secretsmanager:*:*:secret:s/db-??????
  extra:
    Effect: Allow
    Action: ssm:GetParameter
    Resource: arn:aws:ssm:*:*:parameter/s/flag
provider:
  name: aws
  iam:
    role:
      statements:
        - ${self:custom.extra}
functions:
  api:
    handler: h.main
    iamRoleStatements: ${self:custom.readSecrets}
"""
    role = _role(text)
    assert [g.statement.actions for g in role.grants] == [("ssm:GetParameter",)]
    assert role.grants[0].location.line == _line(text, "- ${self:custom.extra}")
    # without the plugin the function-level key is not the framework's: ignored
    assert role.name == "provider.iam.role"
    plugin = _role(text.replace("provider:", "plugins:\n  - serverless-iam-roles-per-function\nprovider:"))
    assert plugin.name == "api-role"
    assert [g.location.line for g in plugin.grants] == [_line(text, "- Effect: Allow")]


PER_FUNCTION = """\
service: notify
plugins:
  - serverless-esbuild
  - serverless-iam-roles-per-function
provider:
  name: aws
  runtime: nodejs20.x
  iam:
    role:
      managedPolicies:
        - arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess
      statements:
        - Effect: Allow
          Action: dynamodb:GetItem
          Resource: arn:aws:dynamodb:*:*:table/templates
functions:
  api:
    handler: src/api.handler
  sms:
    handler: src/sms.handler
    iamRoleStatements:
      - Effect: Allow
        Action: ssm:GetParameters
        Resource: arn:aws:ssm:*:*:parameter/notify/twilio/*
  email:
    handler: src/email.handler
    iamRoleStatementsInherit: true
    iamRoleStatements:
      - Effect: Allow
        Action: ssm:GetParameters
        Resource: arn:aws:ssm:*:*:parameter/notify/sendgrid/*
  push:
    handler: src/push.handler
    iamRoleStatements: []
"""


def test_per_function_plugin_gives_each_function_its_own_role() -> None:
    api = _role(PER_FUNCTION, "api")
    assert api.name == "provider.iam.role"
    assert {g.managed for g in api.grants} == {"", "AmazonSSMReadOnlyAccess"}
    sms = _role(PER_FUNCTION, "sms")
    assert sms.name == "sms-role" and sms.location is not None
    assert sms.location.line == _line(PER_FUNCTION, "iamRoleStatements:")
    assert [g.statement.resources for g in sms.grants] == [("arn:aws:ssm:*:*:parameter/notify/twilio/*",)]
    assert sms.grants[0].origin == "statement 1 of functions.sms.iamRoleStatements"


def test_inherit_adds_provider_statements_but_never_managed_policies() -> None:
    email = _role(PER_FUNCTION, "email")
    assert [g.statement.actions for g in email.grants] == [("ssm:GetParameters",), ("dynamodb:GetItem",)]
    assert not any(g.managed for g in email.grants)
    push = _role(PER_FUNCTION, "push")  # `iamRoleStatements: []` still creates the role
    assert push.name == "push-role" and push.grants == () and push.known


def test_default_inherit_setting() -> None:
    text = PER_FUNCTION.replace(
        "provider:", "custom:\n  serverless-iam-roles-per-function:\n    defaultInherit: true\nprovider:"
    ).replace("    iamRoleStatementsInherit: true\n", "    iamRoleStatementsInherit: false\n")
    assert len(_role(text, "sms").grants) == 2
    assert len(_role(text, "email").grants) == 1


def test_plugin_inherits_iam_role_statements_only_when_provider_iam_exists() -> None:
    text = """\
service: s
plugins: [serverless-iam-roles-per-function]
provider:
  name: aws
  iam:
    deploymentRole: arn:aws:iam::123456789012:role/deployer
  iamRoleStatements:
    - Effect: Allow
      Action: ssm:GetParameter
      Resource: '*'
functions:
  api:
    handler: h.main
    iamRoleStatementsInherit: true
    iamRoleStatements:
      - Effect: Allow
        Action: s3:GetObject
        Resource: arn:aws:s3:::b/*
"""
    assert [g.statement.actions for g in _role(text).grants] == [("s3:GetObject",)]


EXISTING = """\
service: s
provider:
  name: aws
  runtime: python3.12
  iam:
    role: %s
functions:
  api:
    handler: h.main
  own:
    handler: h.own
    role: %s
resources:
  Resources:
    ReportsRole:
      Type: AWS::IAM::Role
      Properties:
        ManagedPolicyArns:
          - arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess
          - !Ref ReadSecretsPolicy
        Policies:
          - PolicyName: reports
            PolicyDocument:
              Statement:
                - Effect: Allow
                  Action: secretsmanager:GetSecretValue
                  Resource: arn:aws:secretsmanager:${aws:region}:${aws:accountId}:secret:reports/smtp-??????
    ReadSecretsPolicy:
      Type: AWS::IAM::ManagedPolicy
      Properties:
        PolicyDocument:
          Statement:
            - Effect: Allow
              Action: secretsmanager:GetSecretValue
              Resource: arn:aws:secretsmanager:*:*:secret:reports/db-??????
    ExtraPolicy:
      Type: AWS::IAM::Policy
      Properties:
        PolicyName: extra
        Roles:
          - !Ref ReportsRole
        PolicyDocument:
          Statement:
            Effect: Allow
            Action: ssm:GetParameter
            Resource: arn:aws:ssm:*:*:parameter/reports/flags
"""


def test_role_given_as_an_arn_is_unknown() -> None:
    text = EXISTING % ("arn:aws:iam::123456789012:role/legacy", "arn:aws:iam::123456789012:role/other")
    for name in ("api", "own"):
        role = _role(text, name)
        assert not role.known and role.grants == ()


def test_role_given_as_a_declared_logical_id_is_read() -> None:
    text = EXISTING % ("ReportsRole", "!GetAtt ReportsRole.Arn")
    for name in ("api", "own"):
        role = _role(text, name)
        assert role.known and role.name == "ReportsRole" and not role.partial
        assert role.location is not None and role.location.line == _line(text, "    ReportsRole:")
        origins = [g.origin for g in role.grants]
        assert origins == [
            "statement 1 of inline policy reports of ReportsRole",
            "managed policy AmazonSSMReadOnlyAccess",
            "statement 1 of policy ReadSecretsPolicy",
            "statement 1 of policy ExtraPolicy",
        ]
        assert role.grants[0].statement.resources == ("arn:aws:secretsmanager:*:*:secret:reports/smtp-??????",)
        assert role.grants[1].location.line == _line(text, "AmazonSSMReadOnlyAccess")


def test_role_naming_an_undeclared_logical_id_is_unknown() -> None:
    role = _role(EXISTING % ("SomeRoleElsewhere", "SomeRoleElsewhere"))
    assert not role.known and role.name == "SomeRoleElsewhere"


def test_policy_resources_attached_to_the_default_role() -> None:
    text = PROVIDER + """\
    ReadStripe:
      Type: AWS::IAM::Policy
      Properties:
        PolicyName: read-stripe
        Roles: [!Ref IamRoleLambdaExecution]
        PolicyDocument:
          Statement:
            - Effect: Allow
              Action: secretsmanager:DescribeSecret
              Resource: !Ref StripeSecret
"""
    role = _role(text)
    assert role.grants[-1].origin == "statement 1 of policy ReadStripe"
    assert role.grants[-1].statement.actions == ("secretsmanager:DescribeSecret",)


def test_role_location_falls_back_to_the_provider_key() -> None:
    text = "service: s\nprovider:\n  name: aws\nfunctions:\n  api:\n    handler: h.main\n"
    role = _role(text)
    assert role.known and role.grants == () and role.location is not None and role.location.line == 2


def test_overbroad_statements_are_recognised() -> None:
    text = """\
service: s
provider:
  name: aws
  iam:
    role:
      statements:
        - Effect: Allow
          Action: ssm:*
          Resource: arn:aws:ssm:${aws:region}:${aws:accountId}:parameter/*
        - Effect: Allow
          Action: secretsmanager:GetSecretValue
          Resource: arn:aws:secretsmanager:*:*:secret:${opt:stage, 'dev'}*
functions:
  api:
    handler: h.main
"""
    broad, holed = _role(text).grants
    assert is_overbroad(broad.statement)
    # `secret:<stage>*` is one stage's secrets, not "every secret": the hole keeps it quiet
    assert holed.statement.unresolved and is_overbroad(holed.statement) is None


STORES = """\
service: inv
provider:
  name: aws
functions:
  api:
    handler: h.main
    environment:
      VENDOR_SECRET_ARN: !Ref VendorSecret
      ENDPOINT_PARAM: !Ref EndpointParam
      UNNAMED_PARAM: !Ref UnnamedParam
resources:
  Resources:
    Key:
      Type: AWS::KMS::Key
    VendorSecret:
      Type: AWS::SecretsManager::Secret
      Properties:
        Name: inventory/${sls:stage}/vendor
        KmsKeyId: !Ref Key
    DefaultKeySecret:
      Type: AWS::SecretsManager::Secret
      Properties:
        KmsKeyId: alias/aws/secretsmanager
    EndpointParam:
      Type: AWS::SSM::Parameter
      Properties:
        Name: ${self:custom.endpointName}
        Type: String
        Value: https://wms.example
    UnnamedParam:
      Type: AWS::SSM::Parameter
      Properties:
        Type: String
        Value: x
custom:
  endpointName: /inventory/endpoint
"""


def test_declared_parameters_and_secrets_are_stores() -> None:
    t = _template(STORES)
    stores = {s.ref: s for s in t.stores}
    assert set(stores) == {"VendorSecret", "DefaultKeySecret", "EndpointParam", "UnnamedParam"}
    assert stores["VendorSecret"].service == "secretsmanager"
    assert stores["VendorSecret"].name == "arn:*:secretsmanager:*:*:secret:inventory/*/vendor-??????"
    assert stores["VendorSecret"].kms_key == "arn:*:kms:*:*:key/*"
    assert stores["VendorSecret"].location.line == _line(STORES, "    VendorSecret:")
    assert stores["DefaultKeySecret"].kms_key == ""  # the AWS-managed key needs no grant
    assert stores["DefaultKeySecret"].name == "arn:*:secretsmanager:*:*:secret:DefaultKeySecret-*"
    assert (stores["EndpointParam"].service, stores["EndpointParam"].name) == ("ssm", "/inventory/endpoint")
    assert stores["UnnamedParam"].name == "CFN-UnnamedParam-*"


def test_env_refs_to_declared_stores_carry_their_runtime_text() -> None:
    env = {v.name: v.value.pattern for v in _fn(STORES).env}
    assert env == {
        "VENDOR_SECRET_ARN": "arn:*:secretsmanager:*:*:secret:inventory/*/vendor-??????",
        "ENDPOINT_PARAM": "/inventory/endpoint",
        "UNNAMED_PARAM": "CFN-UnnamedParam-*",
    }


@pytest.mark.parametrize(
    "value,pattern",
    [
        ("/checkout/prod/db-password", "/checkout/prod/db-password"),
        ("/checkout/${sls:stage}/db-password", "/checkout/*/db-password"),
        ("/checkout/${opt:stage, 'dev'}/db-password", "/checkout/*/db-password"),
        ("${self:custom.prefix}/db-password", "/checkout/*/db-password"),
        ("${self:service}/api-key", "checkout/api-key"),
        ("${env:DB_PARAM}", None),
        ("${self:custom.stages.${sls:stage}.param}", None),
        ("'42'", "42"),
    ],
)
def test_env_patterns(value: str, pattern: str | None) -> None:
    text = f"""\
service: checkout
custom:
  prefix: /checkout/${{sls:stage}}
  stages:
    dev:
      param: /checkout/dev/db
    prod:
      param: /checkout/prod/db
provider:
  name: aws
functions:
  api:
    handler: h.main
    environment:
      VALUE: {value}
"""
    assert _fn(text).env_var("VALUE").value.pattern == pattern  # type: ignore[union-attr]


def test_code_ref_is_relative_to_the_service_directory() -> None:
    text = """\
service: s
custom:
  runtime: python3.12
provider:
  name: aws
  runtime: nodejs20.x
functions:
  api:
    handler: src/handlers/orders.main
  worker:
    handler: src/worker.handler
    runtime: ${self:custom.runtime}
  dynamic:
    handler: ${env:HANDLER}
  image:
    image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:latest
"""
    t = _template(text, "services/orders/serverless.yml")
    code = {f.logical_id: f.code for f in t.functions}
    assert code["api"] is not None and (code["api"].root, code["api"].handler, code["api"].runtime) == (
        "services/orders", "src/handlers/orders.main", "nodejs20.x")
    assert code["worker"] is not None and code["worker"].runtime == "python3.12"
    assert code["dynamic"] is None and code["image"] is None
    root = _template(text).functions[0].code
    assert root is not None and root.root == ""


def test_serverless_json_is_read_too() -> None:
    text = """{
  "service": "s",
  "provider": {"name": "aws", "runtime": "nodejs20.x",
    "iam": {"role": {"statements": [
      {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}
    ]}}},
  "functions": {"api": {"handler": "src/api.handler"}}
}"""
    t = build_serverless("serverless.json", load_json(text))
    assert t is not None
    role = t.functions[0].role
    assert role is not None and role.grants[0].location.line == 5
    assert is_overbroad(role.grants[0].statement)


def test_role_given_as_an_intrinsic_and_unreadable_effects() -> None:
    text = EXISTING % ("!GetAtt ReportsRole.Arn", "!ImportValue shared-role-arn")
    assert _role(text, "api").name == "ReportsRole" and _role(text, "api").known
    own = _role(text, "own")
    assert not own.known and own.partial
    odd = """\
service: s
provider:
  name: aws
  iam:
    role:
      statements:
        - Effect: ${file(./effect.yml)}
          Action: ssm:GetParameter
          Resource: '*'
functions:
  api:
    handler: h.main
"""
    role = _role(odd)
    assert role.grants == () and "no literal Effect" in role.partial
