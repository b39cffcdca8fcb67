"""CDK TypeScript → IAM linking facts (lint/parsers/cdk_ts_code.py, cdk_ts_iam.py and the cdk_ts_stores/policies/values/escapes modules it uses):
CodeRef, env value patterns, role grants, stores; and the classic middy case
end to end (docs/design/iam-linking.md)."""
from __future__ import annotations

from pathlib import Path

import pytest

from lambda_secrets_lint.iam.policy import evaluate, is_overbroad, is_specific
from lambda_secrets_lint.link.iam import resource_pattern
from lambda_secrets_lint.model.code import Language
from lambda_secrets_lint.model.infra import CodeRef, LambdaFunction, RoleFacts, Template
from lambda_secrets_lint.parsers.cdk_ts import build_cdk_ts
from lambda_secrets_lint.testing import lint_directory

_HEAD = """\
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
"""
HEAD_LINES = _HEAD.count("\n")
_SSM_READ = ("ssm:DescribeParameters", "ssm:GetParameters", "ssm:GetParameter", "ssm:GetParameterHistory")


def _template(body: str, path: str = "infra/lib/orders-stack.ts", language: Language = Language.TYPESCRIPT) -> Template:
    template = build_cdk_ts(path, _HEAD + body, language=language, tsx=False)
    assert template is not None
    return template


def _fn(body: str, name: str | None = None, path: str = "infra/lib/orders-stack.ts") -> LambdaFunction:
    functions = _template(body, path).functions
    if name is None:
        assert len(functions) == 1
        return functions[0]
    return next(f for f in functions if f.logical_id == name)


def _role(body: str, name: str | None = None) -> RoleFacts:
    role = _fn(body, name).role
    assert role is not None
    return role


# -- CodeRef ------------------------------------------------------------------

CODE = [
    # NodejsFunction `entry`: relative to the defining file, or to the cdk working directory.
    ("new NodejsFunction(this, 'Orders', { entry: path.join(__dirname, '../lambda/orders.ts') });",
     CodeRef("infra/lambda", "index.handler", "nodejs", entry_points=("orders.ts",))),
    ("new NodejsFunction(this, 'Orders', { entry: path.join(__dirname, '..', 'lambda', 'orders.ts'), handler: 'main' });",
     CodeRef("infra/lambda", "index.main", "nodejs", entry_points=("orders.ts",))),
    ("new NodejsFunction(this, 'Orders', { entry: path.resolve(__dirname, '../src/orders/index.mts') });",
     CodeRef("infra/src/orders", "index.handler", "nodejs", entry_points=("index.mts",))),
    ("new NodejsFunction(this, 'Orders', { entry: `${__dirname}/../lambda/orders.ts` });",
     CodeRef("infra/lambda", "index.handler", "nodejs", entry_points=("orders.ts",))),
    ("new NodejsFunction(this, 'Orders', { entry: __dirname + '/handlers/orders.js' });",
     CodeRef("infra/lib/handlers", "index.handler", "nodejs", entry_points=("orders.js",))),
    ("const dir = path.join(__dirname, '..', 'src');\n"
     "new NodejsFunction(this, 'Orders', { entry: path.join(dir, 'orders', 'index.ts') });",
     CodeRef("infra/src/orders", "index.handler", "nodejs", entry_points=("index.ts",))),
    ("new NodejsFunction(this, 'Orders', { entry: 'lambda/orders.ts', runtime: lambda.Runtime.NODEJS_20_X });",
     CodeRef("lambda", "index.handler", "nodejs20.x", entry_points=("orders.ts",), cwd_relative=True)),
    ("new NodejsFunction(this, 'Orders', { entry: path.join(process.cwd(), 'lambda', 'orders.ts') });",
     CodeRef("lambda", "index.handler", "nodejs", entry_points=("orders.ts",), cwd_relative=True)),
    # A handler with a dot is kept as written.
    ("new NodejsFunction(this, 'Orders', { entry: 'src/orders.ts', handler: 'app.main' });",
     CodeRef("src", "app.main", "nodejs", entry_points=("orders.ts",), cwd_relative=True)),
    # No entry: <defining file stem>.<construct id>.ts / .js / .mjs beside the defining file.
    ("new NodejsFunction(this, 'reconcile');",
     CodeRef("infra/lib", "index.handler", "nodejs",
             entry_points=tuple(f"orders-stack.reconcile.{ext}" for ext in ("ts", "js", "mjs", "mts", "cts", "cjs")))),
    # lambda.Function: Code.fromAsset + handler + runtime.
    ("new lambda.Function(this, 'Orders', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'orders.handler',\n"
     "  code: lambda.Code.fromAsset(path.join(__dirname, '../functions')) });",
     CodeRef("infra/functions", "orders.handler", "nodejs20.x")),
    ("new lambda.Function(this, 'Orders', { runtime: lambda.Runtime.PYTHON_3_12, handler: 'app.lambda_handler',\n"
     "  code: lambda.Code.fromAsset('src') });",
     CodeRef("src", "app.lambda_handler", "python3.12", cwd_relative=True)),
    ("const code = lambda.Code.fromAsset(path.join(__dirname, 'fn'));\n"
     "new lambda.Function(this, 'Orders', { runtime: lambda.Runtime.NODEJS_18_X, handler: 'index.handler', code });",
     CodeRef("infra/lib/fn", "index.handler", "nodejs18.x")),
    ("new lambda.Function(this, 'Orders', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler',\n"
     "  code: lambda.Code.fromInline('exports.handler = async () => 1') });",
     CodeRef("infra/lib", "index.handler", "nodejs20.x", inline=True)),
]


@pytest.mark.parametrize("body,expected", CODE)
def test_code_ref(body: str, expected: CodeRef) -> None:
    assert _fn(body).code == expected


@pytest.mark.parametrize(
    "body",
    [
        "new NodejsFunction(this, 'Orders', { entry: path.join(__dirname, `../lambda/${name}.ts`) });",
        "new NodejsFunction(this, 'Orders', { entry: props.entry });",
        "new NodejsFunction(this, id);",  # no literal construct id: no default entry
        "new NodejsFunction(this, 'Orders', { entry: path.join(__dirname, '../lambda/orders.json') });",
        "new NodejsFunction(this, 'Orders', { entry: '/opt/build/orders.ts' });",
        "new NodejsFunction(this, 'Orders', { entry: path.join(__dirname, '../../../elsewhere/orders.ts') });",
        "new lambda.Function(this, 'Orders', { runtime: lambda.Runtime.NODEJS_20_X, handler: props.handler,\n"
        "  code: lambda.Code.fromAsset('src') });",
        "new lambda.Function(this, 'Orders', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler',\n"
        "  code: lambda.Code.fromBucket(bucket, 'orders.zip') });",
        "new lambda.DockerImageFunction(this, 'Orders', { code: lambda.DockerImageCode.fromImageAsset('img') });",
    ],
)
def test_code_ref_unknown_is_none(body: str) -> None:
    assert _fn(body).code is None


def test_code_ref_python_function() -> None:
    body = ("import { PythonFunction } from '@aws-cdk/aws-lambda-python-alpha';\n"
            "new PythonFunction(this, 'Reports', { entry: path.join(__dirname, '../reports'), index: 'jobs/daily.py',\n"
            "  handler: 'main', runtime: lambda.Runtime.PYTHON_3_11 });")
    assert _fn(body).code == CodeRef("infra/reports", "jobs.daily.main", "python3.11")


def test_code_ref_named_path_import_and_javascript() -> None:
    text = ("const { join } = require('node:path');\n"
            "const { NodejsFunction } = require('aws-cdk-lib/aws-lambda-nodejs');\n"
            "new NodejsFunction(this, 'Mailer', { entry: join(__dirname, '..', 'lambda', 'mailer.js') });\n")
    template = build_cdk_ts("lib/stack.js", text, language=Language.JAVASCRIPT, tsx=False)
    assert template is not None
    assert template.functions[0].code == CodeRef("lambda", "index.handler", "nodejs", entry_points=("mailer.js",))


# -- env values: ValueSource.text and EnvValue.pattern -----------------------

_STORES = """\
const dbParam = new ssm.StringParameter(this, 'DbUrl', { parameterName: '/orders/db-url', stringValue: 'x' });
const apiKey = ssm.StringParameter.fromStringParameterName(this, 'ApiKey', '/orders/api-key');
const shipping = ssm.StringParameter.fromSecureStringParameterAttributes(this, 'Ship', { parameterName: '/orders/ship' });
const stripe = secretsmanager.Secret.fromSecretNameV2(this, 'Stripe', 'prod/stripe');
const db = new secretsmanager.Secret(this, 'Db', { secretName: 'orders/db' });
const generated = new secretsmanager.Secret(this, 'Generated');
const twilio = secretsmanager.Secret.fromSecretCompleteArn(this, 'Tw', 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:notify/twilio-AbC123');
const staged = secretsmanager.Secret.fromSecretNameV2(this, 'Staged', `orders/${props.stage}/db`);
"""

PATTERNS = [
    ("dbParam.parameterName", "/orders/db-url"),
    ("apiKey.parameterName", "/orders/api-key"),
    ("shipping.parameterName", "/orders/ship"),
    ("dbParam.parameterArn", "arn:aws:ssm:*:*:parameter/orders/db-url"),
    # fromSecretNameV2's secretArn is the PARTIAL ARN (the linker adds -??????); a
    # secret the stack creates has the complete one.
    ("stripe.secretArn", "arn:*:secretsmanager:*:*:secret:prod/stripe"),
    ("db.secretArn", "arn:*:secretsmanager:*:*:secret:orders/db-??????"),
    ("stripe.secretName", "prod/stripe"),
    ("twilio.secretArn", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:notify/twilio-AbC123"),
    ("twilio.secretName", "notify/twilio"),
    ("staged.secretName", "orders/*/db"),
    ("`${dbParam.parameterName}/replica`", "/orders/db-url/replica"),
    ("'/orders/' + 'static'", "/orders/static"),
    ("`/orders/${this.region}/key`", "/orders/*/key"),
    ("`/orders/${props.stage}/key`", "/orders/*/key"),
    # Nothing known, or alternatives: no pattern (never a guess).
    ("generated.secretArn", None),
    ("generated.secretName", None),
    ("props.configParam.parameterName", None),
    ("this.region", None),
    ("process.env.PARAM_NAME ?? '/orders/default'", None),
]


@pytest.mark.parametrize("expr,pattern", PATTERNS)
def test_env_pattern(expr: str, pattern: str | None) -> None:
    fn = _fn(_STORES + f"new NodejsFunction(this, 'Fn', {{ environment: {{ X: {expr} }} }});\n")
    var = fn.env_var("X")
    assert var is not None
    assert var.value.pattern == pattern


def test_source_text_is_set_for_store_attributes() -> None:
    fn = _fn(_STORES + "new NodejsFunction(this, 'Fn', { environment: { X: `${stripe.secretArn}#${dbParam.parameterName}` } });\n")
    texts = [s.text for s in fn.env_var("X").value.sources]  # type: ignore[union-attr]
    assert texts == ["arn:*:secretsmanager:*:*:secret:prod/stripe", "/orders/db-url"]


@pytest.mark.parametrize("expr", ["stripe.secretArn", "db.secretArn", "stripe.secretName", "twilio.secretArn"])
def test_secret_env_pattern_matches_the_grant(expr: str) -> None:
    """What the linker makes of the env value is what grantRead names."""
    body = _STORES + f"const fn = new NodejsFunction(this, 'Fn', {{ environment: {{ X: {expr} }} }});\n"
    receiver = expr.split(".")[0]
    body += f"{receiver}.grantRead(fn);\n"
    fn = _fn(body)
    resource = resource_pattern("secretsmanager", fn.env_var("X").value.pattern, False)  # type: ignore[union-attr, arg-type]
    assert resource is not None
    assert evaluate(fn.role.statements, "secretsmanager:GetSecretValue", resource).allowed  # type: ignore[union-attr]


# -- roles and grants -------------------------------------------------------------


def test_grant_read_parameter_on_function_variants() -> None:
    body = _STORES + """\
const fn = new NodejsFunction(this, 'Fn', { entry: 'src/fn.ts' });
dbParam.grantRead(fn);
apiKey.grantRead(fn.role!);
shipping.grantRead(fn.grantPrincipal);
"""
    role = _role(body)
    assert role.name == "" and role.known and not role.partial
    assert role.location is not None and role.location.line == HEAD_LINES + 9  # the function construct
    assert [g.location.line for g in role.grants] == [HEAD_LINES + 10, HEAD_LINES + 11, HEAD_LINES + 12]
    first = role.grants[0]
    assert first.statement.actions == _SSM_READ
    assert first.statement.resources == ("arn:aws:ssm:*:*:parameter/orders/db-url",)
    assert first.origin == "grant dbParam.grantRead(fn)"
    assert is_specific(first.statement)
    assert not any(g.statement.actions == ("kms:Decrypt",) for g in role.grants)


def test_grant_read_secret_resources_per_import_form() -> None:
    body = _STORES + """\
const fn = new NodejsFunction(this, 'Fn');
stripe.grantRead(fn);
db.grantRead(fn);
twilio.grantRead(fn);
generated.grantRead(fn);
staged.grantRead(fn);
"""
    grants = _role(body).grants
    assert [g.statement.resources[0] for g in grants] == [
        "arn:*:secretsmanager:*:*:secret:prod/stripe-??????",
        "arn:*:secretsmanager:*:*:secret:orders/db-??????",
        "arn:aws:secretsmanager:eu-west-1:111122223333:secret:notify/twilio-AbC123",
        "arn:*:secretsmanager:*:*:secret:*",
        "arn:*:secretsmanager:*:*:secret:orders/*/db-??????",
    ]
    assert all(g.statement.actions == ("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret") for g in grants)
    assert [g.statement.unresolved for g in grants] == [False, False, False, True, True]
    assert not is_overbroad(grants[3].statement)  # an unknown name is not "every secret"


def test_encryption_key_adds_kms_grant_and_store_key() -> None:
    body = """\
const key = kms.Key.fromKeyArn(this, 'Key', 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd');
const pushKey = ssm.StringParameter.fromSecureStringParameterAttributes(this, 'Push', {
  parameterName: '/notify/push-key',
  encryptionKey: key,
});
const bank = new secretsmanager.Secret(this, 'Bank', { secretName: 'pay/bank', encryptionKey: new kms.Key(this, 'K2') });
const fn = new NodejsFunction(this, 'Fn');
pushKey.grantRead(fn);
bank.grantRead(fn);
"""
    template = _template(body)
    grants = template.functions[0].role.grants  # type: ignore[union-attr]
    kms_grants = [g for g in grants if g.statement.actions == ("kms:Decrypt",)]
    assert [g.statement.resources for g in kms_grants] == [
        ("arn:aws:kms:eu-west-1:111122223333:key/1234abcd",), ("arn:*:kms:*:*:key/*",)]
    # Secrets Manager grants decrypt through kms:ViaService (a condition).
    assert [g.statement.has_condition for g in kms_grants] == [False, True]
    stores = {s.name: s for s in template.stores}
    assert stores["/notify/push-key"].kms_key == "arn:aws:kms:eu-west-1:111122223333:key/1234abcd"
    assert stores["pay/bank"].kms_key == "arn:*:kms:*:*:key/*"
    assert stores["/notify/push-key"].ref == "pushKey"


def test_stores() -> None:
    template = _template(_STORES + "new NodejsFunction(this, 'Fn');\n")
    got = [(s.service, s.name, s.ref, s.location.line - HEAD_LINES) for s in template.stores]
    assert got == [
        ("ssm", "/orders/db-url", "dbParam", 1),
        ("ssm", "/orders/api-key", "apiKey", 2),
        ("ssm", "/orders/ship", "shipping", 3),
        ("secretsmanager", "prod/stripe", "stripe", 4),
        ("secretsmanager", "orders/db", "db", 5),
        ("secretsmanager", "*", "generated", 6),
        ("secretsmanager", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:notify/twilio-AbC123", "twilio", 7),
        ("secretsmanager", "orders/*/db", "staged", 8),
    ]
    assert all(s.kms_key == "" for s in template.stores)


def test_add_to_role_policy_statement() -> None:
    body = _STORES + """\
const fn = new NodejsFunction(this, 'Fn');
fn.addToRolePolicy(new iam.PolicyStatement({
  effect: iam.Effect.ALLOW,
  actions: ['ssm:GetParameter', 'ssm:GetParameters'],
  resources: [dbParam.parameterArn, `arn:aws:ssm:${this.region}:${this.account}:parameter/orders/*`],
}));
fn.addToRolePolicy(new iam.PolicyStatement({
  actions: ['secretsmanager:GetSecretValue'],
  resources: [stripe.secretArn, db.secretArn, props.otherSecretArn],
  conditions: { StringEquals: { 'aws:ResourceTag/team': 'orders' } },
}));
fn.addToRolePolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['ssm:*'], resources: ['*'] }));
"""
    grants = _role(body).grants
    assert [g.location.line - HEAD_LINES for g in grants] == [10, 15, 20]
    first, second, deny = (g.statement for g in grants)
    assert first.effect == "Allow" and first.actions == ("ssm:GetParameter", "ssm:GetParameters")
    # Region / account tokens do not make a statement "unresolved".
    assert first.resources == ("arn:aws:ssm:*:*:parameter/orders/db-url", "arn:aws:ssm:*:*:parameter/orders/*")
    assert not first.unresolved and not first.has_condition
    # fromSecretNameV2's secretArn is the partial ARN, which IAM compares as written.
    assert second.resources == ("arn:*:secretsmanager:*:*:secret:prod/stripe",
                                "arn:*:secretsmanager:*:*:secret:orders/db-??????", "*")
    assert second.unresolved and second.has_condition
    assert deny.effect == "Deny" and deny.resources == ("*",)
    assert grants[0].origin == "statement added by fn.addToRolePolicy()"


def test_statement_built_step_by_step_and_initial_policy() -> None:
    body = _STORES + """\
const readActions = ['ssm:GetParameter'];
const st = new iam.PolicyStatement();
st.addActions(...readActions, 'ssm:GetParameters');
st.addResources(apiKey.parameterArn);
const fn = new NodejsFunction(this, 'Fn', {
  initialPolicy: [
    new iam.PolicyStatement({ actions: [...readActions], resources: [`arn:aws:ssm:${cdk.Aws.REGION}:${cdk.Aws.ACCOUNT_ID}:parameter/*`] }),
  ],
});
fn.addToRolePolicy(st);
"""
    grants = _role(body).grants
    # In document order: the statement is located where it is built.
    assert [(g.location.line - HEAD_LINES, g.statement.actions, g.statement.resources) for g in grants] == [
        (10, ("ssm:GetParameter", "ssm:GetParameters"), ("arn:aws:ssm:*:*:parameter/orders/api-key",)),
        (15, ("ssm:GetParameter",), ("arn:aws:ssm:*:*:parameter/*",)),
    ]
    assert is_overbroad(grants[1].statement) and not is_overbroad(grants[0].statement)
    assert grants[1].origin == "statement in initialPolicy of Fn"


@pytest.mark.parametrize(
    "statement",
    [
        "new iam.PolicyStatement({ actions: props.actions, resources: ['*'] })",
        "new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: [...props.arns] })",
        "new iam.PolicyStatement(props.statementProps)",
        "props.statement",
        "makeStatement()",
    ],
)
def test_unreadable_statement_makes_the_role_partial(statement: str) -> None:
    role = _role(f"const fn = new NodejsFunction(this, 'Fn');\nfn.addToRolePolicy({statement});\n")
    assert role.partial and not role.grants


def test_explicit_role_with_managed_and_inline_policies() -> None:
    body = _STORES + """\
const role = new iam.Role(this, 'WorkerRole', {
  assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  managedPolicies: [
    iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole'),
    iam.ManagedPolicy.fromManagedPolicyArn(this, 'Ro', 'arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess'),
  ],
  inlinePolicies: {
    Config: new iam.PolicyDocument({
      statements: [new iam.PolicyStatement({ actions: ['ssm:GetParametersByPath'], resources: ['arn:aws:ssm:*:*:parameter/orders'] })],
    }),
    Legacy: iam.PolicyDocument.fromJson({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: 'arn:aws:secretsmanager:*:*:secret:legacy-??????' }],
    }),
  },
});
role.addToPolicy(new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: [dbParam.parameterArn] }));
role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('SecretsManagerReadWrite'));
stripe.grantRead(role);
const a = new lambda.Function(this, 'A', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'a.handler',
  code: lambda.Code.fromAsset('a'), role });
const b = new NodejsFunction(this, 'B', { role: role });
b.addToRolePolicy(new iam.PolicyStatement({ actions: ['ssm:GetParameters'], resources: [shipping.parameterArn] }));
"""
    template = _template(body)
    ra, rb = (f.role for f in template.functions)
    assert ra == rb  # one role, shared: every grant applies to both functions
    assert ra is not None and ra.name == "role" and ra.known and not ra.partial
    assert ra.location is not None and ra.location.line == HEAD_LINES + 9
    managed = [(g.managed, g.location.line - HEAD_LINES) for g in ra.grants if g.managed]
    assert managed == [("AWSLambdaBasicExecutionRole", 12), ("AmazonSSMReadOnlyAccess", 13),
                       ("SecretsManagerReadWrite", 26)]
    origins = [g.origin for g in ra.grants if not g.managed]
    assert origins == [
        "statement in inline policy Config of role role",
        "statement in inline policy Legacy of role role",
        "statement added by role.addToPolicy()",
        "grant stripe.grantRead(role)",
        "statement added by b.addToRolePolicy()",
    ]
    legacy = next(g for g in ra.grants if g.origin.endswith("Legacy of role role")).statement
    assert legacy.resources == ("arn:aws:secretsmanager:*:*:secret:legacy-??????",)


@pytest.mark.parametrize(
    "managed,partial",
    [
        ("iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonTextractFullAccess')", True),  # not modelled
        ("iam.ManagedPolicy.fromManagedPolicyName(this, 'P', 'orders-readers')", True),  # customer-managed
        ("iam.ManagedPolicy.fromManagedPolicyArn(this, 'P', 'arn:aws:iam::111122223333:policy/orders')", True),
        ("props.policy", True),
        ("iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole')", False),
    ],
)
def test_managed_policies_that_cannot_be_read_make_the_role_partial(managed: str, partial: bool) -> None:
    role = _role(f"const fn = new NodejsFunction(this, 'Fn');\nfn.role!.addManagedPolicy({managed});\n")
    assert bool(role.partial) is partial


def test_imported_role_is_not_known() -> None:
    role = _role("new NodejsFunction(this, 'Fn', { role: iam.Role.fromRoleArn(this, 'R', 'arn:aws:iam::1:role/etl') });\n")
    assert not role.known and role.location is not None and role.location.line == HEAD_LINES + 1
    assert not _role("new NodejsFunction(this, 'Fn', { role: props.role });\n").known


def test_policies_attached_to_the_role() -> None:
    body = _STORES + """\
const fn = new NodejsFunction(this, 'Fn');
fn.role?.attachInlinePolicy(new iam.Policy(this, 'P1', {
  statements: [new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: [apiKey.parameterArn] })],
}));
new iam.Policy(this, 'P2', {
  roles: [fn.role!],
  statements: [new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [db.secretArn] })],
});
iam.Grant.addToPrincipal({ grantee: fn, actions: ['ssm:GetParameters'], resourceArns: [shipping.parameterArn] });
"""
    role = _role(body)
    assert not role.partial
    assert [g.statement.resources for g in role.grants] == [
        ("arn:aws:ssm:*:*:parameter/orders/api-key",),
        ("arn:*:secretsmanager:*:*:secret:orders/db-??????",),
        ("arn:aws:ssm:*:*:parameter/orders/ship",),
    ]


PARTIAL = [
    # a grant from a construct this file cannot see
    ("props.config.grantRead(fn);", True),
    ("props.bucket.grantWrite(fn);", True),
    # ... but a same-file table / bucket / queue grants no secret
    ("const t = new dynamodb.Table(this, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });\n"
     "t.grantReadWriteData(fn);\nt.grant(fn, 'dynamodb:Query');", False),
    # helpers and constructs from other modules may attach policies
    ("import { grantConfig } from './grants';\ngrantConfig(fn);", True),
    ("import { Alarms } from './alarms';\nnew Alarms(this, 'A', { functions: [fn] });", True),
    ("this.addPolicies(fn);", True),
    # same-file helper: read far enough to see it does not touch IAM
    ("function tag(f: lambda.IFunction) { cdk.Tags.of(f).add('team', 'orders'); }\ntag(fn);", False),
    ("function widen(f: lambda.IFunction) { f.addToRolePolicy(st); }\nwiden(fn);", True),
    # CDK's own constructs do not grant the function anything
    ("new apigw.LambdaRestApi(this, 'Api', { handler: fn });\ncdk.Tags.of(fn).add('team', 'orders');", False),
]


@pytest.mark.parametrize("after,partial", PARTIAL)
def test_partial_roles(after: str, partial: bool) -> None:
    role = _role(f"const fn = new NodejsFunction(this, 'Fn');\n{after}\n")
    assert bool(role.partial) is partial, role.partial


def test_class_fields() -> None:
    body = _STORES + """\
export class Stack1 extends cdk.Stack {
  private readonly worker: NodejsFunction;
  public readonly api: NodejsFunction;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.worker = new NodejsFunction(this, 'Worker');
    this.api = new NodejsFunction(this, 'Api');
    dbParam.grantRead(this.worker);
    dbParam.grantRead(this.api);
  }
}
"""
    worker, api = _template(body).functions
    assert worker.role is not None and not worker.role.partial and len(worker.role.grants) == 1
    # Public: a stack that receives this construct may grant to it.
    assert api.role is not None and "this.api is public" in api.role.partial and len(api.role.grants) == 1


def test_cfn_function_role() -> None:
    body = """\
const role = new iam.Role(this, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
new lambda.CfnFunction(this, 'A', { role: role.roleArn, runtime: 'nodejs20.x', handler: 'index.handler',
  code: { zipFile: 'exports.handler = async () => 1' } });
new lambda.CfnFunction(this, 'B', { role: 'arn:aws:iam::1:role/b', runtime: 'nodejs20.x', handler: 'index.handler',
  code: { s3Bucket: 'b', s3Key: 'k' } });
"""
    a, b = _template(body).functions
    assert a.role is not None and a.role.known and a.role.name == "role"
    assert a.code == CodeRef("infra/lib", "index.handler", "nodejs20.x", inline=True)
    assert b.role is not None and not b.role.known and b.code is None


# -- end to end: the classic case ----------------------------------------------------

_STACK = """\
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as ssm from 'aws-cdk-lib/aws-ssm';

export class OrdersStack extends cdk.Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const dbParam = ssm.StringParameter.fromSecureStringParameterAttributes(this, 'Db', { parameterName: '/orders/db-url' });
    const fn = new NodejsFunction(this, 'CreateOrder', {
      entry: path.join(__dirname, '../lambda/create-order.ts'),
      environment: { DB_PARAM: dbParam.parameterName },
    });
GRANT  }
}
"""
_HANDLER = """\
import middy from '@middy/core';
import ssm from '@middy/ssm';

const base = async (event: unknown, context: { db: string }) => ({ ok: Boolean(context.db) });

export const handler = middy(base).use(ssm({
  fetchData: { db: process.env.DB_PARAM as string },
  setToContext: true,
  cacheExpiry: 60000,
}));
"""


def _project(tmp_path: Path, grant: str, extra: str = "") -> set[tuple[str, int, str]]:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lambda").mkdir()
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}\n')
    (tmp_path / "lib" / "orders-stack.ts").write_text(_STACK.replace("GRANT", grant + extra))
    (tmp_path / "lambda" / "create-order.ts").write_text(_HANDLER)
    result = lint_directory(tmp_path)
    return {(f.location.path, f.location.line, f.rule_id) for f in result.findings if f.rule_id.startswith("LSL3")}


def test_classic_middy_case_granted_is_clean(tmp_path: Path) -> None:
    assert _project(tmp_path, "    dbParam.grantRead(fn);\n") == set()


def test_classic_middy_case_without_grant_is_lsl301_at_the_middleware(tmp_path: Path) -> None:
    assert _project(tmp_path, "") == {("lambda/create-order.ts", 6, "LSL301")}


def test_classic_middy_case_get_parameter_only_is_lsl301(tmp_path: Path) -> None:
    # middy batches names into GetParameters, which ssm:GetParameter does not authorise.
    grant = ("    fn.addToRolePolicy(new cdk.aws_iam.PolicyStatement({ actions: ['ssm:GetParameter'], "
             "resources: [dbParam.parameterArn] }));\n")
    assert _project(tmp_path, grant) == {("lambda/create-order.ts", 6, "LSL301")}


def test_unused_secret_grant_next_to_a_path_read(tmp_path: Path) -> None:
    # A path read (`…:parameter/orders/config*`) must not make every secret
    # ARN look read: ARN globs are compared field by field.
    extra = ("    const legacy = cdk.aws_secretsmanager.Secret.fromSecretNameV2(this, 'Legacy', 'orders/legacy');\n"
             "    legacy.grantRead(fn);\n"
             "    fn.addToRolePolicy(new cdk.aws_iam.PolicyStatement({ actions: ['ssm:GetParametersByPath'], "
             "resources: ['arn:aws:ssm:*:*:parameter/orders/config'] }));\n")
    handler = _HANDLER.replace("fetchData: { db: process.env.DB_PARAM as string },",
                               "fetchData: { db: process.env.DB_PARAM as string, config: '/orders/config/' },")
    (tmp_path / "lib").mkdir()
    (tmp_path / "lambda").mkdir()
    (tmp_path / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}\n')
    (tmp_path / "lib" / "orders-stack.ts").write_text(_STACK.replace("GRANT", "    dbParam.grantRead(fn);\n" + extra))
    (tmp_path / "lambda" / "create-order.ts").write_text(handler)
    found = {(f.location.path, f.location.line, f.rule_id) for f in lint_directory(tmp_path).findings}
    assert ("lib/orders-stack.ts", 17, "LSL303") in found
