"""CDK Python stacks → Template facts (lambda_secrets_lint.parsers.cdk_py)."""
from __future__ import annotations

import textwrap

import pytest

from lambda_secrets_lint.model.infra import SourceKind as K
from lambda_secrets_lint.parsers.cdk_py import build_cdk_py
from lambda_secrets_lint.parsers.nodes import ParseError

HEAD = """\
import os
from aws_cdk import Aws, CfnParameter, SecretValue, Stack
from aws_cdk import aws_lambda as _lambda
from aws_cdk import aws_secretsmanager as sm
from aws_cdk import aws_ssm as ssm
"""


def _build(body: str, head: str = HEAD):
    return build_cdk_py("stack.py", head + textwrap.dedent(body))


def _env(body: str, head: str = HEAD) -> dict:
    t = _build(body, head)
    assert t is not None
    return {v.name: v for f in t.functions for v in f.env}


def _shape(var) -> tuple:
    v = var.value
    return (v.literal, v.literal_parts, tuple((s.kind, s.name) for s in v.sources))


# (value expression, expected (literal, literal_parts, ((kind, name), …)))
VALUES = [
    ('"INFO"', ("INFO", ("INFO",), ())),
    ('"sk_" "live_" "abc"', ("sk_live_abc", ("sk_live_abc",), ())),
    ('f"https://{Aws.REGION}/x"', (None, ("https://", "/x"), ((K.PSEUDO, "AWS::Region"),))),
    ('"a-" + CONST', ("a-prod", ("a-prod",), ())),
    ('CONST', ("prod", ("prod",), ())),
    ('UNDEFINED', (None, (), ((K.UNKNOWN, "UNDEFINED"),))),
    ('os.environ["API_KEY"]', (None, (), ((K.DEPLOYER_ENV, "API_KEY"),))),
    ('os.environ.get("API_KEY")', (None, (), ((K.DEPLOYER_ENV, "API_KEY"),))),
    ('os.getenv("TOKEN")', (None, (), ((K.DEPLOYER_ENV, "TOKEN"),))),
    ('SecretValue.unsafe_plain_text("hunter22").unsafe_unwrap()', ("hunter22", ("hunter22",), ())),
    ('SecretValue.plain_text("hunter22").to_string()', ("hunter22", ("hunter22",), ())),
    ('secret.secret_value.unsafe_unwrap()', (None, (), ((K.SECRETS_MANAGER, "prod/db"),))),
    ('secret.secret_value_from_json("password").unsafe_unwrap()', (None, (), ((K.SECRETS_MANAGER, "prod/db"),))),
    ('created.secret_value.to_string()', (None, (), ((K.SECRETS_MANAGER, "app/created"),))),
    ('other.secret_value_from_json("k").unsafe_unwrap()', (None, (), ((K.SECRETS_MANAGER, "other"),))),
    ('SecretValue.secrets_manager("prod/x", json_field="k").unsafe_unwrap()', (None, (), ((K.SECRETS_MANAGER, "prod/x"),))),
    ('SecretValue.ssm_secure("/p/key", "2").unsafe_unwrap()', (None, (), ((K.SSM_SECURE, "/p/key"),))),
    ('secure.string_value', (None, (), ((K.SSM_SECURE, "/p/secure"),))),
    ('ssm.StringParameter.value_for_string_parameter(self, "/p/token")', (None, (), ((K.SSM, "/p/token"),))),
    ('ssm.StringParameter.value_for_string_parameter(self, f"/{CONST}/token", 3)', (None, (), ((K.SSM, "/prod/token"),))),
    ('plain.string_value', (None, (), ((K.SSM, "/p/plain"),))),
    ('ssm.StringParameter.from_string_parameter_attributes(self, "A", parameter_name="/p/a").string_value', (None, (), ((K.SSM, "/p/a"),))),
    ('ssm.StringParameter.value_from_lookup(self, "/p/looked")', (None, (), ((K.UNKNOWN, "/p/looked"),))),
    ('client.user_pool_client_secret.unsafe_unwrap()', (None, (), ((K.SECRET_ATTRIBUTE, "client"),))),
    ('key.secret_access_key.unsafe_unwrap()', (None, (), ((K.SECRET_ATTRIBUTE, "key"),))),
    ('api_key.attr_api_key', (None, (), ((K.SECRET_ATTRIBUTE, "api_key"),))),
    ('cfn_client.attr_client_secret', (None, (), ((K.SECRET_ATTRIBUTE, "cfn_client"),))),
    ('table.table_name', (None, (), ((K.RESOURCE, "table"),))),
    ('secret.secret_arn', (None, (), ((K.RESOURCE, "secret"),))),
    ('secret.secret_name', (None, (), ((K.RESOURCE, "secret"),))),
    ('queue.queue_url', (None, (), ((K.RESOURCE, "queue"),))),
    ('self.region', (None, (), ((K.PSEUDO, "AWS::Region"),))),
    ('Stack.of(self).account', (None, (), ((K.PSEUDO, "AWS::AccountId"),))),
    ('pw.value_as_string', (None, (), ((K.TEMPLATE_PARAMETER, "DbPassword"),))),
    ('json.dumps({})', (None, (), ((K.UNKNOWN, "json.dumps"),))),
]

PRELUDE = """\
CONST = "prod"

class S(Stack):
    def __init__(self, scope, id):
        super().__init__(scope, id)
        secret = sm.Secret.from_secret_name_v2(self, "Db", "prod/db")
        created = sm.Secret(self, "Created", secret_name="app/created")
        secure = ssm.StringParameter.from_secure_string_parameter_attributes(self, "S", parameter_name="/p/secure")
        plain = ssm.StringParameter.from_string_parameter_name(self, "P", "/p/plain")
        pw = CfnParameter(self, "DbPassword", no_echo=True)
        _lambda.Function(self, "Fn", environment={
            "V": %s,
        })
"""


@pytest.mark.parametrize("expr,expected", VALUES, ids=[v[0][:40] for v in VALUES])
def test_value_shapes(expr: str, expected: tuple) -> None:
    var = _env(PRELUDE % expr)["V"]
    assert _shape(var) == expected
    assert var.key_location.line == 17 and var.pointer == "Fn/environment/V"


def test_no_echo_parameter_is_flagged_no_echo() -> None:
    src = _env(PRELUDE % "pw.value_as_string")["V"].value.sources[0]
    assert src.no_echo and src.template_parameter == "DbPassword"


IMPORT_STYLES = [
    ("from aws_cdk import aws_lambda as _lambda\n", "_lambda.Function", "Function"),
    ("import aws_cdk.aws_lambda as lambda_\n", "lambda_.Function", "Function"),
    ("from aws_cdk import aws_lambda\n", "aws_lambda.Function", "Function"),
    ("import aws_cdk.aws_lambda\n", "aws_cdk.aws_lambda.Function", "Function"),
    ("import aws_cdk as cdk\n", "cdk.aws_lambda.Function", "Function"),
    ("from aws_cdk.aws_lambda import Function\n", "Function", "Function"),
    ("from aws_cdk.aws_lambda import Function as Fn\n", "Fn", "Function"),
    ("from aws_cdk.aws_lambda import *\n", "DockerImageFunction", "DockerImageFunction"),
    ("from aws_cdk import aws_lambda_nodejs as nodejs\n", "nodejs.NodejsFunction", "NodejsFunction"),
    ("from aws_cdk.aws_lambda_python_alpha import PythonFunction\n", "PythonFunction", "PythonFunction"),
    ("import aws_cdk.aws_lambda_python_alpha as python\n", "python.PythonFunction", "PythonFunction"),
]


@pytest.mark.parametrize("head,ctor,cls", IMPORT_STYLES, ids=[i[1] for i in IMPORT_STYLES])
def test_import_styles(head: str, ctor: str, cls: str) -> None:
    t = build_cdk_py("s.py", head + f'fn = {ctor}(self, "MyFn", environment={{"DB_PASSWORD": "x"}})\n')
    assert t is not None and t.tool == "cdk" and not t.is_sam and not t.synthesized
    (fn,) = t.functions
    assert (fn.logical_id, fn.resource_type, fn.location.line) == ("MyFn", f"cdk:{cls}", 2)
    assert [(v.name, v.key_location.line, v.key_location.col) for v in fn.env] == [("DB_PASSWORD", 2, len(ctor) + 34)]


def test_unrelated_function_class_is_ignored() -> None:
    assert build_cdk_py("s.py", 'from aws_cdk import aws_stepfunctions as sfn\nsfn.Function(self, "X", environment={"A": "b"})\n') is None
    assert build_cdk_py("s.py", "import aws_cdk as cdk\napp = cdk.App()\n") is None


def test_cfn_function_forms() -> None:
    env = _env(
        """\
        from aws_cdk import aws_sam as sam
        _lambda.CfnFunction(self, "A", environment=_lambda.CfnFunction.EnvironmentProperty(variables={"K1": "v1"}))
        _lambda.CfnFunction(self, "B", environment={"variables": {"K2": "v2"}})
        sam.CfnFunction(self, "C", environment=sam.CfnFunction.FunctionEnvironmentProperty(variables={"K3": "v3"}))
        """
    )
    assert {k: (v.function, v.key_location.line) for k, v in env.items()} == {"K1": ("A", 7), "K2": ("B", 8), "K3": ("C", 9)}


def test_spreads_dict_calls_variables_and_add_environment() -> None:
    t = _build(
        """\
        COMMON = {"LOG_LEVEL": "INFO", "STAGE": "prod"}
        BASE = dict(REGION_NAME="eu-west-1")

        class S(Stack):
            def __init__(self, scope, id):
                super().__init__(scope, id)
                local = {**COMMON, "EXTRA": "1"}
                self.fn = _lambda.Function(self, "A", environment={**local, **BASE, "STAGE": "dev"})
                self.fn.add_environment("LATE", "x")
                fn2 = _lambda.Function(self, "B", environment=dict(COMMON, TOKEN="t", **BASE))
                fn2.add_environment(key="K", value="v")
                _lambda.Function(self, "C").add_environment("CHAINED", "c")
                if True: fn2.add_environment("SUITE", "s")

            def more(self):
                self.fn.add_environment("FROM_METHOD", "m")
        """
    )
    assert t is not None
    got = {f.logical_id: [(v.name, v.key_location.line, v.value.literal) for v in f.env] for f in t.functions}
    assert got == {
        "A": [("LOG_LEVEL", 6, "INFO"), ("EXTRA", 12, "1"), ("REGION_NAME", 7, "eu-west-1"), ("STAGE", 13, "dev"),
              ("LATE", 14, "x"), ("FROM_METHOD", 21, "m")],
        "B": [("LOG_LEVEL", 6, "INFO"), ("STAGE", 6, "prod"), ("TOKEN", 15, "t"), ("REGION_NAME", 7, "eu-west-1"),
              ("K", 16, "v"), ("SUITE", 18, "s")],
        "C": [("CHAINED", 17, "c")],
    }


def test_lookups_are_recorded_everywhere() -> None:
    t = _build(
        """\
        NAME = "/prod/api-key"
        v = ssm.StringParameter.value_from_lookup(self, NAME)
        w = ssm.StringParameter.value_from_lookup(self, some_var)
        """
    )
    assert t is not None and t.functions == ()
    assert [(l.parameter_name, l.location.line) for l in t.lookups] == [("/prod/api-key", 7), ("", 8)]


def test_syntax_error_is_parse_error() -> None:
    with pytest.raises(ParseError):
        build_cdk_py("s.py", "from aws_cdk import aws_lambda\ndef (:\n")


def test_deep_nesting_is_parse_error_not_crash() -> None:
    with pytest.raises(ParseError):
        build_cdk_py("s.py", "from aws_cdk import aws_lambda\nx = " + "(" * 500 + ")" * 500 + "\n")


def test_self_referencing_constants_terminate() -> None:
    env = _env('A = B\nB = A\n_lambda.Function(self, "F", environment={"X": A, "Y": A + B})\n')
    assert env["X"].value.sources[0].kind is K.UNKNOWN


def test_cfn_function_environment_literals_are_lsl101_not_lsl205(run_cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    (tmp_path / ".git").mkdir()
    (tmp_path / "stack.py").write_text(
        "from aws_cdk import Stack, aws_lambda as _lambda\n\n\n"
        "class S(Stack):\n"
        "    def __init__(self, scope, cid):\n"
        "        super().__init__(scope, cid)\n"
        "        _lambda.CfnFunction(self, 'Fn', code=None, role='r',\n"
        "            environment=_lambda.CfnFunction.EnvironmentProperty(variables={\n"
        "                'API_TOKEN': 'ghp_4fT9kLmN2pQr8sVw1xYz3aBc5dEf7gHi9jKl',\n"
        "            }))\n"
    )
    r = run_cli("check", str(tmp_path), "--format", "json")
    assert [(f["rule"], f["line"]) for f in json.loads(r.out)["findings"]] == [("LSL101", 9)]
