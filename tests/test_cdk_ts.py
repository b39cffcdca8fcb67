"""CDK TypeScript/JavaScript stack code → Template facts (lint/parsers/cdk_ts.py)."""
from __future__ import annotations

import pytest

from lambda_secrets_lint.model.code import Language
from lambda_secrets_lint.model.infra import SourceKind
from lambda_secrets_lint.parsers.cdk_ts import build_cdk_ts
from lambda_secrets_lint.parsers.nodes import ParseError

TS = Language.TYPESCRIPT
JS = Language.JAVASCRIPT


def _build(text: str, language: Language = TS):
    return build_cdk_ts("lib/stack.ts", text, language=language, tsx=False)


def _env(text: str, language: Language = TS) -> dict[str, tuple[int, str | None, tuple]]:
    """{KEY: (key line, literal, ((kind, name), …))} over all functions."""
    template = _build(text, language)
    assert template is not None
    out = {}
    for fn in template.functions:
        for var in fn.env:
            out[var.name] = (var.key_location.line, var.value.literal, tuple((s.kind, s.name) for s in var.value.sources))
    return out


_HEAD = """import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as sm from 'aws-cdk-lib/aws-secretsmanager';
"""


def _fn(env: str, pre: str = "") -> str:
    return _HEAD + pre + "new lambda.Function(this, 'Fn', {\n  environment: {\n" + env + "  },\n});\n"


# (env entries, extra declarations, KEY, literal, sources). The first env line is line 7 without `pre`.
VALUES = [
    ("    A: 'plain',\n", "", "A", "plain", ()),
    ("    A: `tmpl`,\n", "", "A", "tmpl", ()),
    ("    A: `${P}-x`,\n", "const P = 'pre';\n", "A", "pre-x", ()),
    ("    A: 'a' + 'b',\n", "", "A", "ab", ()),
    ("    A: P,\n", "const P = 'v';\n", "A", "v", ()),
    ("    A: cfg.k,\n", "const cfg = { k: 'deep' };\n", "A", "deep", ()),
    ("    A: unknownVar,\n", "", "A", None, ((SourceKind.UNKNOWN, "unknownVar"),)),
    ("    API_KEY: process.env.API_KEY,\n", "", "API_KEY", None, ((SourceKind.DEPLOYER_ENV, "API_KEY"),)),
    ("    T: process.env['TOKEN'],\n", "", "T", None, ((SourceKind.DEPLOYER_ENV, "TOKEN"),)),
    ("    P: cdk.SecretValue.unsafePlainText('hunter2'),\n", "", "P", "hunter2", ()),
    ("    P: cdk.SecretValue.plainText('hunter2').unsafeUnwrap(),\n", "", "P", "hunter2", ()),
    ("    S: s.secretValue.unsafeUnwrap(),\n", "const s = new sm.Secret(this, 'S', { secretName: 'prod/db' });\n",
     "S", None, ((SourceKind.SECRETS_MANAGER, "prod/db"),)),
    ("    S: s.secretValue.toString(),\n", "const s = new sm.Secret(this, 'S');\n",
     "S", None, ((SourceKind.SECRETS_MANAGER, "s"),)),
    ("    S: s.secretValueFromJson('password').toJSON(),\n",
     "const s = sm.Secret.fromSecretNameV2(this, 'S', 'prod/api');\n",
     "S", None, ((SourceKind.SECRETS_MANAGER, "prod/api"),)),
    ("    S: cdk.SecretValue.secretsManager('prod/x', { jsonField: 'k' }).unsafeUnwrap(),\n", "",
     "S", None, ((SourceKind.SECRETS_MANAGER, "prod/x"),)),
    ("    S: cdk.SecretValue.ssmSecure('/prod/pw').unsafeUnwrap(),\n", "",
     "S", None, ((SourceKind.SSM_SECURE, "/prod/pw"),)),
    ("    S: p.stringValue,\n",
     "const p = ssm.StringParameter.fromSecureStringParameterAttributes(this, 'P', { parameterName: '/prod/tok' });\n",
     "S", None, ((SourceKind.SSM_SECURE, "/prod/tok"),)),
    ("    S: ssm.StringParameter.valueForStringParameter(this, '/prod/level'),\n", "",
     "S", None, ((SourceKind.SSM, "/prod/level"),)),
    ("    S: ssm.StringParameter.valueForStringParameter(this, '/prod/level', 2),\n", "",
     "S", None, ((SourceKind.SSM, "/prod/level"),)),
    ("    S: ssm.StringParameter.fromStringParameterName(this, 'P', '/prod/n').stringValue,\n", "",
     "S", None, ((SourceKind.SSM, "/prod/n"),)),
    ("    S: ssm.StringParameter.fromStringParameterAttributes(this, 'P', { parameterName: '/prod/a' }).stringValue,\n", "",
     "S", None, ((SourceKind.SSM, "/prod/a"),)),
    ("    S: ssm.StringParameter.valueFromLookup(this, '/prod/lk'),\n", "",
     "S", None, ((SourceKind.UNKNOWN, "/prod/lk"),)),
    ("    S: client.userPoolClientSecret.unsafeUnwrap(),\n", "", "S", None, ((SourceKind.SECRET_ATTRIBUTE, "client"),)),
    ("    S: key.secretAccessKey.unsafeUnwrap(),\n", "", "S", None, ((SourceKind.SECRET_ATTRIBUTE, "key"),)),
    ("    S: apiKey.attrApiKey,\n", "", "S", None, ((SourceKind.SECRET_ATTRIBUTE, "apiKey"),)),
    ("    S: upc.attrClientSecret,\n", "", "S", None, ((SourceKind.SECRET_ATTRIBUTE, "upc"),)),
    ("    S: table.tableName,\n", "", "S", None, ((SourceKind.RESOURCE, "table"),)),
    ("    S: s.secretArn,\n", "", "S", None, ((SourceKind.RESOURCE, "s"),)),
    ("    S: queue.queueUrl,\n", "", "S", None, ((SourceKind.RESOURCE, "queue"),)),
    ("    S: param.parameterName,\n", "", "S", None, ((SourceKind.RESOURCE, "param"),)),
    ("    S: cdk.Stack.of(this).region,\n", "", "S", None, ((SourceKind.PSEUDO, "region"),)),
    ("    S: this.region,\n", "", "S", None, ((SourceKind.PSEUDO, "region"),)),
    ("    S: cdk.Aws.REGION,\n", "", "S", None, ((SourceKind.PSEUDO, "REGION"),)),
    ("    S: pw.valueAsString,\n", "const pw = new cdk.CfnParameter(this, 'DbPw', { noEcho: true });\n",
     "S", None, ((SourceKind.TEMPLATE_PARAMETER, "DbPw"),)),
    ("    S: someCall(),\n", "", "S", None, ((SourceKind.UNKNOWN, ""),)),
]


@pytest.mark.parametrize("env,pre,key,literal,sources", VALUES, ids=[v[2] + ":" + v[0].strip() for v in VALUES])
def test_value_shapes(env: str, pre: str, key: str, literal: str | None, sources: tuple) -> None:
    got = _env(_fn(env, pre))
    line, got_literal, got_sources = got[key]
    assert line == 7 + pre.count("\n")
    assert got_literal == literal
    assert got_sources == sources


def test_process_env_fallback_keeps_the_literal_part() -> None:
    template = _build(_fn("    K: process.env.K ?? 'dflt',\n"))
    var = template.functions[0].env[0]
    assert var.value.literal is None and var.value.literal_parts == ("dflt",)
    assert [s.kind for s in var.value.sources] == [SourceKind.DEPLOYER_ENV]


_IMPORT_STYLES = [
    ("import * as lambda from 'aws-cdk-lib/aws-lambda';\n", "lambda.Function", "Function"),
    ("import { aws_lambda as lambda } from 'aws-cdk-lib';\n", "lambda.Function", "Function"),
    ("import { Function, Runtime } from 'aws-cdk-lib/aws-lambda';\n", "Function", "Function"),
    ("import { Function as Fn } from 'aws-cdk-lib/aws-lambda';\n", "Fn", "Function"),
    ("const lambda = require('aws-cdk-lib/aws-lambda');\n", "lambda.Function", "Function"),
    ("const { aws_lambda: lambda } = require('aws-cdk-lib');\n", "lambda.Function", "Function"),
    ("import cdk = require('aws-cdk-lib');\n", "cdk.aws_lambda.Function", "Function"),
    ("import * as cdk from 'aws-cdk-lib';\n", "cdk.aws_lambda.Function", "Function"),
    ("import * as lambda from 'aws-cdk-lib/aws-lambda';\n", "lambda.DockerImageFunction", "DockerImageFunction"),
    ("import * as lambda from 'aws-cdk-lib/aws-lambda';\n", "lambda.SingletonFunction", "SingletonFunction"),
    ("import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';\n", "NodejsFunction", "NodejsFunction"),
    ("import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';\n", "nodejs.NodejsFunction", "NodejsFunction"),
    ("import { aws_lambda_nodejs as nodejs } from 'aws-cdk-lib';\n", "nodejs.NodejsFunction", "NodejsFunction"),
    ("import { PythonFunction } from '@aws-cdk/aws-lambda-python-alpha';\n", "PythonFunction", "PythonFunction"),
]


@pytest.mark.parametrize("imp,ctor,cls", _IMPORT_STYLES, ids=[f"{c}:{i.strip()}" for i, c, _ in _IMPORT_STYLES])
def test_import_styles(imp: str, ctor: str, cls: str) -> None:
    text = imp + f"const fn = new {ctor}(this, 'MyFn', {{\n  environment: {{ DB_PASSWORD: 'x' }},\n}});\n"
    template = _build(text)
    assert template is not None and template.tool == "cdk" and not template.is_sam and not template.synthesized
    (fn,) = template.functions
    assert fn.logical_id == "MyFn" and fn.resource_type == f"cdk:{cls}" and fn.location.line == 2
    (var,) = fn.env
    assert (var.name, var.key_location.line, var.key_location.col, var.value.literal) == ("DB_PASSWORD", 3, 18, "x")
    assert var.pointer == "MyFn/environment/DB_PASSWORD" and var.function == "MyFn" and var.declared_in == "function"


@pytest.mark.parametrize(
    "text",
    [
        "new Function(this, 'X', { environment: { A: 'b' } });\n",  # the JS global Function, no import
        "import { Function } from './my-lib';\nnew Function(this, 'X', { environment: { A: 'b' } });\n",
        "import * as ecs from 'aws-cdk-lib/aws-ecs';\nnew ecs.ContainerDefinition(this, 'X', { environment: { A: 'b' } });\n",
        "import * as cdk from 'aws-cdk-lib';\nconst x = 1;\n",
    ],
)
def test_not_a_lambda_construct(text: str) -> None:
    assert _build(text) is None


@pytest.mark.parametrize("module,ctor", [("aws-cdk-lib/aws-lambda", "lambda"), ("aws-cdk-lib/aws-sam", "sam")])
def test_cfn_function_variables(module: str, ctor: str) -> None:
    text = (f"import * as {ctor} from '{module}';\n"
            f"new {ctor}.CfnFunction(this, 'L1', {{\n  environment: {{\n    variables: {{\n      TOKEN: 'abc',\n    }},\n  }},\n}});\n")
    (fn,) = _build(text).functions
    assert fn.resource_type == "cdk:CfnFunction"
    assert [(v.name, v.key_location.line, v.value.literal) for v in fn.env] == [("TOKEN", 5, "abc")]


def test_spreads_shorthand_variable_objects_and_override() -> None:
    text = _HEAD + (
        "const common = { LOG_LEVEL: 'info', STAGE: 'dev' };\n"  # 5
        "const TABLE_NAME = 'orders';\n"  # 6
        "const envObj = { ...common, TABLE_NAME, STAGE: 'prod' };\n"  # 7
        "new lambda.Function(this, 'A', { environment: envObj });\n"  # 8
        "const props = { environment: { ...common } };\n"  # 9
        "new lambda.Function(this, 'B', props);\n"  # 10
    )
    a, b = _build(text).functions
    assert [(v.name, v.key_location.line, v.value.literal) for v in a.env] == [
        ("LOG_LEVEL", 5, "info"), ("TABLE_NAME", 7, "orders"), ("STAGE", 7, "prod"),
    ]
    assert [(v.name, v.key_location.line) for v in b.env] == [("LOG_LEVEL", 5), ("STAGE", 5)]


def test_add_environment() -> None:
    text = _HEAD + (
        "const fn = new lambda.Function(this, 'Fn', { environment: { A: '1' } });\n"  # 5
        "fn.addEnvironment('API_KEY', process.env.API_KEY!);\n"  # 6
        "this.worker = new lambda.Function(this, 'Worker', {});\n"  # 7
        "this.worker.addEnvironment('B', `x`);\n"  # 8
        "fn.addEnvironment('A', 'override');\n"  # 9
        "other.addEnvironment('C', 'ignored');\n"  # 10
        "fn.addEnvironment(dynamicKey, 'ignored');\n"  # 11
    )
    fn, worker = _build(text).functions
    assert [(v.name, v.key_location.line, v.value.literal, v.declared_in) for v in fn.env] == [
        ("API_KEY", 6, None, "function"), ("A", 9, "override", "function"),
    ]
    assert fn.env[0].value.sources[0].kind is SourceKind.DEPLOYER_ENV
    assert fn.env[0].key_location.col == 19
    assert [(v.name, v.key_location.line, v.pointer) for v in worker.env] == [("B", 8, "Worker/environment/B")]


def test_lookups_are_recorded_everywhere() -> None:
    text = _HEAD + (
        "const vpcId = ssm.StringParameter.valueFromLookup(this, '/net/vpc-id');\n"  # 5
        "const dyn = ssm.StringParameter.valueFromLookup(this, `/x/${stage}`);\n"  # 6
    )
    template = _build(text)
    assert template is not None and template.functions == ()
    assert [(lk.parameter_name, lk.location.line, lk.location.col) for lk in template.lookups] == [
        ("/net/vpc-id", 5, 15), ("", 6, 13),
    ]


def test_javascript_require_stack() -> None:
    text = (
        "const cdk = require('aws-cdk-lib');\n"
        "const { NodejsFunction } = require('aws-cdk-lib/aws-lambda-nodejs');\n"
        "new NodejsFunction(this, 'Js', { environment: { SECRET: process.env.SECRET, R: cdk.Aws.REGION } });\n"
    )
    (fn,) = build_cdk_ts("lib/stack.js", text, language=JS, tsx=False).functions
    assert [(v.name, v.value.sources[0].kind) for v in fn.env] == [
        ("SECRET", SourceKind.DEPLOYER_ENV), ("R", SourceKind.PSEUDO),
    ]


def test_syntax_error_raises_parse_error() -> None:
    with pytest.raises(ParseError) as info:
        _build("import * as lambda from 'aws-cdk-lib/aws-lambda';\nnew lambda.Function(this, 'X', {\n")
    assert info.value.line is not None and "aws" not in info.value.message


def test_cfn_function_environment_literals_are_lsl101_not_lsl205(run_cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    (tmp_path / ".git").mkdir()
    (tmp_path / "stack.ts").write_text(
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
        "export function build(scope: any) {\n"
        "  new lambda.CfnFunction(scope, 'Fn', {\n"
        "    code: {}, role: 'r',\n"
        "    environment: { variables: { API_TOKEN: 'ghp_4fT9kLmN2pQr8sVw1xYz3aBc5dEf7gHi9jKl' } },\n"
        "  });\n"
        "}\n"
    )
    r = run_cli("check", str(tmp_path), "--format", "json")
    assert [(f["rule"], f["line"]) for f in json.loads(r.out)["findings"]] == [("LSL101", 5)]
