"""CDK Python → code locations, roles, grants, stores and env value patterns
for the IAM linking (lambda_secrets_lint.parsers.cdk_py_code / cdk_py_iam)."""
from __future__ import annotations

import textwrap

import pytest

from lambda_secrets_lint.iam.policy import evaluate, is_overbroad, is_specific
from lambda_secrets_lint.model.infra import CodeRef, LambdaFunction, Template
from lambda_secrets_lint.parsers.cdk_py import build_cdk_py

HEAD = """\
import os
import pathlib
from pathlib import Path
from aws_cdk import ArnFormat, Aws, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as _lambda
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_ssm as ssm
from aws_cdk import aws_lambda_nodejs as nodejs
from aws_cdk import aws_sam as sam
from aws_cdk.aws_lambda_python_alpha import PythonFunction


class S(Stack):
    def __init__(self, scope, id):
        super().__init__(scope, id)
"""
BODY_LINE = HEAD.count("\n") + 1  # the first line of a body


def _build(body: str, path: str = "infra/stacks/app_stack.py") -> Template:
    text = HEAD + textwrap.indent(textwrap.dedent(body), " " * 8)
    t = build_cdk_py(path, text)
    assert t is not None
    return t


def _fn(body: str, name: str = "Fn", path: str = "infra/stacks/app_stack.py") -> LambdaFunction:
    return {f.logical_id: f for f in _build(body, path).functions}[name]


def _line(body: str, needle: str) -> int:
    """The line of the stack file where `needle` first appears in `body`."""
    for i, line in enumerate(textwrap.dedent(body).splitlines()):
        if needle in line:
            return BODY_LINE + i
    raise AssertionError(needle)


# ----------------------------------------------------------------------------- code
PY = 'runtime=_lambda.Runtime.PYTHON_3_12, handler="orders.handler"'
CODE = [
    (f'_lambda.Function(self, "Fn", {PY}, code=_lambda.Code.from_asset("lambda"))',
     CodeRef("lambda", "orders.handler", "python3.12", cwd_relative=True)),
    (f'_lambda.Function(self, "Fn", {PY}, code=_lambda.Code.from_asset("./lambda/orders/"))',
     CodeRef("lambda/orders", "orders.handler", "python3.12", cwd_relative=True)),
    (f'_lambda.Function(self, "Fn", {PY}, code=_lambda.Code.from_asset(os.path.join(os.path.dirname(__file__), "..", "lambda")))',
     CodeRef("infra/lambda", "orders.handler", "python3.12")),
    (f'_lambda.Function(self, "Fn", {PY}, code=_lambda.Code.from_asset(str(Path(__file__).parent / "lambda")))',
     CodeRef("infra/stacks/lambda", "orders.handler", "python3.12")),
    (f'_lambda.Function(self, "Fn", {PY}, code=_lambda.Code.from_asset(str(pathlib.Path(__file__).resolve().parents[1] / "src" / "orders")))',
     CodeRef("infra/src/orders", "orders.handler", "python3.12")),
    (f'_lambda.Function(self, "Fn", {PY}, code=_lambda.Code.from_asset(os.path.join(os.path.dirname(os.path.abspath(__file__)), "fn")))',
     CodeRef("infra/stacks/fn", "orders.handler", "python3.12")),
    (f'_lambda.Function(self, "Fn", {PY}, code=_lambda.Code.from_asset(f"{{HERE}}/../lambda"))',
     CodeRef("infra/lambda", "orders.handler", "python3.12")),
    (f'_lambda.Function(self, "Fn", {PY}, code=CODE)', CodeRef("infra/stacks/shared", "orders.handler", "python3.12")),
    (f'_lambda.Function(self, "Fn", {PY}, code=_lambda.Code.from_inline("def handler(e, c): pass"))',
     CodeRef("infra/stacks", "orders.handler", "python3.12", inline=True)),
    (f'_lambda.Function(self, "Fn", {PY}, code=_lambda.Code.from_bucket(bucket, "orders.zip"))',
     CodeRef(None, "orders.handler", "python3.12")),
    ('_lambda.Function(self, "Fn", runtime=_lambda.Runtime.NODEJS_20_X, handler="src/api.handler", code=_lambda.Code.from_asset("web"))',
     CodeRef("web", "src/api.handler", "nodejs20.x", cwd_relative=True)),
    ('PythonFunction(self, "Fn", entry="lambda/orders", index="app.py", handler="main", runtime=_lambda.Runtime.PYTHON_3_11)',
     CodeRef("lambda/orders", "app.main", "python3.11", cwd_relative=True)),
    ('PythonFunction(self, "Fn", entry="lambda/orders", runtime=_lambda.Runtime.PYTHON_3_12)',
     CodeRef("lambda/orders", "index.handler", "python3.12", cwd_relative=True)),
    ('PythonFunction(self, "Fn", entry="lambda/orders", index="handlers/api.py", runtime=_lambda.Runtime.PYTHON_3_12)',
     CodeRef("lambda/orders", "handlers.api.handler", "python3.12", cwd_relative=True)),
    ('nodejs.NodejsFunction(self, "Fn", entry="lambda/orders/api.ts")',
     CodeRef("lambda/orders", "index.handler", "nodejs", entry_points=("api.ts",), cwd_relative=True)),
    ('nodejs.NodejsFunction(self, "Fn", entry=os.path.join(os.path.dirname(__file__), "api.ts"), handler="main", runtime=_lambda.Runtime.NODEJS_18_X)',
     CodeRef("infra/stacks", "index.main", "nodejs18.x", entry_points=("api.ts",))),
]


@pytest.mark.parametrize("construct,expected", CODE, ids=[c[0][-70:] for c in CODE])
def test_code_ref(construct: str, expected: CodeRef) -> None:
    body = f'HERE = os.path.dirname(__file__)\nCODE = _lambda.Code.from_asset(os.path.join(HERE, "shared"))\n{construct}\n'
    assert _fn(body).code == expected


@pytest.mark.parametrize(
    "construct",
    [
        '_lambda.Function(self, "Fn", runtime=_lambda.Runtime.PYTHON_3_12, handler=props.handler, code=_lambda.Code.from_asset("lambda"))',
        '_lambda.Function(self, "Fn", runtime=_lambda.Runtime.PYTHON_3_12, handler="a.b", code=_lambda.Code.from_asset(props.code_dir))',
        '_lambda.Function(self, "Fn", runtime=_lambda.Runtime.PYTHON_3_12, handler="a.b", code=_lambda.Code.from_asset("/opt/build/lambda"))',
        '_lambda.Function(self, "Fn", runtime=_lambda.Runtime.PYTHON_3_12, handler="a.b", code=_lambda.Code.from_asset(os.path.join(os.path.dirname(__file__), "..", "..", "..", "x")))',
        '_lambda.Function(self, "Fn", runtime=_lambda.Runtime.PYTHON_3_12, handler="a.b", code=make_code("x"))',
        'nodejs.NodejsFunction(self, "Fn")',  # the default entry is found beside the calling JS file
        '_lambda.DockerImageFunction(self, "Fn", code=_lambda.DockerImageCode.from_image_asset("lambda"))',
    ],
)
def test_code_unknown_is_none(construct: str) -> None:
    assert _fn(construct + "\n").code is None


# ----------------------------------------------------------------------------- env patterns
STORES = """\
PREFIX = "/orders"
db = ssm.StringParameter(self, "DbUrl", parameter_name=f"{PREFIX}/db-url", string_value="x")
api = ssm.StringParameter.from_string_parameter_name(self, "Api", "/orders/api-key")
secure = ssm.StringParameter.from_secure_string_parameter_attributes(self, "Sec", parameter_name="/orders/signing-key")
self.stripe = secretsmanager.Secret.from_secret_name_v2(self, "Stripe", "prod/stripe")
created = secretsmanager.Secret(self, "Created", secret_name="orders/created")
unnamed = secretsmanager.Secret(self, "Generated")
complete = secretsmanager.Secret.from_secret_complete_arn(self, "C", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-Ab12Cd")
partial = secretsmanager.Secret.from_secret_partial_arn(self, "P", f"arn:aws:secretsmanager:{self.region}:{self.account}:secret:prod/ftp")
stage_param = ssm.StringParameter(self, "Staged", parameter_name=f"/orders/{props.stage}/url", string_value="x")
bucket = s3.Bucket(self, "B")
"""
PATTERNS = [
    ("db.parameter_name", "/orders/db-url"),
    ("api.parameter_name", "/orders/api-key"),
    ("secure.parameter_name", "/orders/signing-key"),
    ("db.parameter_arn", "arn:aws:ssm:*:*:parameter/orders/db-url"),
    ("self.stripe.secret_arn", "arn:*:secretsmanager:*:*:secret:prod/stripe"),  # the partial ARN (REFERENCE §D.3)
    ("self.stripe.secret_name", "prod/stripe"),
    ("created.secret_arn", "arn:*:secretsmanager:*:*:secret:orders/created-??????"),
    ("created.secret_name", "orders/created"),
    ("unnamed.secret_arn", "arn:*:secretsmanager:*:*:secret:*Generated*"),
    ("unnamed.secret_name", None),
    ("complete.secret_arn", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-Ab12Cd"),
    ("complete.secret_name", "prod/db"),
    ("partial.secret_arn", "arn:aws:secretsmanager:*:*:secret:prod/ftp"),
    ("stage_param.parameter_name", "/orders/*/url"),
    ('f"{db.parameter_name}/v2"', "/orders/db-url/v2"),
    ('"prefix:" + self.stripe.secret_name', "prefix:prod/stripe"),
    ('"/orders/literal"', "/orders/literal"),
    ("bucket.bucket_name", None),  # not a parameter or secret: unknown
    ('f"{bucket.bucket_name}/key"', "*/key"),
    ("props.anything", None),
    ('os.environ.get("X", "/default")', None),  # alternatives: no single pattern
]


@pytest.mark.parametrize("expr,pattern", PATTERNS, ids=[p[0] for p in PATTERNS])
def test_env_pattern(expr: str, pattern: str | None) -> None:
    fn = _fn(STORES + f'_lambda.Function(self, "Fn", environment={{"V": {expr}}})\n')
    var = fn.env_var("V")
    assert var is not None and var.value.pattern == pattern


def test_env_kinds_and_names_are_unchanged() -> None:
    # the LSL1xx view of a value does not move: only `text` is added
    fn = _fn(STORES + '_lambda.Function(self, "Fn", environment={"V": self.stripe.secret_arn})\n')
    (src,) = fn.env_var("V").value.sources  # type: ignore[union-attr]
    assert (src.kind.value, src.name, src.detail, src.text) == ("resource", "self.stripe", "secret_arn", "arn:*:secretsmanager:*:*:secret:prod/stripe")


def test_stores() -> None:
    body = STORES + 'key = kms.Key(self, "K")\nenc = secretsmanager.Secret(self, "Enc", secret_name="x/enc", encryption_key=key)\n_lambda.Function(self, "Fn")\n'
    stores = {s.ref: s for s in _build(body).stores}
    assert {(r, s.service, s.name, s.kms_key) for r, s in stores.items()} == {
        ("db", "ssm", "/orders/db-url", ""),
        ("api", "ssm", "/orders/api-key", ""),
        ("secure", "ssm", "/orders/signing-key", ""),
        ("self.stripe", "secretsmanager", "arn:*:secretsmanager:*:*:secret:prod/stripe-??????", ""),
        ("created", "secretsmanager", "arn:*:secretsmanager:*:*:secret:orders/created-??????", ""),
        ("unnamed", "secretsmanager", "arn:*:secretsmanager:*:*:secret:*Generated*", ""),
        ("complete", "secretsmanager", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-Ab12Cd", ""),
        ("partial", "secretsmanager", "arn:aws:secretsmanager:*:*:secret:prod/ftp-??????", ""),
        ("stage_param", "ssm", "/orders/*/url", ""),
        ("enc", "secretsmanager", "arn:*:secretsmanager:*:*:secret:x/enc-??????", "arn:*:kms:*:*:key/*"),
    }
    assert stores["db"].location.line == _line(body, '"DbUrl"')


# ----------------------------------------------------------------------------- roles and grants
def _grants(fn: LambdaFunction) -> list[tuple[int, str, tuple[str, ...], tuple[str, ...]]]:
    assert fn.role is not None
    return [(g.location.line, g.origin, g.statement.actions, g.statement.resources) for g in fn.role.grants if not g.managed]


SSM_READ = ("ssm:DescribeParameters", "ssm:GetParameters", "ssm:GetParameter", "ssm:GetParameterHistory")
SM_READ = ("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret")


def test_default_role_and_grant_read_forms() -> None:
    body = STORES + """\
fn = _lambda.Function(self, "Fn", runtime=_lambda.Runtime.PYTHON_3_12, handler="a.b", code=_lambda.Code.from_asset("x"))
db.grant_read(fn)
self.stripe.grant_read(fn.role)
api.grant_read(
    fn.grant_principal,
)
bucket.grant_read(fn)
"""
    fn = _fn(body)
    assert fn.role is not None and (fn.role.name, fn.role.known, fn.role.partial) == ("", True, "")
    assert fn.role.location == fn.location  # the role CDK creates
    assert [g.managed for g in fn.role.grants if g.managed] == ["AWSLambdaBasicExecutionRole"]
    assert _grants(fn) == [
        (_line(body, "db.grant_read"), "db.grant_read(fn)", SSM_READ, ("arn:aws:ssm:*:*:parameter/orders/db-url",)),
        (_line(body, "self.stripe.grant_read"), "self.stripe.grant_read(fn.role)", SM_READ,
         ("arn:*:secretsmanager:*:*:secret:prod/stripe-??????",)),
        (_line(body, "api.grant_read"), "api.grant_read(fn.grant_principal)", SSM_READ, ("arn:aws:ssm:*:*:parameter/orders/api-key",)),
    ]
    assert all(is_specific(g.statement) and not is_overbroad(g.statement) for g in fn.role.grants if not g.managed)


@pytest.mark.parametrize(
    "store,resource",
    [
        ("created", "arn:*:secretsmanager:*:*:secret:orders/created-??????"),
        ("complete", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-Ab12Cd"),
        ("partial", "arn:aws:secretsmanager:*:*:secret:prod/ftp-??????"),
    ],
)
def test_secret_grant_resources(store: str, resource: str) -> None:
    fn = _fn(STORES + f'fn = _lambda.Function(self, "Fn")\n{store}.grant_read(fn)\n')
    assert [g[3] for g in _grants(fn)] == [(resource,)]


def test_deprecated_from_secret_name_grants_name_star() -> None:
    fn = _fn('s = secretsmanager.Secret.from_secret_name(self, "S", "prod/old")\nfn = _lambda.Function(self, "Fn")\ns.grant_read(fn)\n')
    assert [g[3] for g in _grants(fn)] == [("arn:*:secretsmanager:*:*:secret:prod/old*",)]


def test_grants_with_unknown_names_are_unresolved_not_broad() -> None:
    fn = _fn(STORES + 'fn = _lambda.Function(self, "Fn")\nstage_param.grant_read(fn)\nunnamed.grant_read(fn)\n')
    statements = [g.statement for g in fn.role.grants if not g.managed]  # type: ignore[union-attr]
    assert [s.resources for s in statements] == [("arn:aws:ssm:*:*:parameter/orders/*/url",), ("arn:*:secretsmanager:*:*:secret:*Generated*",)]
    assert all(s.unresolved and not is_overbroad(s) and not is_specific(s) for s in statements)


def test_kms_with_encryption_key() -> None:
    body = """\
key = kms.Key(self, "K")
p = ssm.StringParameter.from_secure_string_parameter_attributes(self, "P", parameter_name="/x/p", encryption_key=key)
s = secretsmanager.Secret.from_secret_attributes(self, "S", secret_partial_arn="arn:aws:secretsmanager:eu-west-1:1:secret:x/s", encryption_key=key)
plain = secretsmanager.Secret.from_secret_name_v2(self, "Plain", "x/plain")
fn = _lambda.Function(self, "Fn")
p.grant_read(fn)
s.grant_read(fn)
plain.grant_read(fn, ["AWSCURRENT"])
"""
    fn = _fn(body)
    got = [(g.statement.actions, g.statement.has_condition) for g in fn.role.grants if not g.managed]  # type: ignore[union-attr]
    assert got == [
        (SSM_READ, False),
        (("kms:Decrypt",), False),  # SSM: encryptionKey.grantDecrypt(grantee)
        (SM_READ, False),
        (("kms:Decrypt",), True),  # Secrets Manager: via kms:ViaService
        (SM_READ, True),  # version stages add a condition
    ]


def test_grant_on_constructs_defined_elsewhere_is_partial() -> None:
    fn = _fn('fn = _lambda.Function(self, "Fn")\nprops.db_secret.grant_read(fn)\nprops.table.grant_read_data(fn)\n')
    assert fn.role is not None and fn.role.known
    assert fn.role.partial == "props.db_secret.grant_read(fn): props.db_secret is not a parameter or secret declared in this file"


def test_add_to_role_policy_and_initial_policy() -> None:
    body = STORES + """\
READ = ["ssm:GetParameter", "ssm:GetParameters"]
fn = _lambda.Function(
    self,
    "Fn",
    initial_policy=[
        iam.PolicyStatement(actions=["secretsmanager:*"], resources=["*"]),
    ],
)
fn.add_to_role_policy(
    iam.PolicyStatement(  # starts here
        effect=iam.Effect.ALLOW,
        actions=READ,
        resources=[db.parameter_arn, f"arn:aws:ssm:{self.region}:{Aws.ACCOUNT_ID}:parameter/orders/flags/*"],
    )
)
fn.add_to_role_policy(iam.PolicyStatement(effect=iam.Effect.DENY, actions=["ssm:GetParameter"], resources=[secure.parameter_arn]))
fn.add_to_role_policy(iam.PolicyStatement(actions=["secretsmanager:GetSecretValue"], resources=[f"arn:aws:secretsmanager:*:*:secret:{props.name}"]))
fn.add_to_role_policy(iam.PolicyStatement(actions=["secretsmanager:GetSecretValue"], resources=["*"], conditions={"StringEquals": {"aws:ResourceTag/team": "x"}}))
"""
    fn = _fn(body)
    statements = [(g.location.line, g.origin, g.statement) for g in fn.role.grants if not g.managed]  # type: ignore[union-attr]
    (l1, o1, s1), (l2, o2, s2), (l3, _, s3), (_, _, s4), (_, _, s5) = statements
    assert (l1, o1, s1.actions, s1.resources, s1.unresolved) == (_line(body, "secretsmanager:*"), "initial_policy of Fn", ("secretsmanager:*",), ("*",), False)
    assert is_overbroad(s1)
    assert (l2, o2) == (_line(body, "# starts here"), "fn.add_to_role_policy(iam.PolicyStatement(...))")
    assert s2.resources == ("arn:aws:ssm:*:*:parameter/orders/db-url", "arn:aws:ssm:*:*:parameter/orders/flags/*")
    assert s2.actions == ("ssm:GetParameter", "ssm:GetParameters") and not s2.unresolved and not is_overbroad(s2)
    assert (s3.effect, l3) == ("Deny", _line(body, "Effect.DENY"))
    assert evaluate([s2, s3], "ssm:GetParameter", "arn:aws:ssm:eu-west-1:1:parameter/orders/signing-key").allowed is False
    assert s4.resources == ("arn:aws:secretsmanager:*:*:secret:*",) and s4.unresolved and not is_overbroad(s4)
    assert s5.has_condition and not is_overbroad(s5)
    assert fn.role.partial == ""  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "statement",
    [
        "STATEMENTS",  # a list built elsewhere
        "[*props.statements]",
        "[make_statement()]",
        '[iam.PolicyStatement(actions=props.actions, resources=["*"])]',
        '[iam.PolicyStatement(effect=props.effect, actions=["ssm:GetParameter"], resources=["*"])]',
    ],
)
def test_unreadable_statements_make_the_role_partial(statement: str) -> None:
    fn = _fn(f'_lambda.Function(self, "Fn", initial_policy={statement})\n')
    assert fn.role is not None and fn.role.known and fn.role.partial
    assert not [g for g in fn.role.grants if not g.managed]


def test_statements_are_read_after_mutation() -> None:
    body = """\
stmt = iam.PolicyStatement()
fn = _lambda.Function(self, "Fn")
fn.add_to_role_policy(stmt)
stmt.add_actions("ssm:GetParameter")
stmt.add_resources("arn:aws:ssm:*:*:parameter/a")
stmt.add_condition("StringEquals", {"aws:RequestedRegion": "eu-west-1"})
"""
    (grant,) = [g for g in _fn(body).role.grants if not g.managed]  # type: ignore[union-attr]
    assert (grant.statement.actions, grant.statement.resources, grant.statement.has_condition) == (
        ("ssm:GetParameter",), ("arn:aws:ssm:*:*:parameter/a",), True
    )
    assert grant.location.line == _line(body, "stmt = iam.PolicyStatement()")


def test_explicit_role() -> None:
    body = STORES + """\
self.role = iam.Role(
    self,
    "ApiRole",
    assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
    managed_policies=[
        iam.ManagedPolicy.from_aws_managed_policy_name("service-role/AWSLambdaBasicExecutionRole"),
        iam.ManagedPolicy.from_aws_managed_policy_name("SecretsManagerReadWrite"),
    ],
    inline_policies={
        "ReadConfig": iam.PolicyDocument(
            statements=[iam.PolicyStatement(actions=["ssm:GetParametersByPath"], resources=["arn:aws:ssm:*:*:parameter/orders/*"])]
        ),
    },
)
self.role.add_to_policy(iam.PolicyStatement(actions=["ssm:GetParameter"], resources=[api.parameter_arn]))
self.role.add_managed_policy(iam.ManagedPolicy.from_aws_managed_policy_name("AmazonSSMReadOnlyAccess"))
self.role.attach_inline_policy(iam.Policy(self, "Extra", statements=[iam.PolicyStatement(actions=["ssm:GetParameterHistory"], resources=["*"])]))
shared = iam.Policy(self, "Shared", roles=[self.role])
shared.add_statements(iam.PolicyStatement(actions=["kms:Decrypt"], resources=["*"]))
fn = _lambda.Function(self, "Fn", role=self.role)
other = _lambda.Function(self, "Other", role=fn.role)
db.grant_read(other)
"""
    t = _build(body)
    fn, other = t.functions
    assert fn.role is not None and other.role == fn.role  # one role, shared
    assert (fn.role.name, fn.role.known, fn.role.partial) == ("self.role", True, "")
    assert fn.role.location is not None and fn.role.location.line == _line(body, "self.role = iam.Role(")
    got = [(g.location.line, g.origin, g.managed) for g in fn.role.grants]
    assert got == [
        (_line(body, "service-role/AWSLambdaBasicExecutionRole"), "managed policy AWSLambdaBasicExecutionRole", "AWSLambdaBasicExecutionRole"),
        (_line(body, '"SecretsManagerReadWrite"'), "managed policy SecretsManagerReadWrite", "SecretsManagerReadWrite"),
        (_line(body, "ssm:GetParametersByPath"), "inline policy ReadConfig of ApiRole", ""),
        (_line(body, "self.role.add_to_policy"), "self.role.add_to_policy(iam.PolicyStatement(...))", ""),
        (_line(body, "AmazonSSMReadOnlyAccess"), "managed policy AmazonSSMReadOnlyAccess", "AmazonSSMReadOnlyAccess"),
        (_line(body, "ssm:GetParameterHistory"), "policy Extra", ""),
        (_line(body, "kms:Decrypt"), "policy Shared", ""),
        (_line(body, "db.grant_read(other)"), "db.grant_read(other)", ""),
    ]


@pytest.mark.parametrize(
    "managed,partial",
    [
        ('iam.ManagedPolicy.from_aws_managed_policy_name("AmazonTextractFullAccess")', "managed policy AmazonTextractFullAccess is not modelled"),
        ('iam.ManagedPolicy.from_managed_policy_arn(self, "M", "arn:aws:iam::123456789012:policy/team-data")',
         "customer-managed policy arn:aws:iam::123456789012:policy/team-data is not read"),
        ('iam.ManagedPolicy.from_managed_policy_name(self, "M", "team-data")', "customer-managed policy team-data is not read"),
        ("props.policy", "managed policy props.policy is not built in this file"),
    ],
)
def test_unreadable_managed_policies_make_the_role_partial(managed: str, partial: str) -> None:
    fn = _fn(f'role = iam.Role(self, "R", assumed_by=p, managed_policies=[{managed}])\n_lambda.Function(self, "Fn", role=role)\n')
    assert fn.role is not None and fn.role.known and fn.role.partial == partial


def test_aws_managed_policy_by_arn_is_known() -> None:
    fn = _fn('role = iam.Role(self, "R", assumed_by=p)\nrole.add_managed_policy(iam.ManagedPolicy.from_managed_policy_arn(self, "M", "arn:aws:iam::aws:policy/AdministratorAccess"))\n_lambda.Function(self, "Fn", role=role)\n')
    assert fn.role is not None and [g.managed for g in fn.role.grants] == ["AdministratorAccess"]


@pytest.mark.parametrize(
    "role",
    [
        'iam.Role.from_role_arn(self, "R", "arn:aws:iam::123456789012:role/shared", mutable=False)',
        'iam.Role.from_role_name(self, "R", "shared")',
        "props.role",
    ],
)
def test_imported_roles_are_unknown(role: str) -> None:
    body = f'r = {role}\nfn = _lambda.Function(self, "Fn", role=r)\nfn.add_to_role_policy(iam.PolicyStatement(actions=["ssm:GetParameter"], resources=["*"]))\n'
    fn = _fn(body)
    assert fn.role is not None and not fn.role.known and fn.role.partial


def test_cfn_functions() -> None:
    body = """\
role = iam.Role(self, "R", assumed_by=p)
_lambda.CfnFunction(self, "Arn", role="arn:aws:iam::1:role/x", handler="index.handler", runtime="python3.12",
                    code=_lambda.CfnFunction.CodeProperty(zip_file="def handler(e, c): pass"))
_lambda.CfnFunction(self, "Built", role=role.role_arn, handler="index.handler", runtime="python3.12",
                    code=_lambda.CfnFunction.CodeProperty(s3_bucket="b", s3_key="k"))
sam.CfnFunction(self, "Sam", code_uri="src")
"""
    fns = {f.logical_id: f for f in _build(body).functions}
    assert fns["Arn"].role is not None and not fns["Arn"].role.known
    assert fns["Arn"].code == CodeRef("infra/stacks", "index.handler", "python3.12", inline=True)
    assert fns["Built"].role is not None and fns["Built"].role.known and fns["Built"].role.name == "role"
    assert fns["Built"].code == CodeRef(None, "index.handler", "python3.12")
    assert fns["Sam"].role is None and fns["Sam"].code is None


def test_format_arn_and_from_json() -> None:
    body = """\
fn = _lambda.Function(self, "Fn")
fn.add_to_role_policy(iam.PolicyStatement(actions=["secretsmanager:GetSecretValue"], resources=[
    self.format_arn(service="secretsmanager", resource="secret", resource_name="billing/sftp-??????", arn_format=ArnFormat.COLON_RESOURCE_NAME),
    self.format_arn(service="ssm", resource="parameter", resource_name="billing/*"),
]))
fn.add_to_role_policy(iam.PolicyStatement.from_json({"Effect": "Allow", "Action": ["ssm:GetParameter"], "Resource": f"arn:aws:ssm:*:*:parameter/{props.x}"}))
"""
    s1, s2 = [g.statement for g in _fn(body).role.grants if not g.managed]  # type: ignore[union-attr]
    assert s1.resources == ("arn:*:secretsmanager:*:*:secret:billing/sftp-??????", "arn:*:ssm:*:*:parameter/billing/*")
    assert not s1.unresolved
    assert (s2.actions, s2.resources, s2.unresolved) == (("ssm:GetParameter",), ("arn:aws:ssm:*:*:parameter/*",), True)
    assert not is_overbroad(s2)


def test_function_aliases_and_methods() -> None:
    body = """\
self.db = ssm.StringParameter.from_string_parameter_name(self, "Db", "/a/db")
self.fn = _lambda.Function(self, "Fn")
handler_fn = self.fn
self.db.grant_read(handler_fn)
"""
    fn = _fn(body)
    assert [g[1] for g in _grants(fn)] == ["self.db.grant_read(handler_fn)"]


def test_grants_in_other_methods_reach_self_functions() -> None:
    text = HEAD + (
        '        self.db = ssm.StringParameter.from_string_parameter_name(self, "Db", "/a/db")\n'
        '        self.fn = _lambda.Function(self, "Fn")\n'
        "        self._grants()\n"
        "\n"
        "    def _grants(self):\n"
        "        self.db.grant_read(self.fn)\n"
    )
    t = build_cdk_py("s.py", text)
    assert t is not None
    (fn,) = t.functions
    assert [g.origin for g in fn.role.grants if not g.managed] == ["self.db.grant_read(self.fn)"]  # type: ignore[union-attr]


def test_messages_never_quote_comments() -> None:
    body = """\
fn = _lambda.Function(self, "Fn")
fn.add_to_role_policy(
    iam.PolicyStatement(  # TODO tighten: password in prod is hunter2
        actions=["ssm:GetParameter"], resources=["*"],
    )
)
"""
    (g,) = [g for g in _fn(body).role.grants if not g.managed]  # type: ignore[union-attr]
    assert "hunter2" not in g.origin and g.origin == "fn.add_to_role_policy(iam.PolicyStatement(...))"


def test_grants_in_loops_reach_each_function() -> None:
    body = """\
db = ssm.StringParameter.from_string_parameter_name(self, "Db", "/a/db")
a = _lambda.Function(self, "A")
self.b = _lambda.Function(self, "B")
for fn in (a, self.b):
    db.grant_read(fn)
    fn.add_to_role_policy(iam.PolicyStatement(actions=["ssm:GetParameter"], resources=["arn:aws:ssm:*:*:parameter/a/x"]))
"""
    fns = {f.logical_id: f for f in _build(body).functions}
    for name in ("A", "B"):
        assert [g[1] for g in _grants(fns[name])] == ["db.grant_read(fn)", "fn.add_to_role_policy(iam.PolicyStatement(...))"]
        assert fns[name].role.partial == ""  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "grant",
    [
        "for fn in self.functions:\n    db.grant_read(fn)\n",
        "[db.grant_read(f) for f in props.functions]\n",
        "self._allow(props.fn)\n",
        "props.fn.add_to_role_policy(iam.PolicyStatement(actions=['ssm:GetParameter'], resources=['*']))\n",
    ],
)
def test_grants_to_targets_that_cannot_be_followed_make_every_role_partial(grant: str) -> None:
    body = 'db = ssm.StringParameter.from_string_parameter_name(self, "Db", "/a/db")\na = _lambda.Function(self, "A")\n' + grant
    text = HEAD + textwrap.indent(body, " " * 8) + "\n    def _allow(self, fn):\n        db.grant_read(fn)\n"
    t = build_cdk_py("s.py", text)
    assert t is not None
    (fn,) = t.functions
    assert fn.role is not None and "which the linter cannot follow" in fn.role.partial


def test_grants_to_users_and_buckets_are_not_function_grants() -> None:
    body = """\
db = ssm.StringParameter.from_string_parameter_name(self, "Db", "/a/db")
user = iam.User(self, "Ci")
fn = _lambda.Function(self, "Fn")
db.grant_read(user)
bucket = s3.Bucket(self, "B")
bucket.grant_read(props.fn)
"""
    fn = _fn(body)
    assert fn.role is not None and (fn.role.partial, _grants(fn)) == ("", [])


def test_versions_and_aliases_grant_to_the_function_role() -> None:
    body = """\
db = ssm.StringParameter.from_string_parameter_name(self, "Db", "/a/db")
fn = _lambda.Function(self, "Fn")
live = _lambda.Alias(self, "Live", alias_name="live", version=fn.current_version)
db.grant_read(live)
db.grant_read(fn.add_alias("prod"))
"""
    assert [g[1] for g in _grants(_fn(body))] == ["db.grant_read(live)", 'db.grant_read(fn.add_alias(...))']
