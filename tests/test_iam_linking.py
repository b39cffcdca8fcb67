"""LSL301/302/303 end to end on small CloudFormation/SAM projects: the
linker joins function → handler → secret read → role, and each rule speaks
exactly when docs/design/iam-linking.md says it should."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from lambda_secrets_lint.testing import lint_directory

SAM_HEAD = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage:
    Type: String
    Default: prod
Resources:
"""

PY_GET_PARAMETER = """\
import os
from aws_lambda_powertools.utilities import parameters


def handler(event, context):
    value = parameters.get_parameter(os.environ["PARAM_NAME"], decrypt=True, max_age=300)
    return {"ok": bool(value)}
"""

PY_GET_SECRET = """\
import os
from aws_lambda_powertools.utilities import parameters


def handler(event, context):
    value = parameters.get_secret(os.environ["SECRET_ID"], max_age=300)
    return {"ok": bool(value)}
"""


def _function(name: str, env: dict[str, str], extra: str = "", handler: str = "app.handler") -> str:
    env_lines = "".join(f"          {k}: {v}\n" for k, v in env.items())
    return textwrap.indent(
        textwrap.dedent(
            f"""\
            {name}:
              Type: AWS::Serverless::Function
              Properties:
                CodeUri: src/
                Handler: {handler}
                Runtime: python3.12
                Environment:
                  Variables:
            """
        ),
        "  ",
    ) + env_lines + textwrap.indent(textwrap.dedent(extra), "      ")


def _project(tmp_path: Path, template: str, files: dict[str, str]) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "template.yaml").write_text(template, encoding="utf-8")
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def _lsl3(root: Path) -> list:
    return [f for f in lint_directory(root).findings if f.rule_id.startswith("LSL3")]


def _ids(findings: list) -> list[tuple[str, str, int]]:
    return sorted((f.rule_id, f.location.path, f.location.line) for f in findings)


# ------------------------------------------------------------------ LSL301


def test_no_policies_is_a_missing_grant_at_the_reading_line(tmp_path: Path) -> None:
    root = _project(tmp_path, SAM_HEAD + _function("Api", {"PARAM_NAME": "/orders/prod/db-password"}),
                    {"src/app.py": PY_GET_PARAMETER})
    [f] = _lsl3(root)
    assert (f.rule_id, f.location.path, f.location.line) == ("LSL301", "src/app.py", 6)
    assert "ssm:GetParameter" in f.message and "'/orders/prod/db-password'" in f.message and "Api" in f.message
    assert [r.location.path for r in f.related] == ["template.yaml"]
    assert f.related[0].location.line == 8  # the function's logical id


@pytest.mark.parametrize(
    "policy,fires",
    [
        ("- SSMParameterWithSlashPrefixReadPolicy:\n    ParameterName: /orders/prod/db-password", False),
        ("- SSMParameterReadPolicy:\n    ParameterName: orders/prod/db-password", False),
        # the no-slash template with a leading slash builds parameter//orders/…: a real, common mistake
        ("- SSMParameterReadPolicy:\n    ParameterName: /orders/prod/db-password", True),
        ("- SSMParameterReadPolicy:\n    ParameterName: orders/prod/*", False),
        ("- SSMParameterReadPolicy:\n    ParameterName: billing/prod/db-password", True),
        ("- AmazonSSMReadOnlyAccess", False),
        ("- AWSLambdaBasicExecutionRole", True),
        # an unmodelled customer-managed policy may grant it: silent
        ("- arn:aws:iam::123456789012:policy/orders-extra", False),
        ("- Statement:\n    - Effect: Allow\n      Action: ssm:GetParameter\n      Resource: !Sub arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/orders/${Stage}/*", False),
        ("- Statement:\n    - Effect: Allow\n      Action: ssm:GetParameter\n      Resource: '*'\n      Condition:\n        StringEquals:\n          aws:ResourceTag/team: orders", False),
        ("- Statement:\n    - Effect: Allow\n      Action: ssm:Get*\n      Resource: '*'\n    - Effect: Deny\n      Action: ssm:GetParameter\n      Resource: arn:aws:ssm:*:*:parameter/orders/prod/*", True),
    ],
)
def test_sam_policies_decide_lsl301(tmp_path: Path, policy: str, fires: bool) -> None:
    extra = "Policies:\n" + textwrap.indent(policy, "  ") + "\n"
    root = _project(tmp_path, SAM_HEAD + _function("Api", {"PARAM_NAME": "/orders/prod/db-password"}, extra),
                    {"src/app.py": PY_GET_PARAMETER})
    assert [f.rule_id for f in _lsl3(root) if f.rule_id == "LSL301"] == (["LSL301"] if fires else [])


def test_deny_is_named_in_the_message(tmp_path: Path) -> None:
    extra = """\
    Policies:
      - Statement:
          - Effect: Allow
            Action: ssm:GetParameter
            Resource: arn:aws:ssm:*:*:parameter/orders/prod/db-password
          - Effect: Deny
            Action: ssm:*
            Resource: arn:aws:ssm:*:*:parameter/orders/*
    """
    root = _project(tmp_path, SAM_HEAD + _function("Api", {"PARAM_NAME": "/orders/prod/db-password"}, extra),
                    {"src/app.py": PY_GET_PARAMETER})
    [f] = [f for f in _lsl3(root) if f.rule_id == "LSL301"]
    assert "denies ssm:GetParameter" in f.message


def test_getparameters_is_not_getparameter(tmp_path: Path) -> None:
    handler = """\
import os
import boto3

ssm = boto3.client("ssm")


def handler(event, context):
    res = ssm.get_parameters(Names=[os.environ["PARAM_NAME"]], WithDecryption=True)
    return {"n": len(res["Parameters"])}
"""
    extra = """\
    Policies:
      - Statement:
          - Effect: Allow
            Action: ssm:GetParameter
            Resource: arn:aws:ssm:*:*:parameter/orders/prod/db-password
    """
    root = _project(tmp_path, SAM_HEAD + _function("Api", {"PARAM_NAME": "/orders/prod/db-password"}, extra),
                    {"src/app.py": handler})
    found = [f for f in _lsl3(root) if f.rule_id == "LSL301"]
    assert len(found) == 1 and "ssm:GetParameters" in found[0].message and found[0].location.line == 8


def test_secret_by_ref_and_explicit_role_with_attached_policy(tmp_path: Path) -> None:
    template = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  StripeKey:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: payments/stripe
  OtherKey:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: payments/other
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
  ReadPolicy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: read
      Roles: [!Ref FnRole]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: secretsmanager:GetSecretValue
            Resource: !Ref {target}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt FnRole.Arn
      Runtime: python3.12
      Handler: app.handler
      Code: src/
      Environment:
        Variables:
          SECRET_ID: !Ref StripeKey
"""
    # A plain AWS::Lambda::Function whose Code is a local directory (what
    # `aws cloudformation package` uploads) links like SAM's CodeUri.
    good = _project(tmp_path / "good", template.replace("{target}", "StripeKey"), {"src/app.py": PY_GET_SECRET})
    assert _lsl3(good) == []
    bad = _project(tmp_path / "bad", template.replace("{target}", "OtherKey"), {"src/app.py": PY_GET_SECRET})
    assert _ids(_lsl3(bad)) == [("LSL301", "src/app.py", 6), ("LSL303", "template.yaml", 26)]
    [missing] = [f for f in _lsl3(bad) if f.rule_id == "LSL301"]
    assert "role FnRole" in missing.message and "payments/stripe" in missing.message
    assert {r.message.split(":")[0] for r in missing.related} == {"function Fn", "role FnRole", "policy ReadPolicy"}


def test_imported_role_is_silent_and_explained_with_verbose(tmp_path: Path, run_cli) -> None:
    extra = "Role: arn:aws:iam::123456789012:role/legacy-lambda\n"
    root = _project(tmp_path, SAM_HEAD + _function("Api", {"PARAM_NAME": "/orders/prod/db-password"}, extra),
                    {"src/app.py": PY_GET_PARAMETER})
    assert _lsl3(root) == []
    result = run_cli("check", str(root), "--select", "LSL3", "-v")
    assert result.code == 0
    assert "function Api" in result.err and "missing grants are not reported" in result.err


def test_customer_managed_key_needs_kms_decrypt(tmp_path: Path) -> None:
    head = SAM_HEAD + """\
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy: {Version: "2012-10-17", Statement: []}
  Secret:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: billing/ledger
      KmsKeyId: !Ref Key
"""
    grant = """\
    Policies:
      - AWSSecretsManagerGetSecretValuePolicy:
          SecretArn: !Ref Secret
    """
    without = _project(tmp_path / "a", head + _function("Ledger", {"SECRET_ID": "!Ref Secret"}, grant), {"src/app.py": PY_GET_SECRET})
    [f] = [f for f in _lsl3(without) if f.rule_id == "LSL301"]
    assert "kms:Decrypt" in f.message and "secretsmanager:GetSecretValue" not in f.message
    kms = grant + "  - KMSDecryptPolicy:\n          KeyId: !Ref Key\n"
    with_kms = _project(tmp_path / "b", head + _function("Ledger", {"SECRET_ID": "!Ref Secret"}, kms), {"src/app.py": PY_GET_SECRET})
    assert [f for f in _lsl3(with_kms) if f.rule_id == "LSL301"] == []


def test_env_value_patterns_follow_sub_defaults(tmp_path: Path) -> None:
    extra = """\
    Policies:
      - SSMParameterReadPolicy:
          ParameterName: !Sub orders/${Stage}/db-password
    """
    root = _project(tmp_path, SAM_HEAD + _function("Api", {"PARAM_NAME": "!Sub /orders/${Stage}/db-password"}, extra),
                    {"src/app.py": PY_GET_PARAMETER})
    assert _lsl3(root) == []
    other = _project(tmp_path / "x", SAM_HEAD + _function("Api", {"PARAM_NAME": "!Sub /billing/${Stage}/db-password"}, extra),
                     {"src/app.py": PY_GET_PARAMETER})
    assert [f.rule_id for f in _lsl3(other)] == ["LSL301", "LSL303"]


def test_one_file_with_two_handlers_attributes_reads_to_their_own_function(tmp_path: Path) -> None:
    handler = """\
import os
from aws_lambda_powertools.utilities import parameters


def checkout(event, context):
    return parameters.get_secret(os.environ["STRIPE_SECRET"], max_age=300)


def report(event, context):
    return parameters.get_secret(os.environ["WAREHOUSE_SECRET"], max_age=300)
"""
    checkout = _function("Checkout", {"STRIPE_SECRET": "payments/stripe"},
                         "Policies:\n  - AWSSecretsManagerGetSecretValuePolicy:\n      SecretArn: arn:aws:secretsmanager:eu-west-1:123456789012:secret:payments/stripe-??????\n",
                         handler="app.checkout")
    report = _function("Report", {"WAREHOUSE_SECRET": "reporting/warehouse", "STRIPE_SECRET": "payments/stripe"},
                       "Policies:\n  - AWSSecretsManagerGetSecretValuePolicy:\n      SecretArn: arn:aws:secretsmanager:eu-west-1:123456789012:secret:reporting/warehouse-??????\n",
                       handler="app.report")
    root = _project(tmp_path, SAM_HEAD + checkout + report, {"src/app.py": handler})
    assert _lsl3(root) == []


# ------------------------------------------------------------------ LSL302 / LSL303


@pytest.mark.parametrize(
    "policy,fires",
    [
        ("- SecretsManagerReadWrite", True),
        ("- arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess", True),
        ("- Statement:\n    - Effect: Allow\n      Action: secretsmanager:GetSecretValue\n      Resource: '*'", True),
        ("- Statement:\n    - Effect: Allow\n      Action: ssm:*\n      Resource: !Sub arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/*", True),
        ("- Statement:\n    - Effect: Allow\n      Action: ssm:GetParameter\n      Resource: arn:aws:ssm:*:*:parameter/orders/*", False),
        ("- Statement:\n    - Effect: Allow\n      Action: ssm:DescribeParameters\n      Resource: '*'", False),
        ("- Statement:\n    - Effect: Allow\n      Action: kms:Decrypt\n      Resource: '*'", False),
        ("- Statement:\n    - Effect: Allow\n      Action: secretsmanager:GetSecretValue\n      Resource: '*'\n      Condition:\n        StringEquals:\n          secretsmanager:ResourceTag/app: orders", False),
    ],
)
def test_overbroad_grants(tmp_path: Path, policy: str, fires: bool) -> None:
    extra = "Policies:\n" + textwrap.indent(policy, "  ") + "\n"
    root = _project(tmp_path, SAM_HEAD + _function("Api", {"PARAM_NAME": "/orders/prod/db-password"}, extra),
                    {"src/app.py": PY_GET_PARAMETER})
    found = [f for f in _lsl3(root) if f.rule_id == "LSL302"]
    assert len(found) == (1 if fires else 0)
    if fires:
        # a managed policy: its Policies item; a document: the statement
        assert found[0].location.path == "template.yaml"
        assert found[0].location.line == (19 if "Statement" in policy else 18)
        assert found[0].related and found[0].related[0].message == "function Api"


def test_unused_grant_needs_complete_knowledge(tmp_path: Path) -> None:
    extra = """\
    Policies:
      - SSMParameterWithSlashPrefixReadPolicy:
          ParameterName: /orders/prod/db-password
      - SSMParameterWithSlashPrefixReadPolicy:
          ParameterName: /orders/prod/legacy-token
    """
    root = _project(tmp_path, SAM_HEAD + _function("Api", {"PARAM_NAME": "/orders/prod/db-password"}, extra),
                    {"src/app.py": PY_GET_PARAMETER})
    [f] = _lsl3(root)
    assert (f.rule_id, f.location.line) == ("LSL303", 20)
    assert "'/orders/prod/legacy-token'" in f.message
    # A helper module under the same CodeUri reads it: used.
    helper = 'from aws_lambda_powertools.utilities import parameters\n\n\ndef legacy():\n    return parameters.get_parameter("/orders/prod/legacy-token", decrypt=True, max_age=300)\n'
    used = _project(tmp_path / "u", SAM_HEAD + _function("Api", {"PARAM_NAME": "/orders/prod/db-password"}, extra),
                    {"src/app.py": PY_GET_PARAMETER, "src/common/legacy.py": helper})
    assert _lsl3(used) == []
    # A name computed at runtime somewhere in the code: "never read" cannot be claimed.
    dynamic = 'import os\nfrom aws_lambda_powertools.utilities import parameters\n\n\ndef token(tenant):\n    return parameters.get_parameter(f"/orders/{tenant}/token", decrypt=True, max_age=300)\n'
    unknown = _project(tmp_path / "d", SAM_HEAD + _function("Api", {"PARAM_NAME": "/orders/prod/db-password"}, extra),
                       {"src/app.py": PY_GET_PARAMETER, "src/common/tenant.py": dynamic})
    assert _lsl3(unknown) == []


def test_sarif_carries_related_locations_for_the_handler_and_the_role(tmp_path: Path, run_cli) -> None:
    root = _project(tmp_path, SAM_HEAD + _function("Api", {"PARAM_NAME": "/orders/prod/db-password"}),
                    {"src/app.py": PY_GET_PARAMETER})
    result = run_cli("check", str(root), "--format", "sarif", "--select", "LSL301")
    doc = json.loads(result.out)
    [res] = doc["runs"][0]["results"]
    assert res["ruleId"] == "LSL301"
    assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "src/app.py"
    related = res["relatedLocations"]
    assert {r["physicalLocation"]["artifactLocation"]["uri"] for r in related} == {"template.yaml"}
    assert any("function Api" in r["message"]["text"] for r in related)


@pytest.mark.parametrize(
    "parameter_name,fires",
    [("billing/stripe-key", True), ("billing/*", False), ("billing", False), ("billing-archive/*", True)],
)
def test_a_path_read_needs_a_grant_on_the_path(tmp_path: Path, parameter_name: str, fires: bool) -> None:
    handler = """\
import boto3

ssm = boto3.client("ssm")


def handler(event, context):
    pages = ssm.get_parameters_by_path(Path="/billing/", Recursive=True, WithDecryption=True)
    return {"n": len(pages["Parameters"])}
"""
    extra = f"Policies:\n  - SSMParameterReadPolicy:\n      ParameterName: {parameter_name}\n"
    root = _project(tmp_path, SAM_HEAD + _function("Export", {"STAGE": "prod"}, extra), {"src/app.py": handler})
    found = [f for f in _lsl3(root) if f.rule_id == "LSL301"]
    assert len(found) == (1 if fires else 0)
    if fires:
        assert "ssm:GetParametersByPath" in found[0].message and "path '/billing/'" in found[0].message


def test_a_conditional_allow_is_silent_and_explained_with_verbose(tmp_path: Path, run_cli) -> None:
    extra = """\
    Policies:
      - Statement:
          - Effect: Allow
            Action: ssm:GetParameter
            Resource: "*"
            Condition:
              StringEquals:
                ssm:resourceTag/team: orders
    """
    root = _project(tmp_path, SAM_HEAD + _function("Api", {"PARAM_NAME": "/orders/prod/db-password"}, extra),
                    {"src/app.py": PY_GET_PARAMETER})
    result = run_cli("check", str(root), "--select", "LSL301", "-v")
    assert result.code == 0
    assert "ssm:GetParameter on SSM parameter '/orders/prod/db-password'" in result.err
    assert "allowed only under a Condition" in result.err


def test_grants_do_not_depend_on_a_parameter_default_the_deployment_overrides(tmp_path: Path) -> None:
    # Stage defaults to prod in SAM_HEAD; samconfig deploys "staging" too. The handler reads a
    # literal staging name: the grant written with ${Stage} may allow it, so no LSL301 — and
    # the grant is used, so no LSL303.
    handler = PY_GET_PARAMETER.replace('os.environ["PARAM_NAME"]', '"/orders/staging/db-password"')
    extra = """\
    Policies:
      - SSMParameterReadPolicy:
          ParameterName: !Sub orders/${Stage}/db-password
    """
    root = _project(tmp_path, SAM_HEAD + _function("Api", {"STAGE": "!Ref Stage"}, extra), {"src/app.py": handler})
    assert _lsl3(root) == []
    # ...but a grant for another parameter is still missing, whatever the stage
    other = extra.replace("orders/${Stage}/db-password", "billing/${Stage}/db-password")
    root2 = _project(tmp_path / "b", SAM_HEAD + _function("Api", {"STAGE": "!Ref Stage"}, other), {"src/app.py": handler})
    assert sorted(f.rule_id for f in _lsl3(root2)) == ["LSL301", "LSL303"]


def test_a_secret_passed_where_a_name_belongs_is_never_printed(tmp_path: Path, run_cli) -> None:
    # API_KEY holds the key itself (LSL101), and the handler uses it as a SecretId: the
    # LSL301 message must mask it like every other finding.
    value = "Xk3jaQpLmw8Z2Q9vB7tR"
    handler = PY_GET_SECRET.replace('os.environ["SECRET_ID"]', 'os.environ["API_KEY"]')
    root = _project(tmp_path, SAM_HEAD + _function("Api", {"API_KEY": value}), {"src/app.py": handler})
    findings = lint_directory(root).findings
    assert {"LSL101", "LSL301"} <= {f.rule_id for f in findings}
    for f in findings:
        assert value not in f.message and all(value not in r.message for r in f.related)
    for fmt in ("text", "json", "sarif", "github"):
        result = run_cli("check", str(root), "--format", fmt, "-v")
        assert value not in result.out and value not in result.err, fmt


def test_a_bundled_function_ships_only_what_its_entry_imports(tmp_path: Path) -> None:
    template = SAM_HEAD + """\
  Sync:
    Type: AWS::Serverless::Function
    Metadata:
      BuildMethod: esbuild
      BuildProperties:
        EntryPoints: [sync.ts]
    Properties:
      CodeUri: src/
      Handler: sync.handler
      Runtime: nodejs20.x
      Policies:
        - AWSSecretsManagerGetSecretValuePolicy:
            SecretArn: arn:aws:secretsmanager:eu-west-1:123456789012:secret:partners/ftp-??????
"""
    sync = "export const handler = async () => ({ ok: true });\n"
    sibling = (
        "import { getSecret } from '@aws-lambda-powertools/parameters/secrets';\n"
        "export const handler = async () => getSecret('partners/ftp', { maxAge: 300 });\n"
    )
    root = _project(tmp_path, template, {"src/sync.ts": sync, "src/legacy-ftp.ts": sibling})
    # esbuild bundles sync.ts and its imports only: the sibling's read is not shipped
    assert [f.rule_id for f in _lsl3(root)] == ["LSL303"]
    unbundled = template.replace("    Metadata:\n      BuildMethod: esbuild\n      BuildProperties:\n        EntryPoints: [sync.ts]\n", "")
    root2 = _project(tmp_path / "zip", unbundled, {"src/sync.ts": sync, "src/legacy-ftp.ts": sibling})
    # a zipped CodeUri ships the whole folder, so the grant may be used
    assert _lsl3(root2) == []
